package descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.tune.TestFunctions;
import descent.tune.TestFunctions.Problem;
import descent.tune.Samplers;
import descent.tune.Study;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneBenchTest {

    @TempDir
    Path tmp;

    @Test
    void readsOptunasRegretsByFunctionAndSampler() throws Exception {
        Path tsv = tmp.resolve("o.tsv");
        Files.writeString(tsv, "function\tsampler\tseed\tbest\tregret\n"
                + "branin\tRandom\t0\t1.4\t1.0\nbranin\tRandom\t1\t3.4\t3.0\nbranin\tTPE\t0\t0.5\t0.1\n");
        Map<String, List<Double>> m = TuneBench.readOptuna(tsv);
        assertEquals(List.of(1.0, 3.0), m.get("branin\tRandom"));
        assertEquals(List.of(0.1), m.get("branin\tTPE"));
        Files.writeString(tsv, "function\tsampler\tbest\n");
        assertThrows(IllegalArgumentException.class, () -> TuneBench.readOptuna(tsv));
    }

    @Test
    void aRowHoldsTheMedianOfStudiesRunThroughThePublicApiAndTheRatioToItsTwin() {
        Map<String, List<Double>> optuna = Map.of("branin\tRandom", List.of(0.5, 2.0, 9.0));
        List<TuneBench.Row> rows = TuneBench.compare(List.of("random"), 3, optuna,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(3, rows.size());
        Problem branin = TestFunctions.problem("branin");
        double[] r = new double[3];
        for (int s = 0; s < 3; s++) {
            Study st = Study.minimize(branin.space(), Samplers.create("random", s)).optimize(branin.objective(), 30);
            r[s] = st.best().value() - TestFunctions.BRANIN_OPTIMUM;
            assertTrue(r[s] >= 0);
        }
        java.util.Arrays.sort(r);
        TuneBench.Row row = rows.get(0);
        assertEquals("branin", row.function());
        assertEquals(r[1], row.median());
        assertEquals(2.0, row.twinMedian());
        assertEquals(r[1] / 2.0, row.ratio());
        assertEquals((r[1] / 2.0 <= 1.5 ? "PASS" : "FAIL") + " (<= 1.5)", row.verdict());
        assertEquals("no Optuna result", rows.get(1).verdict()); // hartmann6: not in the map
    }

    @Test
    void verdictsFollowTheTargets() {
        assertEquals("PASS (<= 0.5)", new TuneBench.Row("f", "gp", 1, "TPE-multivariate", 2, 0.5).verdict());
        assertEquals("FAIL (<= 0.5)", new TuneBench.Row("f", "gp", 1.01, "TPE-multivariate", 2, 0.5).verdict());
        assertEquals("no target", new TuneBench.Row("f", "sobol", 1, "QMC-sobol", 2, Double.NaN).verdict());
        assertEquals("no target", new TuneBench.Row("f", "evolution", 1, null, Double.NaN, Double.NaN).verdict());
    }

    @Test
    void overheadTimesASamplerWith100TrialsIn6D() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TuneBench.overhead(new PrintStream(buf, true, StandardCharsets.UTF_8), "random");
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("random sample() with 100 completed trials in 6-D: median "), text);
        assertTrue(text.contains("(target <= 50 ms): PASS") && text.contains("a whole 100-trial random study"), text);
        buf.reset();
        TuneBench.overhead(new PrintStream(buf, true, StandardCharsets.UTF_8), "nosuch");
        assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("nosuch not available"));
    }

    @Test
    void mainPrintsAndWritesOneTableWithoutGrid() throws Exception {
        Path out = tmp.resolve("t.md");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            TuneBench.main(new String[] {"--optuna", tmp.resolve("missing.tsv").toString(), "--out", out.toString()});
        } finally {
            System.setOut(old);
        }
        String table = Files.readString(out);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains(table));
        assertTrue(table.startsWith("| function | sampler |"), table);
        assertFalse(table.contains("| grid |"), table);
        long expected = 3 * Samplers.names().stream().filter(n -> !n.equals("grid")).count();
        assertEquals(expected + 2, table.lines().count(), table);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TuneBench.main(new String[] {"--samplers", "grid"}));
        assertTrue(e.getMessage().contains("grid"), e.getMessage());
    }
}
