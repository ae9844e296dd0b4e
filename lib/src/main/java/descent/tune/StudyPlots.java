package descent.tune;

import descent.plot.ChartPicture;
import descent.plot.LinePlot;
import descent.plot.Live;
import descent.plot.Plots;
import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Pictures of a {@link Study}, like Optuna's {@code optuna.visualization}; the one entry point for them.
 *
 * <pre>{@code
 * StudyPlots.history(study)                        // value per trial and the best so far
 * StudyPlots.parallelCoordinates(study)            // one axis per parameter, a line per trial
 * StudyPlots.contour(study, "lr", "momentum")      // the value over two parameters, interpolated
 * StudyPlots.importance(study)                     // which parameters matter (see Importance)
 * StudyPlots.intermediate(study)                   // reported values per step, pruned trials marked
 * StudyPlots.live(study); study.optimize(f, 50);   // the history, redrawn after every trial
 * }</pre>
 *
 * Each picture shows the study as it is when it is made (a later {@code optimize} does not change it; make it
 * again). A study with no completed trial is refused with the reason. XChart charts come back as {@link XYChart}
 * (restyle them as you like); the pictures XChart cannot draw are {@link Renderable}s drawn with Java2D.
 */
public final class StudyPlots {

    private static final Color COMPLETE = Style.TRAIN;
    private static final Color PRUNED = new Color(130, 130, 130);
    private static final Color FAILED = Style.LINES[4];     // purple: red is the best trial's
    private static final Color BEST = Style.LINES[0];
    /** Failed trials listed by number in a legend entry, at most. */
    private static final int LISTED = 6;

    private StudyPlots() {
    }

    /**
     * The optimization history: trial number against value. Series: {@code "complete (n)"} (blue dots),
     * {@code "pruned (n, last reported value)"} (grey crosses; a pruned trial's value is from an earlier step),
     * {@code "best so far (lowest)"} or {@code "(highest)"} (a red step line over the completed trials), and, as a
     * legend entry without points since they have no value, {@code "failed (n): #3, #8"}.
     */
    public static XYChart history(Study study) {
        return historyChart(study, completed(study, "history"));
    }

    private static XYChart historyChart(Study study, List<Trial> done) {
        List<Trial> pruned = select(study, t -> t.state() == Trial.State.PRUNED);
        List<Trial> failed = select(study, t -> t.state() == Trial.State.FAILED);
        String direction = study.isMinimize() ? "minimize" : "maximize";
        LinePlot plot = Plots.line("Optimization history (" + direction + ", " + study.sampler().name() + ")",
                "trial", "objective value").size(760, 420).legendOutside();
        String complete = "complete (" + done.size() + ")";
        plot.scatter(complete, numbers(done), values(done));
        String prunedName = "pruned (" + pruned.size() + ", last reported value)";
        if (!pruned.isEmpty()) {
            plot.scatter(prunedName, numbers(pruned), values(pruned));
        }
        String failedName = failedLabel(failed);
        if (!failed.isEmpty()) {
            plot.scatter(failedName, numbers(failed), values(failed));      // NaN values: a legend entry only
        }
        int last = study.trialList().get(study.trialList().size() - 1).number();
        double[][] best = bestSoFar(done, last, study.isMinimize());
        String bestName = "best so far (" + (study.isMinimize() ? "lowest" : "highest") + ")";
        plot.series(bestName, best[0], best[1]);
        XYChart chart = plot.chart();
        chart.getStyler().setMarkerSize(7);
        XYSeries c = chart.getSeriesMap().get(complete);
        c.setMarker(SeriesMarkers.CIRCLE);
        c.setMarkerColor(COMPLETE);
        if (!pruned.isEmpty()) {
            XYSeries p = chart.getSeriesMap().get(prunedName);
            p.setMarker(SeriesMarkers.CROSS);
            p.setMarkerColor(PRUNED);
        }
        if (!failed.isEmpty()) {
            XYSeries f = chart.getSeriesMap().get(failedName);
            f.setMarker(SeriesMarkers.DIAMOND);
            f.setMarkerColor(FAILED);
        }
        XYSeries b = chart.getSeriesMap().get(bestName);
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        b.setLineColor(BEST);
        b.setLineStyle(new BasicStroke(2f));
        return chart;
    }

    /** The running best over the completed trials as a step line, extended to trial {@code last}. */
    private static double[][] bestSoFar(List<Trial> done, int last, boolean minimize) {
        double[] x = new double[done.size() + 1];
        double[] y = new double[done.size() + 1];
        double best = Double.NaN;
        for (int i = 0; i < done.size(); i++) {
            double v = done.get(i).value();
            best = i == 0 || (minimize ? v < best : v > best) ? v : best;
            x[i] = done.get(i).number();
            y[i] = best;
        }
        x[done.size()] = Math.max(last, x[done.size() - 1]);
        y[done.size()] = best;
        return new double[][] {x, y};
    }

