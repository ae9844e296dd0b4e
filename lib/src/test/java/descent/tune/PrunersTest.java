package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.testing.TorchVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The median, successive-halving and Hyperband pruners against Optuna 3.1: tools/tune/pruner_oracle.py ran made-up
 * learning curves through Optuna's pruners (several trials at a time, some failing) and recorded every should_prune
 * answer; here the same histories are replayed and every answer must agree.
 */
class PrunersTest {

    @Test
    void everyAnswerAgreesWithOptuna() {
        JsonNode root = TorchVectors.load("/descent/tune/pruners.json");
        assertEquals(14, root.get("cases").size());
        for (JsonNode c : root.get("cases")) {
            Pruner pruner = pruner(c.get("pruner").asText(), c.get("options"));
            boolean minimize = c.get("minimize").asBoolean();
            List<Trial> trials = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            int asked = 0;
            int pruned = 0;
            for (JsonNode e : c.get("events")) {
                int n = e.get("trial").asInt();
                switch (e.get("op").asText()) {
                    case "ask" -> {
                        assertEquals(trials.size(), n);
                        trials.add(new Trial(n, Map.of()));
                    }
                    case "report" -> {
                        Trial t = trials.get(n);
                        t.report(e.get("step").asInt(), e.get("value").asDouble());
                        boolean expected = e.get("prune").asBoolean();
                        if (pruner.prune(t, List.copyOf(trials), minimize) != expected) {
                            wrong.add("trial " + n + " step " + e.get("step") + ": Optuna says " + expected);
                        }
                        asked++;
                        pruned += expected ? 1 : 0;
                    }
                    case "tell" -> {
                        Trial t = trials.get(n);
                        switch (e.get("state").asText()) {
                            case "COMPLETE" -> t.complete(e.get("value").asDouble(), 0);
                            case "PRUNED" -> t.prune(0);
                            default -> t.fail("failed", 0);
                        }
                    }
                    default -> throw new IllegalStateException(e.toString());
                }
            }
            String name = c.get("name").asText();
            assertTrue(wrong.isEmpty(), name + ": " + wrong.size() + " of " + asked + " answers differ: " + wrong);
            assertTrue(pruned > 0 && pruned < asked, name + ": both answers occur (" + pruned + " of " + asked + ")");
        }
    }

    private static Pruner pruner(String kind, JsonNode o) {
        return switch (kind) {
            case "median" -> Pruners.median(o.get("startupTrials").asInt(), o.get("warmupSteps").asInt());
            case "successive_halving" -> new SuccessiveHalvingPruner(auto(o.get("minResource")),
                    o.get("reductionFactor").asInt(), o.get("minEarlyStoppingRate").asInt());
            case "hyperband" -> new HyperbandPruner(o.get("minResource").asInt(), auto(o.get("maxResource")),
                    o.get("reductionFactor").asInt());
            default -> throw new IllegalStateException(kind);
        };
    }

    /** A resource setting: "auto" is 0 for the pruners' constructors. */
    private static int auto(JsonNode v) {
        return v.isTextual() ? 0 : v.asInt();
    }

    @Test
    void theDefaultsAreOptunas() {
        JsonNode defaults = TorchVectors.load("/descent/tune/pruners.json").get("defaults");
        assertEquals(Pruners.names().size(), defaults.size());
        defaults.fields().forEachRemaining(kind -> {
            List<String> settings = new ArrayList<>();
            kind.getValue().fields().forEachRemaining(f -> settings.add(f.getKey() + "=" + f.getValue().asText()));
            assertEquals(kind.getKey() + "(" + String.join(", ", settings) + ")",
                    Pruners.create(kind.getKey()).toString());
        });
    }

    /** A finished trial that reported {@code values} at steps 0, 1, ... */
    private static Trial finished(int number, double... values) {
        Trial t = new Trial(number, Map.of());
        for (int s = 0; s < values.length; s++) {
            t.report(s, values[s]);
        }
        t.complete(values[values.length - 1], 0);
        return t;
    }

