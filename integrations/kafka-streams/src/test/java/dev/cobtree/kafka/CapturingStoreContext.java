package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.io.File;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code StateStoreContext} for the raw store that keeps what the store registers (Kafka's
 * {@code MockProcessorContext} drops the restore callback) and serves a settable record metadata.
 */
final class CapturingStoreContext implements StateStoreContext {
    StateStore registeredStore;
    StateRestoreCallback restoreCallback;
    RecordMetadata metadata;

    /** A fresh store of the given supplier, initialised with a new context. */
    static CobTreeKeyValueStore openStore(String name, int segmentSize, CapturingStoreContext context) {
        CobTreeKeyValueStore store = (CobTreeKeyValueStore) CobTreeStores.keyValueStore(name, segmentSize).get();
        store.init(context, store);
        return store;
    }

    void at(String topic, int partition, long offset) {
        metadata = new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        };
    }

    @Override
    public String applicationId() {
        return "test-app";
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, 0);
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.ofNullable(metadata);
    }

    @Override
    public Serde<?> keySerde() {
        return Serdes.Bytes();
    }

    @Override
    public Serde<?> valueSerde() {
        return Serdes.ByteArray();
    }

    @Override
    public File stateDir() {
        return new File(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException("the raw cobtree store uses no metrics");
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {
        if (restoreCallback != null) {
            throw new IllegalStateException("registered twice");
        }
        registeredStore = store;
        restoreCallback = callback;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        register(store, callback);
    }

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }
}
