package descent.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Small multiples of trajectories: one small contour panel per trajectory, all of the same function over the same
 * range with the same levels, side by side under one title — instead of many paths overlaid on one picture, where
 * they hide each other. Each panel's title names its trajectory (and says "left the plot" or "diverged" when so);
 * one key under the title explains the markers, so no panel needs a legend or a colour bar.
 *
 * <pre>{@code
 * SmallMultiples.of("Rosenbrock, 300 steps", rosenbrock, -2, 2, -1, 3).logLevels().point("minimum", 1, 1)
 *         .columns(4)
 *         .panel("sgd, lr 0.001", xs1, ys1, red)
 *         .panel("adam, lr 1", xs2, ys2, blue)            // a cell's value: the grid as one picture
 * ...animation(30)                                         // or: an AnimatedGif, the paths growing step by step
 * }</pre>
 */
public final class SmallMultiples implements Renderable {

    private final String title;
    private final DoubleBinaryOperator f;
    private final double[] range;
    private int columns = 4;
    private int panelWidth = 300;
    private int panelHeight = 260;
    private int levels = 15;
    private double decades = Double.NaN;      // NaN: linear levels
    private final List<String> points = new ArrayList<>();
    private final List<double[]> pointXy = new ArrayList<>();
    private final List<Panel> panels = new ArrayList<>();
    private List<ContourPlot> plots;          // built on first drawing, kept (each keeps its sampled function)
    private List<ContourPlot> framePlots;     // the same for animation frames: titles without the final status

    private record Panel(String name, double[] x, double[] y, Color color) {
    }

    private SmallMultiples(String title, DoubleBinaryOperator f, double[] range) {
        this.title = title;
        this.f = f;
        this.range = range;
    }