    @Test
    void medianRuleOnSmallNumbers() {
        Pruner median = Pruners.median(3, 1);
        List<Trial> trials = new ArrayList<>(List.of(finished(0, 5, 1), finished(1, 5, 2), finished(2, 5, 4)));
        Trial t = new Trial(3, Map.of());
        trials.add(t);
        t.report(0, 9);
        assertFalse(median.prune(t, trials, true), "step 0 is inside the warm-up");
        t.report(1, 2.5);
        assertTrue(median.prune(t, trials, true), "2.5 is worse than the median 2 of 1, 2, 4");
        t.report(1, 2);
        assertFalse(median.prune(t, trials, true), "a tie with the median goes on");
        t.report(2, 7);
        assertFalse(median.prune(t, trials, true), "no completed trial reported step 2");
        t.report(1, 2.5);
        t.report(2, 1.5);
        assertFalse(median.prune(t, trials.subList(1, 4), true), "two completed trials: fewer than 3 startup trials");
        Trial u = new Trial(4, Map.of());
        trials.add(u);
        u.report(0, 9);
        u.report(1, 0.5);
        assertFalse(median.prune(u, trials, false), "maximizing: the best so far, 9, is above the median 2");
        u.report(0, 1.5);
        assertTrue(median.prune(u, trials, false), "maximizing: the best so far, 1.5, is below the median 2");
    }

