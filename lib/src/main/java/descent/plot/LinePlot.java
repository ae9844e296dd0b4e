package descent.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A line chart of one or several named series against x, built fluently; the common case of every notebook.
 *
 * <pre>{@code
 * Plots.line("Training loss", "epoch", "loss")
 *      .series("SGD", epochs, sgdLoss)
 *      .series("Adam", epochs, adamLoss)
 *      .logY()
 * }</pre>
 *
 * A notebook cell whose value is a {@code LinePlot} (or the {@link XYChart} from {@link #chart()}) renders inline.
 */
public final class LinePlot implements ChartPicture {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private int width = 720;
    private int height = 420;
    private boolean logX;
    private boolean logY;
    private Double yMin;
    private Double yMax;
    private boolean legendOutside;

    private record Series(String name, double[] x, double[] y, boolean markers, boolean scatter) {
    }

    LinePlot(String title, String xLabel, String yLabel) {
        this.title = requireText(title, "title");
        this.xLabel = requireText(xLabel, "x-axis label");
        this.yLabel = requireText(yLabel, "y-axis label");
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("a chart needs a " + what);
        }
        return s;
    }

    /** Adds a named line. */
    public LinePlot series(String name, double[] x, double[] y) {
        return add(name, x, y, false, false);
    }

    /** Adds a named line with y against 0, 1, 2, … */
    public LinePlot series(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return series(name, x, y);
    }

    /** Adds a named line from any numbers (lists, Tablesaw columns as {@code col.asList()}). */
    public LinePlot series(String name, Collection<? extends Number> x, Collection<? extends Number> y) {
        return series(name, toArray(x), toArray(y));
    }

    /** Adds a named line from two vectors. */
    public LinePlot series(String name, INDArray x, INDArray y) {
        return series(name, x.toDoubleVector(), y.toDoubleVector());
    }

    /** Adds a named line drawn with a marker at every point. */
    public LinePlot seriesWithMarkers(String name, double[] x, double[] y) {
        return add(name, x, y, true, false);
    }

    /** Adds named points without a connecting line. */
    public LinePlot scatter(String name, double[] x, double[] y) {
        return add(name, x, y, true, true);
    }

    private LinePlot add(String name, double[] x, double[] y, boolean markers, boolean scatter) {
        requireText(name, "series name (it appears in the legend)");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " values but y has " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' is empty");
        }
        for (Series s : series) {
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("series '" + name + "' is already in this chart");
            }
        }
        series.add(new Series(name, x.clone(), y.clone(), markers, scatter));
        return this;
    }

    /** Logarithmic y axis. */
    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** Logarithmic x axis. */
    public LinePlot logX() {
        this.logX = true;
        return this;
    }

    /** Fixes the y range. */
    public LinePlot yRange(double min, double max) {
        if (!(min < max)) {
            throw new IllegalArgumentException("y range needs min < max, got " + min + " .. " + max);
        }
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /** Picture size in pixels. */
    public LinePlot size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("chart size must be at least 100x100, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** The XChart chart, for styling beyond what this builder offers. */
    @Override
    public XYChart chart() {
        if (series.isEmpty()) {
            throw new IllegalStateException("chart '" + title + "' has no series; add one with .series(name, x, y)");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(legendOutside ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        if (yMin != null) {
            chart.getStyler().setYAxisMin(yMin);
            chart.getStyler().setYAxisMax(yMax);
        }
        double[] xSpan = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] ySpan = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            double[] y = s.y;
            double[] x = s.x;
            if (logY || logX) { // a log axis cannot show values <= 0 or non-finite ones: drop them, visibly in the name
                List<double[]> kept = keepPlottable(x, y, logX, logY);
                x = kept.get(0);
                y = kept.get(1);
            }
            widen(xSpan, x);
            widen(ySpan, y);
            XYSeries xy = chart.addSeries(s.name, x, y);
            if (s.scatter) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else if (!s.markers) {
                xy.setMarker(SeriesMarkers.NONE);
            }
        }
        if (yMin != null) {
            ySpan[0] = yMin;
            ySpan[1] = yMax;
        }
        // XChart draws a grid line at every tick of a log axis, 2..9 x 10^k included: on a wide axis they fill the plot
        chart.getStyler().setPlotGridVerticalLinesVisible(!(logX && decades(xSpan) > MOST_DECADES_WITH_GRID_LINES));
        chart.getStyler().setPlotGridHorizontalLinesVisible(!(logY && decades(ySpan) > MOST_DECADES_WITH_GRID_LINES));
        // set whether or not the axis is logarithmic now: a caller may switch it on later on the XYChart
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decades(xSpan) >= FEWEST_DECADES_LABELLED_AT_POWERS);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decades(ySpan) >= FEWEST_DECADES_LABELLED_AT_POWERS);
        breakEqualSpacing(chart);
        return chart;
    }

    /**
     * A log axis spanning more powers of ten than this has no grid lines across the plot, only its ticks: XChart draws
     * a line at 2, 3, ..., 9 times every power as well, and on a wide axis (a gradient norm from 1e-3 to 1e11, a loss
     * down to 1e-14) they merge into a grey texture.
     */
    static final int MOST_DECADES_WITH_GRID_LINES = 6;

    /**
     * A log axis spanning fewer powers of ten than this labels its ticks at 1, 2, ..., 9 times each power: labelled at
     * the powers only, as XChart does by default, a validation loss from 1.5 to 12 would show one label (10), and one
     * from 1.5 to 2.6 none between its ends.
     */
    static final double FEWEST_DECADES_LABELLED_AT_POWERS = 1.3;

    /** Widens [lo, hi] to the finite values (a log axis gets only its plottable ones). */
    private static void widen(double[] span, double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            span[0] = Math.min(span[0], v);
            span[1] = Math.max(span[1], v);
        }
    }

    /** How many powers of ten [lo, hi] spans (0 when it is empty or not positive). */
    private static double decades(double[] span) {
        return span[0] > 0 && span[1] > span[0] ? Math.log10(span[1] / span[0]) : 0;
    }

    /**
     * XChart 3.8 puts x-axis ticks only on data values when all x values are equally spaced (epochs 0..399, say)
     * and then crowds the labels. One invisible, unlisted point between two grid values makes it use its usual
     * "nice numbers" ticks instead; the point is drawn nowhere and changes neither axis range.
     */
    private static void breakEqualSpacing(XYChart chart) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        double yInside = Double.NaN;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double x : s.getXData()) {
                xs.add(x);
            }
            if (Double.isNaN(yInside) && s.getYData().length > 0) {
                yInside = s.getYData()[0];
            }
        }
        if (xs.size() < 12 || Double.isNaN(yInside)) {
            return;
        }
        double first = xs.first();
        double second = xs.higher(first);
        XYSeries hidden = chart.addSeries("\u200b", new double[]{first + (second - first) / 2}, new double[]{yInside});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineColor(new java.awt.Color(0, 0, 0, 0));
        hidden.setShowInLegend(false);
    }

    private static List<double[]> keepPlottable(double[] x, double[] y, boolean logX, boolean logY) {
        int n = 0;
        double[] kx = new double[x.length];
        double[] ky = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            boolean ok = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
            if (ok) {
                kx[n] = x[i];
                ky[n] = y[i];
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no point of this series can be drawn on a log axis (all <= 0 or not finite)");
        }
        return List.of(java.util.Arrays.copyOf(kx, n), java.util.Arrays.copyOf(ky, n));
    }

    static double[] toArray(Collection<? extends Number> values) {
        double[] out = new double[values.size()];
        int i = 0;
        for (Number v : values) {
            out[i++] = v == null ? Double.NaN : v.doubleValue();
        }
        return out;
    }

    @Override
    public String toString() {
        return "LinePlot[" + title + ", " + series.size() + " series]";
    }

    /** Puts the legend to the right of the plot, for charts with many series. */
    public LinePlot legendOutside() {
        this.legendOutside = true;
        return this;
    }
}
