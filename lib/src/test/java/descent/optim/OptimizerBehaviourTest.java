package descent.optim;

import descent.testing.Close;
import descent.testing.TorchVectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/** State handling, the registry, and a few hand-computed steps. */
class OptimizerBehaviourTest {

    static INDArray grad(int t, double scale) {
        return Nd4jUpdaterTest.grad(t).muli(scale);
    }

    @Test
    void oneInstanceDrivesTwoArraysWithIndependentState() {
        for (String name : Optimizers.names()) {
            Map<String, Double> o = Map.of("lr", 0.05);
            Optimizer shared = Optimizers.create(name, o);
            Optimizer aloneA = Optimizers.create(name, o);
            Optimizer aloneB = Optimizers.create(name, o);
            INDArray a = Nd4jUpdaterTest.p0();
            INDArray b = Nd4jUpdaterTest.p0().mul(-3).reshape(3, 2);
            INDArray a2 = a.dup();
            INDArray b2 = b.dup();
            for (int t = 0; t < 12; t++) {
                shared.step(a, grad(t, 1));
                shared.step(b, grad(t + 7, 2).reshape(3, 2));
                aloneA.step(a2, grad(t, 1));
                aloneB.step(b2, grad(t + 7, 2).reshape(3, 2));
            }
            assertEquals(a2, a, name + ": array a");
            assertEquals(b2, b, name + ": array b");
        }
    }

    @Test
    void sharedInstanceReproducesTorchTrajectoryForEachArray() {
        // the torch "adam" default case driven together with a second array (the nadam case's
        // gradients) by one instance: the adam trajectory is still torch's, step for step
        JsonNode cases = TorchVectors.load("/descent/optim/optimizers.json").get("cases");
        JsonNode adam = null;
        for (JsonNode c : cases) {
            if (c.get("name").asText().equals("adam") && c.get("options").size() == 0) {
                adam = c;
            }
        }
        assertNotNull(adam);
        Optimizer opt = Optimizers.create("adam");
        INDArray p = TorchVectors.array(adam.get("p0"));
        INDArray other = Nd4j.ones(DataType.DOUBLE, 4);
        for (int t = 0; t < adam.get("grads").size(); t++) {
            opt.step(other, Nd4j.ones(DataType.DOUBLE, 4).muli(t % 3 - 1));
            opt.step(p, TorchVectors.array(adam.get("grads").get(t)));
            Close.assertClose(TorchVectors.array(adam.get("params").get(t)), p, 1e-9, 1e-15,
                    "adam with a second array, step " + t);
        }
    }

    @Test
    void stepLeavesTheGradientUnchanged() {
        for (String name : Optimizers.names()) {
            Optimizer opt = Optimizers.create(name, Map.of("lr", 0.1, "weight_decay", 0.1));
            INDArray p = Nd4jUpdaterTest.p0();
            INDArray g = grad(0, 1);
            INDArray copy = g.dup();
            opt.step(p, g);
            opt.step(p, g);
            assertEquals(copy, g, name);
            assertNotEquals(Nd4jUpdaterTest.p0(), p, name + " moved");
        }
    }

    @Test
    void resetForgetsState() {
        Adam adam = new Adam(Map.of("lr", 0.1));
        INDArray p = Nd4jUpdaterTest.p0();
        adam.step(p, grad(0, 1));
        adam.step(p, grad(1, 1));
        assertEquals(2, adam.state(p).step);
        adam.reset();
        assertNull(adam.state(p));
        INDArray q = Nd4jUpdaterTest.p0();
        INDArray r = Nd4jUpdaterTest.p0();
        adam.step(q, grad(0, 1));
        new Adam(Map.of("lr", 0.1)).step(r, grad(0, 1));
        assertEquals(r, q);
    }

    @Test
    void stateIsKeyedByArrayIdentityNotValue() {
        Momentum m = new Momentum();
        INDArray a = Nd4jUpdaterTest.p0();
        INDArray b = Nd4jUpdaterTest.p0(); // equal values, different object
        m.step(a, grad(0, 1));
        assertNotNull(m.state(a));
        assertNull(m.state(b));
    }

