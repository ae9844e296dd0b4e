package descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.CropAndFlip;
import descent.data.Dataset;
import descent.loss.Loss;
import descent.loss.Losses;
import descent.nn.Backend;
import descent.nn.Flatten;
import descent.nn.Linear;
import descent.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-time augmentation in Evaluation: the average of the logits on an image and its mirror (FLIP), and with the
 * image's 1-pixel shifts (FLIP_TRANSLATE), each against a from-scratch computation.
 */
class EvaluationTtaTest {

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);
    }

    static final int N = 10;
    static final int H = 3;
    static final int W = 4;
    static final int C = 2;
    static final int K = 3;

    static Dataset data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[N * H * W * C];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        INDArray y = Nd4j.zeros(DataType.DOUBLE, N, K);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, r.nextInt(K), 1.0);
        }
        return Dataset.of(Nd4j.createFromArray(v).reshape(N, H, W, C), y);
    }

    static Sequential flattenLinear(long seed) {
        return Sequential.input(H, W, C).add(new Flatten()).add(new Linear(H * W * C, K))
                .dataType(DataType.DOUBLE).seed(seed).build();
    }

    /** The mirror by hand: m[n, h, w, c] = x[n, h, W-1-w, c]. */
    static INDArray mirrorByHand(INDArray x) {
        INDArray m = x.ulike();
        for (int n = 0; n < x.size(0); n++) {
            for (int h = 0; h < x.size(1); h++) {
                for (int w = 0; w < x.size(2); w++) {
                    for (int c = 0; c < x.size(3); c++) {
                        m.putScalar(new long[] {n, h, w, c}, x.getDouble(n, h, x.size(2) - 1 - w, c));
                    }
                }
            }
        }
        return m;
    }

    static INDArray allFeatures(Dataset d) {
        INDArray x = Nd4j.create(DataType.DOUBLE, d.featureBatchShape(d.size()));
        INDArray y = Nd4j.create(DataType.DOUBLE, d.targetBatchShape(d.size()));
        d.fill(java.util.stream.IntStream.range(0, d.size()).toArray(), 0, d.size(),
                descent.data.Augmentation.NONE, null, x, y);
        return x;
    }

    static int[] argMax(INDArray logits) {
        int[] a = new int[(int) logits.size(0)];
        for (int i = 0; i < a.length; i++) {
            a[i] = logits.getRow(i).argMax().getInt(0);
        }
        return a;
    }

    @Test
    void mirrorFlipsTheWidthAxis() {
        INDArray x = allFeatures(data(1));
        INDArray m = x.ulike();
        CropAndFlip.mirror(x, m);
        assertEquals(mirrorByHand(x), m);
        assertThrows(IllegalArgumentException.class, () -> CropAndFlip.mirror(x, x));
        assertThrows(IllegalArgumentException.class, () -> CropAndFlip.mirror(x.reshape(N, H * W * C), m));
    }

    @Test
    void mirrorOfFloatsAndOfViewsIsExact() {
        INDArray x = allFeatures(data(3));
        INDArray f = x.castTo(DataType.FLOAT);
        INDArray mf = f.ulike();
        CropAndFlip.mirror(f, mf);
        assertEquals(mirrorByHand(x).castTo(DataType.FLOAT), mf);
        // a view in (every other image of a bigger batch) and a view out (the second half of another)
        INDArray big = Nd4j.concat(0, x, x.mul(-1));
        INDArray strided = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 2 * N));
        INDArray target = Nd4j.create(DataType.DOUBLE, 2 * N, H, W, C);
        INDArray half = target.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(N, 2 * N));
        CropAndFlip.mirror(strided, half);
        assertEquals(mirrorByHand(strided.dup()), half);
        assertEquals(0.0, target.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N)).amaxNumber().doubleValue(),
                "only the view is written");
    }

    @Test
    void mirrorDoesNotLeakNativeMemory() throws InterruptedException {
        // libnd4j M2.1's Reverse op (what mirror used) kept about 1.75 MB per call on this batch: 525 MB over 300 calls
        INDArray x = Nd4j.rand(DataType.FLOAT, 100, 32, 32, 3);
        INDArray m = x.ulike();
        for (int i = 0; i < 50; i++) {
            CropAndFlip.mirror(x, m);
        }
        System.gc();
        Thread.sleep(200);
        long before = descent.kernel.MemoryGuard.rssBytes();
        long heapBefore = Runtime.getRuntime().totalMemory();
        for (int i = 0; i < 300; i++) {
            CropAndFlip.mirror(x, m);
        }
        System.gc();
        Thread.sleep(200);
        // the Java heap may grow with the copies' garbage (more so after other tests in the same JVM): not native memory
        long heapGrown = Math.max(0, Runtime.getRuntime().totalMemory() - heapBefore);
        long grown = descent.kernel.MemoryGuard.rssBytes() - before - heapGrown;
        assertTrue(before > 0, "this test reads /proc/self/statm");
        assertTrue(grown < 150L << 20, "300 mirrors of a [100, 32, 32, 3] batch grew the resident set by "
                + (grown >> 20) + " MB beyond the Java heap's growth (" + (heapGrown >> 20) + " MB)");
    }

    @Test
    void averagedLogitsAreTheMeanOfTheTwoForwardPasses() {
        Dataset d = data(2);
        Sequential net = flattenLinear(3);
        Linear lin = (Linear) net.layers().get(1);
        // Hand-set weights: w[k, j] = sin(1 + k * 7 + j), bias (0.1, -0.2, 0.3).
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < H * W * C; j++) {
                lin.weight().putScalar(k, j, Math.sin(1 + k * 7 + j));
            }
        }
        lin.bias().assign(Nd4j.createFromArray(0.1, -0.2, 0.3));
        INDArray x = allFeatures(d);
        INDArray target = Nd4j.create(DataType.DOUBLE, N, K);
        d.fill(java.util.stream.IntStream.range(0, N).toArray(), 0, N, descent.data.Augmentation.NONE, null,
                Nd4j.create(DataType.DOUBLE, N, H, W, C), target);
        INDArray plain = net.predict(x);
        INDArray mean = plain.add(net.predict(mirrorByHand(x))).muli(0.5);
        Loss ce = Losses.create("cross_entropy");

        Evaluation tta = Evaluation.of(net, d, 4, ce, true);          // batches 4, 4, 2
        assertArrayEquals(argMax(mean), tta.predictions());
        assertEquals(ce.value(mean, target), tta.loss(), 1e-12);

        Evaluation off = Evaluation.of(net, d, 4, ce, false);
        assertArrayEquals(argMax(plain), off.predictions());
        assertEquals(ce.value(plain, target), off.loss(), 1e-12);
        assertNotEquals(off.loss(), tta.loss(), 1e-6);                  // TTA did change something
        Evaluation old = Evaluation.of(net, d, 4, ce);                   // the old overload: no TTA
        assertEquals(off.loss(), old.loss());
        assertArrayEquals(off.predictions(), old.predictions());
    }

    /** The shift by hand, torch's 'reflect' borders: s[n, h, w, c] = x[n, r(h + dy), r(w + dx), c]. */
    static INDArray shiftByHand(INDArray x, int dy, int dx) {
        INDArray s = x.ulike();
        long hh = x.size(1);
        long ww = x.size(2);
        for (int n = 0; n < x.size(0); n++) {
            for (int h = 0; h < hh; h++) {
                for (int w = 0; w < ww; w++) {
                    long sy = h + dy < 0 ? -(h + dy) : h + dy >= hh ? 2 * (hh - 1) - (h + dy) : h + dy;
                    long sx = w + dx < 0 ? -(w + dx) : w + dx >= ww ? 2 * (ww - 1) - (w + dx) : w + dx;
                    for (int c = 0; c < x.size(3); c++) {
                        s.putScalar(new long[] {n, h, w, c}, x.getDouble(n, sy, sx, c));
                    }
                }
            }
        }
        return s;
    }

    @Test
    void shiftReflectsTheBordersAsTorchPadReflect() {
        // one 3 x 4 image, one channel, pixel (h, w) = 10 h + w
        INDArray x = Nd4j.create(DataType.DOUBLE, 1, 3, 4, 1);
        for (int h = 0; h < 3; h++) {
            for (int w = 0; w < 4; w++) {
                x.putScalar(new long[] {0, h, w, 0}, 10 * h + w);
            }
        }
        INDArray up = x.ulike();
        CropAndFlip.shift(x, -1, -1, up);
        // F.pad(x, (1, 1, 1, 1), 'reflect')[..., 0:3, 0:4]: row -1 is row 1, column -1 is column 1
        assertEquals(Nd4j.createFromArray(new double[][] {{11, 10, 11, 12}, {1, 0, 1, 2}, {11, 10, 11, 12}})
                .reshape(1, 3, 4, 1), up);
        INDArray down = x.ulike();
        CropAndFlip.shift(x, 1, 1, down);
        // [..., 2:5, 2:6]: row 3 is row 1, column 4 is column 2
        assertEquals(Nd4j.createFromArray(new double[][] {{11, 12, 13, 12}, {21, 22, 23, 22}, {11, 12, 13, 12}})
                .reshape(1, 3, 4, 1), down);
        INDArray many = allFeatures(data(5));
        INDArray f = many.castTo(DataType.FLOAT);
        INDArray sf = f.ulike();
        CropAndFlip.shift(f, 2, -1, sf);
        assertEquals(shiftByHand(many, 2, -1).castTo(DataType.FLOAT), sf);
        assertThrows(IllegalArgumentException.class, () -> CropAndFlip.shift(x, 3, 0, up));
        assertThrows(IllegalArgumentException.class, () -> CropAndFlip.shift(x, 0, 0, x));
    }

    @Test
    void flipTranslateAveragesSixViewsWithAirbenchsWeights() {
        Dataset d = data(6);
        Sequential net = flattenLinear(7);
        INDArray x = allFeatures(d);
        INDArray target = Nd4j.create(DataType.DOUBLE, N, K);
        d.fill(java.util.stream.IntStream.range(0, N).toArray(), 0, N, descent.data.Augmentation.NONE, null,
                Nd4j.create(DataType.DOUBLE, N, H, W, C), target);
        // from scratch: flip(v) = (model(v) + model(mirror(v))) / 2; out = flip(x)/2 + flip(up-left)/4 + flip(down-right)/4
        java.util.function.Function<INDArray, INDArray> flip =
                v -> net.predict(v).add(net.predict(mirrorByHand(v))).muli(0.5);
        INDArray expected = flip.apply(x).muli(0.5)
                .addi(flip.apply(shiftByHand(x, -1, -1)).muli(0.25))
                .addi(flip.apply(shiftByHand(x, 1, 1)).muli(0.25));
        Loss ce = Losses.create("cross_entropy");
        Evaluation six = Evaluation.of(net, d, 4, ce, Evaluation.Tta.FLIP_TRANSLATE);     // batches 4, 4, 2
        assertArrayEquals(argMax(expected), six.predictions());
        assertEquals(ce.value(expected, target), six.loss(), 1e-12);
        Evaluation two = Evaluation.of(net, d, 4, ce, Evaluation.Tta.FLIP);
        assertEquals(Evaluation.of(net, d, 4, ce, true).loss(), two.loss(), "the boolean overload is FLIP");
        assertNotEquals(two.loss(), six.loss(), 1e-6);
        assertEquals(6, Evaluation.Tta.FLIP_TRANSLATE.views());
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(net, d, 4, ce, (Evaluation.Tta) null));
    }

    @Test
    void mirrorSymmetricModelIsUnchangedByTta() {
        Dataset d = data(4);
        Sequential net = flattenLinear(5);
        Linear lin = (Linear) net.layers().get(1);
        // Symmetrize the weights over the width axis: model(mirror(x)) = model(x) exactly.
        INDArray w4 = lin.weight().dup().reshape(K, H, W, C);
        INDArray sym = w4.add(mirrorByHand(w4)).muli(0.5);
        lin.weight().assign(sym.reshape(K, H * W * C));
        Evaluation off = Evaluation.of(net, d, 3, Losses.create("cross_entropy"), false);
        Evaluation on = Evaluation.of(net, d, 3, Losses.create("cross_entropy"), true);
        assertEquals(off.accuracy(), on.accuracy());
        assertArrayEquals(off.predictions(), on.predictions());
        assertEquals(off.loss(), on.loss(), 1e-14);
    }

    @Test
    void ttaNeedsImages() {
        Dataset flat = Dataset.of(Nd4j.rand(DataType.DOUBLE, 4, 3), 
                Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}}));
        Sequential net = Sequential.input(3).add(new Linear(3, 2)).dataType(DataType.DOUBLE).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.of(net, flat, 2, Losses.create("cross_entropy"), true));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }
}
