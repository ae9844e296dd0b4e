package descent.notebooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The harness itself: it must fail, and say where, whenever a notebook is broken. */
class HarnessTest {
    @TempDir
    Path out;

    private static Path fixture(String name) {
        return NotebookRunner.ROOT.resolve("notebooks/src/test/resources/fixtures/" + name);
    }

    @Test
    void aCellThatThrowsFailsTheRunNamingNotebookCellAndException() throws Exception {
        var r = NotebookRunner.run(fixture("throws.ipynb"), "smoke", 120, out);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("throws.ipynb  failed"), r.output());
        assertTrue(r.output().contains("cell 3 (code cell 2"), r.output());
        assertTrue(r.output().contains("IllegalStateException") && r.output().contains("this claim is false"), r.output());
        assertFalse(r.output().contains("never reached"), "cells after the failing one do not run");
    }

    @Test
    void aDeadKernelFailsTheRunNamingTheCell() throws Exception {
        var r = NotebookRunner.run(fixture("dies.ipynb"), "smoke", 120, out);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("the kernel died during cell 2"), r.output());
    }

    @Test
    void taggedExpectationsAreChecked() throws Exception {
        var r = NotebookRunner.run(fixture("expectations.ipynb"), "smoke", 120, out);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("cell 1 (code cell 1: System.out.println(\"not a picture\");) is tagged expect-image but shows no image/png output"), r.output());
        assertTrue(r.output().contains("cell 2 (code cell 2: 42) is tagged expect-table but shows no HTML table"), r.output());
        assertTrue(r.output().contains("cell 3 (code cell 3: int ok = 1;) is tagged expect-error but raised nothing"), r.output());
    }

    @Test
    void aPassingNotebookShowsItsImageAndTableAndMayExpectAnError() throws Exception {
        var r = NotebookRunner.run(fixture("passes.ipynb"), "smoke", 120, out);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("passes.ipynb  ok"), r.output());
        assertTrue(out.resolve("passes.ipynb").toFile().isFile(), "executed copy written");
        assertTrue(out.resolve("passes.html").toFile().isFile(), "HTML written");
    }

    @Test
    void theNotebookBudgetIsEnforced() throws Exception {
        var r = NotebookRunner.run(fixture("slow.ipynb"), "smoke", 8, out);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("timed out"), r.output());
    }

    @Test
    void executeRefusesUnknownNotebooksAndProfilesNamingTheValidOnes() throws Exception {
        String descent = NotebookRunner.ROOT.resolve("descent").toString();
        var r = NotebookRunner.exec(List.of(descent, "execute", "no-such-notebook"), "smoke", 60);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("no notebook 'no-such-notebook'") && r.output().contains("00-welcome.ipynb"), r.output());
        var p = NotebookRunner.exec(List.of(descent, "execute", "--profile", "huge"), "smoke", 60);
        assertNotEquals(0, p.exitCode());
        assertTrue(p.output().contains("unknown profile 'huge'") && p.output().contains("smoke default full"), p.output());
    }
}
