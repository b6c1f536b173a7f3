package dev.cobtree.core;

import com.google.common.collect.testing.ConcurrentNavigableMapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.testers.MapEntrySetTester;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * guava-testlib's generated {@code ConcurrentNavigableMap} conformance suite over
 * {@link LongObjectTreeMap} with {@code Long} keys and {@code String} values, on the default
 * segment size and on 8-cell segments (so that the suites' inserts rebalance and resize). Features
 * and suppressions as for ConcurrentSkipListMap (entries are immutable snapshots), except
 * {@code SERIALIZABLE}: the object-valued view is not serializable (its values need not be).
 */
class LongObjectTreeMapGuavaTest {

    @TestFactory
    Stream<DynamicNode> defaultSegmentSize() {
        return suite("LongObjectTreeMap", LongObjectTree::new);
    }

    @TestFactory
    Stream<DynamicNode> segmentSize8() {
        return suite("LongObjectTreeMap, segmentSize 8", () -> LongObjectTree.builder().segmentSize(8).build());
    }

    private static Stream<DynamicNode> suite(String name, Supplier<LongObjectTree<String>> trees) {
        TestSuite suite = ConcurrentNavigableMapTestSuiteBuilder.using(new Generator(trees))
                .named(name)
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.KNOWN_ORDER,
                        CollectionSize.ANY)
                .suppressing(
                        MapEntrySetTester.getSetValueMethod(),
                        MapEntrySetTester.getSetValueWithNullValuesAbsentMethod(),
                        MapEntrySetTester.getSetValueWithNullValuesPresentMethod(),
                        // guava-testlib 33.5+: setValue on an entry-set iterator's entry; entries are
                        // immutable snapshots here too (see CobTreeMapGuavaTest)
                        MapEntrySetTester.getIteratorSetValueAndRemove())
                .createTestSuite();
        return Stream.of(CobTreeMapGuavaTest.toDynamic(suite));
    }

    /** guava's sample entries with keys at 0, -1 and both extremes of the long range. */
    static final class Generator implements TestSortedMapGenerator<Long, String> {
        private final Supplier<LongObjectTree<String>> trees;

        Generator(Supplier<LongObjectTree<String>> trees) {
            this.trees = trees;
        }

        private static Map.Entry<Long, String> e(long k, String v) {
            return new AbstractMap.SimpleImmutableEntry<>(k, v);
        }

        @Override
        public SampleElements<Map.Entry<Long, String>> samples() {
            return new SampleElements<>(e(1L << 40, "a"), e(-1L, "b"), e(0L, "c"), e(7L, "d"), e(Long.MAX_VALUE - 2, "e"));
        }

        @Override public Map.Entry<Long, String> belowSamplesLesser() { return e(Long.MIN_VALUE, "w"); }
        @Override public Map.Entry<Long, String> belowSamplesGreater() { return e(Long.MIN_VALUE + 1, "x"); }
        @Override public Map.Entry<Long, String> aboveSamplesLesser() { return e(Long.MAX_VALUE - 1, "y"); }
        @Override public Map.Entry<Long, String> aboveSamplesGreater() { return e(Long.MAX_VALUE, "z"); }

        @Override
        @SuppressWarnings("unchecked")
        public SortedMap<Long, String> create(Object... entries) {
            LongObjectTreeMap<String> map = trees.get().asMap();
            for (Object o : entries) {
                Map.Entry<Long, String> e = (Map.Entry<Long, String>) o;
                map.put(e.getKey(), e.getValue());
            }
            return map;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<Long, String>[] createArray(int length) {
            return new Map.Entry[length];
        }

        @Override
        public Iterable<Map.Entry<Long, String>> order(List<Map.Entry<Long, String>> insertionOrder) {
            List<Map.Entry<Long, String>> sorted = new ArrayList<>(insertionOrder);
            sorted.sort(Map.Entry.comparingByKey());
            return sorted;
        }

        @Override public Long[] createKeyArray(int length) { return new Long[length]; }
        @Override public String[] createValueArray(int length) { return new String[length]; }
    }
}
