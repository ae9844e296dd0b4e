package descent.notebooks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kernel answers kernel_info on every start. rapaio 3.0.1's channel threads can end before they run (see
 * descent.kernel.KernelMain); before the repair about one start in four hung here, so 12 starts without a hang
 * is a regression test for it (tools/probes/kernel_start_probe.py dumps the threads of any start that hangs).
 */
class KernelStartTest {
    @Test
    void everyKernelStartAnswersKernelInfo() throws Exception {
        var r = NotebookRunner.exec(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("tools/probes/kernel_start_probe.py").toString(), "12"), "smoke", 600);
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("12 starts: 0 hung"), r.output());
    }
}
