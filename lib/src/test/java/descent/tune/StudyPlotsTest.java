package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The study pictures: each builds for a small study with failed and pruned trials, draws at its size, says what it
 * promises in its titles and legends, and refuses studies it cannot draw. With {@code -Dstudyplots.dir=DIR} the
 * pictures are also written there as PNGs, to look at.
 */
class StudyPlotsTest {

    static final Space SPACE = Space.builder().logUniform("lr", 1e-4, 1e-1).uniform("momentum", 0.5, 0.99)
            .integer("layers", 1, 4).categorical("optimizer", "sgd", "adam").build();

    /**
     * 40 random trials of a quadratic bowl in (log10 lr, momentum) with small effects of layers and optimizer; trials
     * 4, 13, 22 and 31 fail, trials 5, 11, 17, 23, 29 and 35 are pruned after reporting 3 steps, the rest
     * report 8 steps and complete. A maximized study's values and reports are the negatives.
     */
    static Study study(boolean minimize) {
        Study s = minimize ? Study.minimize(SPACE, Samplers.create("random", 3))
                : Study.maximize(SPACE, Samplers.create("random", 3));
        return s.optimize(t -> {
            double x = Math.log10(t.getDouble("lr")) + 2.5;
            double m = (t.getDouble("momentum") - 0.9) * 4;
            double q = x * x + m * m + 0.1 * t.getInt("layers") + (t.getString("optimizer").equals("adam") ? 0 : 0.3);
            if (t.number() % 9 == 4) {
                throw new IllegalStateException("diverged");
            }
            double sign = minimize ? 1 : -1;
            for (int step = 1; step <= 8; step++) {
                t.report(step, sign * (q + 2.0 / step));
                if (t.number() % 6 == 5 && step == 3) {
                    throw new Trial.Pruned();
                }
            }
            return sign * q;
        }, 40);
    }

    static long count(Study s, Trial.State state) {
        return s.trialList().stream().filter(t -> t.state() == state).count();
    }

    static List<String> legend(XYChart chart) {
        return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList();
    }

    static BufferedImage draw(Object picture, String file) throws IOException {
        BufferedImage img = picture instanceof Renderable r ? r.image() : BitmapEncoder.getBufferedImage((XYChart) picture);
        String dir = System.getProperty("studyplots.dir");
        if (dir != null) {
            new File(dir).mkdirs();
            ImageIO.write(img, "png", new File(dir, file));
        }
        return img;
    }

    @Test
    void historyShowsEveryKindOfTrialAndTheBestSoFar() throws IOException {
        Study s = study(true);
        long done = count(s, Trial.State.COMPLETE);
        long pruned = count(s, Trial.State.PRUNED);
        assertTrue(done > 20 && pruned >= 4 && count(s, Trial.State.FAILED) == 4, s.trials().print());
        XYChart c = StudyPlots.history(s);
        assertEquals("Optimization history (minimize, random)", c.getTitle());
        assertEquals("trial", c.getXAxisTitle());
        assertEquals("objective value", c.getYAxisTitle());
        assertEquals(List.of("complete (" + done + ")", "pruned (" + pruned + ", last reported value)",
                "failed (4, no value): #4, #13, #22, #31", "best so far (lowest)"), legend(c));
        double[] best = c.getSeriesMap().get("best so far (lowest)").getYData();
        for (int i = 1; i < best.length; i++) {
            assertTrue(best[i] <= best[i - 1], "never worse");
        }
        assertEquals(s.best().value(), best[best.length - 1]);
        BufferedImage img = draw(c, "history.png");
        assertEquals(760, img.getWidth());
        assertEquals(420, img.getHeight());

        Study max = study(false);
        XYChart m = StudyPlots.history(max);
        double[] high = m.getSeriesMap().get("best so far (highest)").getYData();
        for (int i = 1; i < high.length; i++) {
            assertTrue(high[i] >= high[i - 1], "never worse when maximizing");
        }
        assertEquals(max.best().value(), high[high.length - 1]);
        draw(m, "history-maximize.png");
    }

    @Test
    void parallelCoordinatesHaveAnAxisPerParameterAndCountWhatIsNotDrawn() throws IOException {
        Study s = study(true);
        ParallelCoordinates p = StudyPlots.parallelCoordinates(s);
        assertEquals(List.of("value", "lr (log)", "momentum", "layers", "optimizer"), p.axisTitles());
        assertEquals("Parallel coordinates (" + count(s, Trial.State.COMPLETE) + " completed trials)", p.title());
        assertEquals("colour: value, best drawn on top; thick: best trial #" + s.best().number() + "; not drawn: "
                + count(s, Trial.State.PRUNED) + " pruned, 4 failed", p.note());
        BufferedImage img = draw(p, "parallel.png");
        assertEquals(900, img.getWidth());
        assertEquals(480, img.getHeight());
        assertEquals(640, p.size(640, 400).image().getWidth());
        draw(StudyPlots.parallelCoordinates(study(false)), "parallel-maximize.png");
    }

