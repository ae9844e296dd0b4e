package descent.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapTest {

    private static Color at(BufferedImage img, int x, int y) {
        return new Color(img.getRGB(x, y));
    }

    @Test
    void cellsAreColouredByValueFromWhiteToDarkBlue() {
        // 2 x 2 counts 0, 10 / 5, 10: lo = 0, hi = 10, so 0 -> white, 10 -> (8, 48, 107), 5 -> halfway:
        // (255 + (8 - 255) / 2, 255 + (48 - 255) / 2, 255 + (107 - 255) / 2) = (131.5, 151.5, 181) -> rounded (132, 152, 181)
        Heatmap h = Heatmap.of(new int[][] {{0, 10}, {5, 10}}).cellSize(40);
        BufferedImage img = h.image();
        Point c00 = h.cellOrigin(0, 0);
        Point c01 = h.cellOrigin(0, 1);
        Point c10 = h.cellOrigin(1, 0);
        assertEquals(Color.WHITE, at(img, c00.x + 3, c00.y + 3));
        assertEquals(new Color(8, 48, 107), at(img, c01.x + 3, c01.y + 3));
        assertEquals(new Color(132, 152, 181), at(img, c10.x + 3, c10.y + 3));
        assertArrayEquals(new double[] {0, 10}, h.valueRange());
    }

    @Test
    void valuesAreWrittenInTheirCellsInAContrastingColour() {
        Heatmap h = Heatmap.of(new int[][] {{0, 1000}}).cellSize(60);
        assertEquals("0", h.cellText(0, 0));
        assertEquals("1000", h.cellText(0, 1));
        BufferedImage img = h.image();
        // the dark cell holds white text pixels, the white cell black ones
        assertTrue(hasPixel(img, h.cellOrigin(0, 1), 60, c -> c.getRed() > 200 && c.getBlue() > 200));
        assertTrue(hasPixel(img, h.cellOrigin(0, 0), 60, c -> c.getRed() < 80 && c.getGreen() < 80));
        assertEquals(0.0, Heatmap.luminance(Color.BLACK), 0);
        assertEquals(1.0, Heatmap.luminance(Color.WHITE), 1e-12);
    }

    private static boolean hasPixel(BufferedImage img, Point o, int size, java.util.function.Predicate<Color> p) {
        for (int y = o.y + 2; y < o.y + size - 2; y++) {
            for (int x = o.x + 2; x < o.x + size - 2; x++) {
                if (p.test(at(img, x, y))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void labelsTitleAndScaleMakeThePictureLargerAndPushTheGrid() {
        double[][] v = {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}};
        Heatmap bare = Heatmap.of(v);
        Heatmap full = Heatmap.of(v).title("A title").xLabel("predicted").yLabel("true")
                .rowLabels(List.of("cat", "dog")).columnLabels(List.of("airplane", "automobile", "bird"))
                .scaleLabel("fraction").format("%.2f");
        BufferedImage a = bare.image();
        BufferedImage b = full.image();
        assertTrue(b.getWidth() > a.getWidth() && b.getHeight() > a.getHeight());
        assertTrue(full.cellOrigin(0, 0).x > bare.cellOrigin(0, 0).x, "row labels and y label are left of the grid");
        assertTrue(full.cellOrigin(0, 0).y > bare.cellOrigin(0, 0).y, "title and column labels are above the grid");
        assertEquals("0.50", full.cellText(1, 1));
        assertEquals("0.500", bare.cellText(1, 1), "default: 3 significant digits");
        // cells are square and adjacent
        assertEquals(48, full.cellOrigin(0, 1).x - full.cellOrigin(0, 0).x);
        assertEquals(48, full.cellOrigin(1, 0).y - full.cellOrigin(0, 0).y);
        // the whole grid lies inside the picture
        Point last = full.cellOrigin(1, 2);
        assertTrue(last.x + 48 < b.getWidth() && last.y + 48 <= b.getHeight());
    }

    @Test
    void rangeClipsAndConstantMatricesStillDraw() {
        Heatmap h = Heatmap.of(new double[][] {{-5, 50}}).range(0, 10);
        BufferedImage img = h.image();
        assertEquals(Color.WHITE, at(img, h.cellOrigin(0, 0).x + 2, h.cellOrigin(0, 0).y + 2));
        assertEquals(new Color(8, 48, 107), at(img, h.cellOrigin(0, 1).x + 2, h.cellOrigin(0, 1).y + 2));
        Heatmap constant = Heatmap.of(new double[][] {{3, 3}});
        assertArrayEquals(new double[] {2.5, 3.5}, constant.valueRange());
        constant.image();
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[][] {{1, 2}, {3}}))
                .getMessage().contains("row 1 has 1 values, row 0 has 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[][] {{1, Double.NaN}}))
                .getMessage().contains("row 0, column 1 is NaN"));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new double[0][]));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Heatmap.of(new int[][] {{1, 2}}).columnLabels(List.of("a"))).getMessage()
                .contains("2 columns need 2 column labels, got 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Heatmap.of(new int[][] {{1, 2}}).rowLabels(List.of("a", "b"))).getMessage()
                .contains("1 rows need 1 row labels, got 2"));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new int[][] {{1}}).range(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new int[][] {{1}}).format("%d"));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.of(new int[][] {{1}}).cellSize(8));
    }
}