    @Test
    void successiveHalvingKeepsTheBestThirdOfEachRung() {
        Pruner sh = Pruners.successiveHalving(1, 3, 0);   // rungs at steps 1, 3, 9, ...
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            trials.add(finished(i, 9, 1 + i, 1 + i, 1 + i));   // rung-0 values 1..5, rung-1 values 1..5
        }
        Trial t = new Trial(5, Map.of());
        trials.add(t);
        t.report(0, 0);
        assertFalse(sh.prune(t, trials, true), "step 0 is below the first rung");
        t.report(1, 2);
        // competing at rung 0: 1, 2, 3, 4, 5 and 2: the best floor(6 / 3) = 2 are 1 and 2, and 2 ties the second
        assertFalse(sh.prune(t, trials, true), "2 is among the 2 best of 6");
        t.report(2, 0.5);
        assertFalse(sh.prune(t, trials, true), "no rung between steps 1 and 2");
        t.report(3, 2.5);
        assertTrue(sh.prune(t, trials, true), "rung 1: 2.5 is not among the 2 best of 1, 2, 3, 4, 5, 2.5");
        Trial u = new Trial(6, Map.of());
        trials.add(u);
        u.report(1, 1.5);
        // competing at rung 0 now also holds trial 5's value 2: 1, 2, 3, 4, 5, 2, 1.5, best 2 = 1 and 1.5
        assertFalse(sh.prune(u, trials, true));
        assertFalse(sh.prune(u, trials, true), "judged once per rung: rung 0 is behind it");
        assertTrue(Pruners.successiveHalving(1, 3, 0).prune(u, trials, false), "maximizing: 1.5 is not among the "
                + "2 largest of 1, 2, 3, 4, 5, 2, 1.5");
    }

    @Test
    void hyperbandLaysTheBracketBudgetsEndToEnd() {
        HyperbandPruner hb = (HyperbandPruner) Pruners.hyperband(1, 9, 3);   // 3 brackets, budgets 9, 5, 3
        Trial t = new Trial(0, Map.of());
        t.report(1, 1.0);
        assertFalse(hb.prune(t, List.of(t), true), "the only trial of its rung goes on");
        int[] expected = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(expected[n], hb.bracket(n), "trial " + n);
        }
    }

    @Test
    void autoResourcesComeFromTheFirstCompletedTrials() {
        Pruner sh = Pruners.successiveHalving();   // minResource auto, reductionFactor 4: rungs at r, 4r, 16r
        Trial first = new Trial(0, Map.of());
        first.report(0, 1.0);
        assertFalse(sh.prune(first, List.of(first), true), "nothing completed: nothing to estimate from");
        first.report(500, 1.0);
        first.complete(1.0, 0);
        Trial unjudged = finished(1, 3, 3, 3, 3, 3, 3);   // never judged: competes with its reports
        Trial t = new Trial(2, Map.of());
        List<Trial> trials = List.of(first, unjudged, t);
        t.report(4, 9.0);
        assertFalse(sh.prune(t, trials, true), "minResource = 500 / 100 = 5: step 4 is below the first rung");
        t.report(5, 2.0);
        assertFalse(sh.prune(t, trials, true), "rung 0 at step 5: 2 beats the 3 of trial 1; trial 0, judged only "
                + "before the estimate, recorded nothing and does not compete");
        Trial v = new Trial(3, Map.of());
        v.report(5, 2.5);
        assertTrue(sh.prune(v, List.of(first, unjudged, t, v), true), "2.5 is not the best of 3, 2, 2.5");

        HyperbandPruner hb = (HyperbandPruner) Pruners.hyperband();   // minResource 1, maxResource auto, eta 3
        assertTrue(hb.prune(t, trials, true), "maxResource = 500 + 1; in bracket 0 (rungs at steps 1, 3, 9, ..) "
                + "trial 2's 2 at rung 0 is not the best of 1 (trial 0), 3 (trial 1) and 2");
        // 501 / 1 lies between 3^5 = 243 and 3^6 = 729: 6 brackets, budgets ceil(6 * 3^s / (s + 1)), s = 5 .. 0
        int[] budgets = {243, 98, 41, 18, 9, 6};
        int first0 = 0;
        for (int b = 0; b < budgets.length; b++) {
            assertEquals(b, hb.bracket(first0), "the first trial of bracket " + b);
            assertEquals(b, hb.bracket(first0 + budgets[b] - 1), "the last trial of bracket " + b);
            first0 += budgets[b];
        }
        assertEquals(0, hb.bracket(first0), "then again from bracket 0");
    }

    @Test
    void registryAndBadSettings() {
        assertEquals(List.of("hyperband", "median", "successive_halving"), Pruners.names());
        for (String name : Pruners.names()) {
            assertEquals(name, Pruners.create(name).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pruners.create("asha"));
        assertTrue(e.getMessage().contains("'asha'") && e.getMessage().contains("[hyperband, median, "
                + "successive_halving]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pruners.successiveHalving(1, 1, 0));
        assertTrue(e.getMessage().contains("reductionFactor must be >= 2, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pruners.median(-1, 0));
        assertTrue(e.getMessage().contains("startupTrials must be >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pruners.hyperband(4, 2, 3));
        assertTrue(e.getMessage().contains("maxResource must be >= minResource (4), got 2"), e.getMessage());
    }

    @Test
    void aStudyPrunesThroughItsPrunerAndKeepsTheLastValue() {
        Space s = Space.builder().uniform("rate", 0.1, 1).build();
        // loss after epoch k: rate^k-ish curves; slow rates are pruned once 5 trials completed
        Study study = Study.minimize(s, Samplers.create("random", 2)).pruner(Pruners.median()).optimize(t -> {
            double loss = 1;
            for (int epoch = 0; epoch < 10; epoch++) {
                loss *= t.getDouble("rate");
                t.report(epoch, loss);
                if (t.shouldPrune()) {
                    throw new Trial.Pruned();
                }
            }
            return loss;
        }, 30);
        List<Trial> pruned = study.trialList().stream().filter(t -> t.state() == Trial.State.PRUNED).toList();
        assertTrue(pruned.size() > 5, "pruned " + pruned.size());
        for (Trial t : pruned) {
            assertEquals(t.intermediateValues().get(t.lastStep()), t.value(), 0.0, "the last reported value");
            assertTrue(t.lastStep() < 9, "stopped before the end: " + t);
        }
        assertEquals(Trial.State.COMPLETE, study.best().state());
        assertTrue(study.trialList().subList(0, 5).stream().allMatch(t -> t.state() == Trial.State.COMPLETE),
                "nothing is pruned before 5 trials completed");
    }
}
