package descent.plot;

import java.lang.reflect.Method;

/**
 * A display in the notebook that can be replaced in place, e.g. a training chart redrawn every epoch.
 *
 * <pre>{@code
 * Live live = Live.show(Plots.line("Loss", "epoch", "loss").series("train", x, y));
 * ...
 * live.update(newerChart);
 * }</pre>
 *
 * Inside the rapaio Java kernel this uses its {@code display} / {@code updateDisplay} calls (Jupyter's
 * {@code display_data} and {@code update_display_data} messages). Anywhere else (unit tests, a plain JVM) it
 * keeps the latest value and shows nothing, so the same code runs in both.
 */
public final class Live {
    private static final Method DISPLAY;
    private static final Method UPDATE;

    static {
        Method display = null;
        Method update = null;
        try {
            Class<?> global = Class.forName("org.rapaio.jupyter.kernel.global.Global");
            display = global.getMethod("display", Object.class);
            update = global.getMethod("updateDisplay", String.class, Object.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            // not inside the rapaio kernel
        }
        DISPLAY = display;
        UPDATE = update;
    }

    private final String id;
    private Object latest;

    private Live(String id, Object first) {
        this.id = id;
        this.latest = first;
    }

    /** True when running inside a kernel that can show and replace displays. */
    public static boolean inKernel() {
        return DISPLAY != null && kernelRunning();
    }

    private static boolean kernelRunning() {
        // Global exists on the kernel's classpath also in unit tests (compile scope 'provided'); only a running
        // kernel has an active display channel. The kernel starts with rapaio's MainApp on the command line, or
        // with Descent's launcher descent.kernel.KernelMain (the Descent kernelspec), which runs MainApp's kernel.
        String command = System.getProperty("sun.java.command", "");
        return command.contains("org.rapaio.jupyter.kernel") || command.startsWith("descent.kernel.KernelMain");
    }

    /** Shows {@code value} (a chart, table, text) and returns a handle that can replace it. */
    public static Live show(Object value) {
        if (!inKernel()) {
            return new Live(null, value);
        }
        try {
            return new Live((String) DISPLAY.invoke(null, value), value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the kernel refused to display " + value, e);
        }
    }

    /** Replaces the shown value. */
    public Live update(Object value) {
        latest = value;
        if (id != null) {
            try {
                UPDATE.invoke(null, id, value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the kernel refused to update display " + id, e);
            }
        }
        return this;
    }

    /** The value shown last. */
    public Object latest() {
        return latest;
    }
}
