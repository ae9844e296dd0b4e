package descent.optim.schedule;

import descent.testing.Close;
import descent.testing.TorchVectors;

import static descent.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.optim.Optimizer;
import descent.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

/** Schedules against torch.optim.lr_scheduler (1.13) vectors and hand-computed values. */
class LrScheduleTest {

    private static final JsonNode VECTORS = TorchVectors.load("/descent/optim/schedules.json");

    static LrSchedule fromTorchCase(JsonNode c) {
        JsonNode p = c.get("params");
        return switch (c.get("kind").asText()) {
            case "step" -> LrSchedule.step(p.get("base_lr").asDouble(), p.get("step_size").asInt(),
                    p.get("gamma").asDouble());
            case "exponential" -> LrSchedule.exponential(p.get("base_lr").asDouble(),
                    p.get("gamma").asDouble());
            case "cosine" -> LrSchedule.cosine(p.get("base_lr").asDouble(), p.get("T_max").asInt(),
                    p.get("eta_min").asDouble());
            case "linear" -> LrSchedule.linear(p.get("base_lr").asDouble(),
                    p.get("start_factor").asDouble(), p.get("end_factor").asDouble(),
                    p.get("total_iters").asInt());
            case "warmup_cosine" -> LrSchedule.warmup(p.get("warmup_steps").asInt(),
                    p.get("start_factor").asDouble(), LrSchedule.cosine(p.get("base_lr").asDouble(),
                            p.get("T_max").asInt(), p.get("eta_min").asDouble()));
            case "warmup_exponential" -> LrSchedule.warmup(p.get("warmup_steps").asInt(),
                    p.get("start_factor").asDouble(), LrSchedule.exponential(
                            p.get("base_lr").asDouble(), p.get("gamma").asDouble()));
            case "one_cycle" -> new OneCycleLR(p.get("max_lr").asDouble(),
                    p.get("total_steps").asInt(), p.get("pct_start").asDouble(),
                    p.get("anneal_strategy").asText(), p.get("div_factor").asDouble(),
                    p.get("final_div_factor").asDouble(), p.get("three_phase").asBoolean());
            default -> throw new IllegalStateException(c.get("kind").asText());
        };
    }

