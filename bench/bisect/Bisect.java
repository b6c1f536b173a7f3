import java.lang.invoke.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

/** See run.sh: one class loader per build, the same keys for each, builds alternated per round. */
public class Bisect {
    public static void main(String[] a) throws Throwable {
        int n = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        String[] builds = Arrays.copyOfRange(a, 2, a.length);
        long[] keys = new long[n];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < n; i++) keys[i] = r.nextLong();
        URL slf = Path.of(System.getProperty("slf")).toUri().toURL();
        URL drv = Path.of(System.getProperty("driver", "/tmp/cobtree-bisect/driver/out/")).toUri().toURL();
        MethodHandle[] mh = new MethodHandle[builds.length];
        for (int b = 0; b < builds.length; b++) {
            URL core = Path.of(System.getProperty("builds", "/tmp/cobtree-bisect"), builds[b], "out").toUri().toURL();
            ClassLoader cl = new URLClassLoader(new URL[]{drv, core, slf}, ClassLoader.getPlatformClassLoader());
            Class<?> d = Class.forName("PutDriver", true, cl);
            mh[b] = MethodHandles.publicLookup().findStatic(d, System.getProperty("mode", "randomPut"), MethodType.methodType(double.class, long[].class));
        }
        double[][] t = new double[builds.length][rounds];
        for (int k = 0; k < rounds; k++) {
            for (int j = 0; j < builds.length; j++) {
                int b = (k % 2 == 0) ? j : builds.length - 1 - j;
                t[b][k] = (double) mh[b].invokeExact(keys);
            }
        }
        int warm = Math.min(2, rounds - 1);
        for (int b = 0; b < builds.length; b++) {
            double[] s = Arrays.copyOfRange(t[b], warm, rounds);
            Arrays.sort(s);
            System.out.printf("%-8s min %7.1f  median %7.1f ns/put  all %s%n", builds[b], s[0], s[s.length / 2], Arrays.toString(Arrays.stream(t[b]).mapToLong(Math::round).toArray()));
        }
    }
}
