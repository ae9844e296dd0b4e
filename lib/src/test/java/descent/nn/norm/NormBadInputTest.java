package descent.nn.norm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NormBadInputTest {

    private static void assertIae(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage),
                "message should mention '" + expectedInMessage + "': " + e.getMessage());
    }

    private static INDArray x(long... shape) {
        return Nd4j.rand(DataType.DOUBLE, shape);
    }

    @Test
    void wrongChannelCountOrRankNamesTheShapes() {
        assertIae("[4, 2, 2, 5]", () -> new BatchNorm(3).forward(x(4, 2, 2, 5), true));
        assertIae("[4]", () -> new BatchNorm(3).forward(x(4), true));
        assertIae("[2, 3, 3, 4]", () -> new InstanceNorm(3).forward(x(2, 3, 3, 4), true));
        assertIae("[2, 3]", () -> new InstanceNorm(3).forward(x(2, 3), true));
        assertIae("[4, 5]", () -> new LayerNorm(6).forward(x(4, 5), true));
        assertIae("[3, 4]", () -> new LayerNorm(3, 4).forward(x(3, 4), true)); // no batch axis left
    }

    @Test
    void singleValuePerChannelIsRefusedInTrainingButFineInEval() {
        assertIae("more than 1 value per channel", () -> new BatchNorm(3).forward(x(1, 3), true));
        new BatchNorm(3).forward(x(1, 3), false);
        assertIae("more than 1 spatial element", () -> new InstanceNorm(3).forward(x(2, 1, 1, 3), true));
    }

    @Test
    void badCoefficients() {
        assertIae("eps", () -> new BatchNorm(3).eps(-1e-5));
        assertIae("eps", () -> new LayerNorm(3).eps(Double.NaN));
        assertIae("momentum", () -> new BatchNorm(3).momentum(1.5));
        assertIae("momentum", () -> new BatchNorm(3).momentum(Double.NaN));
        assertIae("numFeatures", () -> new BatchNorm(0));
        assertIae("numChannels", () -> new InstanceNorm(-2));
        assertIae("normalizedShape", () -> new LayerNorm());
    }

    @Test
    void gammaBetaAndGradOutputShapesAreChecked() {
        assertIae("gamma must have shape [3], got [4]", () -> new BatchNorm(3).gamma(x(4)));
        assertIae("beta must have shape [2, 3], got [3, 2]", () -> new LayerNorm(2, 3).beta(x(3, 2)));
        BatchNorm bn = new BatchNorm(3);
        bn.forward(x(4, 3), true);
        assertIae("[4, 2]", () -> bn.backward(x(4, 2)));
        assertIae("FLOAT but the layer's parameters are DOUBLE", () -> bn.forward(Nd4j.ones(DataType.FLOAT, 4, 3), true));
        assertIae("floating-point", () -> bn.forward(Nd4j.ones(DataType.INT, 4, 3), true));
    }

    @Test
    void backwardBeforeForwardIsAnIllegalState() {
        assertThrows(IllegalStateException.class, () -> new LayerNorm(3).backward(x(2, 3)));
    }
}
