package descent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notebook's stop button, as something a training loop can check.
 *
 * <p>Inside the Descent kernel, pressing stop (Jupyter's "interrupt") sends the kernel process SIGINT. The handler
 * installed by {@link #installSigintHandler()} then
 * <ul>
 *   <li>sets a flag that {@link #requested()} reports, which Descent's loops check at every batch boundary, so a
 *   training run stops between two steps with its model intact; and</li>
 *   <li>interrupts the thread running the cell ({@link Thread#interrupt()}), which ends {@code Thread.sleep} and
 *   blocking waits with an {@link InterruptedException}.</li>
 * </ul>
 * A loop that checks neither (a bare {@code while (true) {}}) cannot be stopped from outside the JVM; restart the
 * kernel then.
 *
 * <pre>{@code
 * Interrupts.clear();
 * for (int step = 0; step < steps; step++) {
 *     if (Interrupts.requested()) { System.out.println("stopped at step " + step); break; }
 *     ...
 * }
 * }</pre>
 */
public final class Interrupts {
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile boolean installed;

    private Interrupts() {
    }

    /** True when stop was pressed since the last {@link #clear()} (or the current thread was interrupted). */
    public static boolean requested() {
        return REQUESTED.get() || Thread.currentThread().isInterrupted();
    }

    /** Forgets an earlier stop request (and the current thread's interrupt flag): call before a new run. */
    public static void clear() {
        REQUESTED.set(false);
        Thread.interrupted();
    }

    /** Records a stop request, as the stop button does (also usable from code and tests). */
    public static void request() {
        REQUESTED.set(true);
        COUNT.incrementAndGet();
    }

    /** How many stop requests arrived since the kernel started. */
    public static long count() {
        return COUNT.get();
    }

    /** Whether the SIGINT handler is installed in this JVM. */
    public static boolean sigintHandlerInstalled() {
        return installed;
    }

    /**
     * Turns SIGINT into a stop request plus an interrupt of the threads running notebook cells, instead of the
     * JVM's default (exit). Called by the Descent kernel at start-up; harmless to call twice.
     */
    public static synchronized void installSigintHandler() {
        if (installed) {
            return;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
            request();
            interruptCellThreads();
        });
        installed = true;
    }

    /** Interrupts every thread whose stack is inside a JShell snippet (JShell compiles cells into package REPL). */
    static int interruptCellThreads() {
        int n = 0;
        for (var entry : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : entry.getValue()) {
                if (frame.getClassName().startsWith("REPL.")) {
                    entry.getKey().interrupt();
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
