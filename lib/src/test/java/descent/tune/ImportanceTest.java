package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** First-order importance against the closed-form Sobol indices of an additive function. */
class ImportanceTest {

    /**
     * f(x, y, z) = 3x² + y with x, y, z uniform on [0, 1]: Var(3x²) = 9 (1/5 − 1/9) = 0.8, Var(y) = 1/12, z does not
     * matter, so S_x = 0.8 / (0.8 + 1/12) = 0.906, S_y = 0.094, S_z = 0 and there are no interactions.
     */
    @Test
    void aParameterThatDoesNotMatterGetsNearlyNothing() {
        Space space = Space.builder().uniform("x", 0, 1).uniform("y", 0, 1).uniform("z", 0, 1).build();
        Study study = Study.minimize(space, Samplers.create("random", 11))
                .optimize(t -> 3 * Math.pow(t.getDouble("x"), 2) + t.getDouble("y"), 200);
        Map<String, Double> s = Importance.firstOrder(study);
        System.out.println("importance of 3x² + y from 200 random trials: " + s);
        assertEquals(List.of("x", "y", "z"), List.copyOf(s.keySet()), "most important first");
        double sx = 0.8 / (0.8 + 1 / 12.0);
        assertEquals(sx, s.get("x"), 0.06);
        assertEquals(1 - sx, s.get("y"), 0.04);
        assertTrue(s.get("z") < 0.02, "z does not matter: " + s.get("z"));
    }

    /**
     * The study pictures' objective, (log10 lr + 2.5)² + (4 (momentum − 0.9))² + 0.1 layers + 0.3 [sgd], is additive;
     * with lr log-uniform on [1e-4, 1e-1], momentum uniform on [0.5, 0.99], layers 1..4 and two optimizers the
     * variances of the four terms are 0.45, 0.5743, 0.0125 and 0.0225 (uniform moments: E x⁴ − (E x²)²), so
     * S = 0.425, 0.542, 0.0118, 0.0212.
     */
    @Test
    void mixedKindsOfParametersAgainstTheirClosedForm() {
        Study study = Study.minimize(StudyPlotsTest.SPACE, Samplers.create("random", 4)).optimize(t -> {
            double x = Math.log10(t.getDouble("lr")) + 2.5;
            double m = (t.getDouble("momentum") - 0.9) * 4;
            return x * x + m * m + 0.1 * t.getInt("layers") + (t.getString("optimizer").equals("adam") ? 0 : 0.3);
        }, 200);
        Map<String, Double> s = Importance.firstOrder(study);
        System.out.println("importance of the bowl from 200 random trials: " + s);
        double varLr = Math.pow(1.5, 4) / 5 - 0.75 * 0.75;
        double m2 = (Math.pow(0.36, 3) + Math.pow(1.6, 3)) / (3 * 1.96);
        double m4 = (Math.pow(0.36, 5) + Math.pow(1.6, 5)) / (5 * 1.96);
        double varMomentum = m4 - m2 * m2;
        double total = varLr + varMomentum + 0.0125 + 0.0225;
        assertEquals(varLr / total, s.get("lr"), 0.08);
        assertEquals(varMomentum / total, s.get("momentum"), 0.08);
        assertEquals(0.0125 / total, s.get("layers"), 0.02);
        assertEquals(0.0225 / total, s.get("optimizer"), 0.02);
    }

    @Test
    void discreteParametersAndConstantObjectives() {
        Space space = Space.builder().categorical("opt", "sgd", "adam", "rmsprop").integer("layers", 1, 3)
                .logUniform("lr", 1e-4, 1e-1).build();
        Study study = Study.minimize(space, Samplers.create("random", 2))
                .optimize(t -> t.getString("opt").equals("adam") ? 0 : 1, 120);
        Map<String, Double> s = Importance.firstOrder(study);
        System.out.println("importance of [opt == adam] from 120 random trials: " + s);
        assertEquals("opt", s.keySet().iterator().next());
        assertTrue(s.get("opt") > 0.8 && s.get("layers") < 0.03 && s.get("lr") < 0.03, s.toString());

        Study flat = Study.minimize(space, Samplers.create("random", 2)).optimize(t -> 1.5, 10);
        assertEquals(Map.of("opt", 0.0, "layers", 0.0, "lr", 0.0), Importance.firstOrder(flat));
        Study one = Study.minimize(space, Samplers.create("random", 2)).optimize(t -> 1.5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Importance.firstOrder(one));
        assertTrue(e.getMessage().contains("at least 2 completed trials"), e.getMessage());
    }
}
