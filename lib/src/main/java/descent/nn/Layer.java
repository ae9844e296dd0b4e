package descent.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer of a {@link Sequential} network, with a hand-written backward pass.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Images are NHWC ({@code [batch, height, width, channels]}, channels last); per-example shapes such as
 *   {@code {32, 32, 3}} leave out the batch dimension.</li>
 *   <li>Parameters and their gradients are views into the model's two flat vectors, so an optimizer sees one
 *   vector; parameter shapes follow PyTorch (e.g. conv weight {@code [out, in, kH, kW]}, linear weight
 *   {@code [out, in]}).</li>
 *   <li>{@link #backward} <em>overwrites</em> (does not accumulate) the gradients of the last {@link #forward}
 *   call, so there is no {@code zero_grad}.</li>
 *   <li>Arrays returned by {@code forward}/{@code backward} are the layer's own buffers, reused by the next call
 *   with the same batch size; {@code dup()} them to keep them.</li>
 * </ul>
 */
public abstract class Layer {

    protected DataType dtype = DataType.FLOAT;
    /** False for the first layer: nobody needs the gradient with respect to the network's input. */
    protected boolean inputGradNeeded = true;
    /** False for the first layer: the input belongs to the caller and must not be overwritten. */
    protected boolean inputOwned = true;
    /** Set once the layer belongs to a network (its parameters are views into that network's vectors). */
    protected boolean bound;

    /** Reusable buffers: per slot, the two most recently used shapes (e.g. the training batch and the last,
     * smaller batch of an epoch), so alternating batch sizes do not reallocate every time. */
    private final INDArray[][] scratch = new INDArray[8][2];

    /** Short description, e.g. {@code Conv2d(3->32, 3x3, pad 1)}. */
    public abstract String describe();

    /**
     * The per-example output shape for a per-example input shape.
     *
     * @throws IllegalArgumentException if this layer cannot take that input (the message shows the shapes)
     */
    public abstract long[] outputShape(long[] inputShape);

    /** Number of trainable parameters. */
    public long numParams() {
        return 0;
    }

    /**
     * Floating-point operations of one example's forward pass for this per-example input shape (a multiply-add
     * counts 2); 0 for layers whose cost is negligible next to convolutions and matrix products (activations,
     * pooling, normalization). A training step costs about 3 times the forward pass (forward, input gradient,
     * weight gradient).
     */
    public long forwardFlops(long[] inputShape) {
        return 0;
    }

    /** Number of non-trainable state values (e.g. BatchNorm running statistics). */
    public long numBuffers() {
        return 0;
    }

    /**
     * This layer's trainable tensors by name ({@code weight}, {@code bias}, ...), each with its gradient; empty for a
     * layer without parameters. Valid once the layer belongs to a network.
     */
    public java.util.List<Parameter> parameters() {
        return java.util.List.of();
    }

    /** Takes views of this layer's slices of the model's flat parameter, gradient and buffer vectors. */
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
    }

    /** Sets initial parameter (and buffer) values. */
    protected void initialize(SplittableRandom rng) {
    }

    /** Sets the random source of stochastic layers (dropout) for the next training forward pass. */
    protected void reseed(long seed) {
    }

    /** Computes the output for a batch {@code x}; {@code training} selects batch statistics / dropout. */
    public abstract INDArray forward(INDArray x, boolean training);

    /**
     * Runs {@code layers} one after the other on {@code x}. Before each layer it decides whether the layer may work
     * in place on its input ({@link #inputOwned}): not when the input shares memory with {@code x}, the caller's
     * array, which a pass-through layer (Flatten, Dropout in evaluation) hands on unchanged.
     */
    static INDArray forwardChain(java.util.List<Layer> layers, INDArray x, boolean training) {
        INDArray a = x;
        for (Layer l : layers) {
            l.inputOwned = !sameMemory(a, x);
            a = l.forward(a, training);
        }
        return a;
    }

    /** Whether two arrays are views of the same memory. */
    static boolean sameMemory(INDArray a, INDArray b) {
        return a == b || a.data() == b.data() || a.data().address() == b.data().address();
    }

    /**
     * Given dLoss/dOutput of the last forward call, writes dLoss/dParams into the gradient views and returns
     * dLoss/dInput (null for the first layer, whose input gradient nobody needs).
     */
    public abstract INDArray backward(INDArray gradOut);

    /** The data type parameters and activations use. */
    public DataType dataType() {
        return dtype;
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Gives a layer used on its own (outside a {@link Sequential}) parameter, gradient and buffer vectors of its own,
     * of type {@code type}, initialized as in a network; nothing if it already has them. Layers that are useful on
     * their own (normalization, dropout) call it first in {@code forward}.
     */
    protected final void ensureBound(DataType type) {
        if (bound) {
            return;
        }
        dtype = type;
        inputOwned = false;     // the caller's input
        long np = numParams();
        long nb = numBuffers();
        bind(np == 0 ? null : Nd4j.create(type, np), np == 0 ? null : Nd4j.create(type, np),
                nb == 0 ? null : Nd4j.create(type, nb));
        bound = true;
        initialize(new SplittableRandom(0));
    }

    /** A reusable buffer of this shape for slot {@code i} (allocated when neither cached shape matches). */
    protected INDArray buffer(int slot, long... shape) {
        INDArray[] s = scratch[slot];
        if (s[0] != null && Arrays.equals(s[0].shape(), shape)) {
            return s[0];
        }
        INDArray b = s[1] != null && Arrays.equals(s[1].shape(), shape) ? s[1] : Nd4j.create(dtype, shape);
        s[1] = s[0];        // most recently used first
        s[0] = b;
        return b;
    }

    /** Shape {@code [batch, perExample...]}. */
    static long[] withBatch(long batch, long[] perExample) {
        long[] s = new long[perExample.length + 1];
        s[0] = batch;
        System.arraycopy(perExample, 0, s, 1, perExample.length);
        return s;
    }

    protected static String shape(long[] s) {
        return Arrays.toString(s);
    }

    /** Uniform(-bound, bound) values into {@code target} (PyTorch's default init draws from this). */
    static void fillUniform(INDArray target, double bound, SplittableRandom rng) {
        double[] v = new double[(int) target.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble(-bound, bound);
        }
        target.assign(Nd4j.createFromArray(v).reshape(target.shape()).castTo(target.dataType()));
    }

    /** Whether x is c-ordered with no gaps (its elements are buffer[offset .. offset + length)). */
    protected static boolean isDense(INDArray x) {
        long expect = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) > 1 && x.stride(d) != expect) {
                return false;
            }
            expect *= x.size(d);
        }
        return true;
    }

    /** Checks that a batch has the per-example shape {@code expected}. */
    static void checkInput(String layer, INDArray x, long[] expected) {
        long[] s = x.shape();
        boolean ok = s.length == expected.length + 1;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = s[i + 1] == expected[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(layer + " expects input [batch, " + Arrays.toString(expected)
                    .replace("[", "").replace("]", "") + "], got " + Arrays.toString(s));
        }
    }
}
