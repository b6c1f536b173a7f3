package dev.cobtree.query.codec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import static dev.cobtree.query.codec.CodecProperties.check;
import static dev.cobtree.query.codec.CodecProperties.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StringCodecsTest {

    /** Empty, NULs, ASCII, two- and three-byte chars, surrogate pairs, and U+E000..U+FFFF above them. */
    static final List<String> EDGES = List.of("", "\u0000", "\u0000\u0000", "a", "a\u0000", "a\u0000b", "ab", "abcdefgh",
            "abcdefghi", "abcdefgg\uffff", "\u007f", "\u0080", "\u07ff", "\u0800", "\ud7ff", "\ud800", "\ud83d\ude00",
            "\ud83d\ude00x", "\udbff\udfff", "\udfff", "\ue000", "\uffff", "\uffff\uffff\uffff", "Zürich", "Zurich", "Москва");

    static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> b.append((char) ('a' + r.nextInt(4)));           // few letters: long shared prefixes
                case 2 -> b.append((char) r.nextInt(0x80));
                case 3 -> b.append((char) r.nextInt(0x800));
                case 4 -> b.appendCodePoint(0x10000 + r.nextInt(0x100000));   // a surrogate pair
                default -> b.append((char) r.nextInt(0x10000));                // any char, lone surrogates too
            }
        }
        return b.toString();
    }

    @AfterAll
    static void report() {
        System.out.println("StringCodecsTest: " + CodecProperties.casesRun + " property cases checked (cumulative in this JVM)");
    }

    @Test
    void prefixKeepsCompareToOrder() {
        KeyCodec<String> c = KeyCodecs.stringPrefix();
        assertFalse(c.isExact());
        check(c, EDGES, StringCodecsTest::randomString, Comparator.naturalOrder(), String::equals, random("prefixKeepsCompareToOrder"));
        assertEquals(Long.MIN_VALUE, c.encode(""));
        assertTrue(c.encode("\ud83d\ude00") < c.encode("\ue000"), "UTF-16 order: a surrogate pair sorts below U+E000");
        assertEquals(c.encode("abcdefgh"), c.encode("abcdefghi"), "equal 8-byte prefixes collide");
        assertTrue(c.encode("abcdefg") < c.encode("abcdefgh"));
    }

    @Test
    void dictionaryIsExactAndOrdered() {
        Random rnd = random("dictionaryIsExactAndOrdered");
        OrderedDictionary<String> d = OrderedDictionary.of(List.of("m", "c", "x"));
        check(d, EDGES, r -> "" + (char) ('a' + r.nextInt(26)) + r.nextInt(100),
                Comparator.naturalOrder(), String::equals, rnd);
        assertTrue(d.size() > EDGES.size());
        assertThrows(IllegalArgumentException.class, () -> d.decode(Long.MAX_VALUE));
        assertEquals(d.encode("c"), d.ceilingCode("c", true));
        assertTrue(d.ceilingCode("c", false) > d.encode("c") && d.floorCode("c", false) < d.encode("c"));
        assertEquals(Long.MAX_VALUE, d.ceilingCode("\uffff\uffff\uffff\uffff", true));
        assertEquals(Long.MIN_VALUE, d.floorCode("", false));
    }

    @Test
    void dictionaryGapRunsOutWithAClearError() {
        OrderedDictionary<String> d = OrderedDictionary.of(List.of("a", "b"));
        StringBuilder s = new StringBuilder("a");
        int inserted = 0;
        IllegalStateException e = null;
        while (e == null && inserted < 200) {
            s.append('a');                                  // always just above the last, below "b"
            try {
                d.encode(s.toString());
                inserted++;
            } catch (IllegalStateException ex) {
                e = ex;
            }
        }
        assertTrue(e != null && inserted >= 55, "inserted " + inserted);
        assertTrue(e.getMessage().contains(s.toString()) && e.getMessage().contains("rebuild"), e.getMessage());
        long before = d.size();
        assertThrows(IllegalStateException.class, () -> d.encode(s.toString()));
        assertEquals(before, d.size());
        OrderedDictionary<String> appended = OrderedDictionary.create();
        for (int i = 0; i < 10_000; i++) {
            appended.encode(String.format("%08d", i));           // ascending appends: END_STEP apart
        }
        assertEquals(10_000, appended.size());
    }

    @Test
    void dictionaryUnderConcurrentEncoders() throws Exception {
        OrderedDictionary<String> d = OrderedDictionary.create();
        ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 20_000; i++) {
                        String v = "city" + r.nextInt(2_000);
                        long code = d.encode(v);
                        Long prev = seen.putIfAbsent(v, code);
                        if (prev != null && prev != code) {
                            throw new AssertionError(v + " got two codes " + prev + ", " + code);
                        }
                        if (!d.decode(code).equals(v)) {
                            throw new AssertionError(code + " does not decode to " + v);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        List<String> sorted = new ArrayList<>(seen.keySet());
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(seen.get(sorted.get(i - 1)) < seen.get(sorted.get(i)));
        }
        assertEquals(sorted.size(), d.size());
    }
}
