package descent.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every kind of bad input gives an IllegalArgumentException whose message names the problem. */
class LossBadInputTest {

    static Iterable<String> names() {
        return Losses.names();
    }

    /** Asserts that both value and gradient throw IllegalArgumentException with all the fragments in the message. */
    static void assertRejected(Loss loss, INDArray prediction, INDArray target, String... fragments) {
        assertMessage(() -> loss.value(prediction, target), fragments);
        assertMessage(() -> loss.gradient(prediction, target), fragments);
    }

    static void assertMessage(Executable call, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message '" + message + "' lacks '" + fragment + "'");
        }
    }

    /** A valid [2, 3] prediction/target pair for each loss. */
    static INDArray[] valid(String name) {
        INDArray oneHot = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}});
        INDArray probabilities = Nd4j.createFromArray(new double[][] {{0.2, 0.5, 0.9}, {0.1, 0.6, 0.3}});
        return switch (name) {
            case "bce" -> new INDArray[] {probabilities, oneHot};
            case "hinge" -> new INDArray[] {probabilities, oneHot.mul(2).subi(1)};
            default -> new INDArray[] {probabilities.mul(3), oneHot};
        };
    }

    @ParameterizedTest
    @MethodSource("names")
    void shapeMismatchNamesBothShapes(String name) {
        INDArray[] ok = valid(name);
        assertRejected(Losses.create(name), ok[0], Nd4j.zeros(DataType.DOUBLE, 3, 2), name, "[2, 3]", "[3, 2]");
        assertRejected(Losses.create(name), ok[0], ok[1].reshape(6), "[2, 3]", "[6]");
    }

    @ParameterizedTest
    @MethodSource("names")
    void nanOrInfiniteInputNamesTheValueAndIndex(String name) {
        INDArray[] ok = valid(name);
        INDArray p = ok[0].dup();
        p.putScalar(1, 2, Double.NaN);
        assertRejected(Losses.create(name), p, ok[1], "prediction", "NaN", "[1, 2]");
        INDArray y = ok[1].dup();
        y.putScalar(0, 1, Double.POSITIVE_INFINITY);
        assertRejected(Losses.create(name), ok[0], y, "target", "Infinity", "[0, 1]");
    }

    @ParameterizedTest
    @MethodSource("names")
    void nullAndEmptyInputs(String name) {
        INDArray[] ok = valid(name);
        assertRejected(Losses.create(name), null, ok[1], "prediction", "null");
        assertRejected(Losses.create(name), ok[0], null, "target", "null");
        assertRejected(Losses.create(name), Nd4j.zeros(DataType.DOUBLE, 0, 3), Nd4j.zeros(DataType.DOUBLE, 0, 3),
                "empty");
    }

    @Test
    void bceRejectsProbabilitiesOutsideZeroOne() {
        INDArray[] ok = valid("bce");
        INDArray p = ok[0].dup();
        p.putScalar(1, 0, 1.5);
        assertRejected(new BceLoss(), p, ok[1], "probabilities in [0, 1]", "1.5", "[1, 0]");
        p.putScalar(1, 0, -0.1);
        assertRejected(new BceLoss(), p, ok[1], "-0.1", "[1, 0]");
        INDArray y = ok[1].dup();
        y.putScalar(0, 2, 2.0);
        assertRejected(new BceLoss(), ok[0], y, "target", "2.0", "[0, 2]");
    }

    @Test
    void hingeRejectsTargetsOtherThanPlusMinusOne() {
        INDArray[] ok = valid("hinge");
        INDArray y = ok[1].dup();
        y.putScalar(0, 0, 0.0);
        assertRejected(new HingeLoss(), ok[0], y, "-1 or +1", "0.0", "[0, 0]");
    }

    @ParameterizedTest
    @MethodSource("oneHotLosses")
    void nonOneHotTargetsAreRejected(String name) {
        INDArray z = valid(name)[0];
        assertRejected(Losses.create(name), z, Nd4j.createFromArray(new double[][] {{0, 1, 0}, {0.5, 0.5, 0}}),
                "row 1", "not one-hot", "[0.5, 0.5, 0.0]");
        assertRejected(Losses.create(name), z, Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 0, 0}}),
                "row 0", "not one-hot");
        assertRejected(Losses.create(name), z, Nd4j.createFromArray(new double[][] {{0, 1, 0}, {0, 0, 0}}),
                "row 1", "not one-hot");
        assertRejected(Losses.create(name), z, Nd4j.createFromArray(new double[][] {{0, 1, 0}, {0, 2, -1}}),
                "row 1", "not one-hot");
    }

    @ParameterizedTest
    @MethodSource("oneHotLosses")
    void oneHotLossesNeedRankTwoWithAtLeastTwoClasses(String name) {
        assertRejected(Losses.create(name), Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(0.0, 1.0),
                "[N, C]", "[2]");
        assertRejected(Losses.create(name), Nd4j.createFromArray(new double[][] {{1.0}, {2.0}}),
                Nd4j.createFromArray(new double[][] {{1.0}, {1.0}}), "at least 2 classes", "[2, 1]");
    }

    static Iterable<String> oneHotLosses() {
        return java.util.List.of("cross_entropy", "focal");
    }

    @Test
    void unknownNameListsValidNames() {
        assertMessage(() -> Losses.create("MSE"), "Unknown loss 'MSE'", String.join(", ", Losses.names()));
        assertMessage(() -> Losses.create("softmax", Map.of()), "'softmax'", "cross_entropy");
        assertMessage(() -> Losses.create(null), "Unknown loss 'null'");
    }

    @Test
    void unknownOptionKeysAreNeverIgnored() {
        assertMessage(() -> Losses.create("huber", Map.of("gamma", 2.0)), "huber", "gamma",
                "valid keys: [delta]");
        assertMessage(() -> Losses.create("huber", Map.of("delta", 0.5, "Delta", 1.0)), "[Delta]", "[delta]");
        assertMessage(() -> Losses.create("focal", Map.of("delta", 1.0)), "delta", "valid keys: [gamma]");
        assertMessage(() -> Losses.create("cross_entropy", Map.of("delta", 1.0)), "cross_entropy", "delta",
                "valid keys: [label_smoothing]");
        for (String name : new String[] {"mse", "mae", "bce", "hinge"}) {
            assertMessage(() -> Losses.create(name, Map.of("delta", 1.0)), name, "delta", "takes no options");
        }
    }

    @Test
    void badOptionValues() {
        assertMessage(() -> Losses.create("huber", Map.of("delta", -1.0)), "delta", "> 0", "-1.0");
        assertMessage(() -> Losses.create("huber", Map.of("delta", 0.0)), "delta", "> 0", "0.0");
        assertMessage(() -> Losses.create("huber", Map.of("delta", Double.NaN)), "delta", "NaN");
        assertMessage(() -> Losses.create("focal", Map.of("gamma", -0.5)), "gamma", ">= 0", "-0.5");
        assertMessage(() -> Losses.create("focal", Map.of("gamma", Double.POSITIVE_INFINITY)), "gamma", "Infinity");
        assertMessage(() -> Losses.create("cross_entropy", Map.of("label_smoothing", -0.1)), "label_smoothing",
                ">= 0", "-0.1");
        assertMessage(() -> Losses.create("cross_entropy", Map.of("label_smoothing", 1.5)), "label_smoothing",
                "[0, 1]", "1.5");
        assertMessage(() -> new CrossEntropyLoss(Double.NaN), "label_smoothing", "NaN");
        assertMessage(() -> new HuberLoss(-2.0), "delta", "-2.0");
        assertMessage(() -> new FocalLoss(-1.0), "gamma", "-1.0");
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("delta", null);
        assertMessage(() -> Losses.create("huber", nullValue), "delta", "null");
        Map<String, Double> nullKey = new HashMap<>();
        nullKey.put(null, 1.0);
        assertMessage(() -> Losses.create("focal", nullKey), "key is null");
        assertMessage(() -> Losses.create("mse", null), "options map is null");
    }
}
