package dev.cobtree.core;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * The keys of a {@link CobTreeMap} or of one of its views, as a {@link NavigableSet} backed by
 * the map: removals write through, additions are unsupported, sub-sets are the key sets of the
 * corresponding sub-maps. Queries go through the owning map (so that they honour its range);
 * iteration runs a {@link ViewIterator} over the same range.
 */
final class CobTreeKeySet extends AbstractSet<Long> implements NavigableSet<Long> {
    private final ConcurrentNavigableMap<Long, ?> map;
    private final CobTree tree;
    private final KeyRange range;

    CobTreeKeySet(ConcurrentNavigableMap<Long, ?> map, CobTree tree, KeyRange range) {
        this.map = map;
        this.tree = tree;
        this.range = range;
    }

    @Override public int size() { return map.size(); }
    @Override public boolean isEmpty() { return map.isEmpty(); }
    @Override public boolean contains(Object o) { return map.containsKey(o); }
    @Override public boolean remove(Object o) { return map.remove(o) != null; }
    @Override public void clear() { map.clear(); }

    @Override public Long lower(Long e) { return map.lowerKey(e); }
    @Override public Long floor(Long e) { return map.floorKey(e); }
    @Override public Long ceiling(Long e) { return map.ceilingKey(e); }
    @Override public Long higher(Long e) { return map.higherKey(e); }
    @Override public Comparator<? super Long> comparator() { return map.comparator(); }
    @Override public Long first() { return map.firstKey(); }
    @Override public Long last() { return map.lastKey(); }

    @Override
    public Long pollFirst() {
        Map.Entry<Long, ?> e = map.pollFirstEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public Long pollLast() {
        Map.Entry<Long, ?> e = map.pollLastEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public Iterator<Long> iterator() {
        return new ViewIterator.Keys(tree, range);
    }

    @Override
    public Iterator<Long> descendingIterator() {
        return new ViewIterator.Keys(tree, range.reversed());
    }

    @Override
    public NavigableSet<Long> descendingSet() {
        return map.descendingMap().navigableKeySet();
    }

    @Override
    public NavigableSet<Long> subSet(Long fromElement, boolean fromInclusive, Long toElement, boolean toInclusive) {
        return map.subMap(fromElement, fromInclusive, toElement, toInclusive).navigableKeySet();
    }

    @Override
    public NavigableSet<Long> headSet(Long toElement, boolean inclusive) {
        return map.headMap(toElement, inclusive).navigableKeySet();
    }

    @Override
    public NavigableSet<Long> tailSet(Long fromElement, boolean inclusive) {
        return map.tailMap(fromElement, inclusive).navigableKeySet();
    }

    @Override
    public NavigableSet<Long> subSet(Long fromElement, Long toElement) {
        return subSet(fromElement, true, toElement, false);
    }

    @Override
    public NavigableSet<Long> headSet(Long toElement) {
        return headSet(toElement, false);
    }

    @Override
    public NavigableSet<Long> tailSet(Long fromElement) {
        return tailSet(fromElement, true);
    }

    @Override
    public Spliterator<Long> spliterator() {
        return ViewIterator.spliterator(iterator(), Spliterator.DISTINCT | Spliterator.SORTED, comparator());
    }
}
