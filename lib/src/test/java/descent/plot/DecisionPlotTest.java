package descent.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DecisionPlotTest {

    /** Four points, two per class: class 0 left of x = 0, class 1 right of it. */
    static final INDArray X = Nd4j.createFromArray(new double[][] {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}});
    static final INDArray LABELS = Nd4j.createFromArray(new double[] {0, 0, 1, 1}).reshape(4, 1);

    /** Class 1 where x > 0, as a [M, 1] array of class indices. */
    static INDArray rightIsClass1(INDArray grid) {
        return grid.get(NDArrayIndex.all(), NDArrayIndex.point(0)).gt(0.0).castTo(DataType.DOUBLE).reshape(-1, 1);
    }

    static DecisionPlot plot() {
        return DecisionPlot.of("Regions", "x1", "x2").points(X, LABELS).classNames("left", "right")
                .range(-2, 2, -2, 2).resolution(40).size(500, 400);
    }

    @Test
    void imageHasTheRequestedSize() {
        BufferedImage image = plot().regions(DecisionPlotTest::rightIsClass1).image();
        assertEquals(500, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    @Test
    void chartHasTitleLabelsRegionsUnderPointsAndALegend() {
        XYChart chart = plot().regions(DecisionPlotTest::rightIsClass1).chart();
        assertEquals("Regions", chart.getTitle());
        assertEquals("x1", chart.getXAxisTitle());
        assertEquals("x2", chart.getYAxisTitle());
        assertTrue(chart.getStyler().isLegendVisible());
        // insertion order = drawing order: both regions first, then the points of each class, named by class
        assertEquals(List.of("region: left", "region: right", "left", "right"),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries left = chart.getSeriesMap().get("left");
        assertArrayEquals(new double[] {-1, -1}, left.getXData());
        // 40 x 40 cells split in half by x = 0
        assertEquals(800, chart.getSeriesMap().get("region: left").getXData().length);
        assertEquals(800, chart.getSeriesMap().get("region: right").getXData().length);
    }

    @Test
    void itDrawsEachRegionInItsClassColourAndThePointsInFullColour() {
        XYChart chart = plot().regions(DecisionPlotTest::rightIsClass1).chart();
        BufferedImage image = BitmapEncoder.getBufferedImage(chart); // lays out the axes
        Color leftRegion = DecisionPlot.mix(DecisionPlot.PALETTE[0], 0.68);
        Color rightRegion = DecisionPlot.mix(DecisionPlot.PALETTE[1], 0.68);
        // away from the points (at y = 0) the cells show the region colours
        assertEquals(leftRegion.getRGB(), pixel(image, chart, -1.5, 0.0));
        assertEquals(leftRegion.getRGB(), pixel(image, chart, -0.3, 1.7));
        assertEquals(rightRegion.getRGB(), pixel(image, chart, 1.5, 0.0));
        assertEquals(rightRegion.getRGB(), pixel(image, chart, 0.3, -1.7));
        // at a data point, the class's full colour is drawn over the region
        assertEquals(DecisionPlot.PALETTE[0].getRGB(), pixel(image, chart, -1, 1));
        assertEquals(DecisionPlot.PALETTE[1].getRGB(), pixel(image, chart, 1, -1));
        // the cells tile the plot: no white gaps at a grid line between two cells (cell width 0.1)
        assertEquals(leftRegion.getRGB(), pixel(image, chart, -0.5, 0.5));
    }

    @Test
    void theClassifierGetsTheGridOnceAsMByTwoDoubles() {
        List<long[]> shapes = new ArrayList<>();
        Function<INDArray, INDArray> f = g -> {
            shapes.add(g.shape());
            assertEquals(DataType.DOUBLE, g.dataType());
            return rightIsClass1(g).reshape(-1); // [M] is accepted as well as [M, 1]
        };
        plot().regions(f).image();
        assertEquals(1, shapes.size());
        assertArrayEquals(new long[] {1600, 2}, shapes.get(0));
        INDArray grid = plot().grid();
        assertEquals(-2 + 0.05, grid.getDouble(0, 0), 1e-12); // first cell centre
        assertEquals(-2 + 0.05, grid.getDouble(0, 1), 1e-12);
        assertEquals(-2 + 0.15, grid.getDouble(1, 0), 1e-12); // x varies fastest
        assertEquals(2 - 0.05, grid.getDouble(1599, 1), 1e-12);
    }

    @Test
    void probabilityRegionsAreShadedInBandsListedInTheLegend() {
        // p rises from 0 at x = -2 to 1 at x = 2
        Function<INDArray, INDArray> p = g -> g.get(NDArrayIndex.all(), NDArrayIndex.point(0)).add(2.0).div(4.0);
        XYChart chart = plot().probabilityRegions(p).chart();
        List<String> names = new ArrayList<>(chart.getSeriesMap().keySet());
        assertEquals(DecisionPlot.BANDS + 2, names.size(), names.toString());
        assertEquals("P(right) 0.0–0.1", names.get(0));
        assertEquals("P(right) 0.9–1.0", names.get(9));
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        // confident cells are darker (further from white) than unsure ones near the boundary
        assertTrue(brightness(pixel(image, chart, -1.9, 0)) < brightness(pixel(image, chart, -0.1, 0)));
        assertTrue(brightness(pixel(image, chart, 1.9, 0)) < brightness(pixel(image, chart, 0.1, 0)));
    }

    @Test
    void areaDefaultsToTheDataPlusAMargin() {
        INDArray grid = DecisionPlot.of("t", "x", "y").points(X, LABELS).margin(0.5).resolution(10).grid();
        // data spans [-1, 1]; 50% margin of the extent 2 gives [-2, 2]; cell 0.4, first centre -1.8
        assertEquals(-1.8, grid.getDouble(0, 0), 1e-12);
        assertEquals(1.8, grid.getDouble(99, 1), 1e-12);
    }

    @Test
    void badInputIsRefusedWithItsName() {
        assertThrows(IllegalArgumentException.class, () -> DecisionPlot.of("", "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> DecisionPlot.of("t", "x", null));
        var shape = assertThrows(IllegalArgumentException.class,
                () -> DecisionPlot.of("t", "x", "y").points(Nd4j.zeros(DataType.DOUBLE, 4, 3), LABELS));
        assertTrue(shape.getMessage().contains("[4, 3]"), shape.getMessage());
        var count = assertThrows(IllegalArgumentException.class,
                () -> DecisionPlot.of("t", "x", "y").points(X, Nd4j.zeros(DataType.DOUBLE, 3, 1)));
        assertTrue(count.getMessage().contains("[3, 1]") && count.getMessage().contains("n = 4"), count.getMessage());
        var fraction = assertThrows(IllegalArgumentException.class, () -> DecisionPlot.of("t", "x", "y")
                .points(X, Nd4j.createFromArray(new double[] {0, 0.5, 1, 1})));
        assertTrue(fraction.getMessage().contains("0.5") && fraction.getMessage().contains("row 1"),
                fraction.getMessage());
        INDArray nan = X.dup();
        nan.putScalar(2, 1, Double.NaN);
        var notFinite = assertThrows(IllegalArgumentException.class,
                () -> DecisionPlot.of("t", "x", "y").points(nan, LABELS));
        assertTrue(notFinite.getMessage().contains("row 2"), notFinite.getMessage());

        var wrongOutput = assertThrows(IllegalArgumentException.class,
                () -> plot().regions(g -> Nd4j.zeros(DataType.DOUBLE, 10, 1)).chart());
        assertTrue(wrongOutput.getMessage().contains("[1600, 2]") && wrongOutput.getMessage().contains("[10, 1]"),
                wrongOutput.getMessage());
        var twoColumns = assertThrows(IllegalArgumentException.class,
                () -> plot().regions(g -> Nd4j.zeros(DataType.DOUBLE, 1600, 2)).chart());
        assertTrue(twoColumns.getMessage().contains("[1600, 2]"), twoColumns.getMessage());
        var notAClass = assertThrows(IllegalArgumentException.class,
                () -> plot().regions(g -> Nd4j.valueArrayOf(new long[] {1600}, 0.3)).chart());
        assertTrue(notAClass.getMessage().contains("0.3") && notAClass.getMessage().contains("probabilityRegions"),
                notAClass.getMessage());
        var notAProbability = assertThrows(IllegalArgumentException.class,
                () -> plot().probabilityRegions(g -> Nd4j.valueArrayOf(new long[] {1600}, 1.5)).chart());
        assertTrue(notAProbability.getMessage().contains("1.5"), notAProbability.getMessage());

        assertThrows(IllegalStateException.class, () -> DecisionPlot.of("t", "x", "y").points(X, LABELS).chart());
        assertThrows(IllegalStateException.class,
                () -> DecisionPlot.of("t", "x", "y").regions(DecisionPlotTest::rightIsClass1).chart());
        assertThrows(IllegalArgumentException.class, () -> plot().resolution(5));
        assertThrows(IllegalArgumentException.class, () -> plot().range(1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> plot().size(50, 400));
        assertThrows(IllegalArgumentException.class, () -> plot().classNames("a", " "));
        assertThrows(IllegalArgumentException.class, () -> plot().margin(Double.NaN));
        var threeClasses = assertThrows(IllegalArgumentException.class, () -> DecisionPlot.of("t", "x", "y")
                .points(X, Nd4j.createFromArray(new double[] {0, 1, 2, 1})).probabilityRegions(g -> g.getColumn(0)
                        .mul(0).add(0.5)).chart());
        assertTrue(threeClasses.getMessage().contains("two classes"), threeClasses.getMessage());
    }

    @Test
    void toStringSaysWhatItHolds() {
        assertFalse(plot().toString().contains("no points"));
        assertTrue(DecisionPlot.of("t", "x", "y").toString().contains("no points"));
    }

    private static int pixel(BufferedImage image, XYChart chart, double x, double y) {
        return image.getRGB((int) Math.round(chart.getScreenXFromChart(x)),
                (int) Math.round(chart.getScreenYFromChart(y))) | 0xFF000000;
    }

    private static int brightness(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() + c.getGreen() + c.getBlue();
    }
}