    @Test
    void matchesTorchSchedulers() {
        int n = 0;
        for (JsonNode c : VECTORS.get("cases")) {
            LrSchedule s = fromTorchCase(c);
            double[] expected = TorchVectors.doubles(c.get("lrs"));
            double scale = 0;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int t = 0; t < expected.length; t++) {
                // torch steps most schedulers recursively (lr *= factor); descent uses the closed
                // forms. 1e-9 relative, with a floor of 1e-12 of the schedule's scale for values
                // that pass through 0 (cosine with eta_min 0).
                assertClose(expected[t], s.lr(t), 1e-9, 1e-12 * scale,
                        c.get("kind").asText() + " " + c.get("params") + " t=" + t);
            }
            n++;
        }
        assertEquals(11, n);
    }

    @Test
    void handComputedValues() {
        // StepLR(0.1, 3, 0.5): t=0..2 -> 0.1, t=3..5 -> 0.05, t=6 -> 0.025
        LrSchedule step = LrSchedule.step(0.1, 3, 0.5);
        assertEquals(0.1, step.lr(2), 0);
        assertEquals(0.05, step.lr(3), 0);
        assertEquals(0.025, step.lr(6), 0);
        // ExponentialLR(1, 0.5): 1, 0.5, 0.25
        assertEquals(0.25, LrSchedule.exponential(1, 0.5).lr(2), 0);
        // Cosine(1, T_max 4, eta_min 0): (1 + cos(pi t/4))/2 -> t=2: 0.5, t=4: 0, t=8: 1
        LrSchedule cos = LrSchedule.cosine(1, 4, 0);
        assertEquals(0.5, cos.lr(2), 1e-16);
        assertEquals(0.0, cos.lr(4), 1e-16);
        assertEquals(1.0, cos.lr(8), 1e-16);
        // Linear(1, 0.5 -> 1 over 4): 0.5, 0.625, 0.75, 0.875, 1, 1, ...
        LrSchedule lin = LrSchedule.linear(1, 0.5, 1, 4);
        assertEquals(0.625, lin.lr(1), 0);
        assertEquals(1.0, lin.lr(4), 0);
        assertEquals(1.0, lin.lr(100), 0);
        // warm-up 4 steps from 0 into constant 0.2: 0, 0.05, 0.1, 0.15, then 0.2
        LrSchedule w = LrSchedule.warmup(4, 0.0, LrSchedule.constant(0.2));
        assertEquals(0.0, w.lr(0), 0);
        assertEquals(0.05, w.lr(1), 1e-16);
        assertEquals(0.15, w.lr(3), 1e-16);
        assertEquals(0.2, w.lr(4), 0);
        // OneCycle(max 1, 10 steps, pct 0.3, cos, div 10, final div 100): initial 0.1, min 0.001,
        // phase 1 ends at t = 0.3*10 - 1 = 2 (lr 1), phase 2 ends at t = 9 (lr 0.001);
        // t=1: pct 1/2 -> 1 + (0.1 - 1)/2 * (cos(pi/2) + 1) = 0.55
        OneCycleLR oc = new OneCycleLR(1.0, 10, 0.3, "cos", 10, 100, false);
        assertEquals(0.1, oc.lr(0), 1e-15);
        assertEquals(0.55, oc.lr(1), 1e-15);
        assertEquals(1.0, oc.lr(2), 1e-15);
        assertEquals(0.001, oc.lr(9), 1e-15);
        assertEquals(10, oc.totalSteps());
    }

    @Test
    void oneCycleValueAtTotalStepsIsTorchsExtrapolation() {
        // torch 1.13 allows step_num == total_steps (one final scheduler.step()); beyond: error
        OneCycleLR oc = new OneCycleLR(1.0, 10, 0.3, "linear", 10, 100, false);
        // linear phase 2 from 1 at t=2 to 0.001 at t=9, extended to t=10: 1 + (0.001-1)*8/7 < 0
        assertEquals((0.001 - 1.0) * 8 / 7 + 1.0, oc.lr(10), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> oc.lr(11));
    }

    @Test
    void schedulerDrivesTheOptimizerLikeTorch() {
        // torch: lr used by optimizer step t is the value before the t-th scheduler.step()
        JsonNode warm = null;
        for (JsonNode c : VECTORS.get("cases")) {
            if (c.get("kind").asText().equals("warmup_cosine")) {
                warm = c;
            }
        }
        double[] expected = TorchVectors.doubles(warm.get("lrs"));
        Optimizer opt = Optimizers.create("momentum");
        LrScheduler sched = new LrScheduler(opt, fromTorchCase(warm));
        for (int t = 0; t < expected.length; t++) {
            assertClose(expected[t], opt.lr(), 1e-9, 0, "t=" + t);
            assertEquals(t, sched.lastStep());
            assertEquals(opt.lr(), sched.lastLr(), 0);
            sched.step();
        }
        // applyTo: the same, statelessly
        LrSchedule s = LrSchedule.exponential(0.1, 0.5);
        assertEquals(0.025, s.applyTo(opt, 2), 1e-17);
        assertEquals(0.025, opt.lr(), 1e-17);
        double[] v = s.values(3);
        assertEquals(3, v.length);
        assertEquals(0.05, v[1], 0);
    }

    @Test
    void nd4jUpdaterCanBeScheduledToo() {
        Optimizer nd4j = Optimizers.nd4j("adam");
        new LrScheduler(nd4j, LrSchedule.constant(0.3));
        assertEquals(0.3, nd4j.lr(), 0);
        assertEquals(0.3, nd4j.options().get("lr"), 0);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.exponential(0.1, 0.9).lr(-1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(Double.NaN, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.exponential(-0.1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1, 10,
                Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linear(0.1, 1.5, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linear(0.1, 0.5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmup(0, 0.1,
                LrSchedule.constant(1)));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmup(3, 0.1, null));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(0.1, 10, 0.3, "exp",
                25, 1e4, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OneCycleLR(0.1, 3, 0.3, "cos", 25, 1e4, false));
        assertTrue(e.getMessage().contains("phase 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LrScheduler(null,
                LrSchedule.constant(1)));
        // a schedule value the optimizer cannot take
        Optimizer opt = Optimizers.create("sgd");
        assertThrows(IllegalArgumentException.class, () -> new LrScheduler(opt, t -> Double.NaN));
        assertEquals(0.01, opt.lr(), 0, "lr unchanged");
    }
}
