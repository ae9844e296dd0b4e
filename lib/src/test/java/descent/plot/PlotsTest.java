package descent.plot;

import descent.plot.display.DescentDisplayProvider;
import descent.plot.display.TableHtml;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.ServiceLoader;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class PlotsTest {

    @Test
    void lineChartHasTitleLabelsAndNamedSeries() {
        XYChart chart = Plots.line("Loss", "epoch", "loss")
                .series("sgd", new double[]{0, 1, 2}, new double[]{3, 2, 1})
                .series("adam", new double[]{2, 1, 0.5})
                .chart();
        assertEquals("Loss", chart.getTitle());
        assertEquals("epoch", chart.getXAxisTitle());
        assertEquals("loss", chart.getYAxisTitle());
        assertEquals(2, chart.getSeriesMap().size(), "3 points: no helper series");
        assertTrue(chart.getStyler().isLegendVisible());
    }

    @Test
    void logAxisDropsPointsItCannotShow() {
        XYChart chart = Plots.line("L", "x", "y").logY()
                .series("s", new double[]{0, 1, 2, 3}, new double[]{1, 0, Double.NaN, 10}).chart();
        assertArrayEquals(new double[]{0, 3}, chart.getSeriesMap().get("s").getXData());
    }

    @Test
    void badInputIsRefusedWithItsName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Plots.line("L", "x", "y").series("s", new double[]{1, 2}, new double[]{1}));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.line("", "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> Plots.line("L", "x", "y")
                .series("s", new double[]{1}).series("s", new double[]{2}));
        assertThrows(IllegalStateException.class, () -> Plots.line("L", "x", "y").chart());
    }

    @Test
    void displayProviderIsFoundByServiceLoaderAndTurnsChartsIntoImages() {
        var providers = ServiceLoader.load(org.rapaio.jupyter.kernel.display.spi.DisplayProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof DescentDisplayProvider).toList();
        assertEquals(1, providers.size());
        var plot = Plots.line("Loss", "epoch", "loss").series("train", new double[]{1, 0.5, 0.25}).size(300, 200);
        int transformed = 0;
        for (DisplayTransformer t : providers.get(0).getDisplayTransformers()) {
            for (Object o : new Object[]{plot, plot.chart()}) {
                if (t.canTransform(o)) {
                    BufferedImage img = (BufferedImage) t.transform(o);
                    assertEquals(300, img.getWidth());
                    assertEquals(200, img.getHeight());
                    transformed++;
                }
            }
        }
        assertEquals(2, transformed, "both the builder and the XChart chart are turned into pictures");
    }

    @Test
    void tableRendersAsHtmlWithTypesAndRowLimit() {
        Table t = Table.create("Results",
                IntColumn.create("epoch", IntStream.range(0, 100).toArray()),
                DoubleColumn.create("loss (nats)", IntStream.range(0, 100).mapToDouble(i -> 1.0 / (i + 1)).toArray()));
        String html = TableHtml.html(t, 10);
        assertTrue(html.contains("<caption"));
        assertTrue(html.contains("Results"));
        assertTrue(html.contains("loss (nats)"));
        assertTrue(html.contains("integer"));
        assertTrue(html.contains("double"));
        assertTrue(html.contains("90 rows not shown"), html);
        assertEquals(1 + 10 + 1, html.split("<tr>").length - 1, "header + 10 data rows (first 9 and the last) + the 'not shown' row");
        assertTrue(html.contains("<td style=\"text-align:right\">99</td>"), "the last row is shown");
        DisplayRenderer renderer = new DescentDisplayProvider().getDisplayRenderers().get(0);
        assertTrue(renderer.rendererClass().isInstance(t));
        DisplayData data = renderer.render(null, t);
        assertTrue(data.data().get("text/html").toString().startsWith("<table"));
        assertTrue(data.data().get("text/plain").toString().contains("epoch"));
    }

    @Test
    void htmlIsEscaped() {
        Table t = Table.create("<b>", tech.tablesaw.api.StringColumn.create("a<b", new String[]{"x&y"}));
        String html = TableHtml.html(t);
        assertFalse(html.contains("<b>"));
        assertTrue(html.contains("x&amp;y"));
    }

    @Test
    void liveOutsideTheKernelKeepsTheLatestValue() {
        Live live = Live.show("first");
        assertFalse(Live.inKernel());
        live.update("second");
        assertEquals("second", live.latest());
    }

    @Test
    void doublesAreShownWithSixSignificantDigits() {
        assertEquals("5.4416", TableHtml.number(5.441595234333496));
        assertEquals("0.0099603", TableHtml.number(0.009960297180829103));
        assertEquals("60", TableHtml.number(60.0));
        assertEquals("1.2346e-07", TableHtml.number(1.23456e-7));
        assertEquals("", TableHtml.number(Double.NaN));
        assertEquals("−∞", TableHtml.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void manyEquallySpacedPointsGetAHiddenHelperSoTicksAreNiceNumbers() {
        double[] y = new double[400];
        java.util.Arrays.fill(y, 1.0);
        XYChart chart = Plots.line("L", "epoch", "loss").series("train", y).chart();
        assertEquals(2, chart.getSeriesMap().size());
        var hidden = chart.getSeriesMap().values().stream().filter(s -> !s.isShowInLegend()).toList();
        assertEquals(1, hidden.size());
        assertEquals(0.5, hidden.get(0).getXData()[0]);
    }

    @Test
    void aLogAxisOverManyDecadesDrawsNoGridLinesAcrossThePlot() {
        double[] x = {1, 2, 3};
        XYChart wide = Plots.line("L", "step", "norm").logY().series("s", x, new double[] {1e-3, 1, 1e11}).chart();
        assertFalse(wide.getStyler().isPlotGridHorizontalLinesVisible(), "14 decades");
        assertTrue(wide.getStyler().isPlotGridVerticalLinesVisible(), "a linear x axis keeps its lines");
        XYChart narrow = Plots.line("L", "epoch", "loss").logY().series("s", x, new double[] {0.04, 0.3, 1.2}).chart();
        assertTrue(narrow.getStyler().isPlotGridHorizontalLinesVisible(), "under 2 decades keeps the lines");
        XYChart fixed = Plots.line("L", "t", "loss").logX().logY().yRange(1e-14, 1e7)
                .series("s", new double[] {1, 10, 100}, new double[] {1, 0.1, 0.01}).chart();
        assertFalse(fixed.getStyler().isPlotGridHorizontalLinesVisible(), "the fixed range decides, not the data");
        assertTrue(fixed.getStyler().isPlotGridVerticalLinesVisible(), "2 decades of x");
    }

    @Test
    void aLogAxisWithinAboutOneDecadeLabelsEveryTickNotOnlyThePowersOfTen() {
        double[] x = {1, 2, 3};
        // a validation loss from 1.5 to 12: labelled at the powers only, the axis would read "10" and nothing else
        XYChart narrow = Plots.line("L", "epoch", "loss").logY().series("s", x, new double[] {1.5, 3, 12}).chart();
        assertFalse(narrow.getStyler().isYAxisLogarithmicDecadeOnly(), "0.9 decades: ticks at 2, 3, ..., 9 labelled");
        XYChart wide = Plots.line("L", "epoch", "loss").logY().series("s", x, new double[] {0.02, 0.3, 3}).chart();
        assertTrue(wide.getStyler().isYAxisLogarithmicDecadeOnly(), "2.2 decades: labels at 0.1 and 1 are enough");
        XYChart fixed = Plots.line("L", "t", "loss").logY().yRange(1e-3, 10)
                .series("s", x, new double[] {1.5, 2, 3}).chart();
        assertTrue(fixed.getStyler().isYAxisLogarithmicDecadeOnly(), "the fixed range decides, not the data");
        // a linear chart switched to log on the XYChart afterwards (StudyPlots' charts) has the rule applied already
        XYChart later = Plots.line("L", "epoch", "loss").series("s", x, new double[] {1.5, 3, 12}).chart();
        later.getStyler().setYAxisLogarithmic(true);
        assertFalse(later.getStyler().isYAxisLogarithmicDecadeOnly());
        assertFalse(later.getStyler().isXAxisLogarithmicDecadeOnly(), "x from 1 to 3: under one decade too");
    }

    @Test
    void plotsIsTheEntryPointForEveryChartKindAndTheyShareOneStyle() {
        XYChart line = Plots.line("t", "x", "y").series("s", new double[] {0, 1}, new double[] {1, 2}).chart();
        assertEquals(Style.TITLE, line.getStyler().getChartTitleFont());
        assertEquals(Style.TICK, line.getStyler().getAxisTickLabelsFont());
        BufferedImage contour = Plots.contour("bowl", (x, y) -> x * x + y * y, -1, 1, -1, 1).image();
        BufferedImage heat = Plots.heatmap(new int[][] {{1, 2}, {3, 4}}).title("counts").image();
        BufferedImage images = Plots.imagesChannelsLast(org.nd4j.linalg.factory.Nd4j.rand(2, 4, 4, 3)).image();
        BufferedImage grid = Plots.grid(2, Plots.heatmap(new double[][] {{0.5}}), line).title("two").image();
        for (BufferedImage im : new BufferedImage[] {contour, heat, images, grid}) {
            assertTrue(im.getWidth() > 50 && im.getHeight() > 50, im.getWidth() + " x " + im.getHeight());
        }
        assertSame(Style.CLASSES, DecisionPlot.PALETTE, "one class palette");
    }
}
