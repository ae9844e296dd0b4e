package descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Augmentations on channels-last batches: exact shifts and mirrors, seeded, composable. */
class AugmentationTest {

    /** 8 images [5, 6, 2] with distinct positive values. */
    static INDArray images() {
        return Nd4j.linspace(1.0, 480.0, 480, DataType.DOUBLE).reshape(8, 5, 6, 2);
    }

    private static INDArray applied(Augmentation a, long seed) {
        INDArray x = images();
        a.apply(x, new SplittableRandom(seed));
        return x;
    }

    @Test
    void sameRandomSourceSameBatchOtherSourceOtherBatch() {
        for (Augmentation a : new Augmentation[] {Augmentation.cropAndFlip(2), Augmentation.randomCrop(1),
                Augmentation.horizontalFlip(), Augmentation.gaussianNoise(0.3),
                Augmentation.randomCrop(1).then(Augmentation.horizontalFlip())}) {
            assertEquals(applied(a, 3), applied(a, 3), a.toString());
            assertNotEquals(applied(a, 3), applied(a, 4), a.toString());
            assertNotEquals(images(), applied(a, 3), a + " changes the batch");
        }
        assertEquals(images(), applied(Augmentation.NONE, 1));
        assertEquals(images(), applied(Augmentation.randomCrop(0), 1), "zero padding at full size: identity");
        assertEquals(images(), applied(Augmentation.gaussianNoise(0), 1));
    }

    @Test
    void everyImageIsAShiftedWindowOfItsZeroPaddedSelfOrItsMirror() {
        INDArray x = images();
        INDArray out = applied(Augmentation.cropAndFlip(2), 5);
        int flips = 0;
        int shifts = 0;
        for (int n = 0; n < 8; n++) {
            INDArray o = x.get(NDArrayIndex.point(n));
            INDArray a = out.get(NDArrayIndex.point(n));
            int found = 0;
            for (int flip = 0; flip <= 1; flip++) {
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        boolean all = true;
                        for (int h = 0; h < 5 && all; h++) {
                            for (int w = 0; w < 6 && all; w++) {
                                int sy = h + dy;
                                int sx = (flip == 1 ? 5 - w : w) + dx;
                                for (int c = 0; c < 2; c++) {
                                    double want = sy >= 0 && sy < 5 && sx >= 0 && sx < 6 ? o.getDouble(sy, sx, c) : 0;
                                    all &= a.getDouble(h, w, c) == want;
                                }
                            }
                        }
                        if (all) {
                            found++;
                            flips += flip;
                            shifts += dy != 0 || dx != 0 ? 1 : 0;
                        }
                    }
                }
            }
            assertEquals(1, found, "image " + n + " is exactly one window of its padded self (or mirror)");
        }
        assertTrue(flips > 0 && flips < 8 && shifts > 0, "flips " + flips + ", shifts " + shifts);
    }

    @Test
    void flipMirrorsTheWidthAxisOnly() {
        INDArray x = images();
        INDArray out = applied(Augmentation.horizontalFlip(), 7);
        for (int n = 0; n < 8; n++) {
            INDArray o = x.get(NDArrayIndex.point(n));
            INDArray a = out.get(NDArrayIndex.point(n));
            boolean same = o.equals(a);
            boolean mirrored = true;
            for (int w = 0; w < 6; w++) {
                mirrored &= a.get(NDArrayIndex.all(), NDArrayIndex.point(w), NDArrayIndex.all())
                        .equals(o.get(NDArrayIndex.all(), NDArrayIndex.point(5 - w), NDArrayIndex.all()));
            }
            assertTrue(same ^ mirrored, "image " + n + " is either untouched or mirrored");
        }
    }

    @Test
    void gaussianNoiseHasTheRequestedSpread() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 10, 10, 10, 10);
        Augmentation.gaussianNoise(0.5).apply(x, new SplittableRandom(8));
        // 10,000 draws: the mean's sd is 0.005, the std's about 0.0035; bounds of 5 sd
        assertEquals(0.0, x.meanNumber().doubleValue(), 0.025);
        assertEquals(0.5, x.stdNumber().doubleValue(), 0.018);
    }

    @Test
    void pipelineEqualsTheStagesAppliedInOrderWithOneSource() {
        Augmentation crop = Augmentation.randomCrop(1);
        Augmentation flip = Augmentation.horizontalFlip();
        Augmentation noise = Augmentation.gaussianNoise(0.1);
        INDArray manual = images();
        SplittableRandom r = new SplittableRandom(9);
        crop.apply(manual, r);
        flip.apply(manual, r);
        noise.apply(manual, r);
        Augmentation chained = crop.then(flip).then(noise);
        assertEquals(manual, applied(chained, 9));
        assertEquals(3, ((Augmentation.Pipeline) chained).stages().size(), "then() flattens");
    }

    @Test
    void anInMemoryImageDatasetAugmentsItsTrainingBatches() {
        INDArray y = Nd4j.eye(8).castTo(DataType.DOUBLE);
        Dataset d = Dataset.of(images(), y);
        INDArray x = Nd4j.create(DataType.DOUBLE, 8, 5, 6, 2);
        INDArray t = Nd4j.create(DataType.DOUBLE, 8, 8);
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
        d.fill(order, 0, 8, Augmentation.cropAndFlip(2), new SplittableRandom(5), x, t);
        assertEquals(applied(Augmentation.cropAndFlip(2), 5), x, "fill = plain rows, then the augmentation");
        assertEquals(y, t, "targets untouched");
        assertTrue(d.isClassification());
    }
}
