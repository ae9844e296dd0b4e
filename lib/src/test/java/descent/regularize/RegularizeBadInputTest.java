package descent.regularize;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class RegularizeBadInputTest {

    private static void assertIae(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage),
                "message should mention '" + expectedInMessage + "': " + e.getMessage());
    }

    @Test
    void negativeNanOrInfiniteCoefficients() {
        assertIae("lambda must be finite and >= 0, got -0.1", () -> new L1Penalty(-0.1));
        assertIae("lambda must be a number, got NaN", () -> new L2Penalty(Double.NaN));
        assertIae("lambda must be finite and >= 0, got Infinity", () -> new L2Penalty(Double.POSITIVE_INFINITY));
        assertIae("lambda", () -> new DecoupledWeightDecay(-1));
        assertIae("lr", () -> new DecoupledWeightDecay(0.1).apply(Nd4j.ones(2), -0.5));
        assertIae("std", () -> descent.data.Augmentation.gaussianNoise(Double.NaN));
    }

    @Test
    void dropoutProbabilityOutsideZeroToOne() {
        assertIae("p must be in [0, 1), got 1.0", () -> new descent.nn.Dropout(1.0, 1));
        assertIae("p must be in [0, 1), got -0.1", () -> new descent.nn.Dropout(-0.1, 1));
        assertIae("got NaN", () -> new descent.nn.Dropout(Double.NaN, 1));
    }

    @Test
    void mismatchedShapesAreNamed() {
        assertIae("grad shape [2, 3] does not match weight shape [3, 2]",
                () -> new L2Penalty(0.1).addGradientTo(Nd4j.ones(DataType.DOUBLE, 2, 3),
                        Nd4j.ones(DataType.DOUBLE, 3, 2)));
        assertIae("keys", () -> new L2Penalty(0.1).addGradientTo(Map.of("a", Nd4j.ones(2)),
                Map.of("b", Nd4j.ones(2))));
        descent.nn.Dropout drop = new descent.nn.Dropout(0.5, 1);
        drop.forward(Nd4j.ones(DataType.DOUBLE, 4, 5), true);
        assertIae("gradOutput shape [5, 4]", () -> drop.backward(Nd4j.ones(DataType.DOUBLE, 5, 4)));
        assertIae("[batch, height, width, channels], got [4, 5]", () -> descent.data.Augmentation.randomCrop(2)
                .apply(Nd4j.ones(4, 5), new java.util.SplittableRandom(1)));
        assertIae("padding", () -> descent.data.Augmentation.randomCrop(-1));
        assertIae("needs a random source", () -> descent.data.Augmentation.horizontalFlip()
                .apply(Nd4j.ones(1, 2, 2, 1), null));
        assertIae("needs at least one stage", () -> descent.data.Augmentation.Pipeline.of());
    }
}
