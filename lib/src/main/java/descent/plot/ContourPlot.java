package descent.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * A filled contour plot (heat map with level bands) of a function f(x, y) over a rectangle, with optimizer
 * trajectories drawn on top. XChart has no contour chart; this one is drawn with Java2D.
 *
 * <pre>{@code
 * ContourPlot.of("Rosenbrock", (x, y) -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), -2, 2, -1, 3)
 *            .logLevels()                 // level boundaries spaced evenly in log(f - min f)
 *            .point("minimum", 1, 1)
 *            .path("Adam", xs, ys)        // iterates x_0, x_1, ... of one run
 *            .path("SGD", xs2, ys2)
 * }</pre>
 *
 * <p>What the picture shows:
 * <ul>
 *   <li>f evaluated at every pixel of the plot area, coloured by the level band it falls in (light = low,
 *       dark = high), with a thin darker line where the band changes (the contour lines);</li>
 *   <li>a colour bar with the band boundaries as values of f ({@link #logLevels()} for functions such as
 *       Rosenbrock whose interesting part is many decades below the maximum);</li>
 *   <li>each trajectory as a polyline with a dot at every iterate (when it has at most {@value #MAX_DOTS}
 *       points), an open circle at its start and a star at its end;</li>
 *   <li>a legend beside the plot (never over it) naming each trajectory.</li>
 * </ul>
 *
 * <p>Robust to what optimizers do: segments that leave the range are clipped at its border; non-finite
 * iterates (NaN, ±∞) are dropped and the line is broken there. The legend entry says {@code "diverged"} when a
 * trajectory had non-finite iterates and {@code "left the plot"} when its last finite iterate lies outside the
 * range. Pixels where f is not finite are grey.
 */
public final class ContourPlot implements Renderable {

    /** Trajectories with at most this many points get a dot at every iterate. */
    public static final int MAX_DOTS = 200;

    /** Colours of trajectories, in order; chosen to stand out on the light level colours. */
    private static final Color[] PALETTE = Style.LINES;
    private static final Color UNDEFINED = Style.UNDEFINED;

    private final String title;
    private final DoubleBinaryOperator f;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private String xLabel = "x";
    private String yLabel = "y";
    private String valueLabel = "f(x, y)";
    private int levelCount = 15;
    private boolean log;
    private double decades = 6;
    private double[] fixedLevels;
    private int width = 760;
    private int height = 520;
    private final List<Path> paths = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private boolean showLegend = true;
    private boolean showColorBar = true;
    private int upTo = Integer.MAX_VALUE;
    private double[][] sampled;      // f on the last plot area drawn, reused while the size stays (animation frames)

    private record Path(String name, double[] x, double[] y, Color color) {
    }

    private record Mark(String name, double x, double y) {
    }

    private ContourPlot(String title, DoubleBinaryOperator f, double xMin, double xMax, double yMin, double yMax) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a contour plot needs a title");
        }
        if (f == null) {
            throw new IllegalArgumentException("contour plot '" + title + "': the function f(x, y) is null");
        }
        checkRange(title, "x", xMin, xMax);
        checkRange(title, "y", yMin, yMax);
        this.title = title;
        this.f = f;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    private static void checkRange(String title, String axis, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("contour plot '" + title + "': the " + axis
                    + " range needs finite min < max, got " + min + " .. " + max);
        }
    }

    /** A contour plot of {@code f} over [xMin, xMax] × [yMin, yMax], with linearly spaced levels. */
    public static ContourPlot of(String title, DoubleBinaryOperator f, double xMin, double xMax, double yMin,
            double yMax) {
        return new ContourPlot(title, f, xMin, xMax, yMin, yMax);
    }

    /** Axis labels (default "x" and "y"). */
    public ContourPlot labels(String xLabel, String yLabel) {
        this.xLabel = requireText(xLabel, "x-axis label");
        this.yLabel = requireText(yLabel, "y-axis label");
        return this;
    }

    /** The name of the plotted value, shown above the colour bar (default "f(x, y)"). */
    public ContourPlot valueLabel(String label) {
        this.valueLabel = requireText(label, "value label");
        return this;
    }

    /** The number of filled level bands (default 15). */
    public ContourPlot levels(int count) {
        if (count < 2 || count > 64) {
            throw new IllegalArgumentException("contour plot '" + title + "': levels must be in 2..64, got " + count);
        }
        this.levelCount = count;
        this.fixedLevels = null;
        return this;
    }

    /**
     * Explicit band boundaries, strictly increasing (at least 3 values); values of f below the first or above
     * the last take the first or last band.
     */
    public ContourPlot levels(double... boundaries) {
        if (boundaries == null || boundaries.length < 3) {
            throw new IllegalArgumentException("contour plot '" + title + "': give at least 3 level boundaries");
        }
        for (int i = 0; i < boundaries.length; i++) {
            if (!Double.isFinite(boundaries[i]) || (i > 0 && !(boundaries[i] > boundaries[i - 1]))) {
                throw new IllegalArgumentException("contour plot '" + title
                        + "': level boundaries must be finite and strictly increasing, got "
                        + Arrays.toString(boundaries));
            }
        }
        this.fixedLevels = boundaries.clone();
        this.log = false;
        return this;
    }

    /**
     * Log-spaced levels over 6 decades: the band boundaries are min f, and min f + (max f − min f)·10^(−6 + 6k/(n−1))
     * for k = 0 … n−1, so the bands resolve a valley whose floor is a million times lower than the walls.
     */
    public ContourPlot logLevels() {
        return logLevels(6);
    }

    /** Log-spaced levels over {@code decades} decades below max f − min f (see {@link #logLevels()}). */
    public ContourPlot logLevels(double decades) {
        if (!(decades > 0 && decades <= 15)) {
            throw new IllegalArgumentException("contour plot '" + title + "': decades must be in (0, 15], got "
                    + decades);
        }
        this.log = true;
        this.decades = decades;
        this.fixedLevels = null;
        return this;
    }

    /** Picture size in pixels (default 760 × 520). */
    public ContourPlot size(int width, int height) {
        if (width < 300 || height < 200) {
            throw new IllegalArgumentException("contour plot size must be at least 300x200, got " + width + "x"
                    + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Hides (or shows again) the legend: for small panels whose title already names the one trajectory, and whose
     * markers (open circle = start, star = last iterate drawn, cross = marked point) a caption explains.
     */
    public ContourPlot legend(boolean show) {
        this.showLegend = show;
        return this;
    }

    /** Hides (or shows again) the colour bar, e.g. for small panels that share one function, range and levels. */
    public ContourPlot colorBar(boolean show) {
        this.showColorBar = show;
        return this;
    }

    /**
     * Draws each trajectory only up to iterate {@code step} (its star then marks the iterate at that step): one
     * frame of an animation. {@code Integer.MAX_VALUE} (the default) draws whole trajectories. The sampled
     * function is kept between frames, so drawing frame after frame costs only the paths.
     */
    public ContourPlot upTo(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("contour plot '" + title + "': upTo needs a step >= 0, got " + step);
        }
        this.upTo = step;
        return this;
    }

    /** Adds a named trajectory: the iterates (xs[i], ys[i]), i = 0, 1, …; its colour is the next of the palette. */
    public ContourPlot path(String name, double[] xs, double[] ys) {
        return path(name, xs, ys, PALETTE[paths.size() % PALETTE.length]);
    }

    /** Adds a named trajectory in the given colour. */
    public ContourPlot path(String name, double[] xs, double[] ys, Color color) {
        requireText(name, "trajectory name (it appears in the legend)");
        if (xs == null || ys == null) {
            throw new IllegalArgumentException("trajectory '" + name + "': xs and ys must not be null");
        }
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("trajectory '" + name + "': xs has " + xs.length
                    + " values but ys has " + ys.length);
        }
        if (xs.length == 0) {
            throw new IllegalArgumentException("trajectory '" + name + "' is empty");
        }
        if (color == null) {
            throw new IllegalArgumentException("trajectory '" + name + "': colour is null");
        }
        for (Path p : paths) {
            if (p.name.equals(name)) {
                throw new IllegalArgumentException("trajectory '" + name + "' is already in this plot");
            }
        }
        paths.add(new Path(name, xs.clone(), ys.clone(), color));
        return this;
    }

    /** Marks a point, e.g. the minimum, with a black cross and a legend entry. */
    public ContourPlot point(String name, double x, double y) {
        requireText(name, "point name (it appears in the legend)");
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point '" + name + "' must be finite, got (" + x + ", " + y + ")");
        }
        marks.add(new Mark(name, x, y));
        return this;
    }

    private String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("contour plot '" + title + "' needs a " + what);
        }
        return s;
    }

    // ------------------------------------------------------------------ what is drawn (also for tests)

    /** The legend text of each trajectory, in order: its name, plus "diverged" or "left the plot" if so. */
    public List<String> legendLabels() {
        List<String> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(legendLabel(p));
        }
        return out;
    }

    private String legendLabel(Path p) {
        boolean nonFinite = false;
        int last = -1;
        for (int i = 0; i < p.x.length; i++) {
            if (Double.isFinite(p.x[i]) && Double.isFinite(p.y[i])) {
                last = i;
            } else {
                nonFinite = true;
            }
        }
        if (nonFinite) {
            return p.name + " (diverged)";
        }
        if (!inside(p.x[last], p.y[last])) {
            return p.name + " (left the plot)";
        }
        return p.name;
    }

    private boolean inside(double x, double y) {
        return x >= xMin && x <= xMax && y >= yMin && y <= yMax;
    }

    /**
     * The band boundaries used for the current size: {@code levels + 1} increasing values from min f to max f
     * over the plot's pixel grid (or the explicit boundaries).
     */
    public double[] levelBoundaries() {
        Layout l = layout();
        return boundaries(sample(l.plot.width, l.plot.height));
    }

    /**
     * Where the parts are, in pixels (package-private, for tests). The legend goes below the plot when it fits in
     * two rows there, else in a column to the right of the colour bar; never over the plot.
     */
    record Layout(Rectangle plot, Rectangle colorBar, Rectangle legend, boolean legendBelow) {
    }

    private static final Font TITLE_FONT = Style.TITLE;
    private static final Font LABEL_FONT = Style.LABEL;
    private static final Font TICK_FONT = Style.TICK;
    private static final Font LEGEND_FONT = Style.LEGEND;
    private static final int LEGEND_ROW = 20;

    /** One legend entry: a trajectory (its colour), a marked point, or the start/end key. */
    private record Entry(String text, Color color, boolean mark, boolean key) {
    }

    private List<Entry> legendEntries() {
        List<Entry> out = new ArrayList<>();
        if (!showLegend) {
            return out;
        }
        for (Path p : paths) {
            out.add(new Entry(legendLabel(p), p.color, false, false));
        }
        for (Mark m : marks) {
            out.add(new Entry(m.name, Color.BLACK, true, false));
        }
        if (!paths.isEmpty()) {
            out.add(new Entry(legendKey(), Color.DARK_GRAY, false, true));
        }
        return out;
    }

    private static int entryWidth(Entry e, FontMetrics fm) {
        if (e.key) {
            return 24 + fm.stringWidth("start") + (e.text.equals("start") ? 0 : 22 + fm.stringWidth("end")) + 6;
        }
        return 36 + fm.stringWidth(e.text) + 6;
    }

    /** Whether an end star is drawn: some trajectory's last drawn finite iterate lies inside the range. */
    boolean endShown() {
        for (Path p : paths) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < drawn(p); i++) {
                if (Double.isFinite(p.x[i]) && Double.isFinite(p.y[i])) {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            if (last > first && inside(p.x[last], p.y[last])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The legend's key entry (drawn when the legend is shown): "start   end", or "start" when no end star is drawn
     * (the star is explained only when one is drawn).
     */
    String legendKey() {
        return paths.isEmpty() ? null : endShown() ? "start   end" : "start";
    }

    /** Rows needed to flow the entries left to right in {@code width} pixels. */
    private static int flowRows(List<Entry> entries, FontMetrics fm, int width) {
        int rows = entries.isEmpty() ? 0 : 1;
        int x = 0;
        for (Entry e : entries) {
            int w = entryWidth(e, fm) + 14;
            if (x > 0 && x + w > width) {
                rows++;
                x = 0;
            }
            x += w;
        }
        return rows;
    }

    Layout layout() {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics lm = scratch.getFontMetrics(LEGEND_FONT);
        List<Entry> entries = legendEntries();
        int top = 38;
        int bottom = 48;
        int left = 62;
        int barWidth = 16;
        int barTicks = 62;
        int gap = 14;
        int belowWidth = width - left - 8;
        int belowRows = flowRows(entries, lm, belowWidth - 12);
        boolean below = !entries.isEmpty() && belowRows <= 2;
        int legendWidth = 0;
        if (!entries.isEmpty() && !below) {
            for (Entry e : entries) {
                legendWidth = Math.max(legendWidth, entryWidth(e, lm) + 12);
            }
            legendWidth = Math.min(legendWidth, width / 3);
        }
        scratch.dispose();
        int legendHeight = below ? belowRows * LEGEND_ROW + 8 : 0;
        int barSpace = showColorBar ? gap + barWidth + barTicks : 0;
        int right = barSpace + (legendWidth > 0 ? gap + legendWidth : 0) + 8;
        int plotW = Math.max(60, width - left - right);
        int plotH = Math.max(60, height - top - bottom - (below ? legendHeight + 4 : 0));
        Rectangle plot = new Rectangle(left, top, plotW, plotH);
        int barTop = log ? 30 : 18;
        Rectangle bar = new Rectangle(left + plotW + gap, top + barTop, barWidth, plotH - barTop);
        Rectangle legend;
        if (below) {
            legend = new Rectangle(left, top + plotH + bottom, belowWidth, legendHeight);
        } else if (legendWidth > 0) {
            legend = new Rectangle(left + plotW + barSpace + gap, top, legendWidth,
                    Math.min(plotH, entries.size() * LEGEND_ROW + 10));
        } else {
            legend = new Rectangle(0, 0, 0, 0);
        }
        return new Layout(plot, bar, legend, below);
    }

    // ------------------------------------------------------------------ drawing

    @Override
    public BufferedImage image() {
        Layout l = layout();
        Rectangle plot = l.plot;
        if (sampled == null || sampled.length != plot.height || sampled[0].length != plot.width) {
            sampled = sample(plot.width, plot.height);
        }
        double[][] values = sampled;
        double[] bounds = boundaries(values);
        int bands = bounds.length - 1;
        Color[] colors = bandColors(bands);

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        drawField(img, plot, values, bounds, colors);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        drawAxes(g, plot);
        if (showColorBar) {
            drawColorBar(g, l.colorBar, bounds, colors);
        }
        drawPaths(g, plot);
        drawLegend(g, l);

        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        FontMetrics tm = g.getFontMetrics();
        String shown = Style.fit(title, tm, width - 8);
        g.drawString(shown, Math.max(4, (width - tm.stringWidth(shown)) / 2), 24);
        g.dispose();
        return img;
    }

    /** f at the centre of every pixel of a w × h plot area; row 0 is the top (largest y). */
    private double[][] sample(int w, int h) {
        double[][] v = new double[h][w];
        for (int r = 0; r < h; r++) {
            double y = yMax - (r + 0.5) * (yMax - yMin) / h;
            for (int c = 0; c < w; c++) {
                double x = xMin + (c + 0.5) * (xMax - xMin) / w;
                double fx;
                try {
                    fx = f.applyAsDouble(x, y);
                } catch (ArithmeticException e) {
                    fx = Double.NaN;
                }
                v[r][c] = fx;
            }
        }
        return v;
    }

    private double[] boundaries(double[][] values) {
        if (fixedLevels != null) {
            return fixedLevels.clone();
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = 0;
            hi = 1;
        }
        if (!(hi > lo)) {
            hi = lo + Math.max(1e-12, Math.abs(lo) * 1e-12);
        }
        int n = levelCount;
        double[] b = new double[n + 1];
        b[0] = lo;
        b[n] = hi;
        double span = hi - lo;
        for (int k = 1; k < n; k++) {
            if (log) {
                b[k] = lo + span * Math.pow(10, -decades + decades * (k - 1) / (n - 1));
            } else {
                b[k] = lo + span * k / n;
            }
        }
        return b;
    }

    private static int band(double v, double[] bounds) {
        int n = bounds.length - 1;
        if (v <= bounds[1]) {
            return 0;
        }
        if (v >= bounds[n - 1]) {
            return n - 1;
        }
        int i = Arrays.binarySearch(bounds, v);
        return i >= 0 ? Math.min(i, n - 1) : -i - 2;
    }

    /** Level colours, light (low f) to dark (high f): viridis reversed, blended with white so paths stand out. */
    private static Color[] bandColors(int bands) {
        Color[] out = new Color[bands];
        for (int k = 0; k < bands; k++) {
            double t = 1.0 - (bands == 1 ? 0 : (double) k / (bands - 1));
            Color c = Style.viridis(t);
            double w = 0.45;
            out[k] = new Color(mix(c.getRed(), w), mix(c.getGreen(), w), mix(c.getBlue(), w));
        }
        return out;
    }

    private static int mix(int channel, double white) {
        return (int) Math.round(channel + (255 - channel) * white);
    }

    private static void drawField(BufferedImage img, Rectangle plot, double[][] values, double[] bounds,
            Color[] colors) {
        int h = values.length;
        int w = values[0].length;
        int[][] idx = new int[h][w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = values[r][c];
                idx[r][c] = Double.isFinite(v) ? band(v, bounds) : -1;
            }
        }
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int k = idx[r][c];
                Color col = k < 0 ? UNDEFINED : colors[k];
                boolean edge = (c + 1 < w && idx[r][c + 1] != k) || (r + 1 < h && idx[r + 1][c] != k);
                int rgb = col.getRGB();
                if (edge) {
                    rgb = new Color((int) (col.getRed() * 0.72), (int) (col.getGreen() * 0.72),
                            (int) (col.getBlue() * 0.72)).getRGB();
                }
                img.setRGB(plot.x + c, plot.y + r, rgb);
            }
        }
    }

    private double px(Rectangle plot, double x) {
        return plot.x + (x - xMin) / (xMax - xMin) * plot.width;
    }

    private double py(Rectangle plot, double y) {
        return plot.y + (yMax - y) / (yMax - yMin) * plot.height;
    }

    private void drawAxes(Graphics2D g, Rectangle plot) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        for (double t : Style.niceTicks(xMin, xMax, Math.max(3, plot.width / 80))) {
            int x = (int) Math.round(px(plot, t));
            g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 5);
            String s = Style.format(t);
            g.drawString(s, x - fm.stringWidth(s) / 2, plot.y + plot.height + 7 + fm.getAscent());
        }
        for (double t : Style.niceTicks(yMin, yMax, Math.max(3, plot.height / 60))) {
            int y = (int) Math.round(py(plot, t));
            g.drawLine(plot.x - 5, y, plot.x, y);
            String s = Style.format(t);
            g.drawString(s, plot.x - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        g.setFont(LABEL_FONT);
        FontMetrics lm = g.getFontMetrics();
        g.drawString(xLabel, plot.x + (plot.width - lm.stringWidth(xLabel)) / 2, plot.y + plot.height + 40);
        AffineTransform saved = g.getTransform();
        g.translate(16, plot.y + (plot.height + lm.stringWidth(yLabel)) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, 0, 0);
        g.setTransform(saved);
    }

    private void drawColorBar(Graphics2D g, Rectangle bar, double[] bounds, Color[] colors) {
        int bands = colors.length;
        for (int k = 0; k < bands; k++) {
            int y0 = bar.y + (int) Math.round(bar.height * (1.0 - (double) (k + 1) / bands));
            int y1 = bar.y + (int) Math.round(bar.height * (1.0 - (double) k / bands));
            g.setColor(colors[k]);
            g.fillRect(bar.x, y0, bar.width, y1 - y0);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(bar.x, bar.y, bar.width, bar.height);
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int every = Math.max(1, (int) Math.ceil((bands + 1) / Math.max(2.0, bar.height / 28.0)));
        for (int k = 0; k <= bands; k++) {
            if (k % every != 0 && k != bands) {
                continue;
            }
            if (k != bands && bands - k < every) {
                continue; // keep the top label clear of the one below it
            }
            int y = bar.y + (int) Math.round(bar.height * (1.0 - (double) k / bands));
            g.setColor(Color.DARK_GRAY);
            g.drawLine(bar.x + bar.width, y, bar.x + bar.width + 4, y);
            g.setColor(Color.BLACK);
            g.drawString(Style.format(bounds[k]), bar.x + bar.width + 6, y + fm.getAscent() / 2 - 1);
        }
        g.setFont(TICK_FONT);
        String[] head = log ? new String[] {valueLabel, "(log levels)"} : new String[] {valueLabel};
        for (int i = 0; i < head.length; i++) {
            int x = Math.max(bar.x - 24, Math.min(bar.x - 4, width - fm.stringWidth(head[i]) - 4));
            g.drawString(head[i], x, bar.y - 7 - (head.length - 1 - i) * (fm.getHeight() - 1));
        }
    }

    private void drawPaths(Graphics2D g, Rectangle plot) {
        Shape oldClip = g.getClip();
        g.setClip(new Rectangle(plot.x, plot.y, plot.width + 1, plot.height + 1));
        float width = paths.size() <= 4 ? 2f : 1.6f; // thinner lines when many trajectories share the picture
        BasicStroke halo = new BasicStroke(width + 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        BasicStroke line = new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        for (int pass = 0; pass < 2; pass++) {
            for (Path p : paths) {
                int n = drawn(p);
                List<Line2D> segs = clippedSegments(plot, p, n);
                g.setStroke(pass == 0 ? halo : line);
                g.setColor(pass == 0 ? new Color(255, 255, 255, 200) : p.color);
                for (Line2D s : segs) {
                    g.draw(s);
                }
                if (pass == 1 && p.x.length <= MAX_DOTS) {
                    for (int i = 0; i < n; i++) {
                        if (Double.isFinite(p.x[i]) && Double.isFinite(p.y[i]) && inside(p.x[i], p.y[i])) {
                            double cx = px(plot, p.x[i]);
                            double cy = py(plot, p.y[i]);
                            g.fill(new Ellipse2D.Double(cx - 2.2, cy - 2.2, 4.4, 4.4));
                        }
                    }
                }
            }
        }
        // marked points over the lines, under the start and end markers (an end star on the minimum stays visible)
        for (Mark m : marks) {
            if (inside(m.x, m.y)) {
                crossMarker(g, px(plot, m.x), py(plot, m.y));
            }
        }
        for (Path p : paths) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < drawn(p); i++) {
                if (Double.isFinite(p.x[i]) && Double.isFinite(p.y[i])) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            if (first < 0) {
                continue;
            }
            if (inside(p.x[first], p.y[first])) {
                startMarker(g, px(plot, p.x[first]), py(plot, p.y[first]), p.color);
            }
            if (last != first && inside(p.x[last], p.y[last])) {
                endMarker(g, px(plot, p.x[last]), py(plot, p.y[last]), p.color);
            }
        }
        g.setClip(oldClip);
    }

    /** How many iterates of the path are drawn: all, or the first {@code upTo + 1}. */
    private int drawn(Path p) {
        return (int) Math.min(p.x.length, (long) upTo + 1);
    }

    /** The path's first n iterates' segments between consecutive finite iterates, clipped to the plot range, in pixels. */
    private List<Line2D> clippedSegments(Rectangle plot, Path p, int n) {
        List<Line2D> out = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            double x0 = p.x[i - 1];
            double y0 = p.y[i - 1];
            double x1 = p.x[i];
            double y1 = p.y[i];
            if (!(Double.isFinite(x0) && Double.isFinite(y0) && Double.isFinite(x1) && Double.isFinite(y1))) {
                continue;
            }
            double[] c = clip(x0, y0, x1, y1);
            if (c != null) {
                out.add(new Line2D.Double(px(plot, c[0]), py(plot, c[1]), px(plot, c[2]), py(plot, c[3])));
            }
        }
        return out;
    }

    /** Liang–Barsky clipping of a segment to the plot range; null if it misses the range entirely. */
    double[] clip(double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        if (!Double.isFinite(dx) || !Double.isFinite(dy)) {
            return null; // endpoints so far apart that their difference overflows: the segment is drawn nowhere sane
        }
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {x0 - xMin, xMax - x0, y0 - yMin, yMax - y0};
        double t0 = 0;
        double t1 = 1;
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return null;
                }
            } else {
                double r = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, r);
                } else {
                    t1 = Math.min(t1, r);
                }
            }
        }
        if (t0 > t1) {
            return null;
        }
        return new double[] {x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy};
    }

    static void startMarker(Graphics2D g, double x, double y, Color c) {
        Ellipse2D e = new Ellipse2D.Double(x - 6, y - 6, 12, 12);
        g.setStroke(new BasicStroke(2.2f));
        g.setColor(Color.WHITE);
        g.fill(e);
        g.setColor(c);
        g.draw(e);
    }

    static void endMarker(Graphics2D g, double x, double y, Color c) {
        Shape star = star(x, y, 8.5, 3.6);
        g.setColor(c);
        g.fill(star);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(Color.WHITE);
        g.draw(star);
    }

    static void crossMarker(Graphics2D g, double x, double y) {
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(Color.WHITE);
        g.draw(new Line2D.Double(x - 7, y, x + 7, y));
        g.draw(new Line2D.Double(x, y - 7, x, y + 7));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(Color.BLACK);
        g.draw(new Line2D.Double(x - 7, y, x + 7, y));
        g.draw(new Line2D.Double(x, y - 7, x, y + 7));
    }

    private static Shape star(double cx, double cy, double outer, double inner) {
        Path2D.Double s = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            double x = cx + r * Math.cos(a);
            double y = cy + r * Math.sin(a);
            if (i == 0) {
                s.moveTo(x, y);
            } else {
                s.lineTo(x, y);
            }
        }
        s.closePath();
        return s;
    }

    private void drawLegend(Graphics2D g, Layout l) {
        Rectangle box = l.legend;
        if (box.width == 0) {
            return;
        }
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        List<Entry> entries = legendEntries();
        g.setColor(Color.WHITE);
        g.fillRect(box.x, box.y, box.width, box.height);
        g.setColor(Style.BORDER);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(box.x, box.y, box.width, box.height);
        int x = box.x + 6;
        int y = box.y + 4 + LEGEND_ROW / 2;
        for (Entry e : entries) {
            int w = entryWidth(e, fm);
            if (l.legendBelow) {
                if (x > box.x + 6 && x + w > box.x + box.width - 6) {
                    x = box.x + 6;
                    y += LEGEND_ROW;
                }
            } else {
                w = Math.min(w, box.width - 12);
            }
            drawEntry(g, fm, e, x, y, w);
            if (l.legendBelow) {
                x += w + 14;
            } else {
                y += LEGEND_ROW;
            }
        }
    }

    private static void drawEntry(Graphics2D g, FontMetrics fm, Entry e, int x, int y, int w) {
        int baseline = y + fm.getAscent() / 2 - 1;
        if (e.key) {
            Color keyColor = new Color(90, 90, 90);
            startMarker(g, x + 8, y, keyColor);
            g.setColor(Color.DARK_GRAY);
            g.drawString("start", x + 18, baseline);
            if (e.text.equals("start")) {
                return;
            }
            int ex = x + 18 + fm.stringWidth("start") + 14;
            endMarker(g, ex, y, keyColor);
            g.setColor(Color.DARK_GRAY);
            g.drawString("end", ex + 10, baseline);
            return;
        }
        if (e.mark) {
            crossMarker(g, x + 15, y);
        } else {
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(e.color);
            g.draw(new Line2D.Double(x + 2, y, x + 28, y));
        }
        g.setColor(Color.BLACK);
        g.setFont(LEGEND_FONT);
        g.drawString(Style.fit(e.text, fm, w - 40), x + 36, baseline);
    }

    @Override
    public String toString() {
        return "ContourPlot[" + title + ", " + paths.size() + " trajectories]";
    }
}
