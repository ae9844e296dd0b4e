package descent.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every notebook in {@code notebooks/}, executed headless in the smoke profile with the real Jupyter stack and
 * the real kernel. A notebook fails on any error output (naming notebook and cell), a dead kernel, its time
 * budget, or a tagged expectation (expect-image, expect-table, expect-error) that its outputs do not meet.
 * The numeric claims of a notebook are cells that throw when false, so they are checked here too.
 */
class NotebooksTest {
    /** Smoke budget per notebook, kernel start included: each notebook aims at 60 s; 150 s leaves room for a loaded CI machine. */
    static final int SMOKE_SECONDS = Integer.getInteger("descent.smoke.seconds", 150);

    @TestFactory
    Stream<DynamicTest> everyNotebookPassesInTheSmokeProfile() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(NotebookRunner.ROOT.resolve("notebooks"))) {
            notebooks = files.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks found in " + NotebookRunner.ROOT.resolve("notebooks"));
        Path out = NotebookRunner.ROOT.resolve("target/notebooks/smoke");
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            var result = NotebookRunner.run(nb, "smoke", SMOKE_SECONDS, out);
            System.out.print(result.output());
            assertEquals(0, result.exitCode(), () -> nb.getFileName() + " failed:\n" + result.output());
            assertTrue(result.output().contains("1 passed, 0 failed"), result.output());
        }));
    }
}
