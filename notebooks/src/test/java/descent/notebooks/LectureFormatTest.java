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
 * with links, {@code slideshow.slide_type} on every cell. Checked for every notebook named in
 * {@code notebooks/lecture-ready.txt}, and on two fixtures that show the checker passes a lecture-ready notebook and
 * names each problem of a broken one.
 */
class LectureFormatTest {
    private static final Path LECTURE = NotebookRunner.ROOT.resolve("notebooks/src/test/resources/fixtures/lecture");

    @TestFactory
    Stream<DynamicTest> everyNotebookInLectureReadyTxtIsLectureReady() throws IOException {
        Path list = NotebookRunner.ROOT.resolve("notebooks/lecture-ready.txt");
        List<String> names = Files.readAllLines(list).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path nb = NotebookRunner.ROOT.resolve("notebooks").resolve(name.endsWith(".ipynb") ? name : name + ".ipynb");
            assertTrue(Files.isRegularFile(nb), "lecture-ready.txt names " + name + ", but there is no " + nb);
            var r = NotebookRunner.lecture("format", nb);
            assertEquals(0, r.exitCode(), () -> nb.getFileName() + " is not lecture-ready:\n" + r.output());
        }));
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
