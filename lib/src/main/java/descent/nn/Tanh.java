package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code y = tanh(x)}; backward {@code dx = dy * (1 - y^2)}. The slope is 1 at x = 0 and falls towards 0 where the
 * unit saturates (|y| near 1). PyTorch: {@code nn.Tanh()}.
 */
public final class Tanh extends Layer {

    private INDArray y;

    @Override
    public String describe() {
        return "Tanh";
    }

    @Override
    public long[] outputShape(long[] s) {
        return s.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        y = buffer(0, x.shape());
        y.assign(x);
        Transforms.tanh(y, false);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (y == null) {
            throw new IllegalStateException("Tanh: backward called before forward");
        }
        INDArray gx = buffer(1, gy.shape());
        gx.assign(y).muli(y).rsubi(1.0).muli(gy);     // (1 - y^2) dy
        return gx;
    }
}
