package dev.cobtree.core;

/**
 * The read protocol, written once: every reader of segment contents (point lookups, navigation,
 * counts, positions, cursor steps) walks with one of these.
 *
 * <h2>One snapshot (docs/CONCURRENCY.md, lemma "segment snapshot")</h2>
 * {@link #open()} loads the seqlock word of the current segment with acquire semantics; if the
 * storage was replaced (INVALID) it reports so (the caller restarts the walk in the published
 * storage); while a writer holds the segment (WRITING) it backs off. Then it loads the fences
 * and the clamped count. The caller reads the cells it needs ({@link #st}, {@link #base},
 * {@link #n}); {@link #valid()} fences and re-reads the word, and only a valid snapshot may be
 * used. {@link #route(long)} then says whether the key is left of, right of or inside the
 * validated fences (the vEB tree is only a hint, the fences decide: invariant F); the walk
 * {@link #step steps} to the neighbour until the key is home.
 *
 * <h2>Several segments at one instant (lemma "multi-segment snapshot")</h2>
 * A read that uses snapshots of several segments (ceiling passes empty segments; a count sums
 * segments) {@link #pass() records} the validated word of each segment it has used, and after
 * its last snapshot {@link #confirm() confirms} them all: one acquire fence, then one re-read of
 * each recorded word. If none changed, every recorded segment held its snapshot from its first
 * load to its re-read, and the last snapshot held from its load to its validation, which comes
 * before every re-read: the intervals share the instant of the last snapshot's validation, so
 * the answer is the one the map had then. (Because all snapshots come from one storage, this
 * holds even if that storage was replaced meanwhile: a frozen storage's contents are the map's
 * contents at the instant it was replaced, which lies inside the call.) On any change the walk
 * restarts from its first key; a restart costs one more walk and happens only when a writer
 * changed a segment the answer depends on.
 *
 * <h2>When optimism does not pay: readers under a busy writer</h2>
 * Every walk counts its waits for a writer and its failed validations and confirmations. At
 * {@link #ASK_TURN_AFTER} it asks the writers of the segment it is reading for a turn
 * ({@link SegmentHeaders#askTurn(int)}): their next lock waits until the walk's snapshot validates
 * (or the turn's deadline passes), so the reader reads between two writes instead of failing
 * against each ("Reader turns", docs/CONCURRENCY.md). A walk started with {@link #givingUp()}
 * (point lookups, ceiling, floor) that still reaches {@link #CONTENDED} gives up: {@link #open()}
 * returns false with {@link #contended()} true and the caller reads under the segments' locks
 * ({@link LockedReads}; docs/CONCURRENCY.md, "Readers under a busy writer"), so a writer that
 * never pauses cannot starve it. Other walks never give up.
 *
 * <h2>Why the callers keep their own loops</h2>
 * Each caller reads different cells inside the validated window and the JIT must see those
 * loads between {@link #open()} and {@link #valid()} in program order, so the loop stays in
 * the caller and calls these small methods (they inline); the protocol's decisions (what to do
 * on INVALID and WRITING, how to validate, how to route, how to confirm) live only here. Not
 * thread-safe: one walk per thread ({@link #get()}) or per cursor.
 */
final class ReadWalk {

    private static final ThreadLocal<ReadWalk> PER_THREAD = ThreadLocal.withInitial(ReadWalk::new);

    /** The calling thread's walk (no allocation after the first call). */
    static ReadWalk get() {
        return PER_THREAD.get();
    }

    TreeEngine engine;
    /** The storage and segment of the current snapshot. */
    Storage st;
    int s;
    /** The snapshot: seqlock word, fences, whether s is the last segment, clamped count, first cell. */
    long v1;
    long lo;
    long hi;
    boolean last;
    int n;
    long base;
    private int spins;
    /**
     * Waits for a writer and failed validations in this walk; a caller that set
     * {@link #giveUpAfter} stops its optimistic walk once they reach it ({@link #contended()}).
     */
    private int retries;
    private int giveUpAfter = Integer.MAX_VALUE;

    /**
     * Waits and failed validations after which a point lookup, ceiling or floor stops retrying
     * optimistically and reads under locks instead ({@link LockedReads}): far above what a
     * reader meets when writers only pass by, reached when one writes its segment without pause.
     */
    static final int CONTENDED = 64;
    /**
     * Waits and failed validations after which a walk asks the writers of the segment it is
     * reading for a turn ({@link SegmentHeaders#askTurn(int)}): about one write's length of spinning,
     * so a reader that meets a writer once only waits for it, and one that keeps meeting writers
     * is let in between two writes.
     */
    static final int ASK_TURN_AFTER = 8;
    /** The storage and segment where this walk holds a reader's turn; null when it holds none. */
    private Storage turnStorage;
    private int turnSegment;
    /** The value a {@link Navigator#lookup} found. */
    long foundValue;
    /** The reference of the entry {@link Navigator#lookup} found (object-valued trees). */
    Object foundRef;

    /** Recorded (segment, word) pairs of the snapshots used so far; grown on demand, never shrunk. */
    private int[] passedSegment = new int[16];
    private long[] passedWord = new long[16];
    private int passed;

    /** Starts a walk at the home segment of {@code key} in the published storage. */
    ReadWalk start(TreeEngine e, long key) {
        engine = e;
        st = e.storage();
        s = st.index.find(key);
        passed = 0;
        spins = 0;
        retries = 0;
        giveUpAfter = Integer.MAX_VALUE;
        return this;
    }

