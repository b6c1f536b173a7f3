package dev.cobtree.query;

import dev.cobtree.core.LongLongConsumer;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * Turns the row ids a range scan delivers (as entry values, in key order, so in no useful
 * row-id order) into a {@link RoaringBitmap} at close to scan speed, in memory bounded by the
 * answer's size.
 *
 * <p>Adding ids one by one in random order costs a container search and, in array containers,
 * an insertion shift per id (~30-60 ns). Instead the first {@value #SAMPLE} ids are buffered and
 * sorted, and the number of distinct 64K-blocks (Roaring containers) among them decides:
 * <ul>
 *   <li><b>dense</b> (at most {@value #DENSE_PAGES} blocks in the sample, so on average 64 or
 *       more ids per block): every id is set in a plain {@code long[1024]} bit page per block,
 *       a single OR per id; at the end each page becomes one container, appended in block order
 *       (a page with 4,096 ids or fewer becomes an array container, as Roaring itself would
 *       build it).</li>
 *   <li><b>sparse</b>: ids are buffered, each full buffer sorted and added with one
 *       {@link RoaringBitmap#addN} (sorted input keeps addN on one container at a time).</li>
 * </ul>
 * <b>Memory.</b> A page costs 8 KiB whatever it holds, and the sample says nothing about the
 * ids after it (4,096 ids in one block, then one id in each of 65,535 others would take 512 MiB
 * of pages for a 70,000-id answer). So a page beyond the first {@value #DENSE_PAGES} is taken only
 * while the pages hold at least {@value #MIN_IDS_PER_PAGE} ids each on average; the id that
 * would break that turns the pages into containers of a {@code RoaringBitmap} (appended in block
 * order) and the rest goes the sparse way. Pages thus never take more than
 * {@code max(512 KiB, 32 bytes per id)}, and the bitmap is what Roaring builds from the same ids.
 *
 * <p>Results of fewer than {@value #SAMPLE} ids take the sparse path once. Duplicate ids are fine
 * (a row may carry several keys of one index). Not thread-safe; one per query.
 */
final class RowIdCollector implements LongLongConsumer {

    static final int SAMPLE = 4096;
    static final int DENSE_PAGES = 64;
    static final int MIN_IDS_PER_PAGE = 256;
    private static final int PAGE_WORDS = 1024; // 65,536 bits: one Roaring container

    private final int[] buffer = new int[SAMPLE];
    private int buffered;
    private boolean decided;
    private long[][] pages; // non-null in dense mode, indexed by the id's high 16 bits
    private int maxPage = -1;
    private int pageCount;
    private long denseIds;  // ids set in pages (duplicates included)
    private RoaringBitmap sparse;
    private long expected;  // ids the caller expects (a planner estimate), or 0

    RowIdCollector() {
    }

    /**
     * A collector told to expect about {@code expectedIds} ids: when that is at least
     * {@value #SAMPLE}, it starts in dense mode without sampling, and counts the expected ids
     * towards the page budget, so ids spread over many blocks (more than {@value #DENSE_PAGES})
     * still take one OR each while the pages would hold {@value #MIN_IDS_PER_PAGE} expected ids
     * each on average: pages then take at most 32 bytes per expected id.
     */
    RowIdCollector(long expectedIds) {
        if (expectedIds >= SAMPLE) {
            expected = expectedIds;
            decided = true;
            pages = new long[16][];
        }
    }

    @Override
    public void accept(long key, long rowId) {
        add((int) rowId);
    }

    void add(int id) {
        if (pages != null) {
            if (set(id)) return;
            sparse = pagesToBitmap(); // the pages got too empty: the rest goes the sparse way
            pages = null;
        }
        buffer[buffered++] = id;
        if (buffered == SAMPLE) flush();
    }

    private void flush() {
        Arrays.sort(buffer, 0, buffered); // signed order; only grouping by block matters here
        if (!decided) {
            decided = true;
            if (buffered == SAMPLE && distinctBlocks() <= DENSE_PAGES) {
                pages = new long[16][];
                for (int i = 0; i < buffered; i++) set(buffer[i]); // at most DENSE_PAGES pages: always set
                buffered = 0;
                return;
            }
            sparse = new RoaringBitmap();
        }
        sparse.addN(buffer, 0, buffered);
        buffered = 0;
    }

    private int distinctBlocks() {
        int blocks = 0;
        int last = 0;
        for (int i = 0; i < buffered; i++) {
            int block = buffer[i] >>> 16;
            if (i == 0 || block != last) blocks++;
            last = block;
        }
        return blocks;
    }

    /** Sets the id's bit in its block's page; false (nothing set) if that needs a page over the budget. */
    private boolean set(int id) {
        int block = id >>> 16;
        if (block >= pages.length) pages = Arrays.copyOf(pages, Math.max(block + 1, Math.min(1 << 16, 2 * pages.length)));
        long[] page = pages[block];
        if (page == null) {
            if (pageCount >= DENSE_PAGES && (long) pageCount * MIN_IDS_PER_PAGE > Math.max(denseIds, expected)) return false;
            page = pages[block] = new long[PAGE_WORDS];
            pageCount++;
            if (block > maxPage) maxPage = block;
        }
        page[(id & 0xFFFF) >>> 6] |= 1L << id; // shift uses the low 6 bits of id
        denseIds++;
        return true;
    }

    /** The bitmap of every id added. The collector must not be used afterwards. */
    RoaringBitmap finish() {
        if (pages != null) return pagesToBitmap();
        if (buffered > 0 || sparse == null) {
            if (sparse == null) {
                decided = true;
                sparse = new RoaringBitmap();
            }
            flush();
        }
        return sparse;
    }

    /** The pages as containers of a new bitmap, in block order. */
    private RoaringBitmap pagesToBitmap() {
        RoaringBitmap out = new RoaringBitmap();
        for (int block = 0; block <= maxPage; block++) {
            long[] page = pages[block];
            if (page == null) continue;
            // Cardinality -1 = "not yet counted": repairAfterLazy counts it and turns a page of
            // 4,096 ids or fewer into an array container (a full one into a run container).
            out.append((char) block, new BitmapContainer(page, -1).repairAfterLazy());
        }
        return out;
    }
}
