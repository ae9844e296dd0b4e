package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code y = 1 / (1 + exp(-x))}; backward {@code dx = dy * y * (1 - y)}. The slope {@code y (1 - y)} is at most 1/4
 * (at x = 0), so every sigmoid a gradient passes through shrinks it by at least a factor of 4: the source of the
 * vanishing gradients of deep sigmoid networks. PyTorch: {@code nn.Sigmoid()}.
 */
public final class Sigmoid extends Layer {

    private INDArray y;

    @Override
    public String describe() {
        return "Sigmoid";
    }

    @Override
    public long[] outputShape(long[] s) {
        return s.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        y = buffer(0, x.shape());
        y.assign(x);
        Transforms.sigmoid(y, false);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (y == null) {
            throw new IllegalStateException("Sigmoid: backward called before forward");
        }
        INDArray gx = buffer(1, gy.shape());
        gx.assign(y).rsubi(1.0).muli(y).muli(gy);     // (1 - y) y dy
        return gx;
    }
}
