package REPL;

/**
 * Stands for a notebook cell in tests: {@code descent.Interrupts} finds a cell's thread by a stack frame in package
 * {@code REPL}, where JShell compiles snippets. {@link #start} runs a thread that spins inside this class until
 * {@link #finish} or a force-stop ends it.
 */
public final class FakeCell {
    private static volatile boolean finished;

    private FakeCell() {
    }

    /** Starts the fake cell and returns once its thread is inside it. */
    public static Thread start() throws InterruptedException {
        finished = false;
        Thread t = new Thread(FakeCell::spin, "fake-cell");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> { });     // a force-stop ends it with ThreadDeath: expected
        t.start();
        while (!descent.Interrupts.cellRunning()) {
            Thread.sleep(5);
        }
        return t;
    }

    private static void spin() {
        while (!finished) {
            Thread.onSpinWait();
        }
    }

    /** Lets the fake cell end by itself. */
    public static void finish() {
        finished = true;
    }
}
