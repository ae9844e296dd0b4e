package descent.kernel;

import descent.Interrupts;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
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
 *   <li><b>Start-up race.</b> {@code Channels.connect} starts the shell channel's thread, then spends seconds
 *   starting JShell, and only then creates its message-handler map. A {@code kernel_info_request} that arrives in
 *   between (Jupyter sends one every second until the kernel answers) hits a null map, the
 *   {@code NullPointerException} kills the shell thread, and the kernel never answers: measured here, 4 of 12
 *   starts hung on a loaded 2-core machine. Giving {@code Channels} an empty map before it connects turns those early
 *   requests into logged, dropped messages; Jupyter's next retry is answered.</li>
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
        channels.joinUntilClose();
    }
}
