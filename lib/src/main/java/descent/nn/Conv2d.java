package descent.nn;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D convolution, stride 1, square kernel, zero padding, on NHWC input:
 * <pre>
 *   y[n, i, j, o] = b[o] + sum_{c, u, v} w[o, c, u, v] * x[n, i + u - pad, j + v - pad, c]    (x = 0 outside)
 * </pre>
 * The weight is {@code [out, in, k, k]} as in PyTorch's {@code nn.Conv2d}, and so is the default initialization:
 * {@code w, b ~ Uniform(-1/sqrt(in*k*k), 1/sqrt(in*k*k))} (PyTorch's kaiming_uniform with a = sqrt(5)).
 *
 * <p>Two implementations, same arithmetic:
 * <ul>
 *   <li>libnd4j's {@code conv2d}/{@code conv2d_bp} (oneDNN in FLOAT);</li>
 *   <li>for the network's first layer, whose input gradient nobody needs, and when {@code in*k*k <= 75}:
 *   "lowering" (im2col + matrix product). The patches of x are laid out as a matrix
 *   {@code P[(n,i,j), (u,v,c)]} once per batch (in Java; in NHWC each kernel row {@code u} of a patch is
 *   {@code k*c} consecutive floats of the image, one array copy), then {@code Y = P W'^T + b},
 *   {@code dW' = dY^T P}, {@code db = 1^T dY}, and no input gradient at all, where {@code W'} is the weight
 *   permuted to {@code [out, k, k, in]} (a copy of {@code out*in*k*k} numbers per step, and back for dW). oneDNN's {@code conv2d_bp} always
 *   computes the input gradient, and for a 3-channel input that costs more than the rest of the backward
 *   pass.</li>
 * </ul>
 */
public final class Conv2d extends Layer {

    /** Largest {@code in*k*k} for which the first layer uses im2col + matrix product. */
    static final int LOWERING_MAX_PATCH = 75;

    private final int in;
    private final int out;
    private final int k;
    private final int pad;
    private final boolean hasBias;
    private boolean identityInit;

    private INDArray w;
    private INDArray b;
    private INDArray gw;
    private INDArray gb;

    private INDArray x;
    private INDArray patches;
    private boolean lowered;
    private int height;
    private int width;

    /** A convolution with bias. */
    public Conv2d(int in, int out, int kernel, int padding) {
        this(in, out, kernel, padding, true);
    }

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel kernel size k (k x k)
     * @param padding zero padding on each side
     * @param bias whether to add a bias (leave it out before a BatchNorm)
     */
    public Conv2d(int in, int out, int kernel, int padding, boolean bias) {
        if (in <= 0 || out <= 0 || kernel <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs in, out, kernel > 0 and padding >= 0, got in=" + in
                    + " out=" + out + " kernel=" + kernel + " padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.k = kernel;
        this.pad = padding;
        this.hasBias = bias;
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + "->" + out + ", " + k + "x" + k + ", pad " + pad + (hasBias ? "" : ", no bias") + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        if (s.length != 3 || s[2] != in) {
            throw new IllegalArgumentException(describe() + " expects per-example input [height, width, " + in
                    + "] (NHWC), got " + shape(s));
        }
        long h = s[0] + 2L * pad - k + 1;
        long wd = s[1] + 2L * pad - k + 1;
        if (h <= 0 || wd <= 0) {
            throw new IllegalArgumentException(describe() + ": input " + shape(s) + " is smaller than the kernel");
        }
        return new long[] {h, wd, out};
    }

    @Override
    public long numParams() {
        return (long) out * in * k * k + (hasBias ? out : 0);
    }

    @Override
    public java.util.List<Parameter> parameters() {
        return hasBias ? java.util.List.of(new Parameter("weight", w, gw), new Parameter("bias", b, gb))
                : java.util.List.of(new Parameter("weight", w, gw));
    }

    @Override
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
        long nw = (long) out * in * k * k;
        w = params.get(NDArrayIndex.interval(0, nw)).reshape(out, in, k, k);
        gw = grads.get(NDArrayIndex.interval(0, nw)).reshape(out, in, k, k);
        if (hasBias) {
            b = params.get(NDArrayIndex.interval(nw, nw + out));
            gb = grads.get(NDArrayIndex.interval(nw, nw + out));
        }
    }

    /**
     * Identity ("Dirac") initialization of the first {@code min(in, out)} filters, as airbench94's convolutions
     * ({@code torch.nn.init.dirac_(w[:in])} after the default init): filter {@code o < min(in, out)} becomes
     * {@code w[o, c, u, v] = 1} if {@code c == o} and {@code u == v == k / 2}, else 0, so at the start those
     * output channels copy input channel o (with padding {@code k / 2}); the other filters keep the default init.
     * Applied when the network is built (or re-initialized).
     */
    public Conv2d identityInit(boolean on) {
        if (on && k % 2 == 0) {
            throw new IllegalArgumentException(describe() + ": identity init needs an odd kernel, got " + k);
        }
        this.identityInit = on;
        return this;
    }

    @Override
    protected void initialize(SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt((double) in * k * k);
        fillUniform(w, bound, rng);
        if (hasBias) {
            fillUniform(b, bound, rng);
        }
        if (identityInit) {
            int n = Math.min(in, out);
            w.get(NDArrayIndex.interval(0, n)).assign(0);
            for (int o = 0; o < n; o++) {
                w.putScalar(new long[] {o, o, k / 2, k / 2}, 1.0);
            }
        }
    }

    /** Multiply-adds times 2 of one example's forward pass ({@code 2 out in k^2 oh ow}, plus the bias adds). */
    @Override
    public long forwardFlops(long[] inputShape) {
        long[] o = outputShape(inputShape);
        return o[0] * o[1] * out * (2L * in * k * k + (hasBias ? 1 : 0));
    }

    /**
     * Patch-whitening initialization (Page 2019; airbench94's first layer): sets the weights so that the
     * {@code in k k} values of every {@code k x k} patch are mapped onto the eigenvectors of the patches' second-moment
     * matrix, scaled to unit variance, each with both signs:
     * <pre>
     *   S       = mean over all k x k patches p of images (as vectors (c, u, v)) of p p^T     (not centred)
     *   S       = sum_j lambda_j e_j e_j^T                        (eigenvalues in decreasing order)
     *   w[j]    =  e_j / sqrt(lambda_j + eps),   w[j + d] = -e_j / sqrt(lambda_j + eps),   d = in k k
     * </pre>
     * so the layer needs {@code out == 2 in k k} filters (24 for 2x2 patches of RGB images) and no padding is
     * assumed (every patch inside the image is used). The bias is left as it is. After this, the first layer's
     * output channels are decorrelated and of comparable scale: the high-frequency directions (small lambda) are
     * amplified rather than left to be learned. The layer must belong to a network.
     *
     * @param images NHWC images {@code [n, height, width, in]}, normalized as the network sees them
     * @param eps added to every eigenvalue (airbench94: 5e-4)
     */
    public Conv2d whiten(INDArray images, double eps) {
        if (!bound) {
            throw new IllegalStateException(describe() + ": whiten(...) needs the layer's network to be built first");
        }
        int d = in * k * k;
        if (out != 2 * d) {
            throw new IllegalArgumentException(describe() + ": patch whitening needs out = 2 * in * k * k = " + 2 * d
                    + " filters, got " + out);
        }
        if (images.rank() != 4 || images.size(3) != in || images.size(1) < k || images.size(2) < k) {
            throw new IllegalArgumentException(describe() + ": whiten expects images [n, height, width, " + in
                    + "] of at least " + k + "x" + k + ", got " + shape(images.shape()));
        }
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException(describe() + ": whiten eps must be finite and >= 0, got " + eps);
        }
        double[][] second = patchSecondMoment(images, k);
        double[][] vectors = new double[d][d];
        double[] values = SymmetricEigen.decompose(second, vectors);   // decreasing values, vectors as rows
        double[] wv = new double[out * d];
        for (int j = 0; j < d; j++) {
            double scale = 1.0 / Math.sqrt(Math.max(values[j], 0) + eps);
            for (int t = 0; t < d; t++) {
                wv[j * d + t] = vectors[j][t] * scale;
                wv[(j + d) * d + t] = -vectors[j][t] * scale;
            }
        }
        w.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(wv).reshape(out, in, k, k).castTo(w.dataType()));
        return this;
    }

    /** {@code S[a][b]} = mean over all k x k patches of p_a p_b, patch entries ordered (c, u, v) as the weight. */
    static double[][] patchSecondMoment(INDArray images, int k) {
        int n = (int) images.size(0);
        int h = (int) images.size(1);
        int wd = (int) images.size(2);
        int c = (int) images.size(3);
        int d = c * k * k;
        float[] pix = images.dup('c').castTo(DataType.FLOAT).data().asFloat();
        double[][] s = new double[d][d];
        double[] p = new double[d];
        long count = 0;
        for (int img = 0; img < n; img++) {
            int base = img * h * wd * c;
            for (int i = 0; i + k <= h; i++) {
                for (int j = 0; j + k <= wd; j++) {
                    int t = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                p[t++] = pix[base + ((i + u) * wd + j + v) * c + ch];
                            }
                        }
                    }
                    for (int a = 0; a < d; a++) {
                        double pa = p[a];
                        for (int bb = a; bb < d; bb++) {
                            s[a][bb] += pa * p[bb];
                        }
                    }
                    count++;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int bb = a; bb < d; bb++) {
                s[a][bb] /= count;
                s[bb][a] = s[a][bb];
            }
        }
        return s;
    }

    /** Weight view {@code [out, in, k, k]}. */
    public INDArray weight() {
        return w;
    }

    /** Bias view {@code [out]}, or null. */
    public INDArray bias() {
        return b;
    }

    /** Whether the last forward pass used im2col + matrix product. */
    public boolean lowered() {
        return lowered;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input.rank() != 4 || input.size(3) != in) {
            throw new IllegalArgumentException(describe() + " expects input [batch, height, width, " + in
                    + "], got " + shape(input.shape()));
        }
        x = input;
        int n = (int) input.size(0);
        height = (int) input.size(1);
        width = (int) input.size(2);
        int oh = height + 2 * pad - k + 1;
        int ow = width + 2 * pad - k + 1;
        INDArray y = buffer(0, n, oh, ow, out);
        lowered = !inputGradNeeded && in * k * k <= LOWERING_MAX_PATCH;
        if (lowered) {
            patches = buffer(1, (long) n * oh * ow, (long) in * k * k);
            im2col(isDense(input) ? input : input.dup('c'), patches, n, height, width, in, k, pad, oh, ow);
            INDArray y2 = y.reshape((long) n * oh * ow, out);
            INDArray wKkc = buffer(4, out, k, k, in);
            wKkc.assign(w.permute(0, 2, 3, 1));
            Ops.gemm(patches, wKkc.reshape(out, (long) k * k * in), y2, false, true);
            if (hasBias) {
                y2.addiRowVector(b);
            }
        } else {
            Ops.conv2d(input, w, b, y, k, pad);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (lowered) {
            long rows = patches.size(0);
            INDArray gy2 = gy.reshape(rows, out);
            INDArray gwKkc = buffer(5, out, (long) k * k * in);
            Ops.gemm(gy2, patches, gwKkc, true, false);
            gw.assign(gwKkc.reshape(out, k, k, in).permute(0, 3, 1, 2));
            if (hasBias) {
                Ops.gemm(ones(rows), gy2, gb.reshape(1, out), false, false);
            }
            return null;
        }
        INDArray gx = buffer(2, x.shape());
        Ops.conv2dBackward(x, w, b, gy, gx, gw, gb, k, pad);
        return gx;
    }

    private INDArray ones(long m) {
        INDArray o = buffer(3, 1, m);
        if (o.getDouble(0) != 1.0) {
            o.assign(1.0);
        }
        return o;
    }

    /** Per-thread scratch arrays of {@link #im2col}: one image's pixels, one image's patches. */
    private static final ThreadLocal<float[][]> IM2COL_SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);

    /**
     * {@code dst[(n, i, j), (u, v, c)] = src[n, i + u - pad, j + v - pad, c]} (0 outside), images in parallel.
     */
    static void im2col(INDArray src, INDArray dst, int n, int h, int w, int c, int k, int pad, int oh, int ow) {
        int patch = c * k * k;
        int image = h * w * c;
        long srcBase = src.offset();
        long dstBase = dst.offset();
        if (src.dataType() == DataType.FLOAT) {
            FloatBuffer s = src.data().asNioFloat();
            FloatBuffer d = dst.data().asNioFloat();
            int imagePatches = oh * ow * patch;
            for (int img = 0; img < n; img++) {
                // Gather one image's patches into a Java array, then copy it out in one bulk put: per-element
                // puts into the native buffer cost a bounds check and a call each.
                float[][] scratch = IM2COL_SCRATCH.get();
                if (scratch[0] == null || scratch[0].length < image) {
                    scratch[0] = new float[image];
                }
                if (scratch[1] == null || scratch[1].length < imagePatches) {
                    scratch[1] = new float[imagePatches];
                }
                float[] pix = scratch[0];
                float[] out = scratch[1];
                s.get((int) (srcBase + (long) img * image), pix, 0, image);
                int col = 0;
                int rowLength = k * c;
                for (int i = 0; i < oh; i++) {
                    boolean rowInside = i - pad >= 0 && i - pad + k <= h;
                    for (int j = 0; j < ow; j++) {
                        if (rowInside && j - pad >= 0 && j - pad + k <= w) {
                            // The whole patch is inside the image: each kernel row is k*c consecutive floats.
                            for (int u = 0; u < k; u++, col += rowLength) {
                                System.arraycopy(pix, ((i + u - pad) * w + j - pad) * c, out, col, rowLength);
                            }
                            continue;
                        }
                        for (int u = 0; u < k; u++) {
                            int yy = i + u - pad;
                            for (int v = 0; v < k; v++) {
                                int xx = j + v - pad;
                                boolean inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
                                int at = (yy * w + xx) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    out[col++] = inside ? pix[at + ch] : 0f;
                                }
                            }
                        }
                    }
                }
                d.put((int) (dstBase + (long) img * imagePatches), out, 0, imagePatches);
            }
        } else if (src.dataType() == DataType.DOUBLE) {
            DoubleBuffer s = src.data().asNioDouble();
            DoubleBuffer d = dst.data().asNioDouble();
            for (int img = 0; img < n; img++) {
                double[] pix = new double[image];
                s.get((int) (srcBase + (long) img * image), pix);
                int row = (int) (dstBase + (long) img * oh * ow * patch);
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, row += patch) {
                        int col = row;
                        for (int u = 0; u < k; u++) {
                            int yy = i + u - pad;
                            for (int v = 0; v < k; v++) {
                                int xx = j + v - pad;
                                boolean inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
                                for (int ch = 0; ch < c; ch++, col++) {
                                    d.put(col, inside ? pix[(yy * w + xx) * c + ch] : 0.0);
                                }
                            }
                        }
                    }
                }
            }
        } else {
            throw new IllegalArgumentException("Conv2d supports FLOAT and DOUBLE, got " + src.dataType());
        }
        // The NIO views do not keep the arrays alive; their native memory must not be freed while in use.
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(dst);
    }
}
