package descent.notebooks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Jupyter's stop button, through the real kernel (tools/probes/interrupt_probe.py sends interrupt_request the way
 * the notebook UI does, 3 s into a running cell). The Descent kernelspec uses signal mode and
 * descent.kernel.KernelMain's SIGINT handler; with it, a cell sleeping in Thread.sleep and a loop that checks
 * descent.Interrupts both stop, the kernel returns to idle, and the next cell's output arrives.
 * (What it cannot stop, a loop that never checks, is listed in the README and in the probe's output.)
 */
class InterruptTest {
    @Test
    void stopButtonEndsSleepingCellsAndLoopsThatCheckAndTheKernelStaysUsable() throws Exception {
        var r = NotebookRunner.exec(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("tools/probes/interrupt_probe.py").toString(), "--check",
                "Thread.sleep loop", "loop checking descent.Interrupts"), "smoke", 240);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("stopped cleanly after batch"), r.output());
        assertTrue(r.output().contains("sleep interrupted"), r.output());
        assertTrue(r.output().contains("interrupt: 2 passed, 0 failed"), r.output());
    }
}
