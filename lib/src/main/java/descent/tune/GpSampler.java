package descent.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Bayesian optimization with a Gaussian process (Snoek, Larochelle and Adams 2012, "Practical Bayesian optimization
 * of machine learning algorithms"): the registry's {@code gp}.
 *
 * <pre>
 * the first s trials (default max(8, 2 d) for d dimensions): a Sobol sequence shifted by a seeded random vector
 *     (modulo 1), so that they spread
 * then, for every trial:
 *     data   x = the COMPLETE trials' parameters in [0, 1] coordinates (below), y = their values (negated when
 *            maximizing); PRUNED trials count with their last reported value; FAILED trials are left out
 *     model  GaussianProcess (Matérn 5/2, one length scale per coordinate) by maximum likelihood, warm-started
 *            from the previous trial's hyper-parameters; with at most 50 points, and at every 10th model after
 *            that, also from the defaults and random restarts (3 while at most 20 points, else 1)
 *     liars  every RUNNING trial joins the data with the model's mean at its point as its value ("kriging
 *            believer", Ginsbourger, Le Riche and Carraro 2010; the best value counts the lies too) and the model
 *            is refitted with the same hyper-parameters: its uncertainty there vanishes, so parallel workers do not
 *            all propose one point
 *     next   the point that maximizes the acquisition: expected improvement over the best value, or (option "ucb")
 *            2 sd - mean, the lower confidence bound mean - 2 sd negated. The search scores 500 + 250 w random
 *            points (w coordinates; at most 4000) and 50 points scattered (N(0, 0.02²) or N(0, 0.1²) per
 *            coordinate) around each of the 5 best trials; from the 5 best of all these it climbs by L-BFGS inside
 *            the unit cube (BoxLbfgs, with the acquisition's gradient through the GP's mean and sd), then tries
 *            every other category of each categorical of the winner
 * </pre>
 *
 * Coordinates: a real or integer dimension is one coordinate, its {@link Space.Dimension#unit} position (on the log
 * scale for log dimensions; an integer at its cell's middle). The acquisition is climbed over integers as if they
 * were real and the result is rounded by {@link Space.Dimension#at}. A categorical dimension with k categories is k
 * one-hot coordinates (1 for the chosen category, 0 for the others), each with its own length scale; the climb holds
 * them fixed and the final step tries the others.
 */
public final class GpSampler implements Sampler {

    private static final int LOCAL_STARTS = 5;

    private final long seed;
    private final SplittableRandom rng;
    private final String acquisitionName;
    private final Acquisition acquisition;
    private final int startupTrials;
    private GaussianProcess.Hyperparameters previous;
    private int models;

    /** Expected improvement after max(8, 2 d) Sobol trials. */
    public GpSampler(long seed) {
        this(seed, "ei", 0);
    }

    /**
     * {@code acquisition} "ei" (expected improvement) or "ucb" (the confidence bound mean - 2 sd, optimistic for the
     * direction of the study); {@code startupTrials} Sobol trials before the model, or 0 for max(8, 2 d).
     */
    public GpSampler(long seed, String acquisition, int startupTrials) {
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
        this.acquisitionName = acquisition == null ? "" : acquisition.toLowerCase(Locale.ROOT);
        this.acquisition = switch (acquisitionName) {
            case "ei" -> Acquisition.expectedImprovement();
            case "ucb" -> Acquisition.lowerConfidenceBound(2);
            default -> throw new IllegalArgumentException("GpSampler: unknown acquisition '" + acquisition
                    + "'; valid names are [ei, ucb]");
        };
        if (startupTrials < 0) {
            throw new IllegalArgumentException("GpSampler: startupTrials must be >= 0 (0 for the default), got "
                    + startupTrials);
        }
        this.startupTrials = startupTrials;
    }

    @Override
    public String name() {
        return "gp";
    }

    @Override
    public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
        Encoding enc = new Encoding(space);
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<double[]> pending = new ArrayList<>();
        for (Trial t : trials) {
            boolean done = t.state() == Trial.State.COMPLETE
                    || (t.state() == Trial.State.PRUNED && Double.isFinite(t.value()));
            if (done) {
                xs.add(enc.encode(space.unit(t.params())));
                ys.add(minimize ? t.value() : -t.value());
            } else if (t.state() == Trial.State.RUNNING) {
                pending.add(enc.encode(space.unit(t.params())));
            }
        }
        int d = space.dimensions().size();
        int startup = startupTrials > 0 ? startupTrials : Math.max(8, 2 * d);
        if (trials.size() < startup || xs.size() < 2) {
            return space.at(sobol(d, trials.size()));
        }
        double[][] x = xs.toArray(double[][]::new);
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        GaussianProcess gp = fitModel(x, y, enc.width());
        previous = gp.hyperparameters();
        double best = Arrays.stream(y).min().getAsDouble();
        if (!pending.isEmpty()) {
            double[][] xl = Arrays.copyOf(x, x.length + pending.size());
            double[] yl = Arrays.copyOf(y, y.length + pending.size());
            for (int i = 0; i < pending.size(); i++) {
                xl[x.length + i] = pending.get(i);
                yl[y.length + i] = gp.predict(pending.get(i)).mean();
                best = Math.min(best, yl[y.length + i]);
            }
            gp = GaussianProcess.fit(xl, yl, previous);
        }
        return space.at(enc.decode(maximize(gp, best, enc, x, y)));
    }

    /**
     * Maximum likelihood from the previous trial's hyper-parameters (a warm start: the data grew by one point); while
     * the data are few (at most 50 points), and at every 10th model, also from the defaults and random restarts.
     */
    private GaussianProcess fitModel(double[][] x, double[] y, int width) {
        List<GaussianProcess.Hyperparameters> starts = new ArrayList<>();
        boolean warm = previous != null && previous.lengthScales().length == width;
        if (warm) {
            starts.add(previous);
        }
        int restarts = 0;
        if (!warm || x.length <= 50 || ++models % 10 == 0) {
            starts.add(GaussianProcess.Hyperparameters.defaults(width));
            restarts = x.length <= 20 ? 3 : 1;
        }
        return GaussianProcess.fit(x, y, starts, restarts, rng, 100);
    }

    /** The point of the unit cube (in encoded coordinates) with the largest acquisition found. */
    private double[] maximize(GaussianProcess gp, double best, Encoding enc, double[][] x, double[] y) {
        int width = enc.width();
        List<double[]> candidates = new ArrayList<>();
        int nRandom = Math.min(4000, 500 + 250 * width);
        for (int i = 0; i < nRandom; i++) {
            candidates.add(enc.random(rng));
        }
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
        for (int b = 0; b < Math.min(5, order.length); b++) {
            for (int k = 0; k < 50; k++) {
                candidates.add(enc.near(x[order[b]], k % 2 == 0 ? 0.02 : 0.1, rng));
            }
        }
        double[] scores = new double[candidates.size()];
        Integer[] byScore = new Integer[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            double[] p = gp.posterior(candidates.get(i), null, null);
            scores[i] = acquisition.score(p[0], p[1], best);
            byScore[i] = i;
        }
        Arrays.sort(byScore, Comparator.comparingDouble(i -> -scores[i]));
        double[] winner = candidates.get(byScore[0]);
        double winnerScore = scores[byScore[0]];
        for (int s = 0; s < Math.min(LOCAL_STARTS, byScore.length); s++) {
            double[] start = candidates.get(byScore[s]);
            double[] lo = new double[width];
            double[] hi = new double[width];
            for (int j = 0; j < width; j++) {
                boolean held = enc.isCategorical(j);
                lo[j] = held ? start[j] : 0;
                hi[j] = held ? start[j] : 1;
            }
            // the climb sees the acquisition divided by its size at the start, so that one set of tolerances suits
            // expected improvements of any size (they shrink by orders of magnitude as the search converges)
            double scale = Math.abs(scores[byScore[s]]) > 0 ? Math.abs(scores[byScore[s]]) : 1;
            BoxLbfgs.Result r = BoxLbfgs.minimize((point, gradient) -> {
                double[] dMean = new double[width];
                double[] dSd = new double[width];
                double[] p = gp.posterior(point, dMean, dSd);
                double[] slope = acquisition.slope(p[0], p[1], best);
                for (int j = 0; j < width; j++) {
                    gradient[j] = -(slope[0] * dMean[j] + slope[1] * dSd[j]) / scale;
                }
                return -acquisition.score(p[0], p[1], best) / scale;
            }, start, lo, hi, 50);
            double score = -r.value() * scale;
            if (score > winnerScore) {
                winner = r.x();
                winnerScore = score;
            }
        }
        for (double[] other : enc.otherCategories(winner)) {
            double[] p = gp.posterior(other, null, null);
            double score = acquisition.score(p[0], p[1], best);
            if (score > winnerScore) {
                winner = other;
                winnerScore = score;
            }
        }
        return winner;
    }

    /** Point {@code index} of a Sobol sequence in [0, 1]^d, shifted by a seeded random vector modulo 1. */
    private double[] sobol(int d, int index) {
        SobolSequenceGenerator gen = new SobolSequenceGenerator(d);
        double[] u = gen.skipTo(index);
        SplittableRandom shift = new SplittableRandom(seed);
        for (int j = 0; j < d; j++) {
            u[j] = (u[j] + shift.nextDouble()) % 1;
        }
        return u;
    }

    @Override
    public String toString() {
        return "gp(" + acquisitionName + (startupTrials > 0 ? ", startup " + startupTrials : "") + ")";
    }

    /** Space coordinates (one per dimension) to the GP's coordinates (one-hot categoricals) and back. */
    private static final class Encoding {
        private final int[] start;
        private final int[] size;
        private final boolean[] categorical;
        private final boolean[] heldCoordinate;

        Encoding(Space space) {
            List<Space.Dimension> dims = space.dimensions();
            start = new int[dims.size()];
            size = new int[dims.size()];
            categorical = new boolean[dims.size()];
            int w = 0;
            for (int i = 0; i < dims.size(); i++) {
                categorical[i] = dims.get(i).kind() == Space.Kind.CATEGORICAL;
                start[i] = w;
                size[i] = categorical[i] ? dims.get(i).categories().size() : 1;
                w += size[i];
            }
            heldCoordinate = new boolean[w];
            for (int i = 0; i < dims.size(); i++) {
                Arrays.fill(heldCoordinate, start[i], start[i] + size[i], categorical[i]);
            }
        }

        int width() {
            return heldCoordinate.length;
        }

        /** Whether coordinate j is one of a categorical's one-hot coordinates. */
        boolean isCategorical(int j) {
            return heldCoordinate[j];
        }

        double[] encode(double[] u) {
            double[] e = new double[width()];
            for (int i = 0; i < u.length; i++) {
                if (categorical[i]) {
                    e[start[i] + Math.min(size[i] - 1, (int) (u[i] * size[i]))] = 1;
                } else {
                    e[start[i]] = u[i];
                }
            }
            return e;
        }

        double[] decode(double[] e) {
            double[] u = new double[start.length];
            for (int i = 0; i < u.length; i++) {
                if (categorical[i]) {
                    int k = 0;
                    for (int c = 1; c < size[i]; c++) {
                        if (e[start[i] + c] > e[start[i] + k]) {
                            k = c;
                        }
                    }
                    u[i] = (k + 0.5) / size[i];
                } else {
                    u[i] = Math.min(1, Math.max(0, e[start[i]]));
                }
            }
            return u;
        }

        /** Uniform in the cube, a random category for each categorical. */
        double[] random(SplittableRandom rng) {
            double[] e = new double[width()];
            for (int i = 0; i < start.length; i++) {
                if (categorical[i]) {
                    e[start[i] + rng.nextInt(size[i])] = 1;
                } else {
                    e[start[i]] = rng.nextDouble();
                }
            }
            return e;
        }

        /** {@code centre} moved by N(0, sd²) in each real coordinate (clipped), each categorical redrawn with p = 0.2. */
        double[] near(double[] centre, double sd, SplittableRandom rng) {
            double[] e = centre.clone();
            for (int i = 0; i < start.length; i++) {
                if (!categorical[i]) {
                    e[start[i]] = Math.min(1, Math.max(0, e[start[i]] + sd * gaussian(rng)));
                } else if (rng.nextDouble() < 0.2) {
                    Arrays.fill(e, start[i], start[i] + size[i], 0);
                    e[start[i] + rng.nextInt(size[i])] = 1;
                }
            }
            return e;
        }

        /** {@code e} with one categorical set to another of its categories, for every categorical and category. */
        List<double[]> otherCategories(double[] e) {
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                for (int c = 0; categorical[i] && c < size[i]; c++) {
                    if (e[start[i] + c] != 1) {
                        double[] o = e.clone();
                        Arrays.fill(o, start[i], start[i] + size[i], 0);
                        o[start[i] + c] = 1;
                        out.add(o);
                    }
                }
            }
            return out;
        }

        private static double gaussian(SplittableRandom rng) {
            return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
        }
    }
}