    @Test
    void setLrChangesFollowingStepsOnly() {
        // SGD by hand: p = 1, g = 2: lr 0.1 -> 1 - 0.2 = 0.8; lr 0.5 -> 0.8 - 1.0 = -0.2
        Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1));
        INDArray p = Nd4j.scalar(1.0);
        sgd.step(p, Nd4j.scalar(2.0));
        assertEquals(0.8, p.getDouble(0), 1e-15);
        assertSame(sgd, sgd.setLr(0.5));
        assertEquals(0.5, sgd.lr());
        assertEquals(0.5, sgd.options().get("lr"));
        sgd.step(p, Nd4j.scalar(2.0));
        assertEquals(-0.2, p.getDouble(0), 1e-15);
    }

    @Test
    void handComputedSteps() {
        // Momentum, lr 0.1, mu 0.9, p = 1, g = 1 twice: b = 1 -> p = 0.9; b = 1.9 -> p = 0.71
        Optimizer m = Optimizers.create("momentum", Map.of("lr", 0.1, "momentum", 0.9));
        INDArray p = Nd4j.scalar(1.0);
        m.step(p, Nd4j.scalar(1.0));
        assertEquals(0.9, p.getDouble(0), 1e-15);
        m.step(p, Nd4j.scalar(1.0));
        assertEquals(0.71, p.getDouble(0), 1e-15);
        // Nesterov, same: b = 1, p -= 0.1*(1 + 0.9) -> 0.81; b = 1.9, p -= 0.1*(1 + 1.71) -> 0.539
        Optimizer n = Optimizers.create("nesterov", Map.of("lr", 0.1, "momentum", 0.9));
        INDArray q = Nd4j.scalar(1.0);
        n.step(q, Nd4j.scalar(1.0));
        assertEquals(0.81, q.getDouble(0), 1e-15);
        n.step(q, Nd4j.scalar(1.0));
        assertEquals(0.539, q.getDouble(0), 1e-15);
        // Adam's first step is lr * sign(g) (up to eps): m/(1-b1) = g, sqrt(v/(1-b2)) = |g|
        Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01, "eps", 0.0));
        INDArray r = Nd4j.createFromArray(1.0, 1.0);
        adam.step(r, Nd4j.createFromArray(-3.0, 0.5));
        assertEquals(1.01, r.getDouble(0), 1e-15);
        assertEquals(0.99, r.getDouble(1), 1e-15);
        // AdamW decays the parameter, not the gradient: g = 0 gives p * (1 - lr*wd) ... and then
        // 0/(0+eps) = 0 from the Adam part: 2 * (1 - 0.1*0.5) = 1.9
        Optimizer adamw = Optimizers.create("adamw", Map.of("lr", 0.1, "weight_decay", 0.5));
        INDArray w = Nd4j.scalar(2.0);
        adamw.step(w, Nd4j.scalar(0.0));
        assertEquals(1.9, w.getDouble(0), 1e-15);
    }

    @Test
    void registryNamesDefaultsAndOptions() {
        assertEquals(List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
                "adam", "amsgrad", "adamw", "adamax", "nadam"), Optimizers.names());
        for (String name : Optimizers.names()) {
            Optimizer o = Optimizers.create(name);
            assertEquals(name, o.name());
            assertEquals(Optimizers.defaults(name), o.options(), name);
            assertEquals(Optimizers.defaults(name).get("lr"), o.lr(), name);
        }
        // torch 1.13 defaults, spot checks (descent's own: sgd lr 0.01, momentum 0.9)
        assertEquals(0.01, Optimizers.defaults("sgd").get("lr"));
        assertEquals(0.9, Optimizers.defaults("momentum").get("momentum"));
        assertEquals(1e-10, Optimizers.defaults("adagrad").get("eps"));
        assertEquals(0.99, Optimizers.defaults("rmsprop").get("alpha"));
        assertEquals(1.0, Optimizers.defaults("adadelta").get("lr"));
        assertEquals(1e-6, Optimizers.defaults("adadelta").get("eps"));
        assertEquals(0.01, Optimizers.defaults("adamw").get("weight_decay"));
        assertEquals(2e-3, Optimizers.defaults("adamax").get("lr"));
        assertEquals(4e-3, Optimizers.defaults("nadam").get("momentum_decay"));
        assertTrue(Optimizers.create("ADAM") instanceof Adam, "names are case-insensitive");
        Optimizer custom = Optimizers.create("adam", Map.of("beta2", 0.9));
        assertEquals(0.9, custom.options().get("beta2"));
        assertEquals(0.9, custom.options().get("beta1"));
    }

    @Test
    void stepOverListsOfArrays() {
        Optimizer a = Optimizers.create("adam", Map.of("lr", 0.1));
        Optimizer b = Optimizers.create("adam", Map.of("lr", 0.1));
        INDArray w = Nd4jUpdaterTest.p0();
        INDArray bias = Nd4j.zeros(DataType.DOUBLE, 3);
        INDArray w2 = w.dup();
        INDArray bias2 = bias.dup();
        a.step(List.of(w, bias), List.of(grad(0, 1), Nd4j.ones(DataType.DOUBLE, 3)));
        b.step(w2, grad(0, 1));
        b.step(bias2, Nd4j.ones(DataType.DOUBLE, 3));
        assertEquals(w2, w);
        assertEquals(bias2, bias);
    }
}
