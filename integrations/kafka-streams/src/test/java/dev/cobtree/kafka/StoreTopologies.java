package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Properties;

/** A topology that writes each input record into a store named {@code idx} (null value: delete). */
final class StoreTopologies {
    static final String APP = "app";
    static final String STORE = "idx";
    static final String INPUT = "in";
    static final String CHANGELOG = APP + "-" + STORE + "-changelog";

    private StoreTopologies() {
    }

    static Properties config() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    static StoreBuilder<KeyValueStore<Long, byte[]>> cobtreeStore(boolean caching) {
        StoreBuilder<KeyValueStore<Long, byte[]>> b = Stores.keyValueStoreBuilder(CobTreeStores.keyValueStore(STORE, 8), Serdes.Long(), Serdes.ByteArray());
        return caching ? b.withCachingEnabled() : b.withCachingDisabled();
    }

    static Topology writer(StoreBuilder<KeyValueStore<Long, byte[]>> store) {
        Topology t = new Topology();
        t.addSource("src", Serdes.Long().deserializer(), Serdes.ByteArray().deserializer(), INPUT);
        t.addProcessor("write", () -> new Processor<Long, byte[], Void, Void>() {
            private KeyValueStore<Long, byte[]> kv;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                kv = context.getStateStore(STORE);
            }

            @Override
            public void process(Record<Long, byte[]> record) {
                kv.put(record.key(), record.value());
            }
        }, "src");
        t.addStateStore(store, "write");
        return t;
    }
}
