package descent.plot;

import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;

/**
 * Entry point for charts. Every chart has a title, axis labels and a legend.
 *
 * <pre>{@code
 * Plots.line("Loss per epoch", "epoch", "loss").series("train", x, train).series("validation", x, valid)
 * }</pre>
 */
public final class Plots {
    private Plots() {
    }

    /** A line chart with a title and axis labels; add series next. */
    public static LinePlot line(String title, String xLabel, String yLabel) {
        return new LinePlot(title, xLabel, yLabel);
    }

    /** The house style shared by every chart: white background, readable fonts, legend visible. */
    public static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setLegendVisible(true);
        styler.setLegendBorderColor(new Color(200, 200, 200));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAntiAlias(true);
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            axes.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            axes.setPlotGridLinesColor(new Color(225, 225, 225));
        }
    }
}
