package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gp sampler: better than random search on Branin, both directions, mixed spaces, running and failed trials. */
class GpSamplerTest {

    static final Space BRANIN_SPACE = Space.builder().uniform("x1", -5, 10).uniform("x2", 0, 15).build();
    static final double BRANIN_MIN = 0.397887;
    static final Space HARTMANN_SPACE = Space.builder().uniform("x1", 0, 1).uniform("x2", 0, 1).uniform("x3", 0, 1)
            .uniform("x4", 0, 1).uniform("x5", 0, 1).uniform("x6", 0, 1).build();
    static final double HARTMANN_MIN = -3.32237;

    /** Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points. */
    static double branin(Trial t) {
        double x1 = t.getDouble("x1");
        double x2 = t.getDouble("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    }

    private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H_A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H_P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

    /** Hartmann-6 on [0, 1]^6; minimum -3.32237. */
    static double hartmann6(Trial t) {
        double f = 0;
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                double d = t.getDouble("x" + (j + 1)) - H_P[i][j] * 1e-4;
                s += H_A[i][j] * d * d;
            }
            f -= H_ALPHA[i] * Math.exp(-s);
        }
        return f;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }

    @Test
    void beatsRandomSearchOnBraninIn25Trials() {
        double[] gp = new double[5];
        double[] random = new double[5];
        for (int seed = 0; seed < 5; seed++) {
            gp[seed] = Study.minimize(BRANIN_SPACE, Samplers.create("gp", seed)).optimize(GpSamplerTest::branin, 25)
                    .best().value() - BRANIN_MIN;
            random[seed] = Study.minimize(BRANIN_SPACE, Samplers.create("random", seed))
                    .optimize(GpSamplerTest::branin, 25).best().value() - BRANIN_MIN;
        }
        // random search after 25 trials is typically ~1 above the minimum; the GP should be within a few hundredths
        assertTrue(median(gp) < median(random) / 10, "gp regrets " + Arrays.toString(gp) + " vs random "
                + Arrays.toString(random));
        for (int seed = 0; seed < 5; seed++) {
            assertTrue(gp[seed] < random[seed], "seed " + seed + ": gp " + gp[seed] + " vs random " + random[seed]);
        }
    }

    @Test
    void maximizingIsMinimizingTheNegation() {
        Study min = Study.minimize(BRANIN_SPACE, new GpSampler(3)).optimize(GpSamplerTest::branin, 14);
        Study max = Study.maximize(BRANIN_SPACE, new GpSampler(3)).optimize(t -> -branin(t), 14);
        for (int i = 0; i < 14; i++) {
            assertEquals(min.trialList().get(i).params(), max.trialList().get(i).params(), "trial " + i);
        }
        assertEquals(min.best().value(), -max.best().value(), 0);
    }

    @Test
    void sameSeedSameProposals() {
        Study a = Study.minimize(BRANIN_SPACE, new GpSampler(9)).optimize(GpSamplerTest::branin, 12);
        Study b = Study.minimize(BRANIN_SPACE, new GpSampler(9)).optimize(GpSamplerTest::branin, 12);
        for (int i = 0; i < 12; i++) {
            assertEquals(a.trialList().get(i).params(), b.trialList().get(i).params(), "trial " + i);
        }
    }

    @Test
    void failedTrialsAreLeftOut() {
        // every third trial fails; the model learns from the others and still closes in on the minimum
        Study s = Study.minimize(BRANIN_SPACE, new GpSampler(4)).optimize(t -> {
            if (t.number() % 3 == 2) {
                throw new IllegalStateException("diverged");
            }
            return branin(t);
        }, 36);
        long failed = s.trialList().stream().filter(t -> t.state() == Trial.State.FAILED).count();
        assertEquals(12, failed);
        assertTrue(s.best().value() - BRANIN_MIN < 0.05, "best " + s.best());
    }

    @Test
    void aRunningTrialIsNotProposedAgain() {
        Study done = Study.minimize(BRANIN_SPACE, new GpSampler(2)).optimize(GpSamplerTest::branin, 12);
        List<Trial> trials = new ArrayList<>(done.trialList());
        Map<String, Object> next = new GpSampler(2).sample(BRANIN_SPACE, trials, true);
        assertEquals(next, new GpSampler(2).sample(BRANIN_SPACE, trials, true), "the same state proposes the same point");
        trials.add(new Trial(trials.size(), next)); // a worker is evaluating it (RUNNING)
        Map<String, Object> other = new GpSampler(2).sample(BRANIN_SPACE, trials, true);
        double[] a = BRANIN_SPACE.unit(next);
        double[] b = BRANIN_SPACE.unit(other);
        double distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
        assertTrue(distance > 0.01, next + " is running, yet " + other + " was proposed");
    }

    @Test
    void mixedSpacesGetValidValuesAndTheGoodCategory() {
        Space space = Space.builder().logUniform("lr", 1e-5, 1).integer("layers", 1, 6).logInteger("width", 8, 512)
                .categorical("optimizer", "sgd", "adam", "rmsprop").build();
        Study s = Study.minimize(space, new GpSampler(1)).optimize(t -> {
            double e = Math.log10(t.getDouble("lr")) + 3;
            double w = Math.log(t.getInt("width") / 64.0) / Math.log(2);
            int layers = t.getInt("layers");
            double offset = switch (t.getString("optimizer")) {
                case "adam" -> 0;
                case "rmsprop" -> 0.5;
                default -> 1;
            };
            return e * e + 0.1 * w * w + 0.2 * (layers - 3) * (layers - 3) + offset;
        }, 40);
        for (Trial t : s.trialList()) {
            double lr = t.getDouble("lr");
            int layers = t.getInt("layers");
            int width = t.getInt("width");
            assertTrue(lr >= 1e-5 && lr <= 1 && layers >= 1 && layers <= 6 && width >= 8 && width <= 512,
                    t.toString());
        }
        Trial best = s.best();
        assertEquals("adam", best.getString("optimizer"), best.toString());
        assertEquals(3, best.getInt("layers"), best.toString());
        assertTrue(best.value() < 0.1, best.toString());
        long adamAfterStartup = s.trialList().stream().skip(8).filter(t -> t.getString("optimizer").equals("adam"))
                .count();
        assertTrue(adamAfterStartup > 16, "adam in " + adamAfterStartup + " of the 32 model-guided trials");
    }

    @Test
    void upperConfidenceBoundAlsoFindsTheMinimum() {
        Study s = Study.minimize(BRANIN_SPACE, new GpSampler(0, "ucb", 6)).optimize(GpSamplerTest::branin, 30);
        assertTrue(s.best().value() - BRANIN_MIN < 0.1, "best " + s.best());
    }

    @Test
    void badOptionsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GpSampler(0, "pi", 0));
        assertTrue(e.getMessage().contains("'pi'") && e.getMessage().contains("[ei, ucb]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GpSampler(0, "ei", -1));
        assertTrue(e.getMessage().contains("startupTrials"), e.getMessage());
        assertEquals("gp", Samplers.create("GP", 0).name());
    }
}
