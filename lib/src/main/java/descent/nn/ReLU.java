package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code y = max(x, 0)}; backward {@code dx = dy * (y > 0)} ({@code dy} also where y is NaN, as PyTorch).
 *
 * <p>Works in place on its input when the input is an activation owned by the network, not the caller's input
 * (also not through a pass-through layer such as Flatten). {@code y > 0} exactly where {@code x > 0}, so the
 * output is all its own backward pass needs. A layer before it that reads its own output in backward (Tanh,
 * Sigmoid) is not hurt: the ReLU changes only entries it zeroes, where the gradient it passes back is 0 anyway.
 *
 * <p>Note: {@code MaxPool2d} then {@code ReLU} computes exactly what {@code ReLU} then {@code MaxPool2d} computes
 * (max is monotone, so {@code max(relu(a)) = relu(max(a))}, and both route the gradient to the same window
 * maximum, or nowhere if it is negative), with the ReLU on 4x fewer values. The CIFAR networks in
 * {@link CifarNets} use that order.
 */
public final class ReLU extends Layer {

    private INDArray y;

    @Override
    public String describe() {
        return "ReLU";
    }

    @Override
    public long[] outputShape(long[] s) {
        return s.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        y = inputOwned ? x : buffer(0, x.shape());
        Ops.relu(x, y);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = buffer(1, gy.shape());
        Ops.reluBackward(y, gy, gx);
        return gx;
    }
}
