package descent.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;

class SmallMultiplesTest {

    private static final DoubleBinaryOperator BOWL = (x, y) -> x * x + 4 * y * y;

    private static double[] line(double from, double to, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + (to - from) * i / (n - 1);
        }
        return v;
    }

    private static SmallMultiples five() {
        SmallMultiples s = SmallMultiples.of("bowl", BOWL, -2, 2, -1, 1).columns(3).panelSize(300, 220)
                .point("minimum", 0, 0);
        for (int i = 0; i < 4; i++) {
            s.panel("path " + i, line(-1.5, 0, 11), line(0.8 - 0.2 * i, 0, 11), Style.LINES[i]);
        }
        return s.panel("away", line(0, 5, 11), line(0, 0, 11), Color.BLACK);
    }

    @Test
    void onePanelPerTrajectoryInAGridOfEqualCells() {
        SmallMultiples s = five();
        assertEquals(5, s.panels());
        BufferedImage img = s.image();
        assertEquals(3 * 300, img.getWidth(), "3 columns of 300 px");
        assertEquals(58 + 2 * 220, img.getHeight(), "title and key, then 2 rows of 220 px");
        assertEquals(List.of("path 0", "path 1", "path 2", "path 3", "away (left the plot)"), s.panelTitles());
        assertEquals(10, s.steps());
        // the empty sixth cell stays white; the five panels are drawn
        assertEquals(Color.WHITE.getRGB(), img.getRGB(2 * 300 + 150, 58 + 220 + 110));
        assertTrue(img.getRGB(300 + 150, 58 + 110) != Color.WHITE.getRGB());
    }

    @Test
    void everyPanelHasTheSameBackground() {
        BufferedImage img = five().image();
        // far from any path (top-right corner of each plot area), panels 0, 1 and 3 show the same level colour
        int a = img.getRGB(300 - 20, 58 + 45);
        int b = img.getRGB(2 * 300 - 20, 58 + 45);
        int c = img.getRGB(300 - 20, 58 + 220 + 45);
        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void animationHasTheRequestedFramesGrowingToTheWholePath() throws Exception {
        SmallMultiples s = five();
        AnimatedGif gif = s.animation(6);
        assertEquals(6, gif.frames());
        // the last frame is the whole picture but for the title and the key's wording
        BufferedImage last = gif.frame(5);
        BufferedImage whole = s.image();
        assertEquals(whole.getWidth(), last.getWidth());
        assertEquals(whole.getHeight(), last.getHeight());
        int differ = 0;
        for (int y = 58; y < whole.getHeight(); y++) {
            for (int x = 0; x < whole.getWidth(); x++) {
                if (whole.getRGB(x, y) != last.getRGB(x, y)) {
                    differ++;
                }
            }
        }
        // the panels of the last frame equal the still picture but for the titles: the still one of panel 4 says
        // "(left the plot)", a frame names the trajectory only
        assertTrue(differ > 0, "the title of the panel that leaves the plot differs");
        int belowTitles = 0;
        for (int row = 0; row < 2; row++) {
            for (int y = 58 + row * 220 + 34; y < 58 + (row + 1) * 220; y++) {
                for (int x = 0; x < whole.getWidth(); x++) {
                    belowTitles += whole.getRGB(x, y) != last.getRGB(x, y) ? 1 : 0;
                }
            }
        }
        assertEquals(0, belowTitles, "below the panel titles, the last frame equals the still picture");
        // the first frame shows less path than the last
        int firstVsLast = 0;
        BufferedImage first = gif.frame(0);
        for (int y = 58; y < whole.getHeight(); y++) {
            for (int x = 0; x < whole.getWidth(); x++) {
                if (first.getRGB(x, y) != last.getRGB(x, y)) {
                    firstVsLast++;
                }
            }
        }
        assertTrue(firstVsLast > 100, "the paths grow between the first and the last frame");
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(gif.bytes())));
        assertEquals(6, r.getNumImages(true));
    }

    @Test
    void rejectsWhatCannotBeDrawn() {
        assertThrows(IllegalStateException.class, () -> SmallMultiples.of("empty", BOWL, -1, 1, -1, 1).image());
        assertThrows(IllegalArgumentException.class, () -> SmallMultiples.of("bad", BOWL, 1, -1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> five().panel("path 0", new double[] {0}, new double[] {0}, Color.RED));
        assertThrows(IllegalArgumentException.class, () -> five().columns(0));
        assertThrows(IllegalArgumentException.class, () -> five().animation(1));
        assertThrows(IllegalArgumentException.class, () -> five().panel("x", new double[] {0, 1}, new double[] {0}, Color.RED));
    }
}
