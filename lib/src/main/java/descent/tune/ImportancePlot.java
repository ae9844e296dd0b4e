package descent.tune;

import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parameter importance as horizontal bars, most important on top (Optuna's {@code plot_param_importances}): each
 * parameter's first-order index from {@link Importance}, its value written at the end of the bar, and under the
 * chart the share the main effects leave to interactions. XChart 3.8 has no horizontal bars; drawn with Java2D.
 */
public final class ImportancePlot implements Renderable {

    private static final int ROW = 30;

    private final Map<String, Double> importance;
    private final int completed;
    private int width = 720;

    ImportancePlot(Map<String, Double> importance, Study study) {
        this.importance = importance;
        this.completed = (int) study.trialList().stream().filter(t -> t.state() == Trial.State.COMPLETE).count();
    }

    /** Picture width in pixels (default 720, at least 400); the height follows the number of parameters. */
    public ImportancePlot width(int width) {
        if (width < 400) {
            throw new IllegalArgumentException("ImportancePlot: width must be at least 400, got " + width);
        }
        this.width = width;
        return this;
    }

    /** The importances drawn, most important first. */
    public Map<String, Double> values() {
        return importance;
    }

    /** The title. */
    public String title() {
        return "Parameter importance (" + StudyPlots.count(completed, "completed trial") + ")";
    }

    /** The x-axis title. */
    public String xAxisTitle() {
        return "first-order importance (share of the value's variance)";
    }

    /** The legend's entries: what a bar is, and what the bars leave unexplained. */
    public List<String> legendLabels() {
        double sum = importance.values().stream().mapToDouble(Double::doubleValue).sum();
        return List.of("main effect of the parameter (functional ANOVA on a kernel-smoother surrogate)",
                "left to interactions and noise: 1 − Σ = " + Style.format(Math.max(0, 1 - sum)));
    }

    /** The picture's height for the current parameters. */
    int height() {
        return 56 + importance.size() * ROW + 112;
    }

    @Override
    public BufferedImage image() {
        return Drawing.picture(width, height(), title(), 26, (g, img) -> {
            g.setFont(Style.LEGEND);
            FontMetrics fm = g.getFontMetrics();
            int names = 0;
            for (String n : importance.keySet()) {
                names = Math.max(names, fm.stringWidth(n));
            }
            names = Math.min(names, width / 3);
            Rectangle plot = new Rectangle(16 + names + 10, 48, width - (16 + names + 10) - 48,
                    importance.size() * ROW + 8);
            double max = importance.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double axisMax = Math.min(1, Math.max(0.1, Math.ceil(max * 10 - 1e-9) / 10));
            g.setFont(Style.TICK);
            FontMetrics tm = g.getFontMetrics();
            for (double t : Style.niceTicks(0, axisMax, 5)) {
                int x = plot.x + (int) Math.round(t / axisMax * plot.width);
                g.setColor(Style.GRID);
                g.drawLine(x, plot.y, x, plot.y + plot.height);
                g.setColor(Color.BLACK);
                g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 4);
                Drawing.centred(g, Style.format(t), x, plot.y + plot.height + 6 + tm.getAscent());
            }
            int row = 0;
            for (Map.Entry<String, Double> e : importance.entrySet()) {
                int y = plot.y + 4 + row * ROW;
                int w = (int) Math.round(e.getValue() / axisMax * plot.width);
                g.setColor(Style.TRAIN);
                g.fillRect(plot.x, y + 4, Math.max(1, w), ROW - 8);
                g.setFont(Style.LEGEND);
                g.setColor(Color.BLACK);
                String name = Style.fit(e.getKey(), fm, names);
                g.drawString(name, plot.x - 8 - fm.stringWidth(name), y + ROW / 2 + fm.getAscent() / 2 - 1);
                g.setFont(Style.TICK);
                g.drawString(String.format(java.util.Locale.ROOT, "%.3f", e.getValue()), plot.x + w + 5,
                        y + ROW / 2 + tm.getAscent() / 2 - 1);
                row++;
            }
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawLine(plot.x, plot.y, plot.x, plot.y + plot.height);
            g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height);
            g.setFont(Style.LABEL);
            g.setColor(Color.BLACK);
            Drawing.centred(g, xAxisTitle(), plot.x + plot.width / 2.0, plot.y + plot.height + 38);
            drawLegend(g, plot.y + plot.height + 52);
        });
    }

    private void drawLegend(Graphics2D g, int top) {
        g.setFont(Style.LEGEND);
        FontMetrics fm = g.getFontMetrics();
        List<String> labels = new ArrayList<>(legendLabels());
        int w = 0;
        for (String s : labels) {
            w = Math.min(width - 24, Math.max(w, 32 + fm.stringWidth(s) + 8));
        }
        int x = (width - w) / 2;
        g.setColor(Style.BORDER);
        g.drawRect(x, top, w, 2 * 20 + 8);
        for (int i = 0; i < labels.size(); i++) {
            int y = top + 4 + i * 20 + 10;
            if (i == 0) {
                g.setColor(Style.TRAIN);
                g.fillRect(x + 8, y - 6, 18, 12);
            }
            g.setColor(Color.BLACK);
            g.drawString(Style.fit(labels.get(i), fm, w - 40), x + 32, y + fm.getAscent() / 2 - 1);
        }
    }

    @Override
    public String toString() {
        return "ImportancePlot" + importance;
    }
}
