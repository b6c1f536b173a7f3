package dev.cobtree.core;

import com.google.common.collect.testing.ConcurrentNavigableMapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.testers.MapEntrySetTester;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.cobtree.storage.OffHeapCellStoreFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * guava-testlib's generated conformance suite for {@link java.util.concurrent.ConcurrentNavigableMap}
 * (tens of thousands of tests: Map, SortedMap, NavigableMap, ConcurrentMap contracts, and the same
 * again on every derived view: sub/head/tail maps with each bound kind, descending maps, key sets
 * as NavigableSets with their own sub-sets, entry sets, values, and reserialized copies), run over
 * {@link CobTreeMap} as JUnit 5 dynamic tests.
 *
 * <p>Features are declared as guava declares them for ConcurrentSkipListMap, and the same testers
 * are suppressed as guava suppresses for it: the {@code Entry.setValue} ones, since entries are
 * immutable snapshots in both maps.
 */
class CobTreeMapGuavaTest {

    @TestFactory
    Stream<DynamicNode> defaultSegmentSize() {
        return suite("CobTreeMap", CobTree::new);
    }

    @TestFactory
    Stream<DynamicNode> segmentSize8() {
        return suite("CobTreeMap, segmentSize 8", () -> CobTree.builder().segmentSize(8).initialCapacity(0).build());
    }

    /** One off-heap factory for every map of the suite (its stores are freed when the JVM exits). */
    private static final OffHeapCellStoreFactory OFF_HEAP = new OffHeapCellStoreFactory();

    @TestFactory
    Stream<DynamicNode> offHeapStore() {
        return suite("CobTreeMap, off-heap store, segmentSize 8",
                () -> CobTree.builder().segmentSize(8).initialCapacity(0).storage(OFF_HEAP).build());
    }

    private static Stream<DynamicNode> suite(String name, Supplier<CobTree> trees) {
        TestSuite suite = ConcurrentNavigableMapTestSuiteBuilder.using(new Generator(trees))
                .named(name)
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.KNOWN_ORDER,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                .suppressing(
                        MapEntrySetTester.getSetValueMethod(),
                        MapEntrySetTester.getSetValueWithNullValuesAbsentMethod(),
                        MapEntrySetTester.getSetValueWithNullValuesPresentMethod(),
                        // new in guava-testlib 33.5+: setValue on an entry of the entry-set iterator;
                        // like ConcurrentSkipListMap's, our entries are immutable snapshots (setValue
                        // throws UnsupportedOperationException), suppressed with the three above
                        MapEntrySetTester.getIteratorSetValueAndRemove())
                .createTestSuite();
        return Stream.of(toDynamic(suite));
    }

    /** A JUnit 3 test tree as JUnit 5 dynamic containers and tests. */
    static DynamicNode toDynamic(junit.framework.Test test) {
        if (test instanceof TestSuite suite) {
            List<DynamicNode> children = new ArrayList<>();
            for (junit.framework.Test child : Collections.list(suite.tests())) {
                children.add(toDynamic(child));
            }
            return DynamicContainer.dynamicContainer(suite.getName(), children.stream());
        }
        TestCase testCase = (TestCase) test;
        return DynamicTest.dynamicTest(testCase.getName(), () -> {
            TestResult result = new TestResult();
            testCase.run(result);
            for (TestFailure f : Collections.list(result.errors())) {
                throw f.thrownException();
            }
            for (TestFailure f : Collections.list(result.failures())) {
                throw f.thrownException();
            }
        });
    }

    /**
     * guava's five sample entries (plus the four entries below and above them) as Longs: keys
     * include 0, -1 and both extremes of the long range, listed out of order; values include
     * the extremes too.
     */
    static final class Generator implements TestSortedMapGenerator<Long, Long> {
        private final Supplier<CobTree> trees;

        Generator(Supplier<CobTree> trees) {
            this.trees = trees;
        }

        private static Map.Entry<Long, Long> e(long k, long v) {
            return new AbstractMap.SimpleImmutableEntry<>(k, v);
        }

        @Override
        public SampleElements<Map.Entry<Long, Long>> samples() {
            return new SampleElements<>(
                    e(1L << 40, 42L),
                    e(-1L, Long.MIN_VALUE),
                    e(0L, -1L),
                    e(7L, Long.MAX_VALUE),
                    e(Long.MAX_VALUE - 2, 0L));
        }

        @Override public Map.Entry<Long, Long> belowSamplesLesser() { return e(Long.MIN_VALUE, 100L); }
        @Override public Map.Entry<Long, Long> belowSamplesGreater() { return e(Long.MIN_VALUE + 1, 101L); }
        @Override public Map.Entry<Long, Long> aboveSamplesLesser() { return e(Long.MAX_VALUE - 1, 102L); }
        @Override public Map.Entry<Long, Long> aboveSamplesGreater() { return e(Long.MAX_VALUE, 103L); }

        @Override
        @SuppressWarnings("unchecked")
        public SortedMap<Long, Long> create(Object... entries) {
            CobTreeMap map = new CobTreeMap(trees.get());
            for (Object o : entries) {
                Map.Entry<Long, Long> e = (Map.Entry<Long, Long>) o;
                map.put(e.getKey(), e.getValue());
            }
            return map;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<Long, Long>[] createArray(int length) {
            return new Map.Entry[length];
        }

        @Override
        public Iterable<Map.Entry<Long, Long>> order(List<Map.Entry<Long, Long>> insertionOrder) {
            List<Map.Entry<Long, Long>> sorted = new ArrayList<>(insertionOrder);
            sorted.sort(Map.Entry.comparingByKey());
            return sorted;
        }

        @Override public Long[] createKeyArray(int length) { return new Long[length]; }
        @Override public Long[] createValueArray(int length) { return new Long[length]; }
    }
}