    @Test
    void parameterTicksLieWhereTheirValuesAre() {
        List<Drawing.Tick> lr = Drawing.ticks(SPACE.dimension("lr"), 6);
        assertEquals(List.of("1e-4", "1e-3", "0.01", "0.1"), lr.stream().map(Drawing.Tick::label).toList());
        assertEquals(0.0, lr.get(0).u(), 1e-12);
        assertEquals(1 / 3.0, lr.get(1).u(), 1e-12, "log axis: one decade of three");
        List<Drawing.Tick> opt = Drawing.ticks(SPACE.dimension("optimizer"), 6);
        assertEquals(List.of(new Drawing.Tick(0.25, "sgd"), new Drawing.Tick(0.75, "adam")), opt);
        List<Drawing.Tick> layers = Drawing.ticks(SPACE.dimension("layers"), 6);
        assertEquals(List.of("1", "2", "3", "4"), layers.stream().map(Drawing.Tick::label).toList());
        assertEquals(0.125, layers.get(0).u(), 1e-12, "integers at their cell middles");
    }

    @Test
    void contourInterpolatesOnLogAxesAndRefusesUnknownParameters() throws IOException {
        Study s = study(true);
        StudyContour c = StudyPlots.contour(s, "lr", "momentum");
        assertEquals("Objective over lr and momentum", c.title());
        assertEquals(List.of("lr (log)", "momentum"), c.axisTitles());
        assertEquals(List.of("complete trials (" + count(s, Trial.State.COMPLETE) + ")",
                "best: trial " + s.best().number() + " (" + Style.format(s.best().value()) + ")"), c.legendLabels());
        BufferedImage img = draw(c, "contour.png");
        assertEquals(720, img.getWidth());
        assertEquals(560, img.getHeight());
        draw(StudyPlots.contour(s, "optimizer", "layers"), "contour-discrete.png");
        draw(StudyPlots.contour(study(false), "momentum", "lr"), "contour-maximize.png");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyPlots.contour(s, "lr", "batch"));
        assertTrue(e.getMessage().contains("'batch'") && e.getMessage().contains("[lr, momentum, layers, optimizer]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StudyPlots.contour(s, "lr", "lr"));
        assertTrue(e.getMessage().contains("two different parameters"), e.getMessage());
    }

    @Test
    void harmonicFillKeepsTheTrialsAndIsLinearBetweenTwoWalls() {
        int g = 10;
        double[] ux = new double[2 * g];
        double[] uy = new double[2 * g];
        double[] v = new double[2 * g];
        for (int r = 0; r < g; r++) {       // the left column of cells is 0, the right column 9
            ux[r] = 0.01;
            uy[r] = (r + 0.5) / g;
            ux[g + r] = 0.99;
            uy[g + r] = (r + 0.5) / g;
            v[g + r] = 9;
        }
        double[][] f = StudyContour.fill(ux, uy, v, g);
        for (double[] row : f) {
            for (int c = 0; c < g; c++) {
                assertEquals(c, row[c], 1e-6, "the discrete Laplace equation between two walls is linear");
            }
        }
        double[][] one = StudyContour.fill(new double[] {0.3, 0.7}, new double[] {0.3, 0.7}, new double[] {2, 5}, 8);
        assertEquals(2, one[2][2], 0);
        assertEquals(5, one[5][5], 0);
        for (double[] row : one) {
            for (double x : row) {
                assertTrue(x >= 2 && x <= 5, "maximum principle: " + x);
            }
        }
    }

    @Test
    void importanceBarsNameEveryParameter() throws IOException {
        Study s = study(true);
        ImportancePlot p = StudyPlots.importance(s);
        assertEquals(SPACE.names().stream().sorted().toList(), p.values().keySet().stream().sorted().toList());
        assertEquals("Parameter importance (" + count(s, Trial.State.COMPLETE) + " completed trials)", p.title());
        assertEquals("first-order importance (share of the value's variance)", p.xAxisTitle());
        double sum = p.values().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals("left to interactions and noise: 1 − Σ = " + Style.format(1 - sum), p.legendLabels().get(1));
        BufferedImage img = draw(p, "importance.png");
        assertEquals(720, img.getWidth());
        assertEquals(p.height(), img.getHeight());
    }

    @Test
    void intermediateValuesMarkPrunedTrials() throws IOException {
        Study s = study(true);
        XYChart c = StudyPlots.intermediate(s);
        Trial best = s.best();
        long done = count(s, Trial.State.COMPLETE) - 1;
        long pruned = count(s, Trial.State.PRUNED);
        assertEquals(List.of("complete (" + done + ")", "pruned (" + pruned + ")",
                "best: trial " + best.number() + " (" + Style.format(best.value()) + ")", "× where pruned"),
                legend(c));
        assertEquals("Intermediate values (" + (done + 1 + pruned) + " trials; 4 reported nothing)", c.getTitle());
        assertEquals("step", c.getXAxisTitle());
        assertEquals(pruned, c.getSeriesMap().get("× where pruned").getXData().length);
        for (double step : c.getSeriesMap().get("× where pruned").getXData()) {
            assertEquals(3, step, "pruned after step 3");
        }
        BufferedImage img = draw(c, "intermediate.png");
        assertEquals(760, img.getWidth());

        Study silent = Study.minimize(SPACE, Samplers.create("random", 1)).optimize(t -> t.getDouble("lr"), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyPlots.intermediate(silent));
        assertTrue(e.getMessage().contains("trial.report(step, value)"), e.getMessage());
    }

    @Test
    void aTrialThatReportedOnceIsAPointInItsStatesColourNotTheBestTrials() throws IOException {
        // trials 0 and 2 diverge after their first report (as notebook 08's do), trial 3 is pruned there, 1 and 4 complete
        Study s = Study.minimize(SPACE, Samplers.create("random", 4)).optimize(t -> {
            t.report(1, 10.0 + t.number());
            if (t.number() % 2 == 0 && t.number() < 3) {
                throw new IllegalStateException("diverged");
            }
            if (t.number() == 3) {
                throw new Trial.Pruned();
            }
            t.report(2, 1.0 + t.number());
            return 1.0 + t.number();
        }, 5);
        XYChart c = StudyPlots.intermediate(s);
        XYSeries best = c.getSeriesMap().get("best: trial 1 (2)");
        XYSeries failed = c.getSeriesMap().get("failed (2)");
        XYSeries secondFailed = c.getSeriesMap().get("trial 2");
        XYSeries pruned = c.getSeriesMap().get("pruned (1)");
        assertTrue(best != null && failed != null && secondFailed != null && pruned != null, legend(c).toString());
        for (XYSeries lone : List.of(failed, secondFailed)) {
            assertEquals(1, lone.getXData().length);
            assertEquals(SeriesMarkers.DIAMOND, lone.getMarker(), lone.getName());
            assertEquals(failed.getLineColor(), lone.getMarkerColor(), lone.getName() + ": the failed colour");
            assertNotEquals(best.getLineColor(), lone.getMarkerColor(), lone.getName() + ": not the best trial's");
        }
        assertEquals(SeriesMarkers.CIRCLE, pruned.getMarker());
        assertEquals(pruned.getLineColor(), pruned.getMarkerColor());
        draw(c, "intermediate-lone.png");
    }

    @Test
    void liveHistoryRedrawsAfterEveryTrial() throws IOException {
        Study s = Study.minimize(SPACE, Samplers.create("random", 5));
        StudyPlots.LiveHistory live = StudyPlots.live(s);
        assertTrue(live.chart().getSeriesMap().containsKey("waiting for the first completed trial (0 ended without a "
                + "value)"));
        s.optimize(t -> {
            if (t.number() < 2) {
                throw new IllegalStateException("boom");
            }
            return t.getDouble("momentum");
        }, 2);
        assertEquals(2, live.drawings());
        assertTrue(live.chart().getSeriesMap().containsKey("waiting for the first completed trial (2 ended without a "
                + "value)"));
        s.optimize(t -> t.getDouble("momentum"), 8);   // until the study holds 8 trials
        assertEquals(8, live.drawings());
        assertTrue(legend(live.chart()).contains("complete (6)"));
        assertEquals(760, draw(live, "live.png").getWidth());
    }

    @Test
    void aSingleCompletedTrialStillDraws() throws IOException {
        Study one = Study.minimize(SPACE, Samplers.create("random", 2)).optimize(t -> {
            t.report(1, 2.0);
            return 1.0;
        }, 1);
        assertEquals(760, draw(StudyPlots.history(one), "one-history.png").getWidth());
        assertEquals(900, draw(StudyPlots.parallelCoordinates(one), "one-parallel.png").getWidth());
        assertEquals(720, draw(StudyPlots.contour(one, "lr", "layers"), "one-contour.png").getWidth());
        assertEquals(760, draw(StudyPlots.intermediate(one), "one-intermediate.png").getWidth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyPlots.importance(one));
        assertTrue(e.getMessage().contains("at least 2 completed trials"), e.getMessage());
    }

    @Test
    void studiesWithoutACompletedTrialAreRefusedWithTheReason() {
        Study empty = Study.minimize(SPACE, Samplers.create("random", 1));
        Study failed = Study.minimize(SPACE, Samplers.create("random", 1)).optimize(t -> {
            throw new IllegalStateException("out of memory");
        }, 3);
        List<Function<Study, Object>> plots = List.of(StudyPlots::history, StudyPlots::parallelCoordinates,
                st -> StudyPlots.contour(st, "lr", "momentum"), StudyPlots::importance, StudyPlots::intermediate);
        for (Function<Study, Object> plot : plots) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plot.apply(empty));
            assertTrue(e.getMessage().contains("no trials yet"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> plot.apply(failed));
            assertTrue(e.getMessage().contains("no trial of the study completed (3 trials: 3 failed, 0 pruned)")
                    && e.getMessage().contains("out of memory"), e.getMessage());
        }
    }
}
