package descent.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every kind of bad input gives an IllegalArgumentException that names the problem. */
class BadInputTest {

    static void rejects(Executable e, String... mustMention) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String s : mustMention) {
            assertTrue(ex.getMessage().contains(s), "message '" + ex.getMessage()
                    + "' should mention '" + s + "'");
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        rejects(() -> Optimizers.create("adamm"), "adamm", "adamw", "nadam", "sgd");
        rejects(() -> Optimizers.create(null), "valid names");
    }

    @Test
    void unknownOptionKeyListsTheValidOnes() {
        rejects(() -> Optimizers.create("adam", Map.of("betas", 0.9)), "betas", "beta1", "beta2",
                "eps", "weight_decay");
        rejects(() -> Optimizers.create("sgd", Map.of("momentum", 0.9)), "momentum",
                "[lr, weight_decay]");
        rejects(() -> new Adagrad(Map.of("learning_rate", 0.1)), "learning_rate", "lr_decay");
        Map<String, Double> withNull = new HashMap<>();
        withNull.put("lr", null);
        rejects(() -> Optimizers.create("adam", withNull), "lr", "null");
    }

    @Test
    void badLearningRates() {
        for (String name : Optimizers.names()) {
            for (double lr : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.1}) {
                rejects(() -> Optimizers.create(name, Map.of("lr", lr)), "lr", String.valueOf(lr));
                rejects(() -> Optimizers.create(name).setLr(lr), "lr", String.valueOf(lr));
            }
        }
    }

    @Test
    void betasOutsideZeroOne() {
        for (String name : List.of("adam", "amsgrad", "adamw", "adamax", "nadam")) {
            for (String key : List.of("beta1", "beta2")) {
                for (double b : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
                    rejects(() -> Optimizers.create(name, Map.of(key, b)), key);
                }
            }
        }
    }

    @Test
    void otherOutOfRangeOptions() {
        rejects(() -> Optimizers.create("momentum", Map.of("momentum", -0.5)), "momentum");
        rejects(() -> Optimizers.create("nesterov", Map.of("momentum", 0.0)), "momentum", "> 0");
        rejects(() -> Optimizers.create("adam", Map.of("eps", -1e-8)), "eps");
        rejects(() -> Optimizers.create("sgd", Map.of("weight_decay", -0.1)), "weight_decay");
        rejects(() -> Optimizers.create("rmsprop", Map.of("alpha", 1.5)), "alpha");
        rejects(() -> Optimizers.create("adadelta", Map.of("rho", -0.1)), "rho");
        rejects(() -> Optimizers.create("adagrad", Map.of("lr_decay", -1.0)), "lr_decay");
        rejects(() -> Optimizers.create("adagrad", Map.of("initial_accumulator_value", -1.0)),
                "initial_accumulator_value");
        rejects(() -> Optimizers.create("nadam", Map.of("momentum_decay", Double.NaN)),
                "momentum_decay");
    }

    @Test
    void shapeMismatchPrintsBothShapes() {
        for (String name : Optimizers.names()) {
            INDArray p = Nd4j.zeros(DataType.DOUBLE, 2, 3);
            rejects(() -> Optimizers.create(name).step(p, Nd4j.zeros(DataType.DOUBLE, 3, 2)),
                    "[2, 3]", "[3, 2]");
            rejects(() -> Optimizers.create(name).step(p, Nd4j.zeros(DataType.DOUBLE, 6)),
                    "[2, 3]", "[6]");
        }
        rejects(() -> Optimizers.create("sgd").step(List.of(Nd4j.zeros(3)), List.of()),
                "1 parameter arrays", "0 gradient arrays");
    }

    @Test
    void dataTypeMismatch() {
        rejects(() -> Optimizers.create("adam").step(Nd4j.zeros(DataType.DOUBLE, 3),
                Nd4j.zeros(DataType.FLOAT, 3)), "DOUBLE", "FLOAT");
        rejects(() -> Optimizers.create("adam").step(Nd4j.zeros(DataType.INT32, 3),
                Nd4j.zeros(DataType.INT32, 3)), "floating-point");
    }

    @Test
    void nonFiniteGradient() {
        for (String name : Optimizers.names()) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
                INDArray p = Nd4j.ones(DataType.DOUBLE, 2, 2);
                INDArray g = Nd4j.ones(DataType.DOUBLE, 2, 2);
                g.putScalar(1, 1, bad);
                rejects(() -> Optimizers.create(name).step(p, g), "grad", "non-finite",
                        String.valueOf(bad), "flat index 3");
                assertTrue(p.equals(Nd4j.ones(DataType.DOUBLE, 2, 2)), "params untouched");
            }
        }
        // finite entries whose sum overflows are fine
        INDArray p = Nd4j.zeros(DataType.DOUBLE, 2);
        Optimizers.create("sgd", Map.of("lr", 0.0)).step(p,
                Nd4j.createFromArray(Double.MAX_VALUE, Double.MAX_VALUE));
    }

    @Test
    void nullArrays() {
        rejects(() -> Optimizers.create("sgd").step(null, Nd4j.zeros(1)), "null");
    }
}
