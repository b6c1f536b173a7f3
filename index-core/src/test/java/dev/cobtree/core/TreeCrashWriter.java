package dev.cobtree.core;

import dev.cobtree.storage.CheckpointFile;
import dev.cobtree.storage.MappedCellStoreFactory;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The child process of {@link TreeCrashTest}: a mapped CobTree in {@code args[0]} receives
 * deterministic rounds of puts and removes (seed {@code args[2]}); after each round it writes a
 * checkpoint to {@code args[1]}, closes cleanly, prints {@code ROUND n} and reopens, until killed.
 * The key {@code Long.MIN_VALUE} holds the number of the last round applied.
 */
public final class TreeCrashWriter {

    static final int OPS = 20_000;
    static final long KEYS = 200_000;

    private TreeCrashWriter() {
    }

    /** The operations of one round, applied to a tree or to a model. */
    interface Target {
        void put(long k, long v);

        void remove(long k);
    }

    static void round(long seed, int round, Target t) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003 + round);
        boolean shrinking = round % 5 == 4; // every fifth round removes more than it adds
        for (int i = 0; i < OPS; i++) {
            long k = rnd.nextLong(KEYS);
            if (rnd.nextInt(10) < (shrinking ? 8 : 3)) {
                t.remove(k);
            } else {
                t.put(k, rnd.nextLong());
            }
        }
        t.put(Long.MIN_VALUE, round);
    }

    /** The entries after {@code rounds} rounds. */
    static TreeMap<Long, Long> model(long seed, int rounds) {
        TreeMap<Long, Long> m = new TreeMap<>();
        for (int r = 1; r <= rounds; r++) {
            round(seed, r, new Target() {
                @Override
                public void put(long k, long v) {
                    m.put(k, v);
                }

                @Override
                public void remove(long k) {
                    m.remove(k);
                }
            });
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path cells = Path.of(args[0]);
        Path checkpoint = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        SplittableRandom pause = new SplittableRandom(seed);
        for (int round = 1; ; round++) {
            CobTree tree = CobTree.builder().segmentSize(16).storage(new MappedCellStoreFactory(cells)).build();
            long before = tree.get(Long.MIN_VALUE, 0);
            if (before != round - 1) {
                System.err.println("reopened round " + before + ", expected " + (round - 1));
                System.exit(3);
            }
            round(seed, round, new Target() {
                @Override
                public void put(long k, long v) {
                    tree.put(k, v, 0);
                }

                @Override
                public void remove(long k) {
                    tree.remove(k, 0);
                }
            });
            CheckpointFile.write(checkpoint, tree.size(), sink -> tree.forEach(sink::accept));
            tree.close();
            System.out.println("ROUND " + round);
            System.out.flush();
            // sometimes idle while closed, so that some kills find a cleanly closed index
            Thread.sleep(pause.nextInt(3) == 0 ? 50 + pause.nextInt(150) : pause.nextInt(10));
        }
    }
}
