package descent.regularize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AugmentationTest {

    /** A batch [8, 3, 6, 5] of distinct positive values (no pixel is 0, so zero padding is visible). */
    private static INDArray images() {
        return Nd4j.linspace(1.0, 720.0, 720, DataType.DOUBLE).reshape(8, 3, 6, 5);
    }

    private static DataSet batch() {
        INDArray labels = Nd4j.eye(8).castTo(DataType.DOUBLE);
        return new DataSet(images(), labels);
    }

    private static final List<Supplier<Augmentation>> ALL = List.of(
            () -> new RandomCrop(2, 1),
            () -> new HorizontalFlip(0.5, 2),
            () -> new GaussianNoise(0.1, 3),
            () -> new RandomCrop(2, 1).then(new HorizontalFlip(0.5, 2)).then(new GaussianNoise(0.1, 3)));

    @Test
    void sameSeedSameOutputsCallAfterCall() {
        for (Supplier<Augmentation> make : ALL) {
            Augmentation a = make.get(), b = make.get();
            for (int call = 0; call < 3; call++) {
                assertEquals(a.apply(images()), b.apply(images()), a + " call " + call);
            }
        }
    }

    @Test
    void keepShapeAndLabelsLeaveInputUntouchedAndReturnNewArrays() {
        for (Supplier<Augmentation> make : ALL) {
            Augmentation a = make.get();
            DataSet in = batch();
            INDArray labelsBefore = in.getLabels().dup();
            DataSet out = a.apply(in);
            assertArrayEquals(in.getFeatures().shape(), out.getFeatures().shape(), a + " shape");
            assertSame(in.getLabels(), out.getLabels(), a + " labels object");
            assertEquals(labelsBefore, out.getLabels(), a + " labels values");
            assertEquals(images(), in.getFeatures(), a + " input features unchanged");
            assertNotSame(in.getFeatures(), out.getFeatures(), a + " new array");
            assertNotEquals(in.getFeatures(), out.getFeatures(), a + " actually transforms");
        }
    }

    @Test
    void flipIsItsOwnInverseAndMirrorsTheWidthAxis() {
        INDArray x = images();
        INDArray f = HorizontalFlip.flip(x);
        assertEquals(x, HorizontalFlip.flip(f));
        long w = x.size(3);
        for (long n = 0; n < x.size(0); n += 3) {
            for (long c = 0; c < 3; c++) {
                for (long h = 0; h < x.size(2); h++) {
                    for (long j = 0; j < w; j++) {
                        assertEquals(x.getDouble(n, c, h, w - 1 - j), f.getDouble(n, c, h, j));
                    }
                }
            }
        }
        assertEquals(f, new HorizontalFlip(1.0, 9).apply(x), "p = 1 flips every image");
        assertEquals(x, new HorizontalFlip(0.0, 9).apply(x), "p = 0 flips none");
    }

    @Test
    void randomFlipFlipsWholeImagesOnly() {
        INDArray x = images();
        INDArray out = new HorizontalFlip(0.5, 4).apply(x);
        INDArray f = HorizontalFlip.flip(x);
        int flipped = 0;
        for (long n = 0; n < x.size(0); n++) {
            boolean same = out.slice(n).equals(x.slice(n));
            boolean mirrored = out.slice(n).equals(f.slice(n));
            assertTrue(same ^ mirrored, "image " + n + " is either untouched or mirrored");
            flipped += mirrored ? 1 : 0;
        }
        assertTrue(flipped > 0 && flipped < x.size(0), "seed 4 flips some but not all of 8: " + flipped);
    }

    @Test
    void cropWithZeroPaddingAtFullSizeIsTheIdentity() {
        assertEquals(images(), new RandomCrop(0, 5).apply(images()));
    }

    @Test
    void paddedCropIsAShiftedWindowOfTheZeroPaddedImage() {
        int p = 2;
        INDArray x = images();
        INDArray out = new RandomCrop(p, 6).apply(x);
        long h = x.size(2), w = x.size(3);
        INDArray padded = Nd4j.zeros(DataType.DOUBLE, 8, 3, h + 2 * p, w + 2 * p);
        padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(p, p + h),
                NDArrayIndex.interval(p, p + w)).assign(x);
        int shifted = 0;
        for (long n = 0; n < 8; n++) {
            int matches = 0;
            for (int i = 0; i <= 2 * p; i++) {
                for (int j = 0; j <= 2 * p; j++) {
                    INDArray window = padded.get(NDArrayIndex.point(n), NDArrayIndex.all(),
                            NDArrayIndex.interval(i, i + h), NDArrayIndex.interval(j, j + w));
                    if (window.equals(out.slice(n))) {
                        matches++;
                        shifted += (i != p || j != p) ? 1 : 0;
                    }
                }
            }
            assertEquals(1, matches, "image " + n + " equals exactly one window of the padded image");
        }
        assertTrue(shifted > 0, "some images are shifted");
    }

    @Test
    void smallerCropSizeIsHonoured() {
        INDArray out = new RandomCrop(4, 3, 0, 1).apply(images());
        assertArrayEquals(new long[] {8, 3, 4, 3}, out.shape());
    }

    @Test
    void gaussianNoiseHasTheRequestedSpreadAndZeroStdIsTheIdentity() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 16, 3, 16, 16); // 12288 values
        INDArray noise = new GaussianNoise(0.5, 8).apply(x);
        double mean = noise.meanNumber().doubleValue();
        double std = noise.stdNumber().doubleValue();
        // n = 12288 normals with sd 0.5: sd of the mean = 0.5 / sqrt(n) = 4.5e-3 -> bound 5 sd = 0.023;
        // sd of the sample sd ~ 0.5 / sqrt(2n) = 3.2e-3 -> bound 5 sd = 0.016
        assertEquals(0.0, mean, 0.023);
        assertEquals(0.5, std, 0.016);
        INDArray y = images();
        assertEquals(y, new GaussianNoise(0.0, 8).apply(y));
    }

    @Test
    void pipelineEqualsTheStagesAppliedInOrder() {
        Augmentation pipeline = AugmentationPipeline.of(new RandomCrop(2, 1), new HorizontalFlip(0.5, 2),
                new GaussianNoise(0.1, 3));
        INDArray manual = new GaussianNoise(0.1, 3).apply(new HorizontalFlip(0.5, 2).apply(new RandomCrop(2, 1)
                .apply(images())));
        assertEquals(manual, pipeline.apply(images()));
        AugmentationPipeline chained = new RandomCrop(2, 1).then(new HorizontalFlip(0.5, 2))
                .then(new GaussianNoise(0.1, 3));
        assertEquals(3, chained.stages().size(), "then() flattens");
    }
}