    /** Small multiples of trajectories on {@code f} over [xMin, xMax] × [yMin, yMax], under one title. */
    public static SmallMultiples of(String title, DoubleBinaryOperator f, double xMin, double xMax, double yMin,
            double yMax) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("small multiples need a title");
        }
        ContourPlot.of(title, f, xMin, xMax, yMin, yMax); // the same argument checks as every panel
        return new SmallMultiples(title, f, new double[] {xMin, xMax, yMin, yMax});
    }

    /** Log-spaced levels on every panel (see {@link ContourPlot#logLevels()}). */
    public SmallMultiples logLevels() {
        return logLevels(6);
    }

    /** Log-spaced levels over {@code decades} decades on every panel. */
    public SmallMultiples logLevels(double decades) {
        ContourPlot.of(title, f, range[0], range[1], range[2], range[3]).logLevels(decades); // checks decades
        this.decades = decades;
        return changed();
    }

    /** Panels per row (default 4). */
    public SmallMultiples columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("small multiples need at least 1 column, got " + columns);
        }
        this.columns = columns;
        return this;
    }

    /** The size of one panel in pixels (default 300 × 260; at least 300 × 200). */
    public SmallMultiples panelSize(int width, int height) {
        ContourPlot.of(title, f, range[0], range[1], range[2], range[3]).size(width, height); // checks the size
        this.panelWidth = width;
        this.panelHeight = height;
        return changed();
    }

    /** Marks a point (e.g. the minimum) with a cross on every panel; the key under the title names it. */
    public SmallMultiples point(String name, double x, double y) {
        ContourPlot.of(title, f, range[0], range[1], range[2], range[3]).point(name, x, y); // checks name and values
        points.add(name);
        pointXy.add(new double[] {x, y});
        return changed();
    }

    /** Adds a panel: one trajectory (iterates xs[i], ys[i]) named by the panel's title, drawn in {@code color}. */
    public SmallMultiples panel(String name, double[] xs, double[] ys, Color color) {
        ContourPlot.of(title, f, range[0], range[1], range[2], range[3]).path(name, xs, ys, color); // checks
        for (Panel p : panels) {
            if (p.name.equals(name)) {
                throw new IllegalArgumentException("small multiples '" + title + "' already have a panel '" + name + "'");
            }
        }
        panels.add(new Panel(name, xs.clone(), ys.clone(), color));
        return changed();
    }

    private SmallMultiples changed() {
        plots = null;
        framePlots = null;
        return this;
    }

    /** The number of panels. */
    public int panels() {
        return panels.size();
    }

    /** Each panel's title: the trajectory's name, plus "(left the plot)" or "(diverged)" when so. */
    public List<String> panelTitles() {
        List<String> out = new ArrayList<>();
        for (Panel p : panels) {
            out.add(ContourPlot.of(title, f, range[0], range[1], range[2], range[3]).path(p.name, p.x, p.y, p.color)
                    .legendLabels().get(0));
        }
        return out;
    }

    /** The number of iterates of the longest trajectory. */
    public int steps() {
        int n = 0;
        for (Panel p : panels) {
            n = Math.max(n, p.x.length);
        }
        return n - 1;
    }

    @Override
    public BufferedImage image() {
        requirePanels();
        return draw(Integer.MAX_VALUE, title, plots());
    }

    /**
     * The trajectories growing: {@code frames} pictures, frame k showing iterates 0 … round(k · steps / (frames − 1))
     * of every panel (the star at the current iterate), the step in the title; panel titles name the trajectory
     * only (whether it leaves the plot is for the still picture to say). Frames are 0.12 s apart and the last is
     * held 2 s.
     */
    public AnimatedGif animation(int frames) {
        if (frames < 2) {
            throw new IllegalArgumentException("an animation of trajectories needs at least 2 frames, got " + frames);
        }
        requirePanels();
        int steps = steps();
        framePlots();
        return AnimatedGif.of(frames, k -> {
            int t = (int) Math.round((double) k * steps / (frames - 1));
            return draw(t, title + " — step " + t + " of " + steps, framePlots());
        }).delay(120).hold(2000);
    }

    private void requirePanels() {
        if (panels.isEmpty()) {
            throw new IllegalStateException("small multiples '" + title + "' have no panel yet: add one with panel(...)");
        }
    }

    private List<ContourPlot> plots() {
        if (plots == null) {
            plots = build(panelTitles());
        }
        return plots;
    }

    private List<ContourPlot> framePlots() {
        if (framePlots == null) {
            framePlots = build(panels.stream().map(Panel::name).toList());
        }
        return framePlots;
    }

    private List<ContourPlot> build(List<String> titles) {
        List<ContourPlot> out = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            ContourPlot c = ContourPlot.of(titles.get(i), f, range[0], range[1], range[2], range[3])
                    .size(panelWidth, panelHeight).levels(levels).legend(false).colorBar(false)
                    .path(p.name, p.x, p.y, p.color);
            if (!Double.isNaN(decades)) {
                c.logLevels(decades);
            }
            for (int m = 0; m < points.size(); m++) {
                c.point(points.get(m), pointXy.get(m)[0], pointXy.get(m)[1]);
            }
            out.add(c);
        }
        return out;
    }

    private BufferedImage draw(int upTo, String heading, List<ContourPlot> cs) {
        int cols = Math.min(columns, cs.size());
        int rows = (cs.size() + cols - 1) / cols;
        int head = 34 + 24;
        BufferedImage out = new BufferedImage(cols * panelWidth, head + rows * panelHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < cs.size(); i++) {
            BufferedImage im = cs.get(i).upTo(upTo).image();
            g.drawImage(im, (i % cols) * panelWidth, head + (i / cols) * panelHeight, null);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(Style.GRID_TITLE);
        FontMetrics fm = g.getFontMetrics();
        String shown = Style.fit(heading, fm, out.getWidth() - 8);
        g.drawString(shown, Math.max(4, (out.getWidth() - fm.stringWidth(shown)) / 2), 24);
        boolean whole = upTo == Integer.MAX_VALUE;
        boolean star = !whole || cs.stream().anyMatch(ContourPlot::endShown);
        drawKey(g, out.getWidth(), 46, whole, star);
        g.dispose();
        return out;
    }

    /** One line under the title: start, last (or current) iterate, the marked points. */
    private void drawKey(Graphics2D g, int width, int y, boolean whole, boolean star) {
        g.setFont(Style.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        Color key = new Color(90, 90, 90);
        String start = "start";
        String end = whole ? "last iterate" : "current iterate";
        List<String> names = points;
        int total = 18 + fm.stringWidth(start) + 24 + (star ? 18 + fm.stringWidth(end) : 0);
        for (String n : names) {
            total += 24 + 20 + fm.stringWidth(n);
        }
        int x = Math.max(4, (width - total) / 2);
        int base = y + fm.getAscent() / 2 - 1;
        ContourPlot.startMarker(g, x + 7, y, key);
        g.setColor(Color.DARK_GRAY);
        g.drawString(start, x + 18, base);
        x += 18 + fm.stringWidth(start) + 24;
        if (star) {
            ContourPlot.endMarker(g, x + 7, y, key);
            g.setColor(Color.DARK_GRAY);
            g.drawString(end, x + 18, base);
            x += 18 + fm.stringWidth(end) + 24;
        }
        for (String n : names) {
            ContourPlot.crossMarker(g, x + 8, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(n, x + 20, base);
            x += 20 + fm.stringWidth(n) + 24;
        }
    }

    @Override
    public String toString() {
        return "SmallMultiples[" + title + ", " + panels.size() + " panels, " + columns + " columns]";
    }
}
