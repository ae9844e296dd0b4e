package descent.nn;

import static descent.nn.OneDnnConv.check;
import static descent.nn.OneDnnConv.md;
import static descent.nn.OneDnnConv.memory;
import static descent.nn.OneDnnConv.point;
import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.Arrays;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization in training mode of {@code [n, h, w, c]} FLOAT arrays (channels last) on oneDNN's library,
 * wherever it loads ({@link OneDnnConv#normalizes()}):
 * <pre>
 *   forward:  mean, var = the batch's mean and biased variance per channel (m = n h w values each)
 *             y = gamma (x - mean) / sqrt(var + eps) + beta
 *   backward: dgamma = sum(dy xhat), dbeta = sum(dy), with xhat = (x - mean) / sqrt(var + eps)
 *             dx = gamma / sqrt(var + eps) (dy - dbeta / m - xhat dgamma / m)
 * </pre>
 * the formulas of {@code descent.nn.norm.BatchNorm}, which calls this through {@link Ops#batchNormTraining} and
 * {@link Ops#batchNormTrainingBackward}. oneDNN makes a few passes over the data where the layer's own path makes one
 * per line of the formula: the speedrun network's six BatchNorm layers take 35 instead of 84 ms per training step
 * with oneDNN limited to AVX2, 32 instead of 94 ms with AVX-512 (batch 256, 2 threads, an Intel Xeon,
 * {@code StepMicrobench --variants profile-fast}).
 * The backward pass reads the forward's input again, which the layer keeps (as {@link Conv2d} keeps its input).
 */
final class OneDnnBatchNorm {

    private static final OneDnnConv.Pool<Key, Plan> POOL =
            new OneDnnConv.Pool<>(key -> new Plan(key, OneDnnConv.engine()));

    private OneDnnBatchNorm() {
    }

    /** Whether {@link #forward} and {@link #backward} take this input: the oneDNN path is on; FLOAT, dense, rank 4. */
    static boolean accepts(INDArray x) {
        return x.rank() == 4 && OneDnnConv.normalizes() && OneDnnConv.accepts(x);
    }

    static void forward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray y, INDArray mean,
                        INDArray var) {
        Key key = Key.of(x, eps);
        key.check("y", y, x.shape());
        for (INDArray a : new INDArray[] {gamma, beta, mean, var}) {
            key.checkChannels(a);
        }
        POOL.with(key, p -> p.forward(x, gamma, beta, y, mean, var));
    }

    static void backward(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray var, double eps,
                         INDArray gy, INDArray gx, INDArray gGamma, INDArray gBeta) {
        Key key = Key.of(x, eps);
        key.check("gy", gy, x.shape());
        key.check("gx", gx, x.shape());
        for (INDArray a : new INDArray[] {gamma, beta, mean, var, gGamma, gBeta}) {
            key.checkChannels(a);
        }
        POOL.with(key, p -> p.backward(x, gamma, beta, mean, var, gy, gx, gGamma, gBeta));
    }

    /** The shape and epsilon; every array is checked against them before oneDNN reads or writes it. */
    record Key(long n, long h, long w, long c, float eps) {
        static Key of(INDArray x, double eps) {
            if (x.rank() != 4 || !OneDnnConv.accepts(x) || !(eps >= 0)) {
                throw new IllegalArgumentException("batch norm: x must be a dense FLOAT [n, h, w, c] array and eps"
                        + " >= 0; got x " + x.dataType() + " " + Arrays.toString(x.shape()) + ", eps " + eps);
            }
            return new Key(x.size(0), x.size(1), x.size(2), x.size(3), (float) eps);
        }

        void check(String name, INDArray a, long[] expected) {
            if (!Arrays.equals(a.shape(), expected) || !OneDnnConv.accepts(a)) {
                throw new IllegalArgumentException("batch norm: " + name + " must be a dense FLOAT array of shape "
                        + Arrays.toString(expected) + ", got " + a.dataType() + " " + Arrays.toString(a.shape()));
            }
        }

        /** A per-channel vector: c values, dense ([c] or [1, c]). */
        void checkChannels(INDArray a) {
            if (a.length() != c || !OneDnnConv.accepts(a)) {
                throw new IllegalArgumentException("batch norm: per-channel arrays must be dense FLOAT with " + c
                        + " values, got " + a.dataType() + " " + Arrays.toString(a.shape()));
            }
        }
    }

    /** The forward and backward primitives of one shape, each bound once to its memories. */
    private static final class Plan {
        final dnnl_stream stream = new dnnl_stream();
        final dnnl_memory src;
        final dnnl_memory dst;
        final dnnl_memory diffSrc;
        final dnnl_memory diffDst;
        final dnnl_memory scale;
        final dnnl_memory shift;
        final dnnl_memory mean;
        final dnnl_memory variance;
        final dnnl_memory diffScale;
        final dnnl_memory diffShift;
        final OneDnnConv.Step fwd;
        final OneDnnConv.Step bwd;

        Plan(Key key, dnnl_engine engine) {
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
            dnnl_memory_desc_t dataMd = md(new long[] {key.n, key.c, key.h, key.w}, dnnl_acdb);   // NHWC in memory
            dnnl_memory_desc_t channelMd = md(new long[] {key.c}, dnnl_a);
            int flags = dnnl_use_scale | dnnl_use_shift;
            dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
            check(dnnl_batch_normalization_forward_desc_init(fd, dnnl_forward_training, dataMd, key.eps, flags),
                    "batch normalization forward");
            fwd = OneDnnConv.Step.of(engine, stream, new const_dnnl_op_desc_t(fd), null);
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, dataMd, dataMd, key.eps, flags),
                    "batch normalization backward");
            bwd = OneDnnConv.Step.of(engine, stream, new const_dnnl_op_desc_t(bd), fwd.pd);

            src = memory(dataMd, engine, null);
            dst = memory(dataMd, engine, null);
            diffSrc = memory(dataMd, engine, null);
            diffDst = memory(dataMd, engine, null);
            scale = memory(channelMd, engine, null);
            shift = memory(channelMd, engine, null);
            mean = memory(channelMd, engine, null);
            variance = memory(channelMd, engine, null);
            diffScale = memory(channelMd, engine, null);
            diffShift = memory(channelMd, engine, null);
            fwd.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DST, DNNL_ARG_MEAN,
                    DNNL_ARG_VARIANCE}, src, scale, shift, dst, mean, variance);
            // oneDNN 2.5 wants the shift among the backward pass's arguments too (it does not read it): without it,
            // execution fails with "invalid arguments"
            bwd.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_DST, DNNL_ARG_SCALE,
                    DNNL_ARG_SHIFT, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT}, src, mean, variance,
                    diffDst, scale, shift, diffSrc, diffScale, diffShift);
        }

        void forward(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray m, INDArray v) {
            point(src, x);
            point(scale, gamma);
            point(shift, beta);
            point(dst, y);
            point(mean, m);
            point(variance, v);
            fwd.run();
        }

        void backward(INDArray x, INDArray gamma, INDArray beta, INDArray m, INDArray v, INDArray gy, INDArray gx,
                      INDArray gGamma, INDArray gBeta) {
            point(src, x);
            point(scale, gamma);
            point(shift, beta);
            point(mean, m);
            point(variance, v);
            point(diffDst, gy);
            point(diffSrc, gx);
            point(diffScale, gGamma);
            point(diffShift, gBeta);
            bwd.run();
        }
    }
}
