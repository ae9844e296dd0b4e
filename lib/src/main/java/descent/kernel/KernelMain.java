package descent.kernel;

import descent.Interrupts;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.message.MessageType;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * Starts the rapaio Java kernel (3.0.1) the way its own {@code MainApp} does, with the fixes that its kernelspec
 * cannot express. The Descent kernelspec runs this class.
 *
 * <ol>
 *   <li><b>No request is read before the handlers exist.</b> {@code Channels.connect} binds the sockets and
 *   starts the channel threads, and only then assigns a new, empty message-handler map and fills it. Jupyter
 *   connects (and queues its first {@code kernel_info_request}) before the kernel binds, so the shell thread reads
 *   that request at once, and when it looks the handler up in the moment between the assignment and the filling
 *   (or sees the map without proper publication) rapaio drops it ("Unhandled message: kernel_info_request"). The
 *   Notebook and Lab servers send it once and wait 60 s for the reply: in a browser one start in four took a
 *   minute. Channels read a message only inside their {@code synchronized readMessage()}; this class holds the
 *   shell and control channels' monitors while it connects and installs its own handlers, so the channel threads
 *   wait in {@code readMessage} and every request, early or not, is read after the handler map is complete (the
 *   monitor also publishes the map safely to those threads). Requests meanwhile wait in the sockets, in order.</li>
 *   <li><b>Channel threads that never run.</b> rapaio's {@code LoopThread.start()} calls {@code Thread.start()}
 *   and only then sets its {@code running} flag; when the new thread is scheduled first it reads {@code false}
 *   and ends at once (3 of 12 starts hung here, {@code tools/probes/kernel_start_probe.py}). After
 *   {@link Channels#connect} returns, every loop thread that has already ended is replaced by one that runs the
 *   same loop body, with its flag set before it starts.</li>
 *   <li><b>The stop button, by message.</b> rapaio answers {@code interrupt_request} on the shell socket instead
 *   of the control socket, overwrites the running cell's message id (its output then goes to the wrong cell),
 *   runs the cell's pending "idle" action early, and shuts JShell's executor down for good, so after one
 *   interrupt no cell runs. The Descent kernelspec uses {@code interrupt_mode: message}, and this class runs its
 *   own control-channel loop ({@link ControlLoop}): {@code interrupt_request} calls
 *   {@link Interrupts#stopRunningCell()} (a stop request that Descent's loops honour, plus an interrupt of the
 *   cell's thread) and is answered on the control socket; {@code shutdown_request} and {@code kernel_info_request}
 *   (which Jupyter Server 2 sends there) are answered there too. Until that loop takes over, rapaio's control
 *   thread finds no handlers, so it cannot overwrite the message id that the shell thread is replying under (which
 *   sent a browser's first kernel_info reply astray: the page then showed the kernel as "Unknown" forever). A
 *   message needs no signal, so the stop button works however Jupyter was started (a background job or a
 *   service manager starts it with SIGINT ignored, and the JVM then cannot install a SIGINT handler).</li>
 *   <li><b>SIGINT where it can.</b> {@link Interrupts#installSigintHandler()} still turns SIGINT into the same
 *   stop (for signal-mode kernelspecs and {@code kill -INT}); when SIGINT was ignored by the launcher, the kernel
 *   says so on stderr (the server log) and {@code Environment.table()} shows it.</li>
 *   <li><b>One cell's stop is not the next cell's.</b> Every {@code execute_request} first forgets an earlier
 *   stop request ({@link Interrupts#newCell()}).</li>
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
        long memoryLimit = MemoryGuard.configuredLimit();
        MemoryGuard.alignJavacppWith(memoryLimit);   // before anything loads JavaCPP, which reads it once
        if (System.getenv("DESCENT_MEMORY_WATCH") != null) {
            MemoryWatch.start(20);   // ./descent bench memory
        }
        MemoryGuard.start(memoryLimit);
        if (!Interrupts.installSigintHandler()) {
            System.err.println("descent kernel: SIGINT handler " + Interrupts.sigintStatus());
        }
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
        ControlLoop control = new ControlLoop(channels, MainApp.kernel);   // MainApp.kernel: JShell starts here
        Object shellChannel = read(channels, "shell");
        Object controlChannel = read(channels, "control");
        synchronized (shellChannel) {          // the channel threads cannot read a request until we leave
            synchronized (controlChannel) {
                channels.connect(MainApp.kernel);
                restartEndedLoopThreads(channels);
                installHandlers(channels);
            }
        }
        control.takeOver();
        Thread.sleep(100);                     // a loop thread that read its flag as false may still have been
        restartEndedLoopThreads(channels);     // finishing at the first look: look once more
        channels.joinUntilClose();
        System.exit(0);   // JShell's worker threads would keep a shut-down kernel alive for another minute
    }

    /**
     * Our handler map in place of rapaio's: execute forgets an earlier stop first, and rapaio's own control thread
     * finds no handler at all. That thread runs until {@link ControlLoop#takeOver()} stops it; a message it handled
     * would overwrite the shared message id of the request the shell thread is answering at that moment (at
     * start-up: the server's and the browser's kernel_info requests), and the shell's reply would go astray, so the
     * browser waited for a reply that never came. Seeing no handler, rapaio's control thread logs the message and
     * drops it without touching shared state; what it drops at start-up is a kernel_info that the server re-sends
     * every half second.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void installHandlers(Channels channels) throws ReflectiveOperationException {
        Map<MessageType<?>, MessageHandler> rapaio = (Map<MessageType<?>, MessageHandler>) read(channels, "handlers");
        Object control = read(channels, "control");
        Thread rapaioControlThread = (Thread) read(control, "loopThread");
        Map<MessageType<?>, MessageHandler> ours = new HashMap<>(rapaio) {
            @Override
            public MessageHandler get(Object type) {
                return Thread.currentThread() == rapaioControlThread ? null : super.get(type);
            }
        };
        MessageHandler execute = rapaio.get(MessageType.SHELL_EXECUTE_REQUEST);
        ours.put(MessageType.SHELL_EXECUTE_REQUEST, message -> {
            MemoryGuard.cellStarted();       // also Interrupts.newCell(), under the guard's lock
            execute.handle(message);
        });
        write(channels, "handlers", ours);
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
            LoopThread thread;
            try {
                thread = (LoopThread) read(channel, "loopThread");
            } catch (NoSuchFieldException e) {
                continue; // stdin and iopub have no loop thread
            }
            if (thread == null || thread.isAlive()) {
                continue;
            }
            startLoopThread(channel, thread.getName(), (Long) read(thread, "sleep"), (Runnable) read(thread, "loopBody"));
            restarted.add(channel.getClass().getSimpleName() + "/" + thread.getName());
        }
        if (!restarted.isEmpty() && System.getenv("DESCENT_KERNEL_TRACE") != null) {
            System.err.println("descent kernel: restarted channel threads that ended at start-up: " + restarted);
        }
        return restarted;
    }

    /**
     * Starts a channel loop thread running {@code body} and makes it the channel's {@code loopThread}; its
     * {@code running} flag is set before it starts (see the class comment, point 2).
     */
    static LoopThread startLoopThread(Object channel, String name, long sleepMillis, Runnable body)
            throws ReflectiveOperationException {
        LoopThread thread = new LoopThread(name, sleepMillis, body);
        write(thread, "running", true);
        write(channel, "loopThread", thread);
        thread.start();
        return thread;
    }

    /** A private field of {@code target}, declared by its class or a superclass. */
    static Object read(Object target, String fieldName) throws ReflectiveOperationException {
        return field(target, fieldName).get(target);
    }

    static void write(Object target, String fieldName, Object value) throws ReflectiveOperationException {
        field(target, fieldName).set(target, value);
    }

    private static Field field(Object target, String fieldName) throws NoSuchFieldException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(fieldName);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + fieldName);
    }
}
