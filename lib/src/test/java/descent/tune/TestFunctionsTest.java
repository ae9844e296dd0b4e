package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.tune.TestFunctions.Problem;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class TestFunctionsTest {

    @Test
    void braninIsAtItsMinimumAtItsThreeMinimizers() {
        assertEquals(TestFunctions.BRANIN_OPTIMUM, TestFunctions.branin(-Math.PI, 12.275), 1e-12);
        assertEquals(TestFunctions.BRANIN_OPTIMUM, TestFunctions.branin(Math.PI, 2.275), 1e-12);
        // 9.42478 is 3 pi to 6 digits: off by 1e-6, so off the minimum by about 1e-10
        assertEquals(TestFunctions.BRANIN_OPTIMUM, TestFunctions.branin(9.42478, 2.475), 1e-9);
    }

    @Test
    void hartmann6IsAtItsMinimumAtItsPublishedMinimizer() {
        // the minimizer is published to 6 digits; the value there is within 3e-11 of the minimum
        double[] x = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        assertEquals(TestFunctions.HARTMANN6_OPTIMUM, TestFunctions.hartmann6(x), 1e-10);
    }

    @Test
    void mixedIsZeroAtAdamAndAboveEachOptimizersOffsetElsewhere() {
        assertEquals(0.0, TestFunctions.mixed(1e-3, 0.9, 64, "adam"));
        // sgd-like: lr / (1 - momentum) is what counts, so sgd's best lr falls as momentum rises
        assertEquals(0.3, TestFunctions.mixed(0.1, 0.0, 64, "sgd"), 1e-12);
        assertEquals(0.3, TestFunctions.mixed(0.01, 0.9, 64, "sgd"), 1e-12);
        assertEquals(0.1, TestFunctions.mixed(10 * Math.pow(10, -1.5) / 100, 0.9, 64, "momentum"), 1e-12);
        assertEquals(0.05, TestFunctions.mixed(Math.pow(10, -3.5), 0.0, 64, "rmsprop"), 1e-12);
        // a wider net wants a smaller rate: width 256 (w = 2) moves adam's best lr to 10^-3.5, at a cost of 0.05 w^2
        assertEquals(0.2, TestFunctions.mixed(Math.pow(10, -3.5), 0.9, 256, "adam"), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestFunctions.mixed(1e-3, 0.9, 64, "lbfgs"));
        assertTrue(e.getMessage().contains("lbfgs") && e.getMessage().contains("rmsprop"), e.getMessage());
    }

    @Test
    void theMinimizersLieInTheSpaces() {
        assertEquals(0.0, TestFunctions.problem("mixed")
                .value(Map.of("lr", 1e-3, "momentum", 0.9, "width", 64, "optimizer", "adam")));
        for (Problem p : TestFunctions.problems()) {
            Map<String, Object> at = switch (p.name()) {
                case "branin" -> Map.of("x1", -Math.PI, "x2", 12.275);
                case "hartmann6" -> Map.of("x1", 0.20169, "x2", 0.150011, "x3", 0.476874, "x4", 0.275332,
                        "x5", 0.311652, "x6", 0.6573);
                default -> Map.of("lr", 1e-3, "momentum", 0.9, "width", 64, "optimizer", "adam");
            };
            p.space().unit(at); // refuses a value outside the space
            assertEquals(p.optimum(), p.value(at), 1e-10, p.name());
        }
        assertEquals(List.of(30, 60, 40), TestFunctions.problems().stream().map(Problem::budget).toList());
    }

    /** test_functions.json: points evaluated by tools/tune/functions.py (run it to rewrite them). */
    @Test
    void agreesWithThePythonFunctions() throws Exception {
        List<Map<String, Object>> points;
        try (InputStream in = getClass().getResourceAsStream("test_functions.json")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> read = new ObjectMapper().readValue(in, List.class);
            points = read;
        }
        assertTrue(points.size() >= 15, "points: " + points.size());
        for (Map<String, Object> pt : points) {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) pt.get("params");
            double expected = ((Number) pt.get("value")).doubleValue();
            double got = TestFunctions.problem((String) pt.get("function")).value(params);
            assertEquals(expected, got, 1e-12 * Math.max(1, Math.abs(expected)), pt.toString());
        }
    }
}
