package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
}
