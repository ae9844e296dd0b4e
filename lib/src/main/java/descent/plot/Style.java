package descent.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The house style of every picture the library draws, in one place: fonts, colours and palettes, applied both to
 * XChart charts ({@link #apply(Styler)}) and to the pictures drawn with Java2D ({@link ContourPlot}, {@link Heatmap},
 * {@link ImageGrid}, {@link PlotGrid}, {@code descent.train.LiveChart}).
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
}
