package descent.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    private static int[] rgb(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return new int[] {(p >> 16) & 255, (p >> 8) & 255, p & 255};
    }

    @Test
    void rgbPixelsLandWhereTheyBelongAtTheirColour() {
        // one 3 x 2 x 2 image: pixel (0,0) red, (0,1) green, (1,0) blue, (1,1) white; range 0..1
        INDArray img = Nd4j.zeros(DataType.DOUBLE, 1, 3, 2, 2);
        img.putScalar(new long[] {0, 0, 0, 0}, 1.0);
        img.putScalar(new long[] {0, 1, 0, 1}, 1.0);
        img.putScalar(new long[] {0, 2, 1, 0}, 1.0);
        for (int ch = 0; ch < 3; ch++) {
            img.putScalar(new long[] {0, ch, 1, 1}, 1.0);
        }
        ImageGrid grid = ImageGrid.of(img).range(0, 1).scale(5);
        BufferedImage out = grid.image();
        Point o = grid.origin(0);
        // every screen pixel of an image pixel's 5 x 5 square has that pixel's colour
        for (int d = 0; d < 5; d++) {
            assertEquals(java.util.List.of(255, 0, 0), asList(rgb(out, o.x + d, o.y + d)));
            assertEquals(java.util.List.of(0, 255, 0), asList(rgb(out, o.x + 5 + d, o.y + d)));
            assertEquals(java.util.List.of(0, 0, 255), asList(rgb(out, o.x + d, o.y + 5 + d)));
            assertEquals(java.util.List.of(255, 255, 255), asList(rgb(out, o.x + 5 + d, o.y + 5 + d)));
        }
    }

    private static java.util.List<Integer> asList(int[] a) {
        return java.util.List.of(a[0], a[1], a[2]);
    }

    @Test
    void grayscaleMapsTheRangeLinearlyAndClips() {
        // values -1, 0, 1, 3 with range 0..2: clipped to 0, 0, then 1/2 -> round(127.5) = 128, clipped to 255
        INDArray img = Nd4j.createFromArray(-1.0, 0.0, 1.0, 3.0).reshape(1, 1, 1, 4);
        ImageGrid grid = ImageGrid.of(img).range(0, 2).scale(1);
        BufferedImage out = grid.image();
        Point o = grid.origin(0);
        int[] expected = {0, 0, 128, 255};
        for (int j = 0; j < 4; j++) {
            int[] p = rgb(out, o.x + j, o.y);
            assertEquals(expected[j], p[0], "pixel " + j);
            assertEquals(p[0], p[1]);
            assertEquals(p[0], p[2]);
        }
    }

    @Test
    void defaultRangeIsTheBatchMinimumToMaximumSharedByAllImages() {
        // image 0 holds 2, image 1 holds 4 (both constant): with one range 2..4 image 0 is black, image 1 white
        INDArray batch = Nd4j.createFromArray(2.0, 2.0, 4.0, 4.0).reshape(2, 1, 1, 2);
        ImageGrid grid = ImageGrid.of(batch).scale(3);
        assertEquals(2.0, grid.valueRange()[0]);
        assertEquals(4.0, grid.valueRange()[1]);
        BufferedImage out = grid.image();
        assertEquals(0, rgb(out, grid.origin(0).x, grid.origin(0).y)[0]);
        assertEquals(255, rgb(out, grid.origin(1).x, grid.origin(1).y)[0]);
    }

    @Test
    void layoutHasTheAskedColumnsAndRowsAndRoomForTitleAndCaptions() {
        INDArray batch = Nd4j.rand(DataType.FLOAT, 7, 1, 4, 4);
        ImageGrid plain = ImageGrid.of(batch).columns(3).scale(4);
        Point first = plain.origin(0), second = plain.origin(1), fourth = plain.origin(3);
        assertEquals(first.y, second.y, "images 0 and 1 share a row");
        assertTrue(second.x > first.x + 16, "image 1 is right of image 0's 16 pixels");
        assertEquals(first.x, fourth.x, "image 3 starts the second row");
        assertTrue(fourth.y > first.y + 16);
        int rows = 3; // 7 images in rows of 3
        assertTrue(plain.origin(6).y > plain.origin(3).y);
        BufferedImage p = plain.image();
        assertTrue(p.getHeight() >= rows * 16 && p.getWidth() >= 3 * 16);

        String[] caps = {"a", "b", "c", "d", "e", "f", "a much longer caption"};
        ImageGrid decorated = ImageGrid.of(batch).columns(3).scale(4).title("Title").captions(caps);
        BufferedImage d = decorated.image();
        assertTrue(d.getHeight() > p.getHeight(), "title and captions take room");
        assertTrue(d.getWidth() > p.getWidth(), "cells widen to hold the longest caption");
        assertTrue(decorated.origin(0).y > plain.origin(0).y, "the title is above the images");
    }

    @Test
    void channelsLastIsPermutedToChannelsFirst() {
        // [1, 1, 2, 3] (N, H, W, C): one red pixel then one blue pixel
        INDArray nhwc = Nd4j.createFromArray(1.0, 0.0, 0.0, 0.0, 0.0, 1.0).reshape(1, 1, 2, 3);
        ImageGrid grid = ImageGrid.ofChannelsLast(nhwc).range(0, 1).scale(2);
        BufferedImage out = grid.image();
        Point o = grid.origin(0);
        assertEquals(java.util.List.of(255, 0, 0), asList(rgb(out, o.x, o.y)));
        assertEquals(java.util.List.of(0, 0, 255), asList(rgb(out, o.x + 2, o.y)));
    }

    @Test
    void badInputIsRefusedWithTheProblemNamed() {
        var rank = assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(Nd4j.zeros(3, 4)));
        assertTrue(rank.getMessage().contains("[3, 4]"), rank.getMessage());
        var channels = assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(Nd4j.zeros(2, 2, 4, 4)));
        assertTrue(channels.getMessage().contains("channels") && channels.getMessage().contains("[2, 2, 4, 4]"),
                channels.getMessage());
        INDArray withNaN = Nd4j.zeros(DataType.DOUBLE, 2, 1, 2, 2);
        withNaN.putScalar(new long[] {1, 0, 1, 1}, Double.NaN);
        var nan = assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(withNaN));
        assertTrue(nan.getMessage().contains("image 1") && nan.getMessage().contains("NaN"), nan.getMessage());
        var caps = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(Nd4j.zeros(DataType.DOUBLE, 2, 1, 2, 2)).captions("only one"));
        assertTrue(caps.getMessage().contains("2 captions") && caps.getMessage().contains("got 1"), caps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2)).range(1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2)).columns(0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(Nd4j.zeros(DataType.INT, 1, 1, 2, 2)));
    }
}
