package descent.notebooks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Jupyter's stop button, through the real kernel and jupyter_client (the nbclient launch mode; BrowserTest covers
 * the Notebook and Lab servers). tools/probes/interrupt_probe.py interrupts the way the notebook UI does, 3 s into
 * a running cell, and once more at 5 s if it still runs. The Descent kernelspec uses message mode, so that is an
 * interrupt_request on the control channel, handled by descent.kernel.ControlLoop: a cell sleeping in Thread.sleep
 * and a loop that checks descent.Interrupts stop at the first press; a bare busy loop and a loop of ND4J calls at
 * the second (force-stop); each time the kernel returns to idle and the next cell's output arrives.
 */
class InterruptTest {
    @Test
    void stopButtonEndsSleepingCellsAndLoopsThatCheckAndTheKernelStaysUsable() throws Exception {
        var r = NotebookRunner.exec(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("tools/probes/interrupt_probe.py").toString(), "--check",
                "Thread.sleep loop", "loop checking descent.Interrupts", "busy loop", "ND4J matmul loop"), "smoke", 300);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("stopped cleanly after batch"), r.output());
        assertTrue(r.output().contains("sleep interrupted"), r.output());
        assertTrue(r.output().contains("force-stopped"), r.output());
        assertTrue(r.output().contains("interrupt: 4 passed, 0 failed"), r.output());
    }
}
