package descent.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lecture format ({@code notebooks/harness/lecture.py format}): navigation first and last, {@code ## Exercises}
 * with at least 3 numbered items and a coding exercise with its check and solution notebook, {@code ## References}
 * with links, {@code slideshow.slide_type} on every cell. Checked for every notebook in {@code notebooks/}, and on
 * two fixtures that show the checker passes a lecture-ready notebook and
 * names each problem of a broken one.
 */
class LectureFormatTest {
    private static final Path LECTURE = NotebookRunner.ROOT.resolve("notebooks/src/test/resources/fixtures/lecture");

    @TestFactory
    Stream<DynamicTest> everyNotebookIsLectureReady() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(NotebookRunner.ROOT.resolve("notebooks"))) {
            notebooks = files.filter(p -> p.getFileName().toString().matches("\\d\\d-.+\\.ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no NN-name.ipynb in notebooks/");
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            var r = NotebookRunner.lecture("format", nb);
            assertEquals(0, r.exitCode(), () -> nb.getFileName() + " is not lecture-ready:\n" + r.output());
        }));
    }

    /** {@code notebooks/harness/contents.py check}: 00's roadmap and the README's table list every notebook, with a
     * recorded run per profile, and are what {@code notebooks/contents.json} says. */
    @Test
    void theContentsTablesAreCurrent() throws Exception {
        var r = NotebookRunner.exec(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("notebooks/harness/contents.py").toString(), "check"), "smoke", 60);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void aLectureReadyNotebookPasses() throws Exception {
        var r = NotebookRunner.lecture("format", LECTURE.resolve("01-good.ipynb"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("01-good.ipynb  ok\nlecture format: 1 passed, 0 failed"), r.output());
    }

    @Test
    void aBrokenNotebookFailsNamingEachProblem() throws Exception {
        var r = NotebookRunner.lecture("format", LECTURE.resolve("02-broken.ipynb"));
        String o = r.output();
        assertEquals(1, r.exitCode(), o);
        List<String> expected = List.of(
                "the first cell is not a navigation cell: make it a markdown cell such as "
                        + "[← previous](01-good.ipynb) · [contents](00-contents.ipynb)",
                "the last cell links 03-missing.ipynb, which does not exist",
                "the last cell does not link the contents, 00-contents.ipynb",
                "'## Exercises' has 2 numbered items; at least 3 are needed (a quick one, one that changes code, an open question)",
                "'## Exercises' must be the last section but '## References'; after it: '## Summary'",
                "'## References' has no links",
                "cell 1 has no metadata.slideshow.slide_type",
                "cell 2 has slide_type 'bogus' (valid: slide, subslide, fragment, -, skip, notes)",
                "no cell is a slide (slide_type 'slide'): the deck would be one page",
                "cell 4 is tagged exercise but no cell tagged check follows it",
                "cell 6 checks exercise '07.1'; in 02-broken.ipynb ids start with '02.'",
                "cell 8 is tagged check but calls Exercise.named(\"...\") 0 times (once is right)",
                "no solution notebook solutions/02-broken.ipynb for its 2 check cells");
        for (String problem : expected) {
            assertTrue(o.contains("    " + problem + "\n"), "expected problem '" + problem + "' in:\n" + o);
        }
        long reported = o.lines().filter(line -> line.startsWith("    ")).count();
        assertEquals(expected.size(), reported, "each problem once, nothing else:\n" + o);
    }
}
