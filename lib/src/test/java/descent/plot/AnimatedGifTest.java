package descent.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.plot.display.DescentDisplayProvider;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;

class AnimatedGifTest {

    /** A moving red square on white: frame k has the square at x = 10 k. */
    private static BufferedImage square(int k) {
        BufferedImage im = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 120, 80);
        g.setColor(Color.RED);
        g.fillRect(10 * k, 30, 20, 20);
        g.dispose();
        return im;
    }

    private static ImageReader reader(byte[] gif) throws Exception {
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif));
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        r.setInput(in);
        return r;
    }

    @Test
    void encodesEveryFrameAsAGifThatImageIoDecodes() throws Exception {
        AnimatedGif gif = AnimatedGif.of(6, AnimatedGifTest::square).delay(150).hold(1000);
        assertEquals(6, gif.frames());
        byte[] bytes = gif.bytes();
        assertEquals("GIF89a", new String(bytes, 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
        ImageReader r = reader(bytes);
        assertEquals(6, r.getNumImages(true), "one GIF image per frame");
        // a viewer draws each frame over what is shown (disposal 1: leave in place); the first frame is whole and
        // opaque, later ones only the pixels that changed, the rest transparent
        BufferedImage frame = new BufferedImage(120, 80, BufferedImage.TYPE_INT_ARGB);
        for (int k = 0; k < 6; k++) {
            BufferedImage raw = r.read(k);
            assertEquals(120, raw.getWidth());
            assertEquals(80, raw.getHeight());
            if (k > 0) {
                assertTrue(new Color(raw.getRGB(5, 5), true).getAlpha() == 0, "frame " + k + ": an unchanged pixel is transparent");
            }
            Graphics2D g = frame.createGraphics();
            g.drawImage(raw, 0, 0, null);
            g.dispose();
            Color inside = new Color(frame.getRGB(10 * k + 10, 40));
            assertTrue(inside.getRed() > 200 && inside.getGreen() < 60, "frame " + k + " shows its square: " + inside);
            Color left = new Color(frame.getRGB(10 * k + 10, 10));
            assertTrue(left.getGreen() > 200, "frame " + k + " is white above the square: " + left);
            if (k > 0) {
                Color behind = new Color(frame.getRGB(10 * k - 5, 40));
                assertTrue(behind.getGreen() > 200, "frame " + k + ": where the square was is white again: " + behind);
            }
        }
        // the delays, in hundredths of a second: 15 for every frame but the last, held 100
        assertEquals(15, delay(r, 0));
        assertEquals(15, delay(r, 4));
        assertEquals(100, delay(r, 5));
    }

    @Test
    void laterFramesStoreOnlyWhatChangedSoTheFileStaysSmall() {
        // 20 frames of a 400 x 300 picture with a busy, fixed background and a small moving square
        IntFunction<BufferedImage> busy = k -> {
            BufferedImage im = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 300; y++) {
                for (int x = 0; x < 400; x++) {
                    im.setRGB(x, y, new Color((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256).getRGB());
                }
            }
            Graphics2D g = im.createGraphics();
            g.setColor(Color.BLACK);
            g.fillRect(10 + 15 * k, 100, 12, 12);
            g.dispose();
            return im;
        };
        int one = AnimatedGif.of(1, busy).bytes().length;
        int twenty = AnimatedGif.of(20, busy).bytes().length;
        assertTrue(twenty < 2 * one, "20 frames take " + twenty + " bytes, one frame " + one);
    }

    private static int delay(ImageReader r, int k) throws Exception {
        IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(k).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        return Integer.parseInt(gce.getAttribute("delayTime"));
    }

    @Test
    void framesMayBeRenderablesAndRejectsNonsense() {
        Renderable r = () -> square(1);
        assertEquals(2, AnimatedGif.of(java.util.List.of(r, square(2))).frames());
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.of(0, AnimatedGifTest::square));
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.of(2, k -> "not a picture"));
        assertThrows(IllegalArgumentException.class, () -> AnimatedGif.of(2, AnimatedGifTest::square).delay(5));
    }

    @Test
    void theNotebookShowsItAsImageGif() throws Exception {
        AnimatedGif gif = AnimatedGif.of(3, AnimatedGifTest::square);
        DisplayRenderer renderer = new DescentDisplayProvider().getDisplayRenderers().stream()
                .filter(d -> d.rendererClass() == AnimatedGif.class).findFirst().orElseThrow();
        assertTrue(renderer.canRender(null) && renderer.canRender(""));
        DisplayData data = renderer.render(null, gif);
        byte[] decoded = Base64.getDecoder().decode(data.data().get("image/gif").toString());
        assertEquals(3, reader(decoded).getNumImages(true));
        assertTrue(data.data().get("text/plain").toString().contains("3 frames"));
    }
}
