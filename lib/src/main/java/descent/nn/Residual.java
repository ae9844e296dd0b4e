package descent.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A residual block with the identity shortcut (He et al. 2016, "Deep Residual Learning"):
 * <pre>
 *   y  = x + f(x)                  f = the inner layers, in order
 *   dx = dy + f'(x)^T dy           (dy back through the inner layers, plus dy itself along the shortcut)
 * </pre>
 * f must map the per-example shape to itself. As in David Page's ResNet-9 (and airbench):
 *
 * <pre>{@code
 * Sequential net = Sequential.input(16, 16, 128)
 *     .add(new Residual(new Conv2d(128, 128, 3, 1, false), new BatchNorm(128), new ReLU(),
 *                       new Conv2d(128, 128, 3, 1, false), new BatchNorm(128), new ReLU()))
 *     ...
 * }</pre>
 *
 * The inner layers' parameters and buffers are slices of the network's vectors, in order; {@link #parameters()}
 * names them by inner index ({@code "0.weight"}, so {@code "3.0.weight"} in a network). Used on its own (outside a
 * {@link Sequential}) the block gets vectors of its own at the first {@code forward}, as a norm layer does.
 */
public final class Residual extends Layer {

    private final List<Layer> inner;

    /** {@code y = x + f(x)}, f = {@code inner} in order (at least one layer, each a new instance). */
    public Residual(Layer... inner) {
        if (inner == null || inner.length == 0) {
            throw new IllegalArgumentException("Residual needs at least one inner layer");
        }
        Set<Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < inner.length; i++) {
            Layer l = inner[i];
            if (l == null) {
                throw new IllegalArgumentException("Residual: inner layer " + i + " is null");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("Residual: inner layer " + i + " (" + l.describe()
                        + ") appears twice; create a new instance");
            }
            if (l.bound) {
                throw new IllegalArgumentException("Residual: inner layer " + i + " (" + l.describe()
                        + ") already belongs to a network; create a new instance");
            }
        }
        this.inner = List.of(inner);
    }

    /** The inner layers f, in order. */
    public List<Layer> layers() {
        return inner;
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Layer l : inner) {
            parts.add(l.describe());
        }
        return "Residual(" + String.join(", ", parts) + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        long[] t = s.clone();
        for (Layer l : inner) {
            t = l.outputShape(t);
        }
        if (!Arrays.equals(t, s)) {
            throw new IllegalArgumentException("Residual: y = x + f(x) needs f to keep the per-example shape, but "
                    + describe() + " maps " + shape(s) + " to " + shape(t));
        }
        return s.clone();
    }

    @Override
    public long numParams() {
        return inner.stream().mapToLong(Layer::numParams).sum();
    }

    @Override
    public long numBuffers() {
        return inner.stream().mapToLong(Layer::numBuffers).sum();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < inner.size(); i++) {
            for (Parameter p : inner.get(i).parameters()) {
                all.add(new Parameter(i + "." + p.name(), p.value(), p.grad()));
            }
        }
        return all;
    }

    @Override
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
        long p = 0;
        long b = 0;
        for (int i = 0; i < inner.size(); i++) {
            Layer l = inner.get(i);
            if (l.bound) {
                throw new IllegalArgumentException("Residual: inner layer " + i + " (" + l.describe()
                        + ") already belongs to a network; create a new instance");
            }
            l.dtype = dtype;
            // x belongs to the caller (and is needed for x + f(x)): the first inner layer must not overwrite it.
            l.inputOwned = i > 0;
            l.inputGradNeeded = i > 0 || inputGradNeeded;
            l.bind(slice(params, p, l.numParams()), slice(grads, p, l.numParams()),
                    slice(buffers, b, l.numBuffers()));
            l.bound = true;
            p += l.numParams();
            b += l.numBuffers();
        }
    }

    private static INDArray slice(INDArray v, long from, long n) {
        return n == 0 ? null : v.get(NDArrayIndex.interval(from, from + n));
    }

    @Override
    protected void initialize(SplittableRandom rng) {
        for (Layer l : inner) {
            l.initialize(rng.split());
        }
    }

    @Override
    protected void reseed(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer l : inner) {
            l.reseed(rng.nextLong());
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        ensureBound(x.dataType());
        // x is needed for x + f(x): no inner layer may overwrite it, even through a pass-through layer
        INDArray a = Layer.forwardChain(inner, x, training);
        if (!Arrays.equals(a.shape(), x.shape())) {
            throw new IllegalArgumentException("Residual: y = x + f(x) needs f to keep the shape, but " + describe()
                    + " maps " + shape(x.shape()) + " to " + shape(a.shape()));
        }
        INDArray y = buffer(0, x.shape());
        Ops.add(x, a, y);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray g = gy;
        for (int i = inner.size() - 1; i >= 0; i--) {
            g = inner.get(i).backward(g);
        }
        if (!inputGradNeeded) {
            return null;
        }
        INDArray gx = buffer(1, gy.shape());
        Ops.add(g, gy, gx);
        return gx;
    }
}
