package descent.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class ContourPlotTest {

    private static final DoubleBinaryOperator BOWL = (x, y) -> x * x + y * y;
    private static final DoubleBinaryOperator ROSENBROCK =
            (x, y) -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    @Test
    void rendersAtTheRequestedSizeWithColouredBandsAndAColourBar() {
        ContourPlot p = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).size(500, 360)
                .path("a", new double[] {-0.8, 0, 0.5}, new double[] {0.8, 0.1, 0});
        BufferedImage img = p.image();
        assertEquals(500, img.getWidth());
        assertEquals(360, img.getHeight());
        ContourPlot.Layout l = p.layout();
        // the lowest band is at the centre of the bowl, the highest in a corner: different colours
        int centre = img.getRGB(l.plot().x + l.plot().width / 2, l.plot().y + l.plot().height / 2 + 40);
        int corner = img.getRGB(l.plot().x + 3, l.plot().y + l.plot().height - 3);
        assertTrue(centre != corner, "centre and corner of the bowl have the same colour");
        // the colour bar shows the same two colours at its bottom and top
        Rectangle bar = l.colorBar();
        int barLow = img.getRGB(bar.x + bar.width / 2, bar.y + bar.height - 3);
        int barHigh = img.getRGB(bar.x + bar.width / 2, bar.y + 3);
        assertTrue(barLow != barHigh);
        // light = low, dark = high
        assertTrue(brightness(barLow) > brightness(barHigh));
        // nothing of the legend overlaps the plot area
        assertTrue(!l.legend().intersects(l.plot()), "legend overlaps the plot");
    }

    @Test
    void aShortLegendGoesBelowTheplotALongOneToTheRight() {
        ContourPlot few = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).point("minimum", 0, 0)
                .path("a", new double[] {0.5, 0}, new double[] {0.5, 0});
        ContourPlot.Layout l = few.layout();
        assertTrue(l.legendBelow());
        assertTrue(l.legend().y >= l.plot().y + l.plot().height, "a legend below starts under the plot");
        ContourPlot many = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1);
        for (int i = 0; i < 11; i++) {
            many.path("optimizer number " + i, new double[] {0.5, 0}, new double[] {0.5, 0});
        }
        ContourPlot.Layout m = many.layout();
        assertTrue(!m.legendBelow());
        assertTrue(m.legend().x >= m.colorBar().x + m.colorBar().width, "a legend on the right is right of the colour bar");
        assertTrue(!m.legend().intersects(m.plot()));
        assertEquals(760, many.image().getWidth());
    }

    private static int brightness(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() + c.getGreen() + c.getBlue();
    }

    @Test
    void linearLevelsAreEvenlySpacedFromMinToMax() {
        // f = x on [0, 1] x [0, 1]: pixel centres of a w-pixel plot run from 0.5/w to 1 - 0.5/w
        ContourPlot p = ContourPlot.of("ramp", (x, y) -> x, 0, 1, 0, 1).levels(4).size(300, 200);
        double[] b = p.levelBoundaries();
        assertEquals(5, b.length);
        double step = (b[4] - b[0]) / 4;
        for (int k = 1; k <= 4; k++) {
            assertEquals(step, b[k] - b[k - 1], 1e-12);
        }
        int w = p.layout().plot().width;
        assertEquals(0.5 / w, b[0], 1e-12);
        assertEquals(1 - 0.5 / w, b[4], 1e-12);
    }

    @Test
    void logLevelsAreGeometricAboveTheMinimum() {
        ContourPlot p = ContourPlot.of("Rosenbrock", ROSENBROCK, -2, 2, -1, 3).levels(7).logLevels(6);
        double[] b = p.levelBoundaries();
        assertEquals(8, b.length);
        double lo = b[0];
        double span = b[7] - lo;
        // b[k] - lo = span * 10^(-6 + 6 (k-1)/6) = span * 10^(k - 7) for k = 1..7
        for (int k = 1; k <= 7; k++) {
            assertEquals(span * Math.pow(10, k - 7), b[k] - lo, 1e-9 * span);
        }
        for (int k = 1; k < b.length; k++) {
            assertTrue(b[k] > b[k - 1]);
        }
    }

    @Test
    void explicitLevelsAreUsedAsGiven() {
        double[] given = {0, 0.5, 1, 2};
        assertArrayEquals(given, ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).levels(given).levelBoundaries());
    }

    @Test
    void divergingAndEscapingTrajectoriesAreLabelledAndDoNotBreakThePicture() {
        double nan = Double.NaN;
        ContourPlot p = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1)
                .path("fine", new double[] {0.5, 0.2, 0.0}, new double[] {0.5, 0.1, 0.0})
                .path("blows up", new double[] {0.5, -3, 1e200, nan, Double.POSITIVE_INFINITY},
                        new double[] {0.5, 4, -1e200, nan, 1})
                .path("runs away", new double[] {0.0, 0.5, 2.0}, new double[] {0.0, 0.0, 0.0})
                .path("only NaN", new double[] {nan, nan}, new double[] {nan, nan});
        assertEquals(List.of("fine", "blows up (diverged)", "runs away (left the plot)", "only NaN (diverged)"),
                p.legendLabels());
        BufferedImage img = p.image();
        assertEquals(760, img.getWidth());
    }

    @Test
    void trajectoriesAreClippedToThePlotArea() {
        Color red = new Color(255, 0, 0);
        ContourPlot without = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).path("x", new double[] {0},
                new double[] {0}, Color.BLUE);
        ContourPlot with = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).path("x", new double[] {0},
                new double[] {0}, Color.BLUE);
        // both "y" paths start alike and diverge (same legend text, so the layouts agree); the second one also
        // crosses the plot from (50, 50) to (-50, -50) and then flies off to 1e12
        double nan = Double.NaN;
        with.path("y", new double[] {-0.5, 50, -50, 1e12, nan}, new double[] {0.2, 50, -50, -1e12, nan}, red);
        without.path("y", new double[] {-0.5, 50, nan}, new double[] {0.2, 50, nan}, red);
        BufferedImage a = without.image();
        BufferedImage b = with.image();
        ContourPlot.Layout l = with.layout();
        assertEquals(l, without.layout());
        Rectangle plot = new Rectangle(l.plot().x - 7, l.plot().y - 7, l.plot().width + 14, l.plot().height + 14);
        int changedInside = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    // nothing outside the plot area (and its markers' margin) may change
                    assertTrue(plot.contains(x, y),
                            "pixel (" + x + ", " + y + ") outside the plot changed");
                    if (plot.contains(x, y)) {
                        changedInside++;
                    }
                }
            }
        }
        assertTrue(changedInside > 50, "the clipped segments were not drawn (" + changedInside + " pixels)");
    }

    @Test
    void liangBarskyClipping() {
        ContourPlot p = ContourPlot.of("bowl", BOWL, 0, 1, 0, 1);
        // a horizontal segment from x = -1 to x = 2 at y = 0.5 is cut to x in [0, 1]
        assertArrayEquals(new double[] {0, 0.5, 1, 0.5}, p.clip(-1, 0.5, 2, 0.5), 1e-12);
        // a segment entirely outside is dropped
        assertNull(p.clip(2, 2, 3, 3));
        // a segment inside is unchanged
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, p.clip(0.1, 0.2, 0.3, 0.4), 1e-12);
        // a diagonal from (-1, -1) to (2, 2) is cut at the corners
        assertArrayEquals(new double[] {0, 0, 1, 1}, p.clip(-1, -1, 2, 2), 1e-12);
        // an overflowing difference is dropped rather than drawn wrongly
        assertNull(p.clip(-Double.MAX_VALUE, 0.5, Double.MAX_VALUE, 0.5));
    }

    @Test
    void undefinedValuesAreDrawnGrey() {
        ContourPlot p = ContourPlot.of("log", (x, y) -> Math.log(x), -1, 1, 0, 1).size(400, 300);
        BufferedImage img = p.image();
        Rectangle plot = p.layout().plot();
        Color left = new Color(img.getRGB(plot.x + 5, plot.y + plot.height / 2));
        assertEquals(left.getRed(), left.getGreen());
        assertEquals(left.getGreen(), left.getBlue());
        double[] b = p.levelBoundaries();
        assertTrue(Double.isFinite(b[0]) && Double.isFinite(b[b.length - 1]));
    }

    @Test
    void badInputIsRefusedWithItsName() {
        assertThrows(IllegalArgumentException.class, () -> ContourPlot.of("", BOWL, 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ContourPlot.of("t", null, 0, 1, 0, 1));
        var range = assertThrows(IllegalArgumentException.class, () -> ContourPlot.of("t", BOWL, 1, 0, 0, 1));
        assertTrue(range.getMessage().contains("x range"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContourPlot.of("t", BOWL, 0, 1, 0, Double.NaN));
        ContourPlot p = ContourPlot.of("t", BOWL, 0, 1, 0, 1);
        var len = assertThrows(IllegalArgumentException.class,
                () -> p.path("a", new double[] {1, 2}, new double[] {1}));
        assertTrue(len.getMessage().contains("'a'") && len.getMessage().contains("2"), len.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.path("a", new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> p.path(" ", new double[] {1}, new double[] {1}));
        p.path("a", new double[] {1}, new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> p.path("a", new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> p.levels(1));
        assertThrows(IllegalArgumentException.class, () -> p.levels(0, 1));
        assertThrows(IllegalArgumentException.class, () -> p.levels(0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> p.logLevels(0));
        assertThrows(IllegalArgumentException.class, () -> p.size(10, 10));
        assertThrows(IllegalArgumentException.class, () -> p.point("m", Double.NaN, 0));
    }

    @Test
    void gridPutsPicturesSideBySide() {
        ContourPlot a = ContourPlot.of("a", BOWL, -1, 1, -1, 1).size(300, 200);
        ContourPlot b = ContourPlot.of("b", BOWL, -1, 1, -1, 1).size(400, 250);
        BufferedImage img = PlotGrid.of(2, a, b, a).title("three").image();
        assertEquals(800, img.getWidth());
        assertEquals(34 + 2 * 250, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> PlotGrid.of(0, a));
        assertThrows(IllegalArgumentException.class, () -> PlotGrid.of(2, a, "not a picture"));
    }

    @Test
    void compactPanelsAnimationFramesAndAKeyWithoutAnEndWhenNoPathEndsInside() {
        double[] xs = {-0.8, -0.4, 0, 0.4};
        double[] ys = {0.8, 0.4, 0, -0.4};
        ContourPlot full = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).size(400, 300).path("a", xs, ys);
        ContourPlot bare = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).size(400, 300).path("a", xs, ys)
                .legend(false).colorBar(false);
        assertTrue(bare.layout().plot().width > full.layout().plot().width, "no colour bar, no legend: a wider plot");
        assertEquals(0, bare.layout().legend().width);
        assertEquals("start   end", full.legendKey());
        // a path that leaves the picture: the key no longer explains an end star that is not drawn
        ContourPlot away = ContourPlot.of("bowl", BOWL, -1, 1, -1, 1).path("b", new double[] {0, 5}, new double[] {0, 5});
        assertEquals("start", away.legendKey());
        assertEquals(List.of("b (left the plot)"), away.legendLabels());
        // upTo: frame 1 draws less than the whole path, and the same picture again equals the first drawing
        BufferedImage all = full.image();
        BufferedImage one = full.upTo(1).image();
        BufferedImage oneAgain = full.image();
        int differ = 0;
        for (int y = 0; y < all.getHeight(); y++) {
            for (int x = 0; x < all.getWidth(); x++) {
                differ += all.getRGB(x, y) != one.getRGB(x, y) ? 1 : 0;
                assertEquals(one.getRGB(x, y), oneAgain.getRGB(x, y));
            }
        }
        assertTrue(differ > 50, "the frame at step 1 shows less path than the whole: " + differ + " pixels differ");
        assertThrows(IllegalArgumentException.class, () -> full.upTo(-1));
    }
}
