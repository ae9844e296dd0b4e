package descent.tune;

import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parallel-coordinates picture of a study (Inselberg 1985; Optuna's {@code plot_parallel_coordinate}): one
 * vertical axis for the objective value and one per parameter, and every COMPLETE trial a line through its value
 * and its parameters, coloured by its value. XChart has no such chart; this one is drawn with Java2D.
 *
 * <p>Each parameter axis is the dimension's unit interval ({@link Space.Dimension#unit}): log dimensions are on a
 * log scale (ticks at 1, 2, 5 times powers of ten), integers and categories sit at the middles of their cells (a
 * categorical axis is labelled with its categories). The value axis is linear from the smallest to the largest
 * value. Colour runs from dark (best) to light green (worst), explained by the colour bar on the right; the best
 * lines are drawn last, on top, and the best trial thicker. Pruned and failed trials are not drawn; the line under
 * the title counts them.
 */
public final class ParallelCoordinates implements Renderable {

    private final List<Space.Dimension> dims;
    private final List<Trial> trials;
    private final boolean minimize;
    private final int pruned;
    private final int failed;
    private final double lo;
    private final double hi;
    private int width = 900;
    private int height = 480;

    ParallelCoordinates(Study study, List<Trial> done) {
        this.dims = study.space().dimensions();
        this.trials = List.copyOf(done);
        this.minimize = study.isMinimize();
        this.pruned = (int) study.trialList().stream().filter(t -> t.state() == Trial.State.PRUNED).count();
        this.failed = (int) study.trialList().stream().filter(t -> t.state() == Trial.State.FAILED).count();
        this.lo = done.stream().mapToDouble(Trial::value).min().orElseThrow();
        this.hi = done.stream().mapToDouble(Trial::value).max().orElseThrow();
    }

    /** Picture size in pixels (default 900 × 480; at least 400 × 300). */
    public ParallelCoordinates size(int width, int height) {
        if (width < 400 || height < 300) {
            throw new IllegalArgumentException("ParallelCoordinates: size must be at least 400x300, got " + width
                    + "x" + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** The title. */
    public String title() {
        return "Parallel coordinates (" + StudyPlots.count(trials.size(), "completed trial") + ")";
    }

    /** The axis titles, left to right: "value", then each parameter ("(log)" after log ones). */
    public List<String> axisTitles() {
        List<String> out = new ArrayList<>(List.of("value"));
        dims.forEach(d -> out.add(Drawing.axisTitle(d)));
        return out;
    }

    /** The line under the title: how to read the colours, which trial is thick, what is not drawn. */
    public String note() {
        Trial best = best();
        String s = "colour: value, best drawn on top; thick: best trial #" + best.number();
        return pruned + failed == 0 ? s : s + "; not drawn: " + pruned + " pruned, " + failed + " failed";
    }

    /** The colour bar's caption. */
    public String colorBarLabel() {
        return "objective value";
    }

    private Trial best() {
        return trials.stream().min(Comparator.comparingDouble(t -> Drawing.badness(t.value(), lo, hi, minimize)))
                .orElseThrow();
    }

    @Override
    public BufferedImage image() {
        return Drawing.picture(width, height, title(), 24, (g, img) -> {
            int right = Drawing.colorBarSpace(g, 28, colorBarLabel());
            Rectangle plot = new Rectangle(64, 92, width - 64 - right, height - 92 - 52);
            int axes = dims.size() + 1;
            double spacing = plot.width / (double) (axes - 1);
            drawLines(g, plot, spacing);
            for (int a = 0; a < axes; a++) {
                drawAxis(g, plot, plot.x + a * spacing, a == 0 ? Drawing.valueTicks(lo, hi, plot.height / 60)
                        : Drawing.ticks(dims.get(a - 1), plot.height / 60), axisTitles().get(a), spacing);
            }
            Drawing.colorBar(g, plot, 28, lo, hi, minimize, colorBarLabel());
            g.setFont(Style.LEGEND);
            g.setColor(Color.DARK_GRAY);
            Drawing.centred(g, Style.fit(note(), g.getFontMetrics(), width - 16), width / 2.0, 46);
        });
    }

    /** One polyline per trial, worst first so the best lie on top. */
    private void drawLines(Graphics2D g, Rectangle plot, double spacing) {
        List<Trial> order = new ArrayList<>(trials);
        order.sort(Comparator.comparingDouble((Trial t) -> Drawing.badness(t.value(), lo, hi, minimize)).reversed());
        Trial best = best();
        for (Trial t : order) {
            double[] u = new double[dims.size() + 1];
            u[0] = hi > lo ? (t.value() - lo) / (hi - lo) : 0.5;
            for (int k = 0; k < dims.size(); k++) {
                u[k + 1] = dims.get(k).unit(t.params().get(dims.get(k).name()));
            }
            Path2D.Double line = new Path2D.Double();
            for (int a = 0; a < u.length; a++) {
                double x = plot.x + a * spacing;
                double y = plot.y + (1 - u[a]) * plot.height;
                if (a == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            Color c = Drawing.scale(Drawing.badness(t.value(), lo, hi, minimize));
            g.setColor(t == best ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), 190));
            g.setStroke(new BasicStroke(t == best ? 3.2f : 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
        }
    }

    /** A vertical axis at {@code x}: the line, ticks with labels on a white ground to its left, the title below. */
    private void drawAxis(Graphics2D g, Rectangle plot, double x, List<Drawing.Tick> ticks, String title,
                          double spacing) {
        int ax = (int) Math.round(x);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.2f));
        g.drawLine(ax, plot.y, ax, plot.y + plot.height);
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        for (Drawing.Tick t : ticks) {
            int y = plot.y + (int) Math.round((1 - t.u()) * plot.height);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(ax - 4, y, ax, y);
            String s = Style.fit(t.label(), fm, (int) spacing - 12);
            int w = fm.stringWidth(s);
            g.setColor(new Color(255, 255, 255, 215));
            g.fillRect(ax - 7 - w, y - fm.getAscent() / 2 - 2, w + 2, fm.getAscent() + 3);
            g.setColor(Color.BLACK);
            g.drawString(s, ax - 6 - w, y + fm.getAscent() / 2 - 1);
        }
        g.setFont(Style.LABEL);
        g.setColor(Color.BLACK);
        Drawing.centred(g, Style.fit(title, g.getFontMetrics(), (int) spacing - 6), x, plot.y + plot.height + 28);
    }

    @Override
    public String toString() {
        return "ParallelCoordinates[" + trials.size() + " trials, " + dims.size() + " parameters]";
    }
}