    private static String failedLabel(List<Trial> failed) {
        StringBuilder sb = new StringBuilder("failed (" + failed.size() + ", no value)");
        for (int i = 0; i < Math.min(LISTED, failed.size()); i++) {
            sb.append(i == 0 ? ": #" : ", #").append(failed.get(i).number());
        }
        return sb.append(failed.size() > LISTED ? ", …" : "").toString();
    }

    /**
     * The values each trial reported with {@link Trial#report} against the step: completed trials as solid blue
     * lines, the best of them red and thicker, pruned trials grey and dashed with a cross where they stopped, failed
     * trials purple and dotted; a trial that reported once is a point of its kind's colour (a diamond if it failed).
     * One legend entry per kind, with its count; trials that reported nothing are counted in the title.
     */
    public static XYChart intermediate(Study study) {
        completed(study, "intermediate");
        List<Trial> reported = select(study, t -> t.state() != Trial.State.RUNNING && !t.intermediateValues().isEmpty());
        if (reported.isEmpty()) {
            throw new IllegalArgumentException("StudyPlots.intermediate: no trial reported intermediate values; an "
                    + "objective reports them with trial.report(step, value)");
        }
        Trial best = bestReported(study, reported);
        int silent = select(study, t -> t.state() != Trial.State.RUNNING).size() - reported.size();
        LinePlot plot = Plots.line("Intermediate values (" + count(reported.size(), "trial")
                        + (silent > 0 ? "; " + silent + " reported nothing" : "") + ")", "step", "reported value")
                .size(760, 420).legendOutside();
        Map<String, Trial.State> kinds = new LinkedHashMap<>();     // series name -> state of its trial
        List<String> legend = new ArrayList<>();
        for (Trial.State state : List.of(Trial.State.COMPLETE, Trial.State.PRUNED, Trial.State.FAILED)) {
            List<Trial> group = reported.stream().filter(t -> t.state() == state && t != best).toList();
            for (int i = 0; i < group.size(); i++) {
                Trial t = group.get(i);
                String name = i == 0 ? state.name().toLowerCase() + " (" + group.size() + ")" : "trial " + t.number();
                if (i == 0) {
                    legend.add(name);
                }
                plot.series(name, steps(t), reports(t));
                kinds.put(name, state);
            }
        }
        String bestName = null;
        if (best != null) {
            bestName = "best: trial " + best.number() + " (" + Style.format(best.value()) + ")";
            plot.series(bestName, steps(best), reports(best));
        }
        List<Trial> pruned = reported.stream().filter(t -> t.state() == Trial.State.PRUNED).toList();
        String where = "× where pruned";
        if (!pruned.isEmpty()) {
            double[] x = new double[pruned.size()];
            double[] y = new double[pruned.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pruned.get(i).lastStep();
                y[i] = pruned.get(i).intermediateValues().get(pruned.get(i).lastStep());
            }
            plot.scatter(where, x, y);
        }
        XYChart chart = plot.chart();
        BasicStroke dashed = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f);
        BasicStroke dotted = new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                new float[] {1.5f, 3.5f}, 0f);
        for (Map.Entry<String, Trial.State> e : kinds.entrySet()) {
            XYSeries s = chart.getSeriesMap().get(e.getKey());
            s.setShowInLegend(legend.contains(e.getKey()));
            boolean lone = s.getXData().length == 1;     // a trial that reported once is a point, in its state's colour
            switch (e.getValue()) {
                case COMPLETE -> {
                    s.setLineColor(new Color(COMPLETE.getRed(), COMPLETE.getGreen(), COMPLETE.getBlue(), 170));
                    s.setLineStyle(new BasicStroke(1.4f));
                    s.setMarker(lone ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                    s.setMarkerColor(COMPLETE);
                }
                case PRUNED -> {
                    s.setLineColor(PRUNED);
                    s.setLineStyle(dashed);
                    s.setMarker(lone ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                    s.setMarkerColor(PRUNED);
                }
                default -> {
                    s.setLineColor(FAILED);
                    s.setLineStyle(dotted);
                    s.setMarker(lone ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);   // as in the history chart
                    s.setMarkerColor(FAILED);
                }
            }
        }
        if (bestName != null) {
            XYSeries b = chart.getSeriesMap().get(bestName);
            b.setLineColor(BEST);
            b.setLineStyle(new BasicStroke(2.6f));
            b.setMarkerColor(BEST);
            b.setMarker(b.getXData().length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (!pruned.isEmpty()) {
            XYSeries w = chart.getSeriesMap().get(where);
            w.setMarker(SeriesMarkers.CROSS);
            w.setMarkerColor(Color.BLACK);
        }
        return chart;
    }

    /** The best completed trial among those that reported, or null when none completed. */
    private static Trial bestReported(Study study, List<Trial> reported) {
        Trial best = null;
        for (Trial t : reported) {
            if (t.state() == Trial.State.COMPLETE && (best == null
                    || (study.isMinimize() ? t.value() < best.value() : t.value() > best.value()))) {
                best = t;
            }
        }
        return best;
    }

    /**
     * Parallel coordinates: one vertical axis for the value and one per parameter, each completed trial a line
     * through its values coloured by its value; see {@link ParallelCoordinates}.
     */
    public static ParallelCoordinates parallelCoordinates(Study study) {
        return new ParallelCoordinates(study, completed(study, "parallelCoordinates"));
    }

    /**
     * The value over parameters {@code xName} and {@code yName}, interpolated between the completed trials, with the
     * trials on top; see {@link StudyContour}. Unknown or equal names are refused, naming the valid ones.
     */
    public static StudyContour contour(Study study, String xName, String yName) {
        List<Trial> done = completed(study, "contour");
        List<String> names = study.space().names();
        for (String n : new String[] {xName, yName}) {
            if (!names.contains(n)) {
                throw new IllegalArgumentException("StudyPlots.contour: no parameter '" + n + "'; the study's "
                        + "parameters are " + names);
            }
        }
        if (xName.equals(yName)) {
            throw new IllegalArgumentException("StudyPlots.contour: needs two different parameters, got '" + xName
                    + "' twice; the study's parameters are " + names);
        }
        return new StudyContour(study, done, study.space().dimension(xName), study.space().dimension(yName));
    }

    /** Each parameter's importance as horizontal bars, most important on top; see {@link Importance}. */
    public static ImportancePlot importance(Study study) {
        return new ImportancePlot(Importance.firstOrder(study), study);
    }

    /**
     * The history chart, redrawn in the notebook after every trial: registers itself as a listener of
     * {@code study}; call before {@code optimize}.
     */
    public static LiveHistory live(Study study) {
        LiveHistory live = new LiveHistory(Objects.requireNonNull(study, "study"));
        study.listener(live);
        return live;
    }

    /** The history chart of a running study, drawn again (through {@link Live}) each time a trial ends. */
    public static final class LiveHistory implements Study.Listener, ChartPicture {
        private final Study study;
        private Live live;
        private int drawings;

        private LiveHistory(Study study) {
            this.study = study;
        }

        @Override
        public void trialEnded(Study s, Trial trial) {
            drawings++;
            if (live == null) {
                live = Live.show(this);
            } else {
                live.update(this);
            }
        }

        /** Times the chart was drawn for the notebook: once per ended trial. */
        public int drawings() {
            return drawings;
        }

        /** The history so far; before the first completed trial, an empty chart that says what it waits for. */
        @Override
        public XYChart chart() {
            List<Trial> done = select(study, t -> t.state() == Trial.State.COMPLETE);
            if (!done.isEmpty()) {
                return historyChart(study, done);
            }
            int ended = select(study, t -> t.state() != Trial.State.RUNNING).size();
            XYChart chart = new XYChartBuilder().width(760).height(420).title("Optimization history ("
                    + (study.isMinimize() ? "minimize" : "maximize") + ", " + study.sampler().name() + ")")
                    .xAxisTitle("trial").yAxisTitle("objective value").build();
            Style.apply(chart.getStyler());
            XYSeries none = chart.addSeries("waiting for the first completed trial (" + ended + " ended without "
                    + "a value)", new double[] {0}, new double[] {0});
            none.setMarker(SeriesMarkers.NONE);
            none.setLineColor(Color.WHITE);
            return chart;
        }

        @Override
        public String toString() {
            return "LiveHistory[" + study.trialList().size() + " trials, " + drawings + " drawings]";
        }
    }

    /**
     * The study's COMPLETE trials, in order; an empty study, or one where no trial completed, is refused with the
     * reason ({@code what} names the refusing plot).
     */
    static List<Trial> completed(Study study, String what) {
        Objects.requireNonNull(study, "study");
        String owner = what.equals("Importance") ? what : "StudyPlots." + what;
        if (study.trialList().isEmpty()) {
            throw new IllegalArgumentException(owner + ": the study has no trials yet; run study.optimize(objective, "
                    + "n) first");
        }
        List<Trial> done = select(study, t -> t.state() == Trial.State.COMPLETE);
        if (done.isEmpty()) {
            List<Trial> failed = select(study, t -> t.state() == Trial.State.FAILED);
            throw new IllegalArgumentException(owner + ": no trial of the study completed (" + study.trialList().size()
                    + " trials: " + failed.size() + " failed, "
                    + select(study, t -> t.state() == Trial.State.PRUNED).size() + " pruned)"
                    + (failed.isEmpty() ? "" : "; the first failure: " + failed.get(0).error()));
        }
        return done;
    }

    private static List<Trial> select(Study study, Predicate<Trial> p) {
        return study.trialList().stream().filter(p).toList();
    }

    /** {@code n} and the noun, plural unless n is 1: "1 trial", "30 completed trials". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static double[] numbers(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::number).toArray();
    }

    private static double[] values(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::value).toArray();
    }

    private static double[] steps(Trial t) {
        return t.intermediateValues().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
    }

    private static double[] reports(Trial t) {
        return t.intermediateValues().values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
