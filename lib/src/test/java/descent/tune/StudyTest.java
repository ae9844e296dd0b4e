package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Search spaces, the grid and random samplers, and studies that keep going past failing trials. */
class StudyTest {

    static Space space() {
        return Space.builder().logUniform("lr", 1e-4, 1e-1).uniform("momentum", 0.5, 0.99)
                .integer("hidden", 16, 128).logInteger("batch", 8, 256).categorical("optimizer", "sgd", "adam").build();
    }

    @Test
    void badSpacesAreRefusedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Space.builder().build());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Space.builder().uniform("x", 1, 1));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("lo < hi"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Space.builder().logUniform("lr", 0, 1));
        assertTrue(e.getMessage().contains("'lr'") && e.getMessage().contains("lo > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Space.builder().integer("n", 1, 5).uniform("n", 0, 1));
        assertTrue(e.getMessage().contains("duplicate dimension name 'n'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Space.builder().categorical("c"));
        assertTrue(e.getMessage().contains("at least one category"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Space.builder().uniform("x", 0, Double.NaN));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Samplers.create("bayes", 1));
        assertTrue(e.getMessage().contains("'bayes'")
                && e.getMessage().contains("[cmaes, evolution, gp, grid, random, sobol, tpe]"), e.getMessage());
    }

    @Test
    void randomSamplesStayInBoundsOnTheirScalesAndRepeatWithTheSeed() {
        Space s = space();
        Sampler a = Samplers.create("random", 7);
        Sampler b = Samplers.create("random", 7);
        Set<Object> optimizers = new HashSet<>();
        int lrBelowOneThousandth = 0;
        for (int i = 0; i < 400; i++) {
            Map<String, Object> p = a.sample(s, List.of(), true);
            assertEquals(p, b.sample(s, List.of(), true), "same seed, same draws");
            double lr = (Double) p.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            lrBelowOneThousandth += lr < 1e-3 ? 1 : 0;
            int hidden = (Integer) p.get("hidden");
            int batch = (Integer) p.get("batch");
            assertTrue(hidden >= 16 && hidden <= 128 && batch >= 8 && batch <= 256, p.toString());
            optimizers.add(p.get("optimizer"));
        }
        // log-uniform: a third of the range in log terms (1e-4..1e-3 of 1e-4..1e-1), so about 133 of 400 (sd ~9.4)
        assertTrue(lrBelowOneThousandth > 90 && lrBelowOneThousandth < 180, "draws below 1e-3: " + lrBelowOneThousandth);
        assertEquals(Set.of("sgd", "adam"), optimizers);
    }

    @Test
    void gridEnumeratesTheProductOnceThenEnds() {
        Space s = Space.builder().logUniform("lr", 1e-3, 1e-1).integer("layers", 1, 3).categorical("act", "relu", "tanh")
                .build();
        Sampler g = Samplers.create("grid", 0);
        Set<Map<String, Object>> seen = new HashSet<>();
        Map<String, Object> p;
        while ((p = g.sample(s, List.of(), true)) != null) {
            assertTrue(seen.add(p), "each point once: " + p);
        }
        assertEquals(5 * 3 * 2, seen.size());
        assertTrue(seen.contains(Map.of("lr", 1e-3, "layers", 1, "act", "relu")), "the corner");
        assertEquals(List.of(1e-3, Math.pow(10, -2.5), 1e-2, Math.pow(10, -1.5), 1e-1).size(),
                Samplers.points(s.dimension("lr")).size());
        assertEquals(1e-2, (Double) Samplers.points(s.dimension("lr")).get(2), 1e-15, "log scale: middle point 1e-2");
        Study study = Study.minimize(s, Samplers.create("grid", 0)).optimize(t -> t.getDouble("lr"), 100);
        assertEquals(30, study.trialList().size(), "the study ends with the grid");
    }

    @Test
    void randomSearchFindsTheMinimumOfABowlAndFailingTrialsDoNotStopIt() {
        Space s = Space.builder().uniform("x", -2, 2).uniform("y", -2, 2).categorical("mode", "ok", "throw", "nan")
                .build();
        Study study = Study.minimize(s, Samplers.create("random", 3)).optimize(t -> {
            switch (t.getString("mode")) {
                case "throw" -> throw new IllegalStateException("diverged at step 3");
                case "nan" -> {
                    return Double.NaN;
                }
                default -> {
                    double x = t.getDouble("x") - 0.5;
                    double y = t.getDouble("y") + 0.25;
                    return x * x + y * y;
                }
            }
        }, 300);
        assertEquals(300, study.trialList().size());
        long failed = study.trialList().stream().filter(t -> t.state() == Trial.State.FAILED).count();
        assertTrue(failed > 150 && failed < 250, "about two thirds fail: " + failed);
        assertTrue(study.trialList().stream().anyMatch(t -> "IllegalStateException: diverged at step 3".equals(t.error())));
        assertTrue(study.trialList().stream().anyMatch(t -> "the objective returned NaN".equals(t.error())));
        Trial best = study.best();
        // ~100 completed uniform points in a 4 x 4 square: the nearest to the minimum lies at squared distance about
        // 16 / (pi * 100) = 0.05 on average; 0.25 fails with probability (1 - pi 0.25 / 16)^100 < 1 %
        assertTrue(best.value() < 0.25, "best " + best);
        assertEquals("ok", best.getString("mode"));
        Table table = study.trials();
        assertEquals(List.of("number", "x", "y", "mode", "value", "state", "seconds", "error"), table.columnNames());
        assertEquals(300, table.rowCount());
        Trial worstFirst = Study.maximize(s, Samplers.create("random", 3)).optimize(t -> t.getDouble("x"), 50).best();
        assertTrue(worstFirst.getDouble("x") > 1.5, "maximize: " + worstFirst);
    }

    @Test
    void trialAccessorsNameTheProblem() {
        Trial t = new Trial(4, Map.of("lr", 0.1, "n", 3, "opt", "adam"));
        assertEquals(3.0, t.getDouble("n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.getInt("lr"));
        assertTrue(e.getMessage().contains("use getDouble"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.getDouble("opt"));
        assertTrue(e.getMessage().contains("use getString"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.getString("momentum"));
        assertTrue(e.getMessage().contains("no parameter 'momentum'"), e.getMessage());
        assertNull(t.error());
        assertThrows(IllegalStateException.class, () -> Study.minimize(space(), Samplers.create("random", 1)).best());
    }

    @Test
    void unitIsTheInverseOfAt() {
        Space s = space();
        Sampler r = Samplers.create("random", 3);
        for (int k = 0; k < 300; k++) {
            Map<String, Object> p = r.sample(s, List.of(), true);
            double[] u = s.unit(p);
            for (double x : u) {
                assertTrue(x >= 0 && x <= 1, "unit in [0, 1]: " + x);
            }
            Map<String, Object> back = s.at(u);
            assertEquals(p.get("hidden"), back.get("hidden"));
            assertEquals(p.get("batch"), back.get("batch"));
            assertEquals(p.get("optimizer"), back.get("optimizer"));
            assertEquals((Double) p.get("lr"), (Double) back.get("lr"), 1e-12 * (Double) p.get("lr"));
            assertEquals((Double) p.get("momentum"), (Double) back.get("momentum"), 1e-12);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.dimension("optimizer").unit("rmsprop"));
        assertTrue(e.getMessage().contains("'optimizer'") && e.getMessage().contains("rmsprop"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.dimension("hidden").unit(500));
        assertTrue(e.getMessage().contains("'hidden'") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void toStringCountsStatesAndNamesTheBest() {
        Study s = Study.minimize(space(), Samplers.create("random", 4)).optimize(t -> {
            if (t.number() == 1) {
                throw new IllegalStateException("boom");
            }
            return t.number() == 2 ? 0.5 : 1.0 + t.number();
        }, 4);
        assertEquals("Study[minimize, random, 4 trials: 3 complete, 1 failed; best 0.500000 (trial 2)]", s.toString());
        assertEquals("Study[maximize, grid, 0 trials]", Study.maximize(space(), Samplers.create("grid", 0)).toString());
    }
}
