package descent.optim;

import static descent.optim.BadInputTest.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Lookahead: the inner rule's steps, k of them forward, then one back towards the slow weights. */
class LookaheadTest {

    private static INDArray g(int t) {
        return OptimizerBehaviourTest.grad(t, 1);
    }

    private static INDArray g2(int t) {
        return OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2);
    }

    private static INDArray b0() {
        return Nd4jUpdaterTest.p0().mul(-3).reshape(3, 2);
    }

    /** Bit-for-bit equality (INDArray.equals allows a tolerance). */
    private static void assertExactly(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertArrayEquals(expected.dup().data().asDouble(), actual.dup().data().asDouble(), what);
    }

    @Test
    void kOneAlphaOneIsTheInnerRuleExactly() {
        for (String name : List.of("sgd", "momentum", "nesterov", "adam", "rmsprop")) {
            Optimizer plain = Optimizers.create(name, Map.of("lr", 0.05));
            Optimizer la = new Lookahead(Optimizers.create(name, Map.of("lr", 0.05)), 1, 1.0);
            INDArray p = Nd4jUpdaterTest.p0();
            INDArray q = Nd4jUpdaterTest.p0();
            for (int t = 0; t < 6; t++) {
                plain.step(p, g(t));
                la.step(q, g(t));
                assertExactly(p, q, name + " step " + t);
            }
        }
        // alpha = 1 with k = 3: the syncs do not move anything either (lerp is exact at 1)
        Optimizer plain = Optimizers.create("adam", Map.of("lr", 0.05));
        Optimizer la = new Lookahead(Optimizers.create("adam", Map.of("lr", 0.05)), 3, t -> 1.0);
        INDArray p = Nd4jUpdaterTest.p0();
        INDArray q = Nd4jUpdaterTest.p0();
        for (int t = 0; t < 7; t++) {
            plain.step(p, g(t));
            la.step(q, g(t));
        }
        assertExactly(p, q, "adam, k = 3, alpha = 1");
    }

    @Test
    void sgdWithKTwoAlphaHalfByHand() {
        double lr = 0.1;
        double a = 0.5;
        double[][] grads = {{1, 2}, {-2, 4}, {0.5, 0.5}, {1, 1}};
        // by hand, in plain doubles
        double[] p = {1, -2};
        double[] slow = p.clone();
        List<double[]> expected = new ArrayList<>();
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < 2; i++) {
                p[i] -= lr * grads[t - 1][i];
            }
            if (t % 2 == 0) {
                for (int i = 0; i < 2; i++) {
                    slow[i] += a * (p[i] - slow[i]);
                    p[i] = slow[i];
                }
            }
            expected.add(p.clone());
        }
        // the numbers written out: after step 1 p = (0.9, -2.2); step 2 fast (1.1, -2.6), slow = p = (1.05, -2.3);
        // step 3 p = (1.0, -2.35); step 4 fast (0.9, -2.45), slow = p = (0.975, -2.375)
        assertArrayEquals(new double[] {0.9, -2.2}, expected.get(0), 1e-12);
        assertArrayEquals(new double[] {1.05, -2.3}, expected.get(1), 1e-12);
        assertArrayEquals(new double[] {1.0, -2.35}, expected.get(2), 1e-12);
        assertArrayEquals(new double[] {0.975, -2.375}, expected.get(3), 1e-12);

        Lookahead la = new Lookahead(new Sgd(Map.of("lr", lr)), 2, a);
        INDArray w = Nd4j.createFromArray(1.0, -2.0);
        for (int t = 0; t < grads.length; t++) {
            la.step(w, Nd4j.createFromArray(grads[t]));
            assertArrayEquals(expected.get(t), w.toDoubleVector(), 1e-12, "after step " + (t + 1));
        }
        assertEquals(4.0, la.stateDict(List.of(w)).get(0).get("la_step").getDouble(0));
    }

    @Test
    void resumedLookaheadContinuesBitForBit() {
        for (String name : List.of("sgd", "momentum", "adam")) {
            Lookahead straight = new Lookahead(Optimizers.create(name, Map.of("lr", 0.05)), 2, 0.5);
            INDArray a = Nd4jUpdaterTest.p0();
            INDArray b = b0();
            for (int t = 0; t < 7; t++) {
                straight.step(a, g(t));
                straight.step(b, g2(t));
            }

            Lookahead first = new Lookahead(Optimizers.create(name, Map.of("lr", 0.05)), 2, 0.5);
            INDArray a1 = Nd4jUpdaterTest.p0();
            INDArray b1 = b0();
            for (int t = 0; t < 3; t++) {      // stops between two syncs: slow and la_step matter
                first.step(a1, g(t));
                first.step(b1, g2(t));
            }
            List<Map<String, INDArray>> saved = first.stateDict(List.of(a1, b1));
            assertTrue(saved.get(0).keySet().containsAll(List.of("slow", "la_step")), name + ": " + saved.get(0));
            INDArray a2 = a1.dup();
            INDArray b2 = b1.dup();
            Lookahead second = new Lookahead(Optimizers.create(name, Map.of("lr", 0.05)), 2, 0.5);
            second.loadStateDict(List.of(a2, b2), saved);
            for (int t = 3; t < 7; t++) {
                second.step(a2, g(t));
                second.step(b2, g2(t));
            }
            assertExactly(a, a2, name + ": array a after resuming");
            assertExactly(b, b2, name + ": array b after resuming");
        }
    }

    @Test
    void stateIsCopiedAndEmptyBeforeTheFirstStep() {
        Lookahead la = new Lookahead(Optimizers.create("momentum"), 2, 0.5);
        INDArray p = Nd4jUpdaterTest.p0();
        assertEquals(List.of(Map.of()), la.stateDict(List.of(p)));
        la.step(p, g(0));
        Map<String, INDArray> s = la.stateDict(List.of(p)).get(0);
        assertEquals(List.of("momentum_buffer", "slow", "la_step"), List.copyOf(s.keySet()));
        assertExactly(Nd4jUpdaterTest.p0(), s.get("slow"), "slow = p before the first step");
        s.get("slow").assign(123);
        assertExactly(Nd4jUpdaterTest.p0(), la.stateDict(List.of(p)).get(0).get("slow"), "a copy");
        la.reset();
        assertEquals(List.of(Map.of()), la.stateDict(List.of(p)), "reset forgets inner and slow state");
    }

    @Test
    void syncSlowCopiesTheSlowWeights() {
        Lookahead la = new Lookahead(new Sgd(Map.of("lr", 0.1)), 2, 0.5);
        INDArray w = Nd4jUpdaterTest.p0();
        la.syncSlow(w);
        assertExactly(Nd4jUpdaterTest.p0(), w, "a no-op before the first step");
        la.step(w, g(0));
        la.step(w, g(1));
        INDArray afterSync = w.dup();
        la.step(w, g(2));
        assertTrue(!afterSync.equals(w));
        la.syncSlow(List.of(w));
        assertExactly(afterSync, w, "back to the slow weights of step 2");
    }

    @Test
    void scheduledAlphaIsAskedAtEachSyncWithTheStepCount() {
        List<Long> asked = new ArrayList<>();
        Lookahead la = new Lookahead(new Sgd(Map.of("lr", 0.1)), 3, t -> {
            asked.add(t);
            return 1 - Math.pow(0.95, 5) * Math.pow(t / 9.0, 3);    // airbench94's schedule, T = 9
        });
        INDArray w = Nd4jUpdaterTest.p0();
        for (int t = 0; t < 9; t++) {
            la.step(w, g(t));
        }
        assertEquals(List.of(3L, 6L, 9L), asked);
        assertEquals(List.of("lr", "weight_decay", "la_k"), List.copyOf(la.options().keySet()));
    }

    @Test
    void listStepUsesTheInnerListStep() {
        // sgd_hd adapts lr once from all arrays in step(List, List); Lookahead(k = 1, alpha = 1) must not change that
        Optimizer plain = Optimizers.create("sgd_hd", Map.of("lr", 0.05, "hypergrad_lr", 0.01));
        Optimizer la = new Lookahead(Optimizers.create("sgd_hd", Map.of("lr", 0.05, "hypergrad_lr", 0.01)), 1, 1.0);
        INDArray a = Nd4jUpdaterTest.p0();
        INDArray b = b0();
        INDArray a2 = a.dup();
        INDArray b2 = b.dup();
        for (int t = 0; t < 4; t++) {
            plain.step(List.of(a, b), List.of(g(t), g2(t)));
            la.step(List.of(a2, b2), List.of(g(t), g2(t)));
        }
        assertExactly(a, a2, "a");
        assertExactly(b, b2, "b");
        assertEquals(plain.lr(), la.lr());

        // and with k = 2, the list step equals the steps one array at a time for a per-array rule
        Lookahead one = new Lookahead(Optimizers.create("adam", Map.of("lr", 0.05)), 2, 0.5);
        Lookahead all = new Lookahead(Optimizers.create("adam", Map.of("lr", 0.05)), 2, 0.5);
        INDArray c = Nd4jUpdaterTest.p0();
        INDArray d = b0();
        INDArray c2 = c.dup();
        INDArray d2 = d.dup();
        for (int t = 0; t < 5; t++) {
            one.step(c, g(t));
            one.step(d, g2(t));
            all.step(List.of(c2, d2), List.of(g(t), g2(t)));
        }
        assertExactly(c, c2, "c");
        assertExactly(d, d2, "d");
    }

    @Test
    void nameLrAndOptionsComeFromTheInnerRule() {
        Lookahead la = new Lookahead(Optimizers.create("rmsprop", Map.of("lr", 0.02)), 5, 0.8);
        assertEquals("lookahead(rmsprop)", la.name());
        assertEquals(0.02, la.lr());
        la.setLr(0.5);
        assertEquals(0.5, la.inner().lr(), "setLr drives the inner rule");
        Map<String, Double> o = la.options();
        assertEquals(0.99, o.get("alpha"), "rmsprop's own alpha is kept");
        assertEquals(5.0, o.get("la_k"));
        assertEquals(0.8, o.get("la_alpha"));
        assertEquals(5, la.k());
    }

    @Test
    void badArguments() {
        Optimizer sgd = new Sgd();
        rejects(() -> new Lookahead(sgd, 0, 0.5), "Lookahead", "k", "0");
        rejects(() -> new Lookahead(sgd, -2, 0.5), "k", "-2");
        for (double a : new double[] {0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            rejects(() -> new Lookahead(sgd, 5, a), "Lookahead", "alpha", String.valueOf(a));
        }
        rejects(() -> new Lookahead(null, 5, 0.5), "inner");
        rejects(() -> new Lookahead(sgd, 5, (java.util.function.LongToDoubleFunction) null), "alphaAtStep");
        rejects(() -> new Lookahead(new Lookahead(sgd, 5, 0.5), 5, 0.5), "inner", "Lookahead");
        rejects(() -> new Lookahead(sgd, 5, 0.5).setLr(-1), "lr");

        // a scheduled alpha out of range is refused at its sync, before the step changes anything
        Lookahead la = new Lookahead(new Sgd(Map.of("lr", 0.1)), 2, t -> t < 4 ? 0.5 : 1.2);
        INDArray w = Nd4jUpdaterTest.p0();
        for (int t = 0; t < 3; t++) {
            la.step(w, g(t));
        }
        INDArray before = w.dup();
        Map<String, INDArray> stateBefore = la.stateDict(List.of(w)).get(0);
        rejects(() -> la.step(w, g(3)), "alphaAtStep(4)", "1.2");
        assertExactly(before, w, "params unchanged");
        assertExactly(stateBefore.get("slow"), la.stateDict(List.of(w)).get(0).get("slow"), "slow unchanged");
        assertEquals(3.0, la.stateDict(List.of(w)).get(0).get("la_step").getDouble(0));
        rejects(() -> la.step(List.of(w), List.of(g(3))), "alphaAtStep(4)");
        assertExactly(before, w, "params unchanged by the list step");

        // a refused gradient: nothing changes, not even the step count
        Lookahead l2 = new Lookahead(new Sgd(Map.of("lr", 0.1)), 2, 0.5);
        INDArray v = Nd4jUpdaterTest.p0();
        INDArray nan = g(0);
        nan.putScalar(1, Double.NaN);
        rejects(() -> l2.step(v, nan), "grad", "NaN");
        assertEquals(List.of(Map.of()), l2.stateDict(List.of(v)));
        rejects(() -> l2.step(List.of(v, b0()), List.of(g(0), nan.reshape(3, 2))), "grad", "NaN");
        assertExactly(Nd4jUpdaterTest.p0(), v, "the list step checks every array before moving any");
        rejects(() -> l2.step(List.of(v), List.of()), "1 parameter arrays but 0 gradient arrays");
    }

    @Test
    void badStateIsRefusedAndNothingChanges() {
        Lookahead la = new Lookahead(Optimizers.create("momentum"), 2, 0.5);
        INDArray p = Nd4jUpdaterTest.p0();
        la.step(p, g(0));
        List<Map<String, INDArray>> good = la.stateDict(List.of(p));

        Map<String, INDArray> noStep = new LinkedHashMap<>(good.get(0));
        noStep.remove("la_step");
        rejects(() -> la.loadStateDict(List.of(p), List.of(noStep)), "lacks state 'la_step'");

        Map<String, INDArray> shape = new LinkedHashMap<>(good.get(0));
        shape.put("slow", Nd4j.zeros(DataType.DOUBLE, 7));
        rejects(() -> la.loadStateDict(List.of(p), List.of(shape)), "'slow'", "shape");

        Map<String, INDArray> negative = new LinkedHashMap<>(good.get(0));
        negative.put("la_step", Nd4j.createFromArray(-1.0));
        rejects(() -> la.loadStateDict(List.of(p), List.of(negative)), "'la_step'");

        Map<String, INDArray> innerBad = new LinkedHashMap<>(good.get(0));
        innerBad.put("exp_avg", Nd4j.zerosLike(p));
        innerBad.put("slow", Nd4j.zerosLike(p));
        rejects(() -> la.loadStateDict(List.of(p), List.of(innerBad)), "'exp_avg'", "does not keep");
        assertExactly(good.get(0).get("slow"), la.stateDict(List.of(p)).get(0).get("slow"), "slow unchanged");

        rejects(() -> la.loadStateDict(List.of(p, p.dup()), good), "2 parameter arrays but 1 states");
    }
}
