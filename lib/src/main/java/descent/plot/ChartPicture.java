package descent.plot;

import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * A picture that XChart draws ({@link LinePlot}, {@link DecisionPlot}, {@code descent.tune.StudyPlots.LiveHistory}):
 * {@link #chart()} builds the chart, to restyle or export it; {@link #image()} renders it at its own size.
 */
public interface ChartPicture extends Renderable {

    /** The XChart chart, for styling beyond what the builder offers. */
    XYChart chart();

    @Override
    default BufferedImage image() {
        return BitmapEncoder.getBufferedImage(chart());
    }
}
