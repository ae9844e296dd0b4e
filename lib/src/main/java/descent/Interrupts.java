package descent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notebook's stop button, as something a training loop can check.
 *
 * <p>Pressing stop (Jupyter's "interrupt") reaches the Descent kernel as an {@code interrupt_request} message on
 * its control channel (kernelspec {@code interrupt_mode: message}; see {@code descent.kernel.KernelMain}), or as
 * SIGINT where a kernelspec in signal mode is used. Both end in {@link #stopRunningCell()}, which
 * <ul>
 *   <li>sets a flag that {@link #requested()} reports: the Trainer stops between two batches with its model intact,
 *   and every {@code descent.optim} optimizer refuses its next step ({@link #throwIfRequested()}), so a notebook's
 *   own training loop stops too; and</li>
 *   <li>interrupts the thread running the cell ({@link Thread#interrupt()}), which ends {@code Thread.sleep} and
 *   blocking waits with an {@link InterruptedException}.</li>
 * </ul>
 * The kernel forgets the request when the next cell starts ({@link #newCell()}). A loop that checks neither (a
 * bare {@code while (true) {}}, a loop of ND4J calls) is force-stopped by a second press of the stop button, on
 * Java 17 to 19 (see {@link #stopRunningCell()}); on later Java versions restart the kernel then.
 *
 * <pre>{@code
 * for (int step = 0; step < steps; step++) {
 *     if (Interrupts.requested()) { System.out.println("stopped at step " + step); break; }
 *     ...
 * }
 * }</pre>
 */
public final class Interrupts {
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile String sigintStatus = "not installed (outside the Descent kernel)";
    private static long lastRequestNanos;   // guarded by the class lock (stopRunningCell)

    private Interrupts() {
    }

    /** Thrown by {@link #throwIfRequested()}: the stop button was pressed while a loop was running. */
    public static final class StopRequested extends RuntimeException {
        public StopRequested(String where) {
            super("stopped by the stop button (" + where + "); the values are those after the last completed step");
        }
    }

    /**
     * Thrown instead of {@link StopRequested} when the kernel's memory guard stopped the cell
     * ({@link descent.kernel.MemoryGuard}): an {@link OutOfMemoryError} whose message names the limit and how to
     * raise it.
     */
    public static final class MemoryLimitExceeded extends OutOfMemoryError {
        public MemoryLimitExceeded(String message) {
            super(message);
        }
    }

    private static volatile String memoryReason;

    /** A stop request because the kernel's memory passed its limit; {@link #throwIfRequested} then throws OOM. */
    public static void requestForMemory(String message) {
        memoryReason = message;
        request();
        interruptCellThreads();
    }

    /** Throws {@link MemoryLimitExceeded} if the memory guard stopped the running cell. */
    public static void throwIfMemoryLimit() {
        String m = memoryReason;
        if (m != null && REQUESTED.get()) {
            throw new MemoryLimitExceeded(m);
        }
    }

    /** Whether a notebook cell is running now (a thread inside a JShell snippet). */
    public static boolean cellRunning() {
        return !cellThreads().isEmpty();
    }

    /** True when stop was pressed since the last {@link #clear()} (or the current thread was interrupted). */
    public static boolean requested() {
        return REQUESTED.get() || Thread.currentThread().isInterrupted();
    }

    /** Throws {@link StopRequested} naming {@code where} when {@link #requested()}; a loop's cheap check. */
    public static void throwIfRequested(String where) {
        throwIfMemoryLimit();
        if (requested()) {
            throw new StopRequested(where);
        }
    }

    /** Forgets an earlier stop request (and the current thread's interrupt flag): call before a new run. */
    public static void clear() {
        REQUESTED.set(false);
        memoryReason = null;
        Thread.interrupted();
    }

    /** Forgets an earlier stop request; the kernel calls this when a cell starts (the cell's thread is not ours). */
    public static void newCell() {
        REQUESTED.set(false);
        memoryReason = null;
    }

    /** Records a stop request, as the stop button does (also usable from code and tests). */
    public static void request() {
        REQUESTED.set(true);
        COUNT.incrementAndGet();
    }

    /**
     * What the stop button does: a stop request plus an interrupt of the threads running notebook cells. Pressed
     * again more than a second later while the same cell still runs (a loop that checks nothing, or one busy in
     * ND4J calls), it force-stops those threads ({@link Thread#stop()}, which Java 17 to 19 still offer: the cell
     * ends with {@code ThreadDeath} wherever it is, so anything it was building may be half done). Returns a line
     * saying what it did.
     */
    public static synchronized String stopRunningCell() {
        long now = System.nanoTime();
        boolean again = REQUESTED.get() && now - lastRequestNanos > 1_000_000_000L;
        request();
        lastRequestNanos = now;
        if (!again) {
            return "stop requested, " + interruptCellThreads() + " cell thread(s) interrupted";
        }
        return forceStopCell();
    }

    /** Force-stops the running cell's threads (as a second press of the stop button); returns what it did. */
    @SuppressWarnings({"removal", "deprecation"})
    public static synchronized String forceStopCell() {
        int stopped = 0;
        for (Thread t : cellThreads()) {
            try {
                t.stop();
                stopped++;
            } catch (UnsupportedOperationException e) {
                return "second stop: this Java (" + Runtime.version().feature() + ") cannot force-stop a thread; "
                        + "restart the kernel to end the cell";
            }
        }
        return "second stop: " + stopped + " cell thread(s) force-stopped";
    }

    /** How many stop requests arrived since the kernel started. */
    public static long count() {
        return COUNT.get();
    }

    /** Whether the SIGINT handler is installed in this JVM. */
    public static boolean sigintHandlerInstalled() {
        return "installed".equals(sigintStatus);
    }

    /** One line on the SIGINT handler: installed, or why not (shown by {@link Environment#table()}). */
    public static String sigintStatus() {
        return sigintStatus;
    }

    /**
     * Turns SIGINT into {@link #stopRunningCell()} instead of the JVM's default (exit). Called by the Descent kernel
     * at start-up; harmless to call twice. Returns whether the handler is in place.
     *
     * <p>A process started with SIGINT ignored (a background job of a non-interactive shell, many service
     * managers) passes that on to its children, and the JVM then declines to install a handler for it without an
     * error: {@code Signal.handle} returns {@code SIG_IGN}. That case is detected and reported here, not hidden;
     * the Descent kernel's stop button does not depend on it (it uses the {@code interrupt_request} message).
     */
    public static synchronized boolean installSigintHandler() {
        if (sigintHandlerInstalled()) {
            return true;
        }
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("INT"),
                    signal -> System.err.println("descent kernel: SIGINT: " + stopRunningCell()));
            if (previous == sun.misc.SignalHandler.SIG_IGN || sigintIgnoredByLauncher()) {
                sigintStatus = "not installed: the process that started this kernel ignores SIGINT (SigIgn in "
                        + "/proc/self/status), which the JVM keeps; the stop button uses messages instead";
                return false;
            }
        } catch (IllegalArgumentException e) {
            sigintStatus = "not installed: " + e.getMessage();
            return false;
        }
        sigintStatus = "installed";
        return true;
    }

    /** Reads bit 2 (SIGINT) of SigIgn in /proc/self/status; false where there is no such file. */
    static boolean sigintIgnoredByLauncher() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (2 - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Interrupts every thread whose stack is inside a JShell snippet (JShell compiles cells into package REPL). */
    static int interruptCellThreads() {
        List<Thread> threads = cellThreads();
        threads.forEach(Thread::interrupt);
        return threads.size();
    }

    private static List<Thread> cellThreads() {
        List<Thread> threads = new ArrayList<>();
        for (var entry : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : entry.getValue()) {
                if (frame.getClassName().startsWith("REPL.")) {
                    threads.add(entry.getKey());
                    break;
                }
            }
        }
        return threads;
    }
}
