package descent.tune;

import descent.plot.Style;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Java2D pieces the study pictures share ({@link ParallelCoordinates}, {@link StudyContour},
 * {@link ImportancePlot}): ticks of a search dimension placed in unit coordinates, the colour scale of objective
 * values with its colour bar, and number and text helpers.
 */
final class Drawing {

    private Drawing() {
    }

    /** A tick: where it lies in [0, 1] on its axis and what it says. */
    record Tick(double u, String label) {
    }

    /** Viridis anchor colours (matplotlib), dark purple to yellow. */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
            0x6ece58, 0xb5de2b, 0xfde725};
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
                for (double v : niceTicks(d.lo(), d.hi(), target)) {
                    out.add(new Tick(d.unit(v), format(v)));
                }
            }
            case INTEGER -> {
                for (double v : niceTicks(d.lo(), d.hi(), target)) {
                    if (v == Math.rint(v)) {
                        out.add(new Tick(d.unit((int) v), format(v)));
                    }
                }
            }
            default -> {
                for (double v : logTicks(d.lo(), d.hi(), target)) {
                    if (d.kind() == Space.Kind.LOG_UNIFORM) {
                        out.add(new Tick(d.unit(v), format(v)));
                    } else if (v == Math.rint(v)) {
                        out.add(new Tick(d.unit((int) v), format(v)));
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
            return List.of(new Tick(0.5, format(lo)));
        }
        for (double v : niceTicks(lo, hi, target)) {
            out.add(new Tick((v - lo) / (hi - lo), format(v)));
        }
        return out;
    }

    /** About {@code target} round values inside [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
    static double[] niceTicks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            return new double[] {lo};
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
            out.add(Math.min(hi, Math.max(lo, k * step)));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
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

    /** Short number text: 3 significant digits; 1e-4 style for very small or large magnitudes. */
    static String format(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1e4 || a < 1e-2) {
            String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
            String mantissa = parts[0].replaceAll("0+$", "").replaceAll("\\.$", "");
            return mantissa + "e" + Integer.parseInt(parts[1]);
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** The house colour scale of objective values: viridis from dark (t = 0) to light green (t = 1). */
    static Color scale(double t) {
        double s = Math.max(0, Math.min(1, t)) * PALEST * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double w = s - i;
        Color a = new Color(VIRIDIS[i]);
        Color b = new Color(VIRIDIS[i + 1]);
        return new Color((int) Math.round(a.getRed() + w * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + w * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + w * (b.getBlue() - a.getBlue())));
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
     * A vertical colour bar for values in [lo, hi] (hi at the top) with round ticks on its right and two lines
     * of caption above it: the label and which end is better.
     */
    static void colorBar(Graphics2D g, Rectangle bar, double lo, double hi, boolean minimize, String label) {
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
            g.drawString(format(lo), bar.x + bar.width + 6, bar.y + bar.height / 2 + fm.getAscent() / 2 - 1);
        }
        g.setFont(Style.LEGEND);
        FontMetrics lm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(label, bar.x, bar.y - 8 - lm.getHeight());
        g.drawString(minimize ? "(lower is better)" : "(higher is better)", bar.x, bar.y - 8);
    }

    /** The width {@link #colorBar} needs right of the bar's left edge for its ticks and caption. */
    static int colorBarWidth(Graphics2D g, int barWidth, String label) {
        FontMetrics lm = g.getFontMetrics(Style.LEGEND);
        return Math.max(barWidth + 50, Math.max(lm.stringWidth(label), lm.stringWidth("(higher is better)")));
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

    /** {@code s}, cut with an ellipsis to at most {@code max} pixels. */
    static String fit(String s, FontMetrics fm, int max) {
        if (fm.stringWidth(s) <= max) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    /** The axis title of a dimension: its name, with "(log)" on log scales. */
    static String axisTitle(Space.Dimension d) {
        return d.isLog() ? d.name() + " (log)" : d.name();
    }
}
