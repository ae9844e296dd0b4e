package descent.kernel;

import descent.Interrupts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The kernel's memory limit, enforced: a daemon thread reads the kernel's resident memory (RSS, what a container
 * counts against its limit) every 50 ms; when a running cell has pushed it past the limit, the cell is stopped with a
 * message that names the limit and how to raise it, before the container's out-of-memory killer ends the whole
 * kernel (on Binder: "Kernel died", every variable lost).
 *
 * <p>Why a watchdog: ND4J's arrays live outside the Java heap and outside the bytes JavaCPP counts (see
 * {@link MemoryWatch}), so neither {@code -Xmx} nor JavaCPP's {@code maxbytes} limits them; the resident set is the one
 * number that covers everything.
 *
 * <p>What happens on a trip: the message goes to the cell's output (stderr), a stop is requested with the memory as
 * its reason ({@link Interrupts#requestForMemory}: the next optimizer step or trainer batch throws
 * {@link Interrupts.MemoryLimitExceeded}, an {@link OutOfMemoryError}), the cell's thread is interrupted and, if it is
 * still running 250 ms later (a loop of ND4J calls checks nothing), force-stopped; then a garbage collection releases
 * the arrays the cell held. Only a cell that grew the memory by more than 64 MB since it started is stopped, so a cell
 * that frees memory ({@code big = null;}) still runs when earlier cells left the kernel above the limit.
 *
 * <p>Garbage first: ND4J's native buffers go back only when a garbage collection finds their Java objects dead, and
 * with a small heap a full collection comes mostly when something forces one. So from {@link #collectionStart} (256 MB
 * below the limit) on, the guard forces a collection whenever the resident set has grown by another
 * {@link #COLLECTION_STEP}, and once more before it stops a cell: a cell is stopped for what it holds, not for its
 * garbage. JavaCPP's own threshold ({@link #alignJavacppWith}) sits 256 MB above the limit, so the guard's message
 * comes first.
 *
 * <p>The limit: {@code DESCENT_MEMORY_LIMIT} (environment) or {@code -Ddescent.memoryLimit} (JVM option, e.g. in
 * {@code DESCENT_KERNEL_OPTS}), in bytes or with a k/m/g suffix; {@code 0} turns the guard off. Without either, the
 * memory the container allows (cgroup limit, else the machine's memory) less 512 MB for Jupyter's server: 1.5 GB on
 * Binder's 2 GB, and no obstacle to a full run on a workstation.
 */
public final class MemoryGuard {

    static final long GROWTH_BEFORE_STOP = 64L << 20;
    private static volatile long limitBytes;
    private static volatile long cellStartRss;
    private static volatile boolean trippedThisCell;
    private static volatile Thread watcher;
    private static volatile long collections;
    /** Guards {@link #cellNumber}: a stop decided for one cell never reaches the next (see {@link #trip}). */
    private static final Object CELL_LOCK = new Object();
    private static volatile long cellNumber;

    private MemoryGuard() {
    }

    /** Left for the rest of the container (Jupyter's server, the browser's websocket buffers) by the automatic limit. */
    static final long RESERVE = 512L << 20;

    /**
     * The limit in bytes (0 = none): DESCENT_MEMORY_LIMIT, else -Ddescent.memoryLimit, else automatic: the memory
     * this process may use (the container's cgroup limit, or the machine's memory when there is none) less 512 MB for
     * the rest of the container; on Binder's 2 GB that is 1.5 GB.
     */
    public static long configuredLimit() {
        String v = System.getenv("DESCENT_MEMORY_LIMIT");
        if (v == null || v.isBlank()) {
            v = System.getProperty("descent.memoryLimit");
        }
        if (v != null && !v.isBlank()) {
            return parseBytes(v);
        }
        long available = availableBytes();
        return available <= 0 ? 0 : Math.max(256L << 20, available - RESERVE);
    }

    /** min(cgroup memory limit, physical memory) in bytes; 0 when neither can be read. */
    static long availableBytes() {
        long physical = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    physical = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            physical = 0;
        }
        long cgroup = 0;
        for (String f : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String t = Files.readString(Path.of(f)).trim();
                if (!t.equals("max")) {
                    long c = Long.parseLong(t);
                    if (c > 0 && c < (1L << 50)) {      // v1 reports "no limit" as a huge number
                        cgroup = c;
                    }
                }
                break;
            } catch (IOException | RuntimeException e) {
                // try the next layout
            }
        }
        if (physical == 0) {
            return cgroup;
        }
        return cgroup == 0 ? physical : Math.min(cgroup, physical);
    }

    /** JavaCPP's system property: the resident set at which it forces a garbage collection before allocating. */
    static final String JAVACPP_MAX_PHYSICAL = "org.bytedeco.javacpp.maxphysicalbytes";

    /** The guard collects garbage from this far below its limit on, and JavaCPP's own threshold is this far above. */
    static final long HEADROOM = 256L << 20;

    /** After a collection, the next one waits until the resident set has grown by this much. */
    static final long COLLECTION_STEP = 128L << 20;

    /**
     * Where the guard starts collecting garbage under a limit of {@code limit} bytes: 256 MB below it (at least
     * 128 MB). Why: ND4J's native buffers go back only when the collector finds their Java objects dead, and with a
     * small heap a full collection comes mostly when something forces one, so without it the resident set climbs
     * towards the limit whatever a notebook really holds (notebook 10's {@code default} run peaked at 1.7 GB, where
     * Binder's guard stops a cell at 1.5 GB). From this point on the guard forces a collection whenever the resident
     * set has grown by another {@link #COLLECTION_STEP}, and once more before it stops a cell.
     */
    static long collectionStart(long limit) {
        return Math.max(128L << 20, limit - HEADROOM);
    }

    /**
     * JavaCPP's {@code maxphysicalbytes} (its last resort: a forced collection, then an {@link OutOfMemoryError}
     * without advice) for a guard limit of {@code limit} bytes: 256 MB above it, so that the guard's clear message
     * comes first; 0 (JavaCPP's own default) when the guard is off.
     */
    static long javacppThreshold(long limit) {
        return limit <= 0 ? 0 : limit + HEADROOM;
    }

    /**
     * Sets JavaCPP's {@code maxphysicalbytes} to {@link #javacppThreshold} of {@code limit}, unless the JVM's options
     * set it already (then they win); it must run before ND4J or JavaCPP is loaded, which read it once. Returns the
     * value set, or 0 when it left the property alone.
     */
    static long alignJavacppWith(long limit) {
        if (System.getProperty(JAVACPP_MAX_PHYSICAL) != null
                || System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") != null) {
            return 0;
        }
        long threshold = javacppThreshold(limit);
        if (threshold > 0) {
            System.setProperty(JAVACPP_MAX_PHYSICAL, Long.toString(threshold));
        }
        return threshold;
    }

    /** Forces a collection and gives the deallocator threads a moment; returns the resident set after it. */
    private static long collect() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        collections++;
        return rssBytes();
    }

    /** Collections the guard has forced so far. */
    public static long collections() {
        return collections;
    }

    /** "1536m", "2g", "900000000" to bytes. */
    static long parseBytes(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("descent.memoryLimit / DESCENT_MEMORY_LIMIT: '" + v
                    + "' is not a size (bytes, or a number with k, m or g, e.g. 1536m)");
        }
    }

    /** Starts watching with {@code limit} bytes (once; 0 does nothing). */
    public static synchronized void start(long limit) {
        if (limit <= 0 || watcher != null) {
            return;
        }
        limitBytes = limit;
        watcher = new Thread(MemoryGuard::watch, "descent-memory-guard");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * The kernel calls this when a cell starts, before the cell runs: it forgets the previous cell's stop request
     * ({@link Interrupts#newCell}) and counts the cell, under the lock the guard holds while it stops a cell, so a
     * stop meant for a cell that has just ended cannot land in this one.
     */
    public static void cellStarted() {
        synchronized (CELL_LOCK) {
            Interrupts.newCell();
            cellNumber++;
            cellStartRss = rssBytes();
            trippedThisCell = false;
        }
    }

    /** How many cells have started (the guard's name for the running cell). */
    static long cellNumber() {
        return cellNumber;
    }

    /** The limit in force, in bytes (0 when the guard is off). */
    public static long limit() {
        return watcher == null ? 0 : limitBytes;
    }

    private static void watch() {
        long start = collectionStart(limitBytes);
        long nextCollection = start;
        while (true) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            long cell = cellNumber;
            long rss = rssBytes();
            boolean overLimit = rss > limitBytes && !trippedThisCell && rss - cellStartRss > GROWTH_BEFORE_STOP
                    && Interrupts.cellRunning();
            // garbage is not a reason to stop: collect before the decision (and from `start` on, per step of growth)
            if (overLimit || rss > nextCollection) {
                rss = collect();
                nextCollection = Math.max(start, rss + COLLECTION_STEP);
            } else if (rss + 2 * COLLECTION_STEP < nextCollection) {
                nextCollection = Math.max(start, rss + COLLECTION_STEP);    // memory went back: follow it down
            }
            if (overLimit && rss > limitBytes && rss - cellStartRss > GROWTH_BEFORE_STOP && Interrupts.cellRunning()) {
                trip(rss, cell);
            }
        }
    }

    /**
     * Stops cell number {@code cell}: the message and a stop request, then, if that same cell still runs 250 ms later,
     * a force-stop. Each step happens only while {@code cell} is still the running cell, checked under the lock
     * {@link #cellStarted} takes: a cell that ended in the meantime (the usual case: the interrupt or the
     * {@link Interrupts.MemoryLimitExceeded} ended it) lets the next one run untouched. Before this check a fast
     * "run all" could see its next cell force-stopped, possibly inside one of ND4J's class initializers, which then
     * failed for the rest of the kernel's life.
     */
    private static void trip(long rss, long cell) {
        String message = String.format(Locale.ROOT, "OutOfMemoryError: this cell pushed the kernel's memory (resident "
                + "set) to %.2f GB, past its limit of %.2f GB, so it was stopped; the kernel keeps running and the "
                + "variables of earlier cells are kept. Free arrays you no longer need (set them to null), work in "
                + "smaller pieces, or raise the limit where the machine has the memory: DESCENT_MEMORY_LIMIT=3g "
                + "./descent lab (or -Ddescent.memoryLimit=3g in DESCENT_KERNEL_OPTS).", rss / 1e9, limitBytes / 1e9);
        synchronized (CELL_LOCK) {
            if (cellNumber != cell) {
                return;
            }
            trippedThisCell = true;
            System.err.println(message);
            System.err.flush();
            Interrupts.requestForMemory(message);
        }
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            return;
        }
        forceStopIfStillRunning(cell);
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
    }

    /**
     * Force-stops the running cell if it is still cell number {@code cell}; returns what it did, or null when
     * another cell has started since (then nothing is stopped) or no cell runs.
     */
    static String forceStopIfStillRunning(long cell) {
        synchronized (CELL_LOCK) {
            if (cellNumber != cell || !Interrupts.cellRunning()) {
                return null;
            }
            String done = Interrupts.forceStopCell();
            System.err.println(done);
            return done;
        }
    }

    /** The resident set of this process in bytes (/proc/self/statm), or 0 where unavailable. */
    public static long rssBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
