package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;

/** Supplies a new {@link CobTreeKeyValueStore} per task (Kafka calls {@link #get()} once per store instance). */
final class CobTreeKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
    private final String name;
    private final int segmentSize;

    CobTreeKeyValueBytesStoreSupplier(String name, int segmentSize) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        if (segmentSize < 8 || segmentSize > 4096 || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segmentSize must be a power of two in [8, 4096]; got " + segmentSize);
        }
        this.segmentSize = segmentSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new CobTreeKeyValueStore(name, segmentSize);
    }

    /** The scope of the store's metrics ({@code stream-cobtree-state-metrics}). */
    @Override
    public String metricsScope() {
        return "cobtree";
    }
}
