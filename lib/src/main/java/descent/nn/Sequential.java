package descent.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A stack of {@link Layer}s with all parameters in one flat vector, all gradients in another (same layout), and
 * all non-trainable state (BatchNorm running statistics) in a third. An optimizer updates {@link #params()} from
 * {@link #grads()} in one call.
 *
 * <pre>{@code
 * Sequential net = Sequential.input(32, 32, 3)
 *     .add(new Conv2d(3, 32, 3, 1)).add(new MaxPool2d(2)).add(new ReLU())
 *     .add(new Flatten()).add(new Linear(16 * 16 * 32, 10))
 *     .dataType(DataType.FLOAT).seed(42).build();
 * INDArray logits = net.forward(x, true);      // x: [batch, 32, 32, 3]
 * net.backward(dLossDLogits);                  // fills net.grads()
 * }</pre>
 */
public final class Sequential {

    private final List<Layer> layers;
    private final long[] inputShape;
    private final long[][] shapes;
    private final DataType dtype;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray buffers;
    private final long[] paramOffsets;

    private Sequential(long[] inputShape, List<Layer> layers, DataType dtype, long seed) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential needs at least one layer");
        }
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type must be FLOAT or DOUBLE, got " + dtype);
        }
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        this.dtype = dtype;
        this.shapes = new long[layers.size() + 1][];
        shapes[0] = inputShape.clone();
        long nParams = 0;
        long nBuffers = 0;
        paramOffsets = new long[layers.size() + 1];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l.bound) {
                throw new IllegalArgumentException("layer " + i + " (" + l.describe() + ") already belongs to another "
                        + "network; create a new instance");
            }
            shapes[i + 1] = l.outputShape(shapes[i]);
            paramOffsets[i] = nParams;
            nParams += l.numParams();
            nBuffers += l.numBuffers();
        }
        paramOffsets[layers.size()] = nParams;
        params = Nd4j.create(dtype, Math.max(1, nParams));
        grads = Nd4j.create(dtype, Math.max(1, nParams));
        buffers = Nd4j.create(dtype, Math.max(1, nBuffers));
        long p = 0;
        long b = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            l.dtype = dtype;
            l.inputGradNeeded = i > 0;
            l.inputOwned = i > 0;
            l.bind(slice(params, p, l.numParams()), slice(grads, p, l.numParams()), slice(buffers, b, l.numBuffers()));
            l.bound = true;
            p += l.numParams();
            b += l.numBuffers();
        }
        initialize(seed);
    }

    private static INDArray slice(INDArray v, long from, long n) {
        return n == 0 ? null : v.get(NDArrayIndex.interval(from, from + n));
    }

    /** Starts a network whose per-example input has the given shape, e.g. {@code (32, 32, 3)} for NHWC images. */
    public static Builder input(long... shape) {
        return new Builder(shape);
    }

    /** Fluent construction; see {@link Sequential}. */
    public static final class Builder {
        private final long[] inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private DataType dtype = DataType.FLOAT;
        private long seed = 0;

        private Builder(long[] inputShape) {
            if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(s -> s <= 0)) {
                throw new IllegalArgumentException("input shape must be non-empty and positive, got "
                        + Arrays.toString(inputShape));
            }
            this.inputShape = inputShape.clone();
        }

        public Builder add(Layer layer) {
            if (layers.contains(layer)) {
                throw new IllegalArgumentException("layer " + layer + " added twice; create a new instance");
            }
            layers.add(layer);
            return this;
        }

        /** FLOAT (default; fast, oneDNN kernels) or DOUBLE (for gradient checks). */
        public Builder dataType(DataType type) {
            this.dtype = type;
            return this;
        }

        /** Seed of the parameter initialization. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Sequential build() {
            return new Sequential(inputShape, layers, dtype, seed);
        }
    }

    /** Re-initializes all parameters and buffers from a seed (PyTorch's default schemes, see each layer). */
    public void initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer l : layers) {
            l.initialize(rng.split());
        }
    }

    /** Reseeds the stochastic layers (dropout) for the next training forward pass. */
    public void reseed(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer l : layers) {
            l.reseed(rng.nextLong());
        }
    }

    /**
     * Runs the network on a batch {@code x} of shape {@code [batch, inputShape...]}; returns its output (a buffer
     * owned by the network, overwritten by the next call).
     */
    public INDArray forward(INDArray x, boolean training) {
        if (x.dataType() != dtype) {
            throw new IllegalArgumentException("input is " + x.dataType() + " but the network is " + dtype);
        }
        Layer.checkInput("network", x, inputShape);
        return Layer.forwardChain(layers, x, training);
    }

    /** Backpropagates dLoss/dOutput of the last forward call, overwriting {@link #grads()}. */
    public void backward(INDArray gradOut) {
        INDArray g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
    }

    /** The output for {@code x} in evaluation mode, as a new array. */
    public INDArray predict(INDArray x) {
        return forward(x, false).dup();
    }

    /** All parameters, one flat vector (layer by layer, in {@link #layers()} order). */
    public INDArray params() {
        return params;
    }

    /** Gradients of the last backward pass, same layout as {@link #params()}. */
    public INDArray grads() {
        return grads;
    }

    /**
     * Every trainable tensor as (name, value, gradient), in layer order, as torch's {@code named_parameters()}: views
     * into {@link #params()} and {@link #grads()}, e.g. for penalties on the weights only.
     */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                all.add(new Parameter(i + "." + p.name(), p.value(), p.grad()));
            }
        }
        return all;
    }

    /** Non-trainable state (BatchNorm running statistics), one flat vector. */
    public INDArray buffers() {
        return buffers;
    }

    /** Number of trainable parameters. */
    public long numParams() {
        return paramOffsets[layers.size()];
    }

    public DataType dataType() {
        return dtype;
    }

    /**
     * Floating-point operations of one example's forward pass (sum of {@link Layer#forwardFlops} over the layers:
     * the convolutions and matrix products; a multiply-add counts 2).
     */
    public long forwardFlops() {
        long f = 0;
        for (int i = 0; i < layers.size(); i++) {
            f += layers.get(i).forwardFlops(shapes[i]);
        }
        return f;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Per-example input shape. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Per-example output shape. */
    public long[] outputShape() {
        return shapes[layers.size()].clone();
    }

    /** One line per layer: description, output shape, parameter count. Also identifies a model in checkpoints. */
    public String describe() {
        StringBuilder sb = new StringBuilder("input " + Arrays.toString(inputShape) + " " + dtype + "\n");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(layers.get(i).describe()).append(" -> ").append(Arrays.toString(shapes[i + 1]))
                    .append(", ").append(layers.get(i).numParams()).append(" params\n");
        }
        return sb.append("total ").append(numParams()).append(" params").toString();
    }

    /** Table of layers: index, layer, output shape, parameters. */
    public Table summary() {
        Table t = Table.create("model", IntColumn.create("#"), StringColumn.create("layer"),
                StringColumn.create("output shape"), LongColumn.create("params"));
        for (int i = 0; i < layers.size(); i++) {
            t.intColumn(0).append(i);
            t.stringColumn(1).append(layers.get(i).describe());
            t.stringColumn(2).append(Arrays.toString(shapes[i + 1]));
            t.longColumn(3).append(layers.get(i).numParams());
        }
        return t;
    }

    @Override
    public String toString() {
        return describe();
    }
}
