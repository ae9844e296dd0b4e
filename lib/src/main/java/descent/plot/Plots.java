package descent.plot;

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

    /** A contour plot of {@code f(x, y)} over a rectangle (level lines, optional trajectories); see {@link ContourPlot}. */
    public static ContourPlot contour(String title, java.util.function.DoubleBinaryOperator f, double xMin, double xMax,
                                      double yMin, double yMax) {
        return ContourPlot.of(title, f, xMin, xMax, yMin, yMax);
    }

    /** A 2-D classifier's decision regions with the data points; see {@link DecisionPlot}. */
    public static DecisionPlot decision(String title, String xLabel, String yLabel) {
        return DecisionPlot.of(title, xLabel, yLabel);
    }

    /** A heatmap of a matrix (e.g. a confusion matrix), one cell per value; see {@link Heatmap}. */
    public static Heatmap heatmap(double[][] values) {
        return Heatmap.of(values);
    }

    /** A heatmap of counts; see {@link Heatmap}. */
    public static Heatmap heatmap(int[][] values) {
        return Heatmap.of(values);
    }

    /** A grid of images {@code [N, C, H, W]} (channels first); see {@link ImageGrid}. */
    public static ImageGrid images(org.nd4j.linalg.api.ndarray.INDArray images) {
        return ImageGrid.of(images);
    }

    /** A grid of images {@code [N, H, W, C]} (channels last, the library's layout); see {@link ImageGrid}. */
    public static ImageGrid imagesChannelsLast(org.nd4j.linalg.api.ndarray.INDArray images) {
        return ImageGrid.ofChannelsLast(images);
    }

    /** Charts and pictures side by side, {@code columns} per row; see {@link PlotGrid}. */
    public static PlotGrid grid(int columns, Object... pictures) {
        return PlotGrid.of(columns, pictures);
    }

}
