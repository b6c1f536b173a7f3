package dev.cobtree.core;

import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentNavigableMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@link LongObjectTree} and its map view: refused before anything changes, with a clear message. */
class LongObjectTreeBadInputTest {

    @Test
    void nullValuesAreRefused() {
        LongObjectTree<String> tree = new LongObjectTree<>();
        assertThrows(NullPointerException.class, () -> tree.put(1, null));
        assertThrows(NullPointerException.class, () -> tree.putIfAbsent(1, null));
        assertThrows(NullPointerException.class, () -> tree.replace(1, null));
        assertThrows(NullPointerException.class, () -> tree.replace(1, "a", null));
        assertThrows(NullPointerException.class, () -> tree.replace(1, null, "a"));
        assertThrows(NullPointerException.class, () -> tree.merge(1, null, (a, b) -> a));
        assertThrows(NullPointerException.class, () -> LongObjectTree.builder().buildFromSorted(new long[] {1, 2}, new String[] {"a", null}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> LongObjectTree.builder().buildFromSorted(new long[] {2, 1}, new String[] {"a", "b"}, 0, 2));
        assertFalse(tree.remove(1, null));
        assertEquals(0, tree.size());
        assertEquals(null, tree.computeIfAbsent(1, k -> null)); // a null result inserts nothing
        assertEquals(0, tree.size());
    }

    @Test
    void nullKeysAndValuesInTheView() {
        ConcurrentNavigableMap<Long, String> map = new LongObjectTree<String>().asMap();
        assertThrows(NullPointerException.class, () -> map.put(null, "a"));
        assertThrows(NullPointerException.class, () -> map.put(1L, null));
        assertThrows(NullPointerException.class, () -> map.get(null));
        assertThrows(NullPointerException.class, () -> map.ceilingKey(null));
        assertThrows(NullPointerException.class, () -> map.subMap(null, 3L));
        assertThrows(NullPointerException.class, () -> map.containsValue(null));
        assertThrows(IllegalArgumentException.class, () -> map.headMap(0L).put(5L, "a"));
        assertTrue(map.isEmpty());
    }

    @Test
    void closedTreeThrows() {
        LongObjectTree<String> tree = new LongObjectTree<>();
        tree.put(1, "a");
        tree.close();
        assertTrue(tree.isClosed());
        assertThrows(IllegalStateException.class, () -> tree.get(1));
        assertThrows(IllegalStateException.class, () -> tree.put(2, "b"));
        assertThrows(IllegalStateException.class, () -> tree.remove(1));
        assertThrows(IllegalStateException.class, tree::cursor);
        assertThrows(IllegalStateException.class, () -> tree.asMap().firstKey());
        tree.close(); // idempotent
    }

    @Test
    void objectValuesOffHeapAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LongObjectTree.builder().storage(new OffHeapCellStoreFactory()));
        assertTrue(e.getMessage().contains("object values need heap storage"), e.getMessage());
    }

    @Test
    void aLongValuedStoreRefusesReferences() {
        var store = new dev.cobtree.storage.HeapCellStore(8, 8);
        assertFalse(store.holdsReferences());
        assertThrows(UnsupportedOperationException.class, () -> store.refRelease(0, "a"));
    }
}
