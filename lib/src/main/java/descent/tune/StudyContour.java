package descent.tune;

import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The objective over two parameters of a study (Optuna's {@code plot_contour}), interpolated between the
 * COMPLETE trials, with the trials on top. Drawn with Java2D in unit coordinates ({@link Space#unit}), so a log
 * dimension gets a log axis and a categorical one its categories as ticks.
 *
 * <p>Interpolation, as plotly's {@code connectgaps} which Optuna's contour uses: the unit square is cut into
 * G × G cells (G = {@value #GRID}); a cell holding trials takes the mean of their values and keeps it; every other
 * cell becomes the mean of its (up to four) neighbours, a discrete Laplace equation solved by successive
 * over-relaxation (Gauss–Seidel sweeps with ω = {@value #OMEGA}) until no cell moves by more than 10⁻⁹ of the value
 * range. The solution is the smoothest surface through the trials' cells and never leaves their range (the
 * maximum principle). Pixels take the bilinear interpolation of the cell centres and the colour of their band
 * (12 equal bands from the smallest to the largest value, dark = best, as {@link ParallelCoordinates}), with a
 * thin line where the band changes.
 *
 * <p>The other parameters are ignored: two trials with the same two values but different others share a cell
 * (and their mean). The picture shows the trials' values spread over the plane, not a slice of the objective.
 */
public final class StudyContour implements Renderable {

    /** Cells per side of the interpolation grid. */
    static final int GRID = 40;
    /** Over-relaxation factor of the Gauss–Seidel sweeps. */
    static final double OMEGA = 1.85;
    private static final int BANDS = 12;

    private final Space.Dimension xDim;
    private final Space.Dimension yDim;
    private final List<Trial> trials;
    private final boolean minimize;
    private final double[][] field;
    private final double lo;
    private final double hi;
    private int width = 720;
    private int height = 560;

    StudyContour(Study study, List<Trial> done, Space.Dimension xDim, Space.Dimension yDim) {
        this.xDim = xDim;
        this.yDim = yDim;
        this.trials = List.copyOf(done);
        this.minimize = study.isMinimize();
        double[] ux = new double[done.size()];
        double[] uy = new double[done.size()];
        double[] v = new double[done.size()];
        for (int i = 0; i < v.length; i++) {
            ux[i] = xDim.unit(done.get(i).params().get(xDim.name()));
            uy[i] = yDim.unit(done.get(i).params().get(yDim.name()));
            v[i] = done.get(i).value();
        }
        this.field = fill(ux, uy, v, GRID);
        this.lo = done.stream().mapToDouble(Trial::value).min().orElseThrow();
        this.hi = done.stream().mapToDouble(Trial::value).max().orElseThrow();
    }

    /** Picture size in pixels (default 720 × 560; at least 400 × 320). */
    public StudyContour size(int width, int height) {
        if (width < 400 || height < 320) {
            throw new IllegalArgumentException("StudyContour: size must be at least 400x320, got " + width + "x"
                    + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** The title. */
    public String title() {
        return "Objective over " + xDim.name() + " and " + yDim.name();
    }

    /** The x- and y-axis titles ("(log)" after log dimensions). */
    public List<String> axisTitles() {
        return List.of(Drawing.axisTitle(xDim), Drawing.axisTitle(yDim));
    }

    /** The legend's entries: the trials drawn and the best one. */
    public List<String> legendLabels() {
        Trial best = best();
        return List.of("complete trials (" + trials.size() + ")",
                "best: trial " + best.number() + " (" + Style.format(best.value()) + ")");
    }

    /** The colour bar's caption. */
    public String colorBarLabel() {
        return "value (interpolated)";
    }

    /** The interpolated grid, {@code [row][column]}, row 0 at the bottom (smallest y), for tests. */
    double[][] field() {
        return field;
    }

    private Trial best() {
        return trials.stream().min((a, b) -> Double.compare(Drawing.badness(a.value(), lo, hi, minimize),
                Drawing.badness(b.value(), lo, hi, minimize))).orElseThrow();
    }

    /**
     * The harmonic fill of a {@code g × g} grid over the unit square from the values {@code v} at the points
     * {@code (ux, uy)}: see the class comment.
     */
    static double[][] fill(double[] ux, double[] uy, double[] v, int g) {
        double[][] sum = new double[g][g];
        int[][] count = new int[g][g];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            int c = Math.min(g - 1, (int) (ux[i] * g));
            int r = Math.min(g - 1, (int) (uy[i] * g));
            sum[r][c] += v[i];
            count[r][c]++;
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        double[][] f = new double[g][g];
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                f[r][c] = count[r][c] > 0 ? sum[r][c] / count[r][c] : (min + max) / 2;
            }
        }
        double tol = 1e-9 * Math.max(max - min, Double.MIN_NORMAL);
        for (int sweep = 0; sweep < 100_000; sweep++) {
            double moved = 0;
            for (int r = 0; r < g; r++) {
                for (int c = 0; c < g; c++) {
                    if (count[r][c] > 0) {
                        continue;
                    }
                    double s = 0;
                    int n = 0;
                    if (r > 0) {
                        s += f[r - 1][c];
                        n++;
                    }
                    if (r < g - 1) {
                        s += f[r + 1][c];
                        n++;
                    }
                    if (c > 0) {
                        s += f[r][c - 1];
                        n++;
                    }
                    if (c < g - 1) {
                        s += f[r][c + 1];
                        n++;
                    }
                    double step = OMEGA * (s / n - f[r][c]);
                    f[r][c] += step;
                    moved = Math.max(moved, Math.abs(step));
                }
            }
            if (moved <= tol) {
                break;
            }
        }
        return f;
    }

    /** The field at unit coordinates (x, y): bilinear between the cell centres, constant beyond the outer ones. */
    private double at(double x, double y) {
        double cx = Math.max(0, Math.min(GRID - 1, x * GRID - 0.5));
        double cy = Math.max(0, Math.min(GRID - 1, y * GRID - 0.5));
        int c = Math.min(GRID - 2, (int) cx);
        int r = Math.min(GRID - 2, (int) cy);
        double a = cx - c;
        double b = cy - r;
        return (1 - b) * ((1 - a) * field[r][c] + a * field[r][c + 1])
                + b * ((1 - a) * field[r + 1][c] + a * field[r + 1][c + 1]);
    }

    private int band(double v) {
        return hi > lo ? Math.max(0, Math.min(BANDS - 1, (int) ((v - lo) / (hi - lo) * BANDS))) : 0;
    }

    @Override
    public BufferedImage image() {
        return Drawing.picture(width, height, title(), 24, (g, img) -> {
            int right = Drawing.colorBarSpace(g, 24, colorBarLabel());
            Rectangle plot = new Rectangle(72, 64, width - 72 - right, height - 64 - 84);
            drawField(img, plot);
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(plot.x, plot.y, plot.width, plot.height);
            drawAxes(g, plot);
            drawTrials(g, plot);
            drawLegend(g, plot);
            Drawing.colorBar(g, plot, 24, lo, hi, minimize, colorBarLabel());
        });
    }

    private void drawField(BufferedImage img, Rectangle plot) {
        int[][] bands = new int[plot.height][plot.width];
        for (int r = 0; r < plot.height; r++) {
            for (int c = 0; c < plot.width; c++) {
                bands[r][c] = band(at((c + 0.5) / plot.width, 1 - (r + 0.5) / plot.height));
            }
        }
        for (int r = 0; r < plot.height; r++) {
            for (int c = 0; c < plot.width; c++) {
                int k = bands[r][c];
                double mid = lo + (k + 0.5) / BANDS * (hi - lo);
                Color col = Drawing.scale(Drawing.badness(mid, lo, hi, minimize));
                boolean edge = (c + 1 < plot.width && bands[r][c + 1] != k)
                        || (r + 1 < plot.height && bands[r + 1][c] != k);
                if (edge) {
                    col = new Color((int) (col.getRed() * 0.75), (int) (col.getGreen() * 0.75),
                            (int) (col.getBlue() * 0.75));
                }
                img.setRGB(plot.x + c, plot.y + r, col.getRGB());
            }
        }
    }

    private void drawAxes(Graphics2D g, Rectangle plot) {
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        for (Drawing.Tick t : Drawing.ticks(xDim, Math.max(3, plot.width / 80))) {
            int x = plot.x + (int) Math.round(t.u() * plot.width);
            g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 5);
            Drawing.centred(g, t.label(), x, plot.y + plot.height + 7 + fm.getAscent());
        }
        for (Drawing.Tick t : Drawing.ticks(yDim, Math.max(3, plot.height / 50))) {
            int y = plot.y + (int) Math.round((1 - t.u()) * plot.height);
            g.drawLine(plot.x - 5, y, plot.x, y);
            String s = Style.fit(t.label(), fm, plot.x - 26);
            g.drawString(s, plot.x - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        g.setFont(Style.LABEL);
        Drawing.centred(g, axisTitles().get(0), plot.x + plot.width / 2.0, plot.y + plot.height + 40);
        Drawing.vertical(g, axisTitles().get(1), 16, plot.y + plot.height / 2.0);
    }

    private void drawTrials(Graphics2D g, Rectangle plot) {
        Trial best = best();
        for (Trial t : trials) {
            double[] p = pixel(plot, t);
            trialMarker(g, p[0], p[1]);
        }
        double[] b = pixel(plot, best);
        bestMarker(g, b[0], b[1]);
    }

    private double[] pixel(Rectangle plot, Trial t) {
        return new double[] {plot.x + xDim.unit(t.params().get(xDim.name())) * plot.width,
                plot.y + (1 - yDim.unit(t.params().get(yDim.name()))) * plot.height};
    }

    private static void trialMarker(Graphics2D g, double x, double y) {
        Ellipse2D e = new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7);
        g.setColor(Color.WHITE);
        g.fill(e);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(e);
    }

    private static void bestMarker(Graphics2D g, double x, double y) {
        Path2D.Double s = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 9 : 3.8;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            if (i == 0) {
                s.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
            } else {
                s.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
            }
        }
        s.closePath();
        Shape star = s;
        g.setColor(Style.LINES[0]);
        g.fill(star);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(star);
    }

    /** The legend, one row under the x-axis title: a dot for the trials, a star for the best. */
    private void drawLegend(Graphics2D g, Rectangle plot) {
        g.setFont(Style.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        List<String> labels = legendLabels();
        int w = 24 + fm.stringWidth(labels.get(0)) + 30 + 24 + fm.stringWidth(labels.get(1)) + 12;
        int x = Math.max(4, plot.x + (plot.width - w) / 2);
        int y = plot.y + plot.height + 62;
        g.setColor(Style.BORDER);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y - 12, w, 24);
        int baseline = y + fm.getAscent() / 2 - 1;
        trialMarker(g, x + 12, y);
        g.setColor(Color.BLACK);
        g.drawString(labels.get(0), x + 24, baseline);
        int x2 = x + 24 + fm.stringWidth(labels.get(0)) + 30;
        bestMarker(g, x2 + 10, y);
        g.setColor(Color.BLACK);
        g.drawString(labels.get(1), x2 + 24, baseline);
    }

    @Override
    public String toString() {
        return "StudyContour[" + xDim.name() + " x " + yDim.name() + ", " + trials.size() + " trials]";
    }
}
