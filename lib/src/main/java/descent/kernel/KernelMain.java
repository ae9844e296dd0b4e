package descent.kernel;

import descent.Interrupts;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.LogManager;

/**
 * Starts the rapaio Java kernel (3.0.1) the way its own {@code MainApp} does, with two fixes that its kernelspec
 * cannot express. The Descent kernelspec runs this class.
 *
 * <ol>
 *   <li><b>Handlers set late.</b> {@code Channels.connect} binds the sockets and starts the shell channel's
 *   thread, then spends seconds starting JShell, and only then creates its message-handler map. A
 *   {@code kernel_info_request} that arrives in between (Jupyter sends one every second until the kernel answers)
 *   would hit a null map, and the {@code NullPointerException} would end the shell thread. Giving {@code Channels}
 *   an empty map before it connects turns those early requests into logged, dropped messages; Jupyter's next
 *   retry is answered.</li>
 *   <li><b>Channel threads that never run.</b> rapaio's {@code LoopThread.start()} calls {@code Thread.start()}
 *   and only then sets its {@code running} flag; when the new thread is scheduled first it reads {@code false}
 *   and ends at once. If that happens to the shell channel's thread, the kernel never answers
 *   {@code kernel_info} ("Kernel didn't respond in 30 seconds"); if it happens to all three loop threads
 *   (heartbeat, shell, control) the JVM exits ("Kernel died before replying to kernel_info"). Measured here on an
 *   idle 2-core machine: 3 of 12 starts hung, each with the shell thread missing from the thread dump
 *   ({@code tools/probes/kernel_start_probe.py}). After {@link Channels#connect} returns, every loop thread that
 *   has already ended is replaced by one that runs the same loop body, with its flag set before it starts;
 *   requests sent meanwhile wait in the channel's socket and are answered then.</li>
 *   <li><b>Stop button.</b> With {@code interrupt_mode: message} the kernel neither interrupts the running cell
 *   nor answers it afterwards (see {@code tools/probes/interrupt_probe.py}). The Descent kernelspec uses
 *   {@code interrupt_mode: signal}, so Jupyter sends SIGINT; {@link Interrupts#installSigintHandler()} turns it into
 *   a stop request that Descent's training loops honour at a batch boundary, and a {@link Thread#interrupt()} of
 *   the cell's thread (which ends {@code Thread.sleep}, blocking waits and loops that check the flag).</li>
 * </ol>
 *
 * Any other arguments (e.g. {@code -i} for rapaio's installer) go to {@code MainApp} unchanged.
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            MainApp.main(args);
            return;
        }
        Interrupts.installSigintHandler();
        var logging = MainApp.class.getClassLoader().getResourceAsStream("logging.properties");
        if (logging != null) {
            LogManager.getLogManager().readConfiguration(logging);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file not found: " + connectionFile);
        }
        ConnectionProperties props = Transform.fromJson(Files.readString(connectionFile), ConnectionProperties.class);
        Channels channels = new Channels(props);
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new HashMap<>());
        channels.connect(MainApp.kernel);
        restartEndedLoopThreads(channels);
        channels.joinUntilClose();
    }

    /**
     * Replaces each channel loop thread that ended before its {@code running} flag was set (see the class comment).
     * Returns the names of the threads it restarted.
     */
    static java.util.List<String> restartEndedLoopThreads(Channels channels) throws ReflectiveOperationException {
        var restarted = new java.util.ArrayList<String>();
        for (Field channelField : Channels.class.getDeclaredFields()) {
            if (!AbstractChannel.class.isAssignableFrom(channelField.getType())) {
                continue;
            }
            channelField.setAccessible(true);
            Object channel = channelField.get(channels);
            Field threadField;
            try {
                threadField = channel.getClass().getDeclaredField("loopThread");
            } catch (NoSuchFieldException e) {
                continue; // stdin and iopub have no loop thread
            }
            threadField.setAccessible(true);
            LoopThread thread = (LoopThread) threadField.get(channel);
            if (thread == null || thread.isAlive()) {
                continue;
            }
            LoopThread replacement = new LoopThread(thread.getName(), (Long) read(thread, "sleep"),
                    (Runnable) read(thread, "loopBody"));
            Field running = LoopThread.class.getDeclaredField("running");
            running.setAccessible(true);
            running.setBoolean(replacement, true);
            threadField.set(channel, replacement);
            replacement.start();
            restarted.add(channel.getClass().getSimpleName() + "/" + thread.getName());
        }
        if (!restarted.isEmpty() && System.getenv("DESCENT_KERNEL_TRACE") != null) {
            System.err.println("descent kernel: restarted channel threads that ended at start-up: " + restarted);
        }
        return restarted;
    }

    private static Object read(Object target, String fieldName) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(fieldName);
        field.setAccessible(true);
        return field.get(target);
    }
}
