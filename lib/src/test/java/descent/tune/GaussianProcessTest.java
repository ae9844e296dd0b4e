package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.testing.TorchVectors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The Gaussian process against scikit-learn (tools/tune/gp_sklearn.py), its likelihood gradient against finite
 * differences, expected improvement against numerical integration, and the hyper-parameter fit.
 */
class GaussianProcessTest {

    private static final JsonNode CASES = TorchVectors.load("/descent/tune/gp_sklearn.json");

    private static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = TorchVectors.doubles(node.get(i));
        }
        return m;
    }

    private static GaussianProcess.Hyperparameters hyperparameters(JsonNode c) {
        return new GaussianProcess.Hyperparameters(TorchVectors.doubles(c.get("length_scales")),
                c.get("signal_variance").asDouble(), c.get("noise_variance").asDouble());
    }

    private static void close(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void posteriorAndLikelihoodMatchScikitLearnWithFixedHyperparameters() {
        assertEquals(4, CASES.size());
        for (JsonNode c : CASES) {
            double[][] x = matrix(c.get("x"));
            double[] y = TorchVectors.doubles(c.get("y"));
            GaussianProcess gp = GaussianProcess.fit(x, y, hyperparameters(c));
            String name = x[0].length + "-D, n=" + x.length;
            close(c.get("lml").asDouble(), gp.logMarginalLikelihood(), 1e-8, name + " log marginal likelihood");
            double[] grad = gp.logMarginalLikelihoodGradient();
            double[] expectedGrad = TorchVectors.doubles(c.get("lml_gradient"));
            assertEquals(expectedGrad.length, grad.length);
            for (int j = 0; j < grad.length; j++) {
                close(expectedGrad[j], grad[j], 1e-8, name + " d lml / d theta_" + j);
            }
            double[][] test = matrix(c.get("x_test"));
            double[] mean = TorchVectors.doubles(c.get("mean"));
            double[] sd = TorchVectors.doubles(c.get("sd"));
            double[] sdNoisy = TorchVectors.doubles(c.get("sd_noisy"));
            double scale = populationSd(y);
            double noise = c.get("noise_variance").asDouble();
            for (int i = 0; i < test.length; i++) {
                GaussianProcess.Prediction p = gp.predict(test[i]);
                close(mean[i], p.mean(), 1e-8, name + " mean at test point " + i);
                close(sd[i], p.sd(), 1e-8, name + " sd at test point " + i);
                close(sdNoisy[i], Math.sqrt(p.sd() * p.sd() + noise * scale * scale), 1e-8,
                        name + " sd of a new y at test point " + i);
            }
        }
    }

    private static double populationSd(double[] y) {
        double m = 0;
        for (double v : y) {
            m += v / y.length;
        }
        double ss = 0;
        for (double v : y) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / y.length);
    }

    @Test
    void likelihoodGradientMatchesCentralDifferences() {
        for (JsonNode c : CASES) {
            double[][] x = matrix(c.get("x"));
            double[] y = TorchVectors.doubles(c.get("y"));
            double[] theta = hyperparameters(c).theta();
            double[] grad = GaussianProcess.fit(x, y, hyperparameters(c)).logMarginalLikelihoodGradient();
            double h = 1e-5;
            for (int j = 0; j < theta.length; j++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[j] += h;
                minus[j] -= h;
                double fd = (lml(x, y, plus) - lml(x, y, minus)) / (2 * h);
                close(fd, grad[j], 1e-6, x[0].length + "-D d lml / d theta_" + j);
            }
        }
    }

    private static double lml(double[][] x, double[] y, double[] theta) {
        return GaussianProcess.fit(x, y, GaussianProcess.Hyperparameters.fromTheta(theta)).logMarginalLikelihood();
    }

    @Test
    void posteriorGradientsMatchCentralDifferences() {
        JsonNode c = CASES.get(2);
        GaussianProcess gp = GaussianProcess.fit(matrix(c.get("x")), TorchVectors.doubles(c.get("y")),
                hyperparameters(c));
        for (double[] point : matrix(c.get("x_test"))) {
            if (gp.predict(point).sd() < 0.05) {
                continue; // a training point: sd is not differentiable where it reaches the noise floor
            }
            double[] dMean = new double[point.length];
            double[] dSd = new double[point.length];
            gp.posterior(point, dMean, dSd);
            for (int j = 0; j < point.length; j++) {
                double[] plus = point.clone();
                double[] minus = point.clone();
                plus[j] += 1e-6;
                minus[j] -= 1e-6;
                GaussianProcess.Prediction a = gp.predict(plus);
                GaussianProcess.Prediction b = gp.predict(minus);
                close((a.mean() - b.mean()) / 2e-6, dMean[j], 1e-6, "d mean / d x_" + j);
                close((a.sd() - b.sd()) / 2e-6, dSd[j], 1e-6, "d sd / d x_" + j);
            }
        }
    }

    @Test
    void expectedImprovementIsTheIntegralOfTheImprovement() {
        double[][] cases = {{0, 1, 0}, {0.3, 0.5, -0.2}, {-1, 0.1, 0.5}, {2, 0.7, 0}, {1, 2, 1}, {5, 1, 0}};
        for (double[] c : cases) {
            double mean = c[0];
            double sd = c[1];
            double best = c[2];
            // Simpson's rule for ∫ max(best - f, 0) φ((f - mean) / sd) / sd df over f in [mean - 12 sd, best]
            double lo = mean - 12 * sd;
            int n = 20000;
            double step = (best - lo) / n;
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                double f = lo + i * step;
                double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
                sum += w * (best - f) * Acquisition.normalPdf((f - mean) / sd) / sd;
            }
            double integral = Math.max(sum * step / 3, 0);
            assertEquals(integral, Acquisition.expectedImprovement(mean, sd, best), 1e-10,
                    "EI(mean " + mean + ", sd " + sd + ", best " + best + ")");
        }
        assertEquals(0.5, Acquisition.expectedImprovement(1, 0, 1.5), 0, "no uncertainty: the sure improvement");
        assertEquals(0, Acquisition.expectedImprovement(2, 0, 1.5), 0);
    }

    @Test
    void acquisitionSlopesMatchCentralDifferences() {
        for (Acquisition a : new Acquisition[] {Acquisition.expectedImprovement(), Acquisition.lowerConfidenceBound(2)}) {
            for (double[] c : new double[][] {{0.3, 0.5, -0.2}, {-1, 0.4, 0.5}, {1, 2, 1}}) {
                double[] slope = a.slope(c[0], c[1], c[2]);
                double h = 1e-6;
                close((a.score(c[0] + h, c[1], c[2]) - a.score(c[0] - h, c[1], c[2])) / (2 * h), slope[0], 1e-7,
                        a + " d/d mean");
                close((a.score(c[0], c[1] + h, c[2]) - a.score(c[0], c[1] - h, c[2])) / (2 * h), slope[1], 1e-7,
                        a + " d/d sd");
            }
        }
    }

    @Test
    void fittingRaisesTheLikelihoodOverItsStartToAStationaryPoint() {
        for (JsonNode c : CASES) {
            double[][] x = matrix(c.get("x"));
            double[] y = TorchVectors.doubles(c.get("y"));
            double start = GaussianProcess.fit(x, y, GaussianProcess.Hyperparameters.defaults(x[0].length))
                    .logMarginalLikelihood();
            GaussianProcess fitted = GaussianProcess.fit(x, y);
            assertTrue(fitted.logMarginalLikelihood() > start + 1,
                    "fitted " + fitted.logMarginalLikelihood() + " vs start " + start);
            assertTrue(fitted.logMarginalLikelihood() >= GaussianProcess.fit(x, y, hyperparameters(c))
                    .logMarginalLikelihood(), "at least as likely as the oracle's hyper-parameters");
            // inside the bounds, the gradient vanishes at the maximum
            double[] theta = fitted.hyperparameters().theta();
            double[] g = fitted.logMarginalLikelihoodGradient();
            double[][] bounds = new double[theta.length][];
            for (int j = 0; j < theta.length; j++) {
                bounds[j] = j == 0 ? new double[] {0.01, 100} : j == theta.length - 1 ? new double[] {1e-6, 1}
                        : new double[] {0.01, 5};
                boolean inside = theta[j] > Math.log(bounds[j][0]) + 1e-6 && theta[j] < Math.log(bounds[j][1]) - 1e-6;
                if (inside) {
                    assertEquals(0, g[j], 1e-2, "d lml / d theta_" + j + " at the fitted " + fitted.hyperparameters());
                }
            }
        }
    }

    @Test
    void aOneDimensionalPosteriorInterpolatesAndWidensAwayFromTheData() {
        double[][] x = {{0.1}, {0.4}, {0.5}, {0.9}};
        double[] y = {1.0, -0.5, -0.2, 0.8};
        GaussianProcess gp = GaussianProcess.fit(x, y);
        for (int i = 0; i < x.length; i++) {
            GaussianProcess.Prediction p = gp.predict(x[i]);
            assertEquals(y[i], p.mean(), 0.05, "near the data at " + x[i][0]);
            assertTrue(p.sd() < gp.predict(new double[] {0.7}).sd(), "sd grows between 0.5 and 0.9");
        }
        GaussianProcess.Prediction[] curve = gp.predict(new double[][] {{0.0}, {0.25}, {1.0}});
        assertEquals(3, curve.length);
    }

    @Test
    void badInputIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0.1}, {0.2}}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 points but 1 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0.1}, {0.2, 0.3}}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("point 1 has 2 coordinates"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0.1}}, new double[] {Double.NaN}));
        assertTrue(e.getMessage().contains("value 0 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(new double[][] {{0.1}},
                new double[] {1}, GaussianProcess.Hyperparameters.defaults(2)));
        assertTrue(e.getMessage().contains("2 length scales for 1-dimensional"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianProcess.Hyperparameters(new double[] {0.5}, 1, 0));
        assertTrue(e.getMessage().contains("noiseVariance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0.1}}, new double[] {1}).predict(new double[] {0.1, 0.2}));
        assertTrue(e.getMessage().contains("2-dimensional point"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Acquisition.expectedImprovement(0, -1, 0));
        assertTrue(e.getMessage().contains("sd must be >= 0"), e.getMessage());
    }

    @Test
    void fitsRepeat() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] x = new double[12][3];
        double[] y = new double[12];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rng.nextDouble();
            }
            y[i] = Math.sin(5 * x[i][0]) + x[i][1];
        }
        assertEquals(GaussianProcess.fit(x, y).logMarginalLikelihood(), GaussianProcess.fit(x, y).logMarginalLikelihood(),
                0);
    }
}
