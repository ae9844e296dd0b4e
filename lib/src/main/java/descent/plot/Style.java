package descent.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The house style of every picture the library draws, in one place: fonts, colours and palettes, applied both to
 * XChart charts ({@link #apply(Styler)}) and to the pictures drawn with Java2D ({@link ContourPlot}, {@link Heatmap},
 * {@link ImageGrid}, {@link PlotGrid}, {@code descent.train.LiveChart}, the study pictures of {@code descent.tune}),
 * and what those Java2D pictures share: the viridis colour map, round tick values, short number text.
 */
public final class Style {

    private Style() {
    }

    /** Chart titles. */
    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    /** The title above a grid of pictures. */
    public static final Font GRID_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    /** Axis titles. */
    public static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    /** Tick labels. */
    public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    /** Legends, captions and heatmap row/column labels. */
    public static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Numbers written inside heatmap cells. */
    public static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    /** Progress lines under live charts. */
    public static final Font MONO = new Font(Font.MONOSPACED, Font.PLAIN, 13);

    /** Grid lines. */
    public static final Color GRID = new Color(225, 225, 225);
    /** Legend borders. */
    public static final Color BORDER = new Color(200, 200, 200);
    /** Regions where a function is undefined (NaN). */
    public static final Color UNDEFINED = new Color(215, 215, 215);

    /**
     * Lines and trajectories over coloured backgrounds (contour plots; training curves), matplotlib's tab10 order with
     * a darker blue, then black, grey, indigo, olive.
     */
    public static final Color[] LINES = {
            new Color(0xd62728), new Color(0x1f56b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
            new Color(0x000000), new Color(0x7f7f7f), new Color(0x393b79), new Color(0xbcbd22)};
    /** Training (blue) and validation (orange) in live charts: matplotlib's first two colours. */
    public static final Color TRAIN = new Color(31, 119, 180);
    public static final Color VALIDATION = new Color(255, 127, 14);
    /** Classes (decision regions and points): the Okabe-Ito colour-blind-safe palette. */
    public static final Color[] CLASSES = {
            new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115), new Color(213, 94, 0),
            new Color(204, 121, 167), new Color(86, 180, 233), new Color(120, 120, 120), new Color(240, 228, 66)};
    /** Heatmap scale: white to dark blue. */
    public static final Color HEAT_LOW = Color.WHITE;
    public static final Color HEAT_HIGH = new Color(8, 48, 107);
    /** Viridis anchor colours (matplotlib), dark purple to yellow. */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
            0x6ece58, 0xb5de2b, 0xfde725};

    /** The house style on an XChart styler: white background, these fonts, legend visible, light grid. */
    public static void apply(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setLegendVisible(true);
        styler.setLegendBorderColor(BORDER);
        styler.setChartTitleFont(TITLE);
        styler.setLegendFont(LEGEND);
        styler.setAntiAlias(true);
        if (styler instanceof AxesChartStyler axes) {
            axes.setAxisTitleFont(LABEL);
            axes.setAxisTickLabelsFont(TICK);
            axes.setPlotGridLinesColor(GRID);
        }
    }

    /** Antialiased text and shapes on a Java2D picture. */
    public static void antialias(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    /** Matplotlib's viridis colour map at {@code t} (clamped to [0, 1]): dark purple at 0, yellow at 1. */
    public static Color viridis(double t) {
        double s = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double u = s - i;
        Color a = new Color(VIRIDIS[i]);
        Color b = new Color(VIRIDIS[i + 1]);
        return new Color((int) Math.round(a.getRed() + u * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + u * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + u * (b.getBlue() - a.getBlue())));
    }

    /**
     * About {@code target} round tick values inside [lo, hi]: the multiples of a step of 1, 2 or 5 times a power of
     * ten; just {@code lo} when hi &le; lo.
     */
    public static double[] niceTicks(double lo, double hi, int target) {
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
     * Short number text for ticks and labels: up to 3 decimals below 10, fewer above, trailing zeros dropped
     * ({@code 0.35}, {@code 17.9}, {@code 2490}); for magnitudes from 1e4 up or below 0.01, two significant digits
     * in scientific notation ({@code 2.5e4}, {@code 6.7e-3}, {@code 1e-4}).
     */
    public static String format(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1e4 || a < 1e-2) {
            String[] parts = String.format(Locale.ROOT, "%.1e", v).split("e");
            return withoutTrailingZeros(parts[0]) + "e" + Integer.parseInt(parts[1]);
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
        return withoutTrailingZeros(s);
    }

    private static String withoutTrailingZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** {@code s}, cut with an ellipsis to at most {@code max} pixels. */
    public static String fit(String s, FontMetrics fm, int max) {
        if (fm.stringWidth(s) <= max) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