    /** Starts a walk at segment {@code s0} of {@code st0}, which the caller knows (a cursor's hint). */
    ReadWalk startAt(TreeEngine e, Storage st0, int s0) {
        engine = e;
        st = st0;
        s = s0;
        passed = 0;
        spins = 0;
        retries = 0;
        giveUpAfter = Integer.MAX_VALUE;
        return this;
    }

    /** Lets {@link #open()} give up (return false with {@link #contended()} true) after {@link #CONTENDED} retries. */
    ReadWalk givingUp() {
        giveUpAfter = CONTENDED;
        return this;
    }

    /** Whether the walk met {@link #CONTENDED} waits and failed validations and was told to give up ({@link #givingUp}). */
    boolean contended() {
        return retries >= giveUpAfter;
    }

    /**
     * Ends the walk: forgets the storage and engine, so that an idle thread's (or cursor's) walk
     * never keeps a retired storage and its cells reachable. Returns {@code result} for brevity.
     */
    boolean finish(boolean result) {
        endTurn();
        st = null;
        engine = null;
        return result;
    }

    /** Starts again at the home segment of {@code key} in the published storage, forgetting what was passed. */
    void restart(long key) {
        endTurn();
        st = engine.storage();
        s = st.index.find(key);
        passed = 0;
    }

    /**
     * Opens a snapshot of segment {@link #s}: false if the storage was replaced (the caller
     * restarts with {@link #restart(long)}), or if a walk told to give up ({@link #givingUp})
     * has met {@link #CONTENDED} retries ({@link #contended()}: the caller reads under locks);
     * waits while a writer holds the segment.
     */
    boolean open() {
        SegmentHeaders h = st.headers;
        for (;;) {
            long v = h.seqAcquire(s); // acquire: fences, count and cells are loaded after it
            if ((v & SegmentHeaders.INVALID) != 0) {
                endTurn();
                return false;
            }
            if ((v & SegmentHeaders.WRITING) != 0) {
                engine.counters.readerRetries.increment(); // rare: a writer holds the segment
                if (++retries >= giveUpAfter) {
                    endTurn();
                    return false; // the caller reads under locks instead (contended())
                }
                if (retries >= ASK_TURN_AFTER) {
                    askTurn(); // renewed while it waits: another reader may have ended it
                }
                spins = Backoff.spin(spins);
                continue;
            }
            v1 = v;
            lo = h.lo(s);
            hi = h.hi(s);
            last = h.isLast(s);
            n = st.clampCount(h.count(s));
            base = st.base(s);
            return true;
        }
    }

    /** Whether nothing changed segment s since {@link #open()}: the acquire fence and re-read of the word. */
    boolean valid() {
        if (st.headers.validate(s, v1)) {
            endTurn();
            return true;
        }
        engine.counters.readerRetries.increment(); // rare: a writer changed the segment under the snapshot
        if (++retries >= ASK_TURN_AFTER) {
            askTurn();
        }
        return false;
    }

    /** Asks the writers of the current segment to let this walk read it (see {@link #ASK_TURN_AFTER}). */
    private void askTurn() {
        if (turnStorage != null && (turnStorage != st || turnSegment != s)) {
            endTurn(); // a walk holds one turn at a time
        }
        st.headers.askTurn(s);
        turnStorage = st;
        turnSegment = s;
    }

    /** Gives back the turn this walk holds, if any (free when it holds none: the common case). */
    private void endTurn() {
        if (turnStorage != null) {
            turnStorage.headers.endTurn(turnSegment);
            turnStorage = null;
        }
    }

    /** For a validated snapshot: -1 if {@code key} lies left of segment s, +1 if right of it, 0 if s is its home. */
    int route(long key) {
        if (key < lo) {
            return -1;
        }
        return key >= hi && !last ? 1 : 0;
    }

    /** Moves the walk to the neighbour segment in direction {@code dir} (-1 or +1). */
    void step(int dir) {
        s += dir;
    }

    /** Records the current (validated) snapshot as one the answer depends on. */
    void pass() {
        if (passed == passedSegment.length) {
            passedSegment = java.util.Arrays.copyOf(passedSegment, passed * 2);
            passedWord = java.util.Arrays.copyOf(passedWord, passed * 2);
        }
        passedSegment[passed] = s;
        passedWord[passed] = v1;
        passed++;
    }

    /** Number of recorded snapshots. */
    int passed() {
        return passed;
    }

    /** Segment of the i-th recorded snapshot (recording order). */
    int passedSegment(int i) {
        return passedSegment[i];
    }

    /** Word of the i-th recorded snapshot. */
    long passedWord(int i) {
        return passedWord[i];
    }

    /**
     * Whether every recorded snapshot still holds (see the class comment): one acquire fence
     * keeps every earlier load above the re-reads, which need only be atomic (opaque). Free when
     * nothing was recorded, which is the common case (the answer was in the first segment).
     */
    boolean confirm() {
        if (passed == 0) {
            return true;
        }
        SegmentHeaders h = st.headers;
        for (int i = 0; i < passed; i++) {
            if (!h.validate(passedSegment[i], passedWord[i])) {
                retries++;
                return false;
            }
        }
        return true;
    }
}
