package dev.cobtree.kafka.bench;

import dev.cobtree.kafka.CobTreeStores;
import dev.cobtree.kafka.KeyRange;
import dev.cobtree.kafka.RangeCountQuery;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * The cobtree store against Kafka's in-memory store ({@code Stores.inMemoryKeyValueStore}) and
 * its default persistent store ({@code Stores.persistentKeyValueStore}, RocksDB), each the raw
 * {@code KeyValueStore<Bytes, byte[]>} its supplier gives (no metering, caching or logging layer:
 * those are the same code above every store), holding {@code size} random 8-byte keys with one
 * shared 16-byte value.
 *
 * <ul>
 *   <li>{@code get}: a random present key.</li>
 *   <li>{@code put}: overwrite a random present key (the size stays fixed).</li>
 *   <li>{@code range}: iterate {@code span} consecutive present keys ({@code range(from, to)}); one op = the whole range.</li>
 *   <li>{@code count}: how many keys lie in such a range. cobtree: the {@code RangeCountQuery}
 *       through {@code query}; Kafka's stores have no count, so the range is iterated and counted
 *       (what an application does today).</li>
 * </ul>
 *
 * Run: {@code java -cp <test classpath> org.openjdk.jmh.Main KafkaStoreBench} (see docs/KAFKA.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
public class KafkaStoreBench {

    @Param({"cobtree", "inMemory", "rocksdb"})
    public String store;

    @Param({"1000000"})
    public int size;

    @Param({"1000", "100000"})
    public int span;

    private KeyValueStore<Bytes, byte[]> kv;
    private File dir;
    /** The present keys, ascending in Kafka's byte order. */
    private Bytes[] sorted;
    /** Present keys in random order, for point operations. */
    private Bytes[] probes;
    private int next;
    private final byte[] value = new byte[16];
    private final SplittableRandom rnd = new SplittableRandom(42);
    private final QueryConfig config = new QueryConfig(false);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("kafka-store-bench").toFile();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.getAbsolutePath());
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props, new org.apache.kafka.streams.processor.TaskId(0, 0), dir);
        kv = switch (store) {
            case "cobtree" -> CobTreeStores.keyValueStore("s").get();
            case "inMemory" -> Stores.inMemoryKeyValueStore("s").get();
            case "rocksdb" -> Stores.persistentKeyValueStore("s").get();
            default -> throw new IllegalArgumentException("store " + store);
        };
        kv.init(context.getStateStoreContext(), kv);
        SplittableRandom r = new SplittableRandom(7);
        long[] keys = r.longs(size).distinct().toArray();
        while (keys.length < size) {
            keys = java.util.stream.LongStream.concat(Arrays.stream(keys), r.longs(size - keys.length)).distinct().toArray();
        }
        probes = new Bytes[size];
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            probes[i] = Bytes.wrap(Serdes.Long().serializer().serialize(null, keys[i]));
            batch.add(KeyValue.pair(probes[i], value));
            if (batch.size() == 10_000) {
                kv.putAll(batch);
                batch.clear();
            }
        }
        kv.putAll(batch);
        sorted = probes.clone();
        Arrays.sort(sorted); // Bytes.compareTo: Kafka's byte order
        if (kv.approximateNumEntries() < size / 2) {
            throw new IllegalStateException(store + " holds " + kv.approximateNumEntries() + " entries after loading " + size);
        }
        checkRangesAgree();
    }

    /** Every store must see exactly {@code span} keys in a range of {@code span} present keys. */
    private void checkRangesAgree() {
        for (int i = 0; i < 5; i++) {
            int from = rnd.nextInt(size - span);
            long n = countOf(sorted[from], sorted[from + span - 1]);
            if (n != span) {
                throw new IllegalStateException(store + " counted " + n + " keys in a range of " + span);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kv.close();
        try (var paths = Files.walk(dir.toPath())) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Bytes probe() {
        Bytes b = probes[next];
        next = next + 1 == size ? 0 : next + 1;
        return b;
    }

    @Benchmark
    public byte[] get() {
        return kv.get(probe());
    }

    @Benchmark
    public void put() {
        kv.put(probe(), value);
    }

    @Benchmark
    public void range(Blackhole bh) {
        int from = rnd.nextInt(size - span);
        try (KeyValueIterator<Bytes, byte[]> it = kv.range(sorted[from], sorted[from + span - 1])) {
            while (it.hasNext()) {
                bh.consume(it.next());
            }
        }
    }

    @Benchmark
    public long count() {
        int from = rnd.nextInt(size - span);
        return countOf(sorted[from], sorted[from + span - 1]);
    }

    private long countOf(Bytes from, Bytes to) {
        if (kv.persistent() || !"cobtree".equals(store)) {
            long n = 0;
            try (KeyValueIterator<Bytes, byte[]> it = kv.range(from, to)) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return n;
        }
        QueryResult<Long> r = kv.query(RangeCountQuery.of(KeyRange.closed(from, to)), PositionBound.unbounded(), config);
        return r.getResult();
    }
}
