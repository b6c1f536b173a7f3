package dev.cobtree.bench;

import dev.cobtree.query.codec.KeyCodec;
import dev.cobtree.query.codec.KeyCodecs;
import dev.cobtree.query.codec.OrderedDictionary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The String codec row of issue 13: the cost of encoding a string key ({@code stringPrefix()}, the
 * order-preserving 8-byte prefix; {@code dictionary}, an {@link OrderedDictionary} lookup of a
 * known value) per string, and, printed once per trial as a {@code FALSEPOS} line, the prefix's
 * false-positive rate: for {@code eq(v)} over a column of these strings, the share of the rows
 * under v's key (the rows a query must verify) whose value is not v, averaged over the distinct
 * values weighted by rows.
 * <ul>
 *   <li>{@code cities}: 50 city names (distinct within 8 bytes but for two pairs);</li>
 *   <li>{@code emails}: {@code user<n>@example.com}, n &lt; 100,000 (shared 8-byte prefixes);</li>
 *   <li>{@code urls}: {@code https://shop.example.com/item/<n>} (every value shares its first 8 bytes).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class StringCodecBench {

    static final int BATCH = 1024;
    static final String[] CITIES = {"Amsterdam", "Athens", "Barcelona", "Berlin", "Bordeaux", "Brussels", "Bucharest",
            "Budapest", "Copenhagen", "Dublin", "Edinburgh", "Florence", "Frankfurt", "Geneva", "Hamburg", "Helsinki",
            "Istanbul", "Krakow", "Lisbon", "Ljubljana", "London", "Lyon", "Madrid", "Marseille", "Milan", "Munich",
            "Naples", "Nice", "Oslo", "Paris", "Porto", "Prague", "Reykjavik", "Riga", "Rome", "Rotterdam", "Salzburg",
            "San Marino", "San Sebastian", "Seville", "Sofia", "Stockholm", "Tallinn", "Turin", "Valencia", "Venice",
            "Vienna", "Vilnius", "Warsaw", "Zurich", "Santa Cruz", "Santa Clara"};

    @Param({"cities", "emails", "urls"})
    public String data;

    private String[] batch;
    private KeyCodec<String> prefix;
    private OrderedDictionary<String> dictionary;

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(3);
        String[] column = new String[1_000_000];
        for (int i = 0; i < column.length; i++) {
            column[i] = switch (data) {
                case "cities" -> CITIES[rnd.nextInt(CITIES.length)];
                case "emails" -> "user" + rnd.nextInt(100_000) + "@example.com";
                case "urls" -> "https://shop.example.com/item/" + rnd.nextInt(100_000);
                default -> throw new IllegalArgumentException("data " + data);
            };
        }
        batch = Arrays.copyOf(column, BATCH);
        prefix = KeyCodecs.stringPrefix();
        dictionary = OrderedDictionary.of(new HashSet<>(Arrays.asList(column)));
        // false positives of eq(v): rows under v's prefix key whose value is not v
        Map<Long, Integer> rowsPerKey = new HashMap<>();
        Map<String, Integer> rowsPerValue = new HashMap<>();
        for (String s : column) {
            rowsPerKey.merge(prefix.encode(s), 1, Integer::sum);
            rowsPerValue.merge(s, 1, Integer::sum);
        }
        double weighted = 0;
        for (Map.Entry<String, Integer> e : rowsPerValue.entrySet()) {
            int underKey = rowsPerKey.get(prefix.encode(e.getKey()));
            weighted += e.getValue() * (underKey - e.getValue()) / (double) underKey;
        }
        System.out.printf("%nFALSEPOS data=%s distinct values=%d distinct prefix keys=%d false-positive share of verified rows (eq)=%.4f%n",
                data, rowsPerValue.size(), rowsPerKey.size(), weighted / column.length);
        List.of(batch).forEach(s -> {
            if (dictionary.decode(dictionary.encode(s)) == null) throw new IllegalStateException(s);
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long prefixEncode() {
        long x = 0;
        for (String s : batch) x ^= prefix.encode(s);
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long dictionaryEncode() {
        long x = 0;
        for (String s : batch) x ^= dictionary.encode(s);
        return x;
    }
}
