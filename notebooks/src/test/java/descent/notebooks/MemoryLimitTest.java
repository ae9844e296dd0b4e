package descent.notebooks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kernel's memory limit holds (descent.kernel.MemoryGuard), through the real kernel and jupyter_client:
 * tools/probes/memory_probe.py starts the kernel with DESCENT_MEMORY_LIMIT=900m, keeps an array in one cell, then
 * runs a cell that allocates 64 MB arrays until it is stopped. That cell must fail with the guard's OutOfMemoryError
 * naming the limit and how to raise it, and the next cell must run and still see the first cell's array; three rounds
 * of the two in one kernel, since the next cell starts while the guard may still be deciding on a force-stop.
 */
class MemoryLimitTest {
    @Test
    void aCellPastTheLimitFailsWithAClearErrorAndTheNextCellRuns() throws Exception {
        var r = NotebookRunner.exec(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("tools/probes/memory_probe.py").toString(), "--check"), "smoke", 240);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("past its limit of 0.94 GB"), r.output());
        assertTrue(r.output().contains("keep sums to 10485760"), r.output());
        assertTrue(r.output().contains("memory limit: passed"), r.output());
    }
}
