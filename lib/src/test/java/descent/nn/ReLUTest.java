package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ReLU's backward pass ({@link Ops#reluBackward}): PyTorch's rule, bit for bit, edge values included. */
class ReLUTest {

    /** PyTorch's {@code threshold_backward(gy, y, 0)}: {@code y <= 0 ? 0 : gy}. */
    static float torchRule(float y, float gy) {
        return y <= 0 ? 0f : gy;
    }

    @Test
    void backwardPassesTheGradientExactlyWhereTheOutputIsPositiveOrNaN() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            float[] x = {-1f, 2f, 0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1e-40f,
                -1e-40f, 3f, -3f};
            float[] gy = {Float.NaN, -3f, Float.POSITIVE_INFINITY, -2f, 5f, Float.NaN, -1f, 4f, -7f, Float.NaN,
                Float.NEGATIVE_INFINITY};
            INDArray in = Nd4j.createFromArray(x).castTo(type);
            INDArray y = in.ulike();
            INDArray gx = in.ulike();
            Ops.relu(in, y);
            Ops.reluBackward(y, Nd4j.createFromArray(gy).castTo(type), gx);
            for (int i = 0; i < x.length; i++) {
                float expected = torchRule(y.getFloat(i), gy[i]);
                // equal values; 0 and -0 are both "no gradient" (y is -0 where x was), so compare as numbers there
                assertEquals(expected == 0 ? 0f : expected, gx.getFloat(i) == 0 ? 0f : gx.getFloat(i),
                        type + " x " + x[i] + " gy " + gy[i]);
            }
        }
    }

    @Test
    void backwardEqualsLibnd4jsReluBpOnFiniteValuesAndWorksInPlace() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 5, 5, 16).subi(0.2);
        x.slice(0).assign(0);                                       // exact zeros: no gradient
        INDArray y = x.ulike();
        Ops.relu(x, y);
        INDArray gy = Nd4j.randn(DataType.FLOAT, 8, 5, 5, 16);
        INDArray expected = gy.ulike();
        Ops.exec("relu_bp", new INDArray[] {y, gy}, new INDArray[] {expected});
        INDArray gx = gy.ulike();
        Ops.reluBackward(y, gy, gx);
        assertEquals(expected, gx);
        INDArray inPlace = gy.dup();
        Ops.reluBackward(y, inPlace, inPlace);
        assertEquals(expected, inPlace);
    }
}
