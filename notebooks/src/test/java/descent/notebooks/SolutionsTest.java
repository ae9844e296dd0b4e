package descent.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Exercises and their solutions ({@code descent.check.Exercise}; the tags are described in
 * {@code notebooks/harness/nbrun.py}). Every solution notebook {@code notebooks/solutions/NN-name.ipynb} carries its
 * lecture's check cells word for word ({@code harness/lecture.py solution}) and runs, smoke profile, with every
 * check printing {@code "<id> correct"}. That each check rejects the untouched starter is proved where the lecture
 * itself runs, in {@link NotebooksTest}: nbrun requires a check that follows a cell tagged exercise to raise
 * {@code Exercise.NotYet}. The fixtures test the mechanism itself.
 */
class SolutionsTest {
    private static final Path FIXTURES = NotebookRunner.ROOT.resolve("notebooks/src/test/resources/fixtures");

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everySolutionCarriesItsLecturesChecksAndPassesThem() throws IOException {
        Path solutions = NotebookRunner.ROOT.resolve("notebooks/solutions");
        if (!Files.isDirectory(solutions)) {
            return Stream.empty();
        }
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(solutions)) {
            notebooks = files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        Path smoke = NotebookRunner.ROOT.resolve("target/notebooks/smoke");
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest("solutions/" + nb.getFileName(), () -> {
            var match = NotebookRunner.lecture("solution", nb);
            assertEquals(0, match.exitCode(), () -> "solutions/" + nb.getFileName() + ":\n" + match.output());
            var result = NotebookRunner.run(nb, "smoke", NotebooksTest.SMOKE_SECONDS, smoke);
            System.out.print(result.output());
            assertEquals(0, result.exitCode(), () -> "solutions/" + nb.getFileName() + " failed:\n" + result.output());
            assertTrue(result.output().contains("1 passed, 0 failed"), result.output());
        }));
    }

    @Test
    void theStarterIsRejectedAndTheSolutionAcceptedByTheSameCheck() throws Exception {
        Path lecture = FIXTURES.resolve("lecture/01-good.ipynb");
        Path solution = FIXTURES.resolve("lecture/solutions/01-good.ipynb");
        var match = NotebookRunner.lecture("solution", solution);
        assertEquals(0, match.exitCode(), match.output());
        var r = NotebookRunner.run(List.of(lecture, solution), "smoke", 120, out);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("exercises: 01.1 starter rejected\n"), r.output());
        assertTrue(r.output().contains("exercises: 01.1 correct\n"), r.output());
        assertTrue(r.output().contains("2 passed, 0 failed"), r.output());
        String starter = Files.readString(out.resolve("01-good.ipynb"));
        assertTrue(starter.contains("01.1 not yet:\\n  - cube(2) = 0.0 is not right yet. Hint: multiply x by itself three times"),
                "the learner sees what is wrong and the hint:\n" + starter);
        assertTrue(Files.isRegularFile(out.resolve("solutions/01-good.ipynb")), "the solution's executed copy has its own folder");
    }

    @Test
    void everyWayACheckCanBeWrongFailsTheRunNamingTheCell() throws Exception {
        var r = NotebookRunner.run(FIXTURES.resolve("checks.ipynb"), "smoke", 120, out);
        String o = r.output();
        assertEquals(1, r.exitCode(), o);
        assertTrue(o.contains("exercises: 9.1 accepted the starter, cell 6 raised another error, 9.3 rejected the solution, "
                + "cell 10 printed no verdict"), o);
        assertTrue(o.contains("cell 2 (code cell 2: Exercise.named(\"9.0\")") && o.contains(
                "is tagged check but no cell tagged exercise or solution comes before it"), o);
        assertTrue(o.contains("accepted the untouched starter in cell 3: a check must reject the starter with "
                + "descent.check.Exercise$NotYet (printed: '9.1 correct')"), o);
        assertTrue(o.contains("checks the untouched starter in cell 5 and raised an error other than "
                + "descent.check.Exercise$NotYet:") && o.contains("java.lang.NullPointerException"), o);
        assertTrue(o.contains("rejected the solution in cell 7:") && o.contains("twice = 3 is not right yet. Hint: double 3"), o);
        assertTrue(o.contains("cell 10 (code cell 10: System.out.println(\"looks fine\");) checks the solution in cell 9 "
                + "but printed no '<id> correct' line"), o);
    }

    @Test
    void aSolutionMustCarryItsLecturesChecksWordForWord() throws Exception {
        var r = NotebookRunner.lecture("solution", FIXTURES.resolve("pairing/solutions/03-mismatch.ipynb"),
                FIXTURES.resolve("lecture/solutions/01-good.ipynb"));
        String o = r.output();
        assertEquals(1, r.exitCode(), o);
        assertTrue(o.contains("03-mismatch.ipynb  failed\n"), o);
        assertTrue(o.contains("no check for exercise 03.2 (03-mismatch.ipynb checks it in cell 5)"), o);
        assertTrue(o.contains("cell 6 checks exercise 03.9, which 03-mismatch.ipynb does not check"), o);
        assertTrue(o.contains("cell 4, the check for 03.1, differs from 03-mismatch.ipynb's (cell 3): a solution must "
                + "pass the very check the learner runs"), o);
        assertTrue(o.contains("cell 2 is a check with no cell tagged solution before it"), o);
        assertTrue(o.contains("cell 5 is tagged exercise: in a solution notebook the solved cell is tagged solution"), o);
        assertTrue(o.contains("01-good.ipynb  ok\n"), o);
        assertTrue(o.contains("lecture solution: 1 passed, 1 failed"), o);
    }
}
