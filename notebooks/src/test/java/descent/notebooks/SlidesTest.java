package descent.notebooks;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./descent slides}: a reveal.js deck that works offline, made from a fixture lecture
 * ({@code fixtures/lecture/01-good.ipynb}: slide, subslide, fragment, notes and skip cells, inline and display
 * math). The deck has a section per slide and subslide cell, everything it loads is a file next to it, and in
 * headless Chromium with every non-file request refused ({@code notebooks/browser/slides_test.mjs}) reveal.js
 * starts with that many slides, MathJax typesets the formulas, and nothing is refused, missing or failing.
 * Skipped, saying why, where npm could not fetch reveal.js, MathJax and require.js ({@code ./descent test} fetches
 * them); the browser part also where Node.js, playwright-core or Chromium are missing (as {@link BrowserTest}).
 */
class SlidesTest {
    private static final Path NOTEBOOK = NotebookRunner.ROOT.resolve("notebooks/src/test/resources/fixtures/lecture/01-good.ipynb");
    /** The elements that load something, and the attribute that says from where. */
    private static final Pattern LOADS = Pattern.compile("<(script|link|img|iframe|source|video|audio|embed|object)\\b[^>]*?\\b(src|href|data)=\"([^\"]*)\"");

    @TempDir
    static Path out;
    static Path deck;
    static String html;

    @BeforeAll
    static void makeTheDeck() throws Exception {
        Path assets = NotebookRunner.ROOT.resolve("notebooks/slides/node_modules");
        String why = "reveal.js, MathJax and require.js are not installed in notebooks/slides (./descent test and "
                + "./descent slides fetch them with npm)";
        Assumptions.assumeTrue(Files.isDirectory(assets.resolve("reveal.js")) && Files.isDirectory(assets.resolve("mathjax"))
                && Files.isDirectory(assets.resolve("requirejs")), "skipped: " + why);
        var r = NotebookRunner.exec(List.of(NotebookRunner.ROOT.resolve("descent").toString(), "slides",
                NOTEBOOK.toString(), "--out", out.toString()), "smoke", 300);
        assertEquals(0, r.exitCode(), r.output());
        deck = out.resolve("01-good.slides.html");
        assertTrue(Files.isRegularFile(deck), "no deck " + deck + "\n" + r.output());
        html = Files.readString(deck);
    }

    @Test
    void oneSectionPerSlideAndSubslideCellFragmentsNotesAndNoSkippedCell() throws Exception {
        String notebook = Files.readString(NOTEBOOK);
        int slides = count(notebook, "\"slide_type\": \"slide\"");
        int subslides = count(notebook, "\"slide_type\": \"subslide\"");
        assertTrue(slides > 1 && subslides > 0, "the fixture has slides and subslides");
        // reveal.js's layout: each slide is a <section> holding its subslides' <section>s, the first one included
        int sections = count(html, "<section");
        int outer = count(html, "<section><section");
        assertEquals(slides, outer, "one top-level section per slide cell");
        assertEquals(slides + subslides, sections - outer, "one leaf section per slide or subslide cell");
        assertEquals(count(notebook, "\"slide_type\": \"fragment\""), count(html, "<div class=\"fragment\""));
        assertEquals(count(notebook, "\"slide_type\": \"notes\""), count(html, "<aside class=\"notes\""));
        assertFalse(html.contains("00-contents.ipynb"), "the navigation cells are skip cells: not in the deck");
    }

    @Test
    void everythingTheDeckLoadsIsAFileNextToIt() {
        List<String> loads = new ArrayList<>();
        Matcher m = LOADS.matcher(html);
        while (m.find()) {
            String url = m.group(3);
            loads.add(url);
            if (url.startsWith("data:") || url.startsWith("#")) {
                continue;
            }
            assertFalse(url.matches("^([a-zA-Z][a-zA-Z0-9+.-]*:|//).*"), "the deck loads " + url + " from outside its folder");
            Path file = out.resolve(url.replaceAll("[?#].*$", ""));
            assertTrue(Files.isRegularFile(file), "the deck loads " + url + ", which is not next to it: no " + file);
        }
        assertTrue(loads.containsAll(List.of("require.js", "reveal.js/dist/reveal.css",
                "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe", "reveal.js/dist/theme/white.css")), loads.toString());
        assertTrue(html.contains("\"reveal.js/dist/reveal.js\"") && Files.isRegularFile(out.resolve("reveal.js/dist/reveal.js")),
                "require.js loads reveal.js from the deck's folder");
        assertFalse(Pattern.compile("(@import|url\\()\\s*['\"]?(https?:)?//").matcher(html).find(), "no CSS import from the network");
    }

    @Test
    void inChromiumWithTheNetworkRefusedRevealStartsAndMathJaxTypesets() throws Exception {
        String why = BrowserTest.missing();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        var r = NotebookRunner.exec(List.of("node", NotebookRunner.ROOT.resolve("notebooks/browser/slides_test.mjs").toString(),
                "--chromium", BrowserTest.chromium(), deck.toString()), "smoke", 180);
        System.out.print(r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("slides: 5 passed, 0 failed"), r.output());
        int leaves = count(html, "<section") - count(html, "<section><section");
        assertTrue(r.output().contains("reveal.js initialized, " + leaves + " slides"), r.output());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }
}
