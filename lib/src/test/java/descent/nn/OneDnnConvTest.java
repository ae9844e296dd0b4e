package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link OneDnnConv} (oneDNN called directly on NHWC arrays) computes what libnd4j's conv2d / conv2d_bp compute,
 * whichever path {@link Ops} takes on this CPU: forward, input gradient, weight and bias gradients, for several
 * kernels and paddings, with weights and gradients as views at an offset in a flat vector (as {@link Sequential}
 * lays them out).
 */
class OneDnnConvTest {

    /** libnd4j's own conv2d / conv2d_bp, bypassing the dispatch in {@link Ops}. */
    private static void nd4jForward(INDArray x, INDArray w, INDArray b, INDArray y, int k, int pad) {
        Ops.exec("conv2d", b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b}, new INDArray[] {y},
                k, k, 1, 1, pad, pad, 1, 1, 0, 1, 1);
    }

    private static void nd4jBackward(INDArray x, INDArray w, INDArray b, INDArray gy, INDArray gx, INDArray gw,
                                     INDArray gb, int k, int pad) {
        Ops.exec("conv2d_bp", b == null ? new INDArray[] {x, w, gy} : new INDArray[] {x, w, b, gy},
                b == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb}, k, k, 1, 1, pad, pad, 1, 1, 0, 1, 1);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max |difference| " + diff + " (scale " + scale + ")");
    }

    /** One shape: n images h x w x in, out filters of k x k, padding pad, with or without bias. */
    private static void check(int n, int h, int wd, int in, int out, int k, int pad, boolean bias) {
        Nd4j.getRandom().setSeed(7L * k + pad + out);
        int oh = h + 2 * pad - k + 1;
        int ow = wd + 2 * pad - k + 1;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, h, wd, in).subi(0.5);
        INDArray gy = Nd4j.rand(DataType.FLOAT, n, oh, ow, out).subi(0.5);
        long wLen = (long) out * in * k * k;
        // parameters and gradients as views at an offset in flat vectors, as a Sequential lays them out
        INDArray flat = Nd4j.rand(DataType.FLOAT, 3 + wLen + out).subi(0.5);
        INDArray w = flat.get(NDArrayIndex.interval(3, 3 + wLen)).reshape(out, in, k, k);
        INDArray b = bias ? flat.get(NDArrayIndex.interval(3 + wLen, 3 + wLen + out)) : null;
        INDArray gflat = Nd4j.zeros(DataType.FLOAT, 5 + wLen + out);
        INDArray gw = gflat.get(NDArrayIndex.interval(5, 5 + wLen)).reshape(out, in, k, k);
        INDArray gb = bias ? gflat.get(NDArrayIndex.interval(5 + wLen, 5 + wLen + out)) : null;
        assertTrue(w.offset() > 0 && gw.offset() > 0, "the test means views at an offset");
        assertTrue(OneDnnConv.accepts(x, w, b, gy, gw, gb));

        String shape = "n=" + n + " " + h + "x" + wd + " in=" + in + " out=" + out + " k=" + k + " pad=" + pad
                + (bias ? " +bias" : "");
        INDArray yRef = Nd4j.create(DataType.FLOAT, n, oh, ow, out);
        INDArray y = Nd4j.create(DataType.FLOAT, n, oh, ow, out);
        nd4jForward(x, w, b, yRef, k, pad);
        OneDnnConv.forward(x, w, b, y, k, pad);
        assertClose(yRef, y, "forward " + shape);

        INDArray gxRef = Nd4j.create(DataType.FLOAT, n, h, wd, in);
        INDArray gwRef = Nd4j.create(DataType.FLOAT, out, in, k, k);
        INDArray gbRef = bias ? Nd4j.create(DataType.FLOAT, out) : null;
        nd4jBackward(x, w, b, gy, gxRef, gwRef, gbRef, k, pad);
        INDArray gx = Nd4j.create(DataType.FLOAT, n, h, wd, in).assign(Float.NaN);   // every element is written
        OneDnnConv.backward(x, w, gy, gx, gw, gb, k, pad);
        assertClose(gxRef, gx, "input gradient " + shape);
        assertClose(gwRef, gw, "weight gradient " + shape);
        if (bias) {
            assertClose(gbRef, gb, "bias gradient " + shape);
        }
        assertEquals(0.0, gflat.getDouble(4), "nothing written before the weight gradient's view");
    }

    @Test
    void equalsLibnd4jForwardAndBackward() {
        check(3, 7, 5, 4, 6, 3, 1, true);
        check(2, 6, 6, 8, 16, 3, 1, false);
        check(2, 9, 8, 5, 3, 5, 2, true);
        check(4, 6, 7, 3, 8, 3, 0, false);
        check(2, 5, 5, 16, 8, 1, 0, true);
        check(8, 15, 15, 24, 64, 3, 1, false);   // a speedrun shape, smaller batch
    }

    @Test
    void parallelThreadsGetTheirOwnPrimitivesAndAgree() throws Exception {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 9, 9, 8).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 16, 8, 3, 3).subi(0.5);
        INDArray yRef = Nd4j.create(DataType.FLOAT, 4, 9, 9, 16);
        nd4jForward(x, w, null, yRef, 3, 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<INDArray>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    INDArray y = Nd4j.create(DataType.FLOAT, 4, 9, 9, 16);
                    for (int rep = 0; rep < 20; rep++) {
                        OneDnnConv.forward(x, w, null, y, 3, 1);
                    }
                    return y;
                }));
            }
            for (Future<INDArray> r : results) {
                assertClose(yRef, r.get(), "forward in a parallel thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void autoSendsEveryConvolutionHereWithoutAvx512AndWithItThoseWhoseInputChannelsAreNotAMultipleOf16() {
        for (long c : new long[] {1, 3, 16, 24, 64, 256}) {
            assertTrue(OneDnnConv.takes(OneDnnConv.Mode.AUTO, true, false, c));
            assertEquals(c % 16 != 0, OneDnnConv.takes(OneDnnConv.Mode.AUTO, true, true, c), c + " channels");
            assertFalse(OneDnnConv.takes(OneDnnConv.Mode.AUTO, false, false, c), "no library, no oneDNN path");
            assertTrue(OneDnnConv.takes(OneDnnConv.Mode.ONEDNN, true, true, c));
            assertFalse(OneDnnConv.takes(OneDnnConv.Mode.ND4J, true, false, c));
        }
    }

    @Test
    void wrongShapesAreRejectedBeforeOneDnnTouchesMemory() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 6, 3);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OneDnnConv.forward(x, w, null, Nd4j.create(DataType.FLOAT, 2, 6, 6, 5), 3, 1));
        assertTrue(e.getMessage().contains("y must have shape [2, 6, 6, 4]"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OneDnnConv.forward(x, Nd4j.rand(DataType.FLOAT, 4, 2, 3, 3), null,
                        Nd4j.create(DataType.FLOAT, 2, 6, 6, 4), 3, 1));
        assertTrue(e.getMessage().contains("w must have shape [4, 3, 3, 3]"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OneDnnConv.backward(x, w, Nd4j.create(DataType.FLOAT, 2, 6, 6, 4), Nd4j.create(DataType.FLOAT, 2, 6, 6, 3),
                        Nd4j.create(DataType.FLOAT, 4, 3, 3, 3), Nd4j.create(DataType.FLOAT, 5), 3, 1));
        assertTrue(e.getMessage().contains("bias must have shape [4]"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OneDnnConv.backward(x, w, Nd4j.create(DataType.FLOAT, 2, 6, 6, 4), Nd4j.create(DataType.FLOAT, 2, 5, 6, 3),
                        Nd4j.create(DataType.FLOAT, 4, 3, 3, 3), null, 3, 1));
        assertTrue(e.getMessage().contains("gx must have shape [2, 6, 6, 3]"), e.getMessage());
    }

    @Test
    void doubleAndStridedArraysStayOnLibnd4j() {
        assertFalse(OneDnnConv.accepts(Nd4j.rand(DataType.DOUBLE, 2, 4, 4, 3)));
        assertFalse(OneDnnConv.accepts(Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4).permute(0, 2, 3, 1)));
        assertTrue(OneDnnConv.accepts(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 3), null));
    }
}
