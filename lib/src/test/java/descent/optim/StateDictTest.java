package descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Optimizers own their state: save it, load it into a fresh optimizer, and continue bit for bit. */
class StateDictTest {

    private static List<Optimizer> every() {
        List<Optimizer> all = new ArrayList<>();
        for (String name : Optimizers.names()) {
            all.add(Optimizers.create(name, name.equals("rmsprop") ? Map.of("lr", 0.05, "momentum", 0.5)
                    : Map.of("lr", 0.05)));
        }
        for (String name : Optimizers.nd4jNames()) {
            all.add(Optimizers.nd4j(name));
        }
        return all;
    }

    private static Optimizer fresh(Optimizer o) {
        return o.name().startsWith("nd4j ") ? Optimizers.nd4j(o.name().substring(5))
                : Optimizers.create(o.name(), o.options());
    }

    @Test
    void resumedOptimizerContinuesBitForBit() {
        for (Optimizer first : every()) {
            INDArray a = Nd4jUpdaterTest.p0();
            INDArray b = Nd4jUpdaterTest.p0().mul(-3).reshape(3, 2);
            for (int t = 0; t < 5; t++) {
                first.step(a, OptimizerBehaviourTest.grad(t, 1));
                first.step(b, OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2));
            }
            List<Map<String, INDArray>> saved = first.stateDict(List.of(a, b));
            INDArray a2 = a.dup();
            INDArray b2 = b.dup();
            Optimizer second = fresh(first);
            second.loadStateDict(List.of(a2, b2), saved);
            for (int t = 5; t < 12; t++) {
                first.step(a, OptimizerBehaviourTest.grad(t, 1));
                first.step(b, OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2));
                second.step(a2, OptimizerBehaviourTest.grad(t, 1));
                second.step(b2, OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2));
            }
            assertEquals(a, a2, first.name() + ": array a after resuming");
            assertEquals(b, b2, first.name() + ": array b after resuming");
        }
    }

    @Test
    void stateHasTorchNamesAndCopies() {
        Optimizer adam = Optimizers.create("adam");
        INDArray p = Nd4jUpdaterTest.p0();
        assertEquals(List.of(Map.of()), adam.stateDict(List.of(p)), "no state before the first step");
        adam.step(p, OptimizerBehaviourTest.grad(0, 1));
        Map<String, INDArray> s = adam.stateDict(List.of(p)).get(0);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(s.keySet()));
        assertEquals(1.0, s.get("step").getDouble(0));
        s.get("exp_avg").assign(123);      // a copy: the optimizer's own state is untouched
        assertTrue(adam.stateDict(List.of(p)).get(0).get("exp_avg").maxNumber().doubleValue() < 1);
        assertEquals(List.of("momentum_buffer"),
                List.copyOf(stepped(Optimizers.create("momentum"), p.dup()).keySet()));
    }

    private static Map<String, INDArray> stepped(Optimizer o, INDArray p) {
        o.step(p, OptimizerBehaviourTest.grad(0, 1));
        return o.stateDict(List.of(p)).get(0);
    }

    @Test
    void badStateIsRefusedAndNothingChanges() {
        Optimizer adam = Optimizers.create("adam");
        INDArray p = Nd4jUpdaterTest.p0();
        adam.step(p, OptimizerBehaviourTest.grad(0, 1));
        List<Map<String, INDArray>> good = adam.stateDict(List.of(p));

        Map<String, INDArray> unknown = new LinkedHashMap<>(good.get(0));
        unknown.put("momentum_buffer", Nd4j.zerosLike(p));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadStateDict(List.of(p), List.of(unknown)));
        assertTrue(e.getMessage().contains("'momentum_buffer'") && e.getMessage().contains("exp_avg_sq"), e.getMessage());

        Map<String, INDArray> missing = new LinkedHashMap<>(good.get(0));
        missing.remove("exp_avg_sq");
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(List.of(p), List.of(missing)));
        assertTrue(e.getMessage().contains("lacks state 'exp_avg_sq'"), e.getMessage());

        Map<String, INDArray> shape = new LinkedHashMap<>(good.get(0));
        shape.put("exp_avg", Nd4j.zeros(p.dataType(), 7));
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(List.of(p), List.of(shape)));
        assertTrue(e.getMessage().contains("'exp_avg'") && e.getMessage().contains("shape"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(List.of(p, p.dup()), good));
        assertTrue(e.getMessage().contains("2 parameter arrays but 1 states"), e.getMessage());
        assertEquals(good.get(0).get("exp_avg"), adam.stateDict(List.of(p)).get(0).get("exp_avg"), "state unchanged");

        Optimizer sgd = Optimizers.create("sgd");
        e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(List.of(p), good));
        assertTrue(e.getMessage().contains("does not keep"), e.getMessage());
    }
}
