package descent.tune;

import descent.plot.Style;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java2D pieces the study pictures share ({@link ParallelCoordinates}, {@link StudyContour},
 * {@link ImportancePlot}): the picture with its title, ticks of a search dimension placed in unit coordinates, the
 * colour scale of objective values with its colour bar, and text helpers. Round tick values, number text and the
 * viridis colours are {@link Style}'s, as in descent.plot's pictures.
 */
final class Drawing {

    private Drawing() {
    }

    /** Draws a picture's content, on its graphics or (pixel by pixel) on the image itself. */
    interface Painter {
        void paint(Graphics2D g, BufferedImage img);
    }

    /**
     * A white, antialiased {@code width} &times; {@code height} picture: {@code content} draws on it, then the title
     * goes on top, centred, its baseline at {@code titleBaseline}.
     */
    static BufferedImage picture(int width, int height, String title, int titleBaseline, Painter content) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            Style.antialias(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            content.paint(g, img);
            g.setColor(Color.BLACK);
            g.setFont(Style.TITLE);
            centred(g, title, width / 2.0, titleBaseline);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** A tick: where it lies in [0, 1] on its axis and what it says. */
    record Tick(double u, String label) {
    }

    /** The colour bar's width in pixels. */
    private static final int BAR = 16;
    /** The scale stops short of viridis' pale yellow, which would vanish on white. */
    private static final double PALEST = 0.88;

    /**
     * About {@code target} ticks of dimension {@code d}, placed with {@link Space.Dimension#unit}: round values for
     * real and integer dimensions (1, 2, 5 times powers of ten on log scales), every category for categoricals.
     */
    static List<Tick> ticks(Space.Dimension d, int target) {
        List<Tick> out = new ArrayList<>();
        switch (d.kind()) {
            case CATEGORICAL -> {
                for (String c : d.categories()) {
                    out.add(new Tick(d.unit(c), c));
                }
            }
            case UNIFORM -> {
                for (double v : Style.niceTicks(d.lo(), d.hi(), target)) {
                    out.add(new Tick(d.unit(v), Style.format(v)));
                }
            }
            case INTEGER -> {
                for (double v : Style.niceTicks(d.lo(), d.hi(), target)) {
                    if (v == Math.rint(v)) {
                        out.add(new Tick(d.unit((int) v), Style.format(v)));
                    }
                }
            }
            default -> {
                for (double v : logTicks(d.lo(), d.hi(), target)) {
                    if (d.kind() == Space.Kind.LOG_UNIFORM) {
                        out.add(new Tick(d.unit(v), Style.format(v)));
                    } else if (v == Math.rint(v)) {
                        out.add(new Tick(d.unit((int) v), Style.format(v)));
                    }
                }
            }
        }
        return out;
    }

    /** Ticks of a linear value axis from {@code lo} (u = 0) to {@code hi} (u = 1); one in the middle if lo = hi. */
    static List<Tick> valueTicks(double lo, double hi, int target) {
        List<Tick> out = new ArrayList<>();
        if (!(hi > lo)) {
            return List.of(new Tick(0.5, Style.format(lo)));
        }
        for (double v : Style.niceTicks(lo, hi, target)) {
            out.add(new Tick((v - lo) / (hi - lo), Style.format(v)));
        }
        return out;
    }

    /**
     * Round values inside [lo, hi] on a log scale: the powers of ten, or 1, 2 and 5 times them when fewer than two
     * powers of ten fall inside, or 1 to 9 times them when still fewer; every k-th decade when there are too many.
     */
    static double[] logTicks(double lo, double hi, int target) {
        for (int[] mantissas : new int[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            List<Double> out = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
                for (int m : mantissas) {
                    double v = Double.parseDouble(m + "e" + e);
                    if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) {
                        out.add(Math.min(hi, Math.max(lo, v)));
                    }
                }
            }
            if (out.size() >= 2) {
                int every = (int) Math.ceil(out.size() / (double) Math.max(2, target));
                List<Double> kept = new ArrayList<>();
                for (int i = 0; i < out.size(); i += every) {
                    kept.add(out.get(i));
                }
                return kept.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        return new double[] {lo, hi};
    }

    /** The house colour scale of objective values: viridis from dark (t = 0) to light green (t = 1). */
    static Color scale(double t) {
        return Style.viridis(Math.max(0, Math.min(1, t)) * PALEST);
    }

    /**
     * Where value {@code v} lies on the colour scale of [lo, hi]: 0 for the best end (lo when minimizing, hi when
     * maximizing), 1 for the worst, so the best trials are always the darkest.
     */
    static double badness(double v, double lo, double hi, boolean minimize) {
        double t = hi > lo ? (v - lo) / (hi - lo) : 0;
        return minimize ? t : 1 - t;
    }

    /**
     * A vertical colour bar {@code gap} pixels right of {@code plot} and as tall, for values in [lo, hi] (hi at the
     * top), with round ticks on its right and two lines of caption above it: the label and which end is better.
     */
    static void colorBar(Graphics2D g, Rectangle plot, int gap, double lo, double hi, boolean minimize, String label) {
        Rectangle bar = new Rectangle(plot.x + plot.width + gap, plot.y, BAR, plot.height);
        for (int y = 0; y < bar.height; y++) {
            double v = hi - (hi - lo) * (y + 0.5) / bar.height;
            g.setColor(scale(badness(v, lo, hi, minimize)));
            g.drawLine(bar.x, bar.y + y, bar.x + bar.width - 1, bar.y + y);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(bar.x, bar.y, bar.width - 1, bar.height - 1);
        g.setFont(Style.TICK);
        FontMetrics fm = g.getFontMetrics();
        if (hi > lo) {
            for (Tick t : valueTicks(lo, hi, Math.max(2, bar.height / 40))) {
                int y = bar.y + (int) Math.round((1 - t.u()) * (bar.height - 1));
                g.drawLine(bar.x + bar.width, y, bar.x + bar.width + 3, y);
                g.drawString(t.label(), bar.x + bar.width + 6, y + fm.getAscent() / 2 - 1);
            }
        } else {
            g.drawString(Style.format(lo), bar.x + bar.width + 6, bar.y + bar.height / 2 + fm.getAscent() / 2 - 1);
        }
        g.setFont(Style.LEGEND);
        FontMetrics lm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(label, bar.x, bar.y - 8 - lm.getHeight());
        g.drawString(minimize ? "(lower is better)" : "(higher is better)", bar.x, bar.y - 8);
    }

    /** The width {@link #colorBar} takes right of the plot: the gap, the bar with its ticks and caption, 8 more. */
    static int colorBarSpace(Graphics2D g, int gap, String label) {
        FontMetrics lm = g.getFontMetrics(Style.LEGEND);
        return gap + Math.max(BAR + 50, Math.max(lm.stringWidth(label), lm.stringWidth("(higher is better)"))) + 8;
    }

    /** {@code s} centred on {@code cx}. */
    static void centred(Graphics2D g, String s, double cx, int baseline) {
        g.drawString(s, (float) (cx - g.getFontMetrics().stringWidth(s) / 2.0), baseline);
    }

    /** {@code s} written upwards, centred on {@code cy}, its baseline at {@code x}. */
    static void vertical(Graphics2D g, String s, int x, double cy) {
        AffineTransform saved = g.getTransform();
        g.translate(x, cy + g.getFontMetrics().stringWidth(s) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(s, 0, 0);
        g.setTransform(saved);
    }

    /** The axis title of a dimension: its name, with "(log)" on log scales. */
    static String axisTitle(Space.Dimension d) {
        return d.isLog() ? d.name() + " (log)" : d.name();
    }
}
