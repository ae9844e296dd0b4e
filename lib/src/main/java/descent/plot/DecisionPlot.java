package descent.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decision regions of a 2-D classifier, with the data on top: the plane is cut into a grid of
 * {@code resolution x resolution} cells, the classifier is asked about every cell centre at once (one [M, 2]
 * array, M = resolution^2), and each cell is shaded in its predicted class's light colour; the data points are
 * drawn over it in the full colour (and marker shape) of their true class. A point whose colour differs from the
 * region under it is misclassified.
 *
 * <pre>{@code
 * DecisionPlot.of("Two moons: what the network learned", "x1", "x2")
 *     .points(data.x(), data.labels())                 // [n, 2] and [n] or [n, 1] class indices 0, 1, ...
 *     .classNames("upper moon", "lower moon")
 *     .regions(grid -> predictClass(grid))             // [M, 2] -> [M] or [M, 1] class indices
 * }</pre>
 *
 * For a binary classifier {@link #probabilityRegions} shades by the predicted probability of class 1 instead,
 * in ten bands (the legend lists them), so the picture shows how sure the model is, not only where the boundary
 * p = 0.5 lies. The grid spans the data's bounding box plus a margin ({@link #margin}, default 10% of each
 * side's extent) unless {@link #range} fixes it.
 *
 * <p>It is an XChart {@link XYChart} underneath ({@link #chart()}): the cells are a scatter series per class (or
 * probability band) whose marker is a filled rectangle exactly one cell wide and high on screen.
 */
public final class DecisionPlot implements ChartPicture {

    /** Class colours, in order (colour-blind friendly: Okabe-Ito blue, orange, bluish green, vermillion, ...). */
    static final Color[] PALETTE = Style.CLASSES;

    /** Data-point marker shapes, one per class in order, so classes differ by more than colour. */
    private static final Marker[] SHAPES = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.TRAPEZOID
    };

    /** How much of a region colour is white: 0 = the class colour, 1 = white. */
    private static final double REGION_WHITE = 0.68;

    /** The number of probability bands in {@link #probabilityRegions} mode. */
    static final int BANDS = 10;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private double[] px;
    private double[] py;
    private int[] pointClass;
    private String[] classNames;
    private Function<INDArray, INDArray> classifier;
    private boolean probability;
    private int resolution = 120;
    private double margin = 0.1;
    private double[] range;
    private int width = 720;
    private int height = 520;

    private DecisionPlot(String title, String xLabel, String yLabel) {
        this.title = requireText(title, "title");
        this.xLabel = requireText(xLabel, "x-axis label");
        this.yLabel = requireText(yLabel, "y-axis label");
    }

    /** A decision-region plot with a title and axis labels; add {@link #points} and a classifier next. */
    public static DecisionPlot of(String title, String xLabel, String yLabel) {
        return new DecisionPlot(title, xLabel, yLabel);
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("a decision plot needs a " + what);
        }
        return s;
    }

    /**
     * The data points and their true classes.
     *
     * @param x the points, [n, 2], finite
     * @param labels class indices 0, 1, ... as numbers, [n] or [n, 1] (e.g. {@code Synthetic} labels)
     */
    public DecisionPlot points(INDArray x, INDArray labels) {
        if (x == null || labels == null) {
            throw new IllegalArgumentException("points: " + (x == null ? "x" : "labels") + " is null");
        }
        if (x.rank() != 2 || x.size(1) != 2 || x.size(0) == 0) {
            throw new IllegalArgumentException("points: x must be [n, 2] with n >= 1, got shape "
                    + Arrays.toString(x.shape()));
        }
        int n = (int) x.size(0);
        if (labels.length() != n || labels.rank() > 2 || (labels.rank() == 2 && labels.size(1) != 1
                && labels.size(0) != 1)) {
            throw new IllegalArgumentException("points: labels must be [n] or [n, 1] with n = " + n
                    + " (the rows of x), got shape " + Arrays.toString(labels.shape()));
        }
        double[][] xy = x.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = xy[i][0];
            b[i] = xy[i][1];
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException("points: x has a non-finite value in row " + i + ": ["
                        + a[i] + ", " + b[i] + "]");
            }
        }
        this.px = a;
        this.py = b;
        this.pointClass = classIndices("labels", labels.castTo(DataType.DOUBLE).reshape(n).toDoubleVector());
        return this;
    }

    /** Names for the classes, in class-index order (default "class 0", "class 1", ...); shown in the legend. */
    public DecisionPlot classNames(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("classNames: give at least one name");
        }
        for (int k = 0; k < names.length; k++) {
            requireText(names[k], "name for class " + k);
        }
        if (names.length > PALETTE.length) {
            throw new IllegalArgumentException("classNames: at most " + PALETTE.length + " classes, got "
                    + names.length);
        }
        this.classNames = names.clone();
        return this;
    }

    /**
     * Shades each cell by the class the classifier predicts there.
     *
     * @param classOf maps grid points [M, 2] (DOUBLE) to class indices, [M] or [M, 1] (whole numbers &gt;= 0)
     */
    public DecisionPlot regions(Function<INDArray, INDArray> classOf) {
        if (classOf == null) {
            throw new IllegalArgumentException("regions: classifier is null");
        }
        this.classifier = classOf;
        this.probability = false;
        return this;
    }

    /**
     * Shades each cell by the predicted probability of class 1 of a binary classifier, in ten bands of width 0.1:
     * below 0.5 in class 0's colour, at or above 0.5 in class 1's, paler near 0.5.
     *
     * @param probabilityOfClass1 maps grid points [M, 2] (DOUBLE) to probabilities in [0, 1], [M] or [M, 1]
     */
    public DecisionPlot probabilityRegions(Function<INDArray, INDArray> probabilityOfClass1) {
        if (probabilityOfClass1 == null) {
            throw new IllegalArgumentException("probabilityRegions: function is null");
        }
        this.classifier = probabilityOfClass1;
        this.probability = true;
        return this;
    }

    /** Cells per side of the grid, 10..400 (default 120). */
    public DecisionPlot resolution(int cellsPerSide) {
        if (cellsPerSide < 10 || cellsPerSide > 400) {
            throw new IllegalArgumentException("resolution must be in 10..400 cells per side, got " + cellsPerSide);
        }
        this.resolution = cellsPerSide;
        return this;
    }

    /** The margin around the data's bounding box as a fraction of its extent, 0..1 (default 0.1). */
    public DecisionPlot margin(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("margin must be a fraction in [0, 1], got " + fraction);
        }
        this.margin = fraction;
        return this;
    }

    /** Fixes the plotted area instead of fitting it to the data. */
    public DecisionPlot range(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMin < xMax) || !(yMin < yMax) || !Double.isFinite(xMax - xMin) || !Double.isFinite(yMax - yMin)) {
            throw new IllegalArgumentException("range needs finite xMin < xMax and yMin < yMax, got x " + xMin
                    + " .. " + xMax + ", y " + yMin + " .. " + yMax);
        }
        this.range = new double[] {xMin, xMax, yMin, yMax};
        return this;
    }

    /** Picture size in pixels (default 720 x 520). */
    public DecisionPlot size(int width, int height) {
        if (width < 200 || height < 200) {
            throw new IllegalArgumentException("decision plot size must be at least 200x200, got " + width + "x"
                    + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * The grid's cell centres as [resolution^2, 2] DOUBLE (row-major: x varies fastest), i.e. what the
     * classifier is called with.
     */
    public INDArray grid() {
        double[] r = area();
        int m = resolution;
        double[][] g = new double[m * m][2];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                g[j * m + i][0] = r[0] + (i + 0.5) * (r[1] - r[0]) / m;
                g[j * m + i][1] = r[2] + (j + 0.5) * (r[3] - r[2]) / m;
            }
        }
        return Nd4j.createFromArray(g);
    }

    /** The XChart chart: region series first (under), then one scatter series of data points per class. */
    @Override
    public XYChart chart() {
        if (px == null) {
            throw new IllegalStateException("decision plot '" + title + "' has no data; add .points(x, labels)");
        }
        if (classifier == null) {
            throw new IllegalStateException("decision plot '" + title
                    + "' has no classifier; add .regions(f) or .probabilityRegions(f)");
        }
        double[] r = area();
        INDArray grid = grid();
        double[] out = classifierOutput(grid);
        int classes = classCount(out);
        double[][] g = grid.toDoubleMatrix();
        double cellW = (r[1] - r[0]) / resolution;
        double cellH = (r[3] - r[2]) / resolution;

        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisMin(r[0]);
        chart.getStyler().setXAxisMax(r[1]);
        chart.getStyler().setYAxisMin(r[2]);
        chart.getStyler().setYAxisMax(r[3]);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setYAxisDecimalPattern("0.0#");

        Marker cell = new Cell(chart, cellW, cellH, r[1]);
        if (probability) {
            for (int band = 0; band < BANDS; band++) {
                double lo = (double) band / BANDS;
                double hi = (double) (band + 1) / BANDS;
                List<double[]> members = new ArrayList<>();
                for (int i = 0; i < out.length; i++) {
                    if (bandOf(out[i]) == band) {
                        members.add(g[i]);
                    }
                }
                if (members.isEmpty()) {
                    continue;
                }
                // confidence 0 at p = 0.5, 1 at p = 0 or 1 (band centre)
                double centre = (lo + hi) / 2;
                double confidence = Math.abs(centre - 0.5) * 2;
                Color base = PALETTE[centre < 0.5 ? 0 : 1];
                Color colour = mix(base, 1.0 - (1.0 - REGION_WHITE) * (0.25 + 0.75 * confidence));
                String name = String.format(Locale.ROOT, "P(%s) %.1f–%.1f", name(1, classes), lo, hi);
                addCells(chart, name, members, colour, cell);
            }
        } else {
            for (int k = 0; k < classes; k++) {
                List<double[]> members = new ArrayList<>();
                for (int i = 0; i < out.length; i++) {
                    if ((int) out[i] == k) {
                        members.add(g[i]);
                    }
                }
                if (!members.isEmpty()) {
                    addCells(chart, "region: " + name(k, classes), members, mix(PALETTE[k], REGION_WHITE), cell);
                }
            }
        }
        for (int k = 0; k < classes; k++) {
            List<double[]> members = new ArrayList<>();
            for (int i = 0; i < px.length; i++) {
                if (pointClass[i] == k) {
                    members.add(new double[] {px[i], py[i]});
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(name(k, classes), column(members, 0), column(members, 1));
            s.setMarker(SHAPES[k]);
            s.setMarkerColor(PALETTE[k]);
        }
        return chart;
    }

    @Override
    public String toString() {
        return "DecisionPlot[" + title + (px == null ? ", no points" : ", " + px.length + " points") + "]";
    }

    // ------------------------------------------------------------------------------------------ internals

    private static void addCells(XYChart chart, String name, List<double[]> members, Color colour, Marker cell) {
        XYSeries s = chart.addSeries(name, column(members, 0), column(members, 1));
        s.setMarker(cell);
        s.setMarkerColor(colour);
    }

    private static int bandOf(double p) {
        return Math.min(BANDS - 1, (int) Math.floor(p * BANDS));
    }

    private String name(int k, int classes) {
        if (classNames != null && k < classNames.length) {
            return classNames[k];
        }
        return "class " + k;
    }

    /** [xMin, xMax, yMin, yMax] of the plotted area. */
    private double[] area() {
        if (range != null) {
            return range.clone();
        }
        if (px == null) {
            throw new IllegalStateException("decision plot '" + title
                    + "' has neither points nor a range; add .points(x, labels) or .range(...)");
        }
        double x0 = Arrays.stream(px).min().getAsDouble();
        double x1 = Arrays.stream(px).max().getAsDouble();
        double y0 = Arrays.stream(py).min().getAsDouble();
        double y1 = Arrays.stream(py).max().getAsDouble();
        double dx = Math.max(x1 - x0, 1e-9);
        double dy = Math.max(y1 - y0, 1e-9);
        return new double[] {x0 - margin * dx, x1 + margin * dx, y0 - margin * dy, y1 + margin * dy};
    }

    private double[] classifierOutput(INDArray grid) {
        INDArray result = classifier.apply(grid);
        long m = grid.size(0);
        if (result == null) {
            throw new IllegalArgumentException("the classifier returned null for the [" + m + ", 2] grid");
        }
        boolean vector = result.rank() == 1 || (result.rank() == 2 && (result.size(1) == 1 || result.size(0) == 1));
        if (!vector || result.length() != m) {
            throw new IllegalArgumentException("the classifier must map the [" + m + ", 2] grid to [" + m + "] or ["
                    + m + ", 1] " + (probability ? "probabilities" : "class indices") + ", got shape "
                    + Arrays.toString(result.shape()));
        }
        double[] v = result.castTo(DataType.DOUBLE).reshape(m).toDoubleVector();
        if (probability) {
            for (int i = 0; i < v.length; i++) {
                if (!(v[i] >= 0.0 && v[i] <= 1.0)) {
                    throw new IllegalArgumentException("probabilityRegions: the classifier returned " + v[i]
                            + " at grid row " + i + "; probabilities must be in [0, 1]");
                }
            }
            return v;
        }
        classIndices("the classifier's output", v);
        return v;
    }

    private int[] classIndices(String what, double[] v) {
        int[] k = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || v[i] < 0 || v[i] != Math.rint(v[i]) || v[i] >= PALETTE.length) {
                throw new IllegalArgumentException(what + " must be class indices 0.." + (PALETTE.length - 1)
                        + "; got " + v[i] + " at row " + i + (probability && what.startsWith("the classifier")
                        ? "" : " (for probabilities use probabilityRegions)"));
            }
            k[i] = (int) v[i];
        }
        return k;
    }

    private int classCount(double[] out) {
        int max = 1; // at least two classes
        for (int k : pointClass) {
            max = Math.max(max, k);
        }
        if (!probability) {
            for (double v : out) {
                max = Math.max(max, (int) v);
            }
        } else if (max > 1) {
            throw new IllegalArgumentException("probabilityRegions is for two classes, but the labels hold class "
                    + max + "; use regions(classOf) for more");
        }
        if (classNames != null) {
            max = Math.max(max, classNames.length - 1);
        }
        return max + 1;
    }

    private static double[] column(List<double[]> rows, int j) {
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = rows.get(i)[j];
        }
        return c;
    }

    /** {@code c} mixed with white: fraction {@code white} of white. */
    static Color mix(Color c, double white) {
        return new Color((int) Math.round(c.getRed() + (255 - c.getRed()) * white),
                (int) Math.round(c.getGreen() + (255 - c.getGreen()) * white),
                (int) Math.round(c.getBlue() + (255 - c.getBlue()) * white));
    }

    /**
     * A marker that fills one grid cell: a rectangle {@code cellW x cellH} in data units, converted to pixels
     * with the chart's axes at paint time (one pixel larger, so neighbouring cells leave no gap). In the legend
     * (which lies right of the plot, beyond xMax) it is drawn at the size XChart asks for.
     */
    private static final class Cell extends Marker {
        private final XYChart chart;
        private final double cellW;
        private final double cellH;
        private final double xMax;

        Cell(XYChart chart, double cellW, double cellH, double xMax) {
            this.chart = chart;
            this.cellW = cellW;
            this.cellH = cellH;
            this.xMax = xMax;
        }

        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            double w = Math.abs(chart.getScreenXFromChart(cellW) - chart.getScreenXFromChart(0.0));
            double h = Math.abs(chart.getScreenYFromChart(cellH) - chart.getScreenYFromChart(0.0));
            boolean inLegend = xOffset > chart.getScreenXFromChart(xMax) + w;
            if (inLegend || !(w > 0) || !(h > 0) || w > chart.getWidth() || h > chart.getHeight()) {
                w = markerSize + 3; // the legend, or before the axes are laid out
                h = markerSize + 3;
            }
            g.fill(new Rectangle2D.Double(xOffset - w / 2, yOffset - h / 2, w + 1, h + 1));
        }
    }
}
