package descent.kernel;

import descent.Interrupts;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.ControlShutdownReply;
import org.rapaio.jupyter.kernel.message.messages.ControlShutdownRequest;
import org.rapaio.org.zeromq.ZMQ;

import java.util.logging.Logger;

/**
 * The kernel's control channel, run by Descent instead of rapaio (see {@link KernelMain}, point 3). It answers
 * {@code interrupt_request}, {@code shutdown_request} and {@code kernel_info_request} (which Jupyter Server 2 sends
 * on the control channel) on the control socket itself and leaves rapaio's shared
 * state alone (the running cell's message id and its pending after-actions belong to the shell thread).
 */
final class ControlLoop {
    private static final Logger LOGGER = Logger.getLogger(ControlLoop.class.getSimpleName());
    private static final long LOOP_SLEEP_MILLIS = 20;

    private final Channels channels;
    private final AbstractChannel control;
    private final RapaioKernel kernel;

    ControlLoop(Channels channels, RapaioKernel kernel) throws ReflectiveOperationException {
        this.channels = channels;
        this.control = (AbstractChannel) KernelMain.read(channels, "control");
        this.kernel = kernel;
    }

    /** Stops rapaio's control thread and starts ours on the same socket. */
    void takeOver() throws ReflectiveOperationException, InterruptedException {
        LoopThread old = (LoopThread) KernelMain.read(control, "loopThread");
        old.shutdown();
        old.join();
        ZMQ.Context ctx = (ZMQ.Context) KernelMain.read(control, "ctx");
        ZMQ.Socket socket = (ZMQ.Socket) KernelMain.read(control, "socket");
        ZMQ.Poller[] poller = new ZMQ.Poller[1];   // made on our thread, which alone uses the socket from now on
        KernelMain.startLoopThread(control, "Control-descent", LOOP_SLEEP_MILLIS, () -> {
            if (poller[0] == null) {
                poller[0] = ctx.poller(1);
                poller[0].register(socket, ZMQ.Poller.POLLIN);
            }
            if (poller[0].poll(0) > 0) {
                try {
                    Message<?> message = control.readMessage();
                    if (message != null) {
                        handle(message);
                    }
                } catch (RuntimeException e) {
                    LOGGER.severe("control channel: " + e);
                }
            }
        });
    }

    /** Handles one control message; replies go to the control socket, addressed to the message's sender. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void handle(Message<?> message) {
        MessageType<?> type = message.header().type();
        if (type == MessageType.CONTROL_INTERRUPT_REQUEST) {
            String what = Interrupts.stopRunningCell();
            control.sendMessage(new Message<>(message.getId(), MessageType.CONTROL_INTERRUPT_REPLY,
                    new ControlInterruptReply()));
            if (what.startsWith("second") || System.getenv("DESCENT_KERNEL_TRACE") != null) {
                System.err.println("descent kernel: interrupt_request: " + what);
            }
        } else if (type == MessageType.CONTROL_SHUTDOWN_REQUEST) {
            boolean restart = ((ControlShutdownRequest) message.content()).restart();
            Interrupts.stopRunningCell();
            kernel.onShutdown();
            control.sendMessage(new Message<>(message.getId(), MessageType.CONTROL_SHUTDOWN_REPLY,
                    restart ? ControlShutdownReply.SHUTDOWN_AND_RESTART : ControlShutdownReply.SHUTDOWN));
            channels.markForShutdown();
            channels.close();
        } else if (type == MessageType.SHELL_KERNEL_INFO_REQUEST) {
            // Jupyter Server 2 (Lab 4, Notebook 7) asks on the control channel too; rapaio answered on the shell one.
            control.sendMessage(new Message(message.getId(), MessageType.SHELL_KERNEL_INFO_REPLY, kernelInfo()));
        } else {
            LOGGER.warning("control channel: unhandled message " + type.name());
        }
    }

    private Object kernelInfo() {
        try {
            var method = RapaioKernel.class.getDeclaredMethod("kernelInfo");
            method.setAccessible(true);
            return method.invoke(kernel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("rapaio kernel: no kernelInfo()", e);
        }
    }
}
