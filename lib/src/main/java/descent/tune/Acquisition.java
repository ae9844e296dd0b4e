package descent.tune;

import org.apache.commons.math3.special.Erf;

/**
 * How much a point is worth evaluating next, judged from the Gaussian-process posterior N(mean, sd²) of its value
 * (larger is better; values are minimized, so a maximized objective is negated first).
 *
 * <ul>
 *   <li>{@link #expectedImprovement()}: EI = E[max(best - f, 0)] for f ~ N(mean, sd²), in closed form (Mockus 1978;
 *   Jones, Schonlau and Welch 1998, "Efficient global optimization of expensive black-box functions"):
 *   <pre>
 *   z = (best - mean) / sd,    EI = (best - mean) Φ(z) + sd φ(z)    (max(best - mean, 0) when sd = 0)
 *   ∂EI/∂mean = -Φ(z),         ∂EI/∂sd = φ(z)
 *   </pre></li>
 *   <li>{@link #lowerConfidenceBound(double)}: the score κ sd - mean, i.e. minimizing the lower confidence bound
 *   mean - κ sd (Srinivas, Krause, Kakade and Seeger 2010, GP-UCB, written for minimization).</li>
 * </ul>
 *
 * A notebook can draw EI next to the posterior with {@link #expectedImprovement(double, double, double)}.
 */
public interface Acquisition {

    /** The score of a point whose value is N(mean, sd²) when the best value so far is {@code best}. */
    double score(double mean, double sd, double best);

    /** {∂score/∂mean, ∂score/∂sd}. */
    double[] slope(double mean, double sd, double best);

    /** Expected improvement (see the interface comment). */
    static Acquisition expectedImprovement() {
        return new Acquisition() {
            @Override
            public double score(double mean, double sd, double best) {
                return expectedImprovement(mean, sd, best);
            }

            @Override
            public double[] slope(double mean, double sd, double best) {
                if (!(sd > 0)) {
                    return new double[] {mean < best ? -1 : 0, 0};
                }
                double z = (best - mean) / sd;
                return new double[] {-normalCdf(z), normalPdf(z)};
            }

            @Override
            public String toString() {
                return "ei";
            }
        };
    }

    /** κ sd - mean: the lower confidence bound mean - κ sd, negated so that larger is better; needs κ >= 0. */
    static Acquisition lowerConfidenceBound(double kappa) {
        descent.Checks.nonNegative("Acquisition", "kappa", kappa);
        return new Acquisition() {
            @Override
            public double score(double mean, double sd, double best) {
                return kappa * sd - mean;
            }

            @Override
            public double[] slope(double mean, double sd, double best) {
                return new double[] {-1, kappa};
            }

            @Override
            public String toString() {
                return "lcb(" + kappa + ")";
            }
        };
    }

    /** E[max(best - f, 0)] for f ~ N(mean, sd²), in closed form (sd >= 0). */
    static double expectedImprovement(double mean, double sd, double best) {
        if (!(sd >= 0)) {
            throw new IllegalArgumentException("Acquisition: sd must be >= 0, got " + sd);
        }
        if (sd == 0) {
            return Math.max(best - mean, 0);
        }
        double z = (best - mean) / sd;
        return Math.max((best - mean) * normalCdf(z) + sd * normalPdf(z), 0);
    }

    /** Φ(z), the standard normal distribution function. */
    static double normalCdf(double z) {
        return 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }

    /** φ(z), the standard normal density. */
    static double normalPdf(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }
}
