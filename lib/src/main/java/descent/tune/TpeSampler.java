package descent.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and K&eacute;gl 2011, "Algorithms for
 * Hyper-Parameter Optimization"), as Optuna 3.1's {@code TPESampler} with its defaults.
 *
 * <pre>
 * observations  the COMPLETE and PRUNED trials (RUNNING and FAILED ones are left out); n of them
 * startup       while n &lt; 10: every dimension uniform at random (as the random sampler)
 * rank          COMPLETE trials by value (best first), then PRUNED ones: later last step first, then by their
 *               value at that step; a PRUNED trial that reported nothing comes last
 * split         the best gamma(n) = min(ceil(n / 10), 25) are "below", the rest "above" (each kept in trial order)
 * model         l(x) = Parzen estimator of the below trials' positions, g(x) = of the above trials' (the class
 *               ParzenEstimator: truncated normals on [0, 1] (log scale for log dimensions), integers as cells,
 *               categories by weighted counts, each with a prior component; Optuna 3.1's bandwidths and scores)
 * propose       draw 24 candidates from l (integers and categories rounded to their values); take the one with the
 *               largest log l(x) - log g(x) (the first on ties): in Bergstra 2011 the expected improvement grows
 *               with l(x) / g(x)
 * </pre>
 *
 * <p>Univariate by default (Optuna's default): every dimension has its own l and g and its own 24 candidates.
 * {@link #TpeSampler(long, boolean) multivariate} (Optuna's {@code multivariate=True}) models all dimensions jointly:
 * one mixture whose components span every dimension (bandwidth by Scott's rule), the candidates drawn and scored as
 * whole points. A categorical dimension with one category always gets it and takes no part in the model.
 *
 * <p>Pruned trials count as Optuna counts them: ranked after the complete ones, by how far they got and their last
 * reported value. State: the random generator.
 */
public final class TpeSampler implements Sampler {

    /** Trials observed before the model is used (random search until then). */
    public static final int N_STARTUP_TRIALS = 10;
    /** Candidates drawn from l(x) per proposal. */
    public static final int N_EI_CANDIDATES = 24;

    private final SplittableRandom rng;
    private final boolean multivariate;

    /** A univariate TPE sampler (Optuna's default). */
    public TpeSampler(long seed) {
        this(seed, false);
    }

    /** A TPE sampler; {@code multivariate} models the dimensions jointly (Optuna's {@code multivariate=True}). */
    public TpeSampler(long seed, boolean multivariate) {
        this.rng = new SplittableRandom(seed);
        this.multivariate = multivariate;
    }

    /** Whether the dimensions are modelled jointly. */
    public boolean isMultivariate() {
        return multivariate;
    }

    @Override
    public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
        List<Trial> ranked = ranked(trials, minimize);
        int n = ranked.size();
        if (n < N_STARTUP_TRIALS) {
            return space.random(rng);
        }
        Comparator<Trial> byNumber = Comparator.comparingInt(Trial::number);
        List<Trial> below = new ArrayList<>(ranked.subList(0, gamma(n)));
        List<Trial> above = new ArrayList<>(ranked.subList(gamma(n), n));
        below.sort(byNumber);
        above.sort(byNumber);
        Map<String, Object> p = new LinkedHashMap<>();
        List<Space.Dimension> modelled = new ArrayList<>();
        for (Space.Dimension d : space.dimensions()) {
            if (d.kind() == Space.Kind.CATEGORICAL && d.categories().size() == 1) {
                p.put(d.name(), d.categories().get(0));
            } else if (multivariate) {
                modelled.add(d);
            } else {
                p.putAll(propose(List.of(d), below, above));
            }
        }
        if (!modelled.isEmpty()) {
            p.putAll(propose(modelled, below, above));
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Space.Dimension d : space.dimensions()) {
            ordered.put(d.name(), p.get(d.name()));
        }
        return ordered;
    }

    /** The best of {@link #N_EI_CANDIDATES} candidates from l(x) for {@code dims}, by log l(x) - log g(x). */
    private Map<String, Object> propose(List<Space.Dimension> dims, List<Trial> below, List<Trial> above) {
        List<ParzenEstimator.Coordinate> kinds = dims.stream().map(TpeSampler::coordinate).toList();
        ParzenEstimator l = new ParzenEstimator(kinds, positions(dims, below), multivariate);
        ParzenEstimator g = new ParzenEstimator(kinds, positions(dims, above), multivariate);
        Map<String, Object> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double[] x : l.sample(rng, N_EI_CANDIDATES)) {
            Map<String, Object> candidate = new LinkedHashMap<>();
            double[] rounded = new double[dims.size()];
            for (int j = 0; j < dims.size(); j++) {
                Space.Dimension d = dims.get(j);
                Object value = d.kind() == Space.Kind.CATEGORICAL ? d.categories().get((int) x[j]) : d.at(x[j]);
                candidate.put(d.name(), value);
                rounded[j] = position(d, value);
            }
            double score = l.logPdf(rounded) - g.logPdf(rounded);
            if (best == null || score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * What the univariate sampler compares for one numeric dimension, for plotting: the trials split as
     * {@link #sample} splits them (the best {@link #gamma} of them are "good"), and at {@code points} positions
     * evenly spaced in [0, 1] of the dimension (its own scale: log for log dimensions) the rows {@code value} (the
     * dimension's value there), {@code log l} (the good trials' Parzen score) and {@code log g} (the others'). The
     * sampler draws candidates from l and keeps the one with the largest {@code log l - log g}. The scores are
     * Optuna 3.1's (see {@link ParzenEstimator}). Needs at least {@link #N_STARTUP_TRIALS} observed trials.
     */
    public static double[][] scores(Space space, List<Trial> trials, boolean minimize, String dimension, int points) {
        Space.Dimension d = space.dimension(dimension);
        if (d.kind() == Space.Kind.CATEGORICAL) {
            throw new IllegalArgumentException("TpeSampler.scores: '" + dimension + "' is categorical; pick a numeric"
                    + " dimension");
        }
        if (points < 2) {
            throw new IllegalArgumentException("TpeSampler.scores: points must be >= 2, got " + points);
        }
        List<Trial> ranked = ranked(trials, minimize);
        if (ranked.size() < N_STARTUP_TRIALS) {
            throw new IllegalArgumentException("TpeSampler.scores: " + ranked.size() + " observed trials; TPE models"
                    + " the objective from " + N_STARTUP_TRIALS + " on");
        }
        int good = gamma(ranked.size());
        List<Trial> below = new ArrayList<>(ranked.subList(0, good));
        List<Trial> above = new ArrayList<>(ranked.subList(good, ranked.size()));
        below.sort(Comparator.comparingInt(Trial::number));   // the order sample() gives them (weights ramp by age)
        above.sort(Comparator.comparingInt(Trial::number));
        var kinds = List.of(coordinate(d));
        ParzenEstimator l = new ParzenEstimator(kinds, positions(List.of(d), below), false);
        ParzenEstimator g = new ParzenEstimator(kinds, positions(List.of(d), above), false);
        double[][] out = new double[3][points];
        for (int i = 0; i < points; i++) {
            double u = (double) i / (points - 1);
            Object value = d.at(u);
            double[] x = {position(d, value)};
            out[0][i] = ((Number) value).doubleValue();
            out[1][i] = l.logPdf(x);
            out[2][i] = g.logPdf(x);
        }
        return out;
    }

    /** Optuna's default_gamma: the size of the good group among n observations. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /**
     * The observed trials (COMPLETE and PRUNED), best first: COMPLETE ones by value; then PRUNED ones by their last
     * reported step (later first) and value there; PRUNED ones without reports last. Ties keep trial order.
     */
    static List<Trial> ranked(List<Trial> trials, boolean minimize) {
        record Key(Trial trial, double step, double value) {
        }
        double sign = minimize ? 1 : -1;
        List<Key> keys = new ArrayList<>();
        for (Trial t : trials) {
            if (t.state() == Trial.State.COMPLETE) {
                keys.add(new Key(t, Double.NEGATIVE_INFINITY, sign * t.value()));
            } else if (t.state() == Trial.State.PRUNED) {
                var reports = t.intermediateValues();
                keys.add(reports.isEmpty() ? new Key(t, 1, 0)
                        : new Key(t, -reports.lastKey(), sign * reports.get(reports.lastKey())));
            }
        }
        keys.sort(Comparator.comparingDouble(Key::step).thenComparingDouble(Key::value));
        return keys.stream().map(Key::trial).toList();
    }

    /** How the Parzen estimator sees a dimension. */
    static ParzenEstimator.Coordinate coordinate(Space.Dimension d) {
        return switch (d.kind()) {
            case CATEGORICAL -> ParzenEstimator.Coordinate.categorical(d.categories().size());
            case INTEGER -> ParzenEstimator.Coordinate.cells((int) (d.hi() - d.lo() + 1));
            default -> ParzenEstimator.Coordinate.continuous();
        };
    }

    /**
     * A value's coordinate for the estimator: its position in [0, 1] ({@link Space.Dimension#unit}; for a
     * log-integer, log of the value itself rather than its cell's middle, as Optuna), or its category index.
     */
    static double position(Space.Dimension d, Object value) {
        return switch (d.kind()) {
            case CATEGORICAL -> d.categories().indexOf(value);
            case LOG_INTEGER -> {
                double l = Math.log(d.lo() - 0.5);
                yield (Math.log((Integer) value) - l) / (Math.log(d.hi() + 0.5) - l);
            }
            default -> d.unit(value);
        };
    }

    private static double[][] positions(List<Space.Dimension> dims, List<Trial> trials) {
        double[][] x = new double[trials.size()][dims.size()];
        for (int i = 0; i < trials.size(); i++) {
            for (int j = 0; j < dims.size(); j++) {
                x[i][j] = position(dims.get(j), trials.get(i).params().get(dims.get(j).name()));
            }
        }
        return x;
    }

    @Override
    public String name() {
        return "tpe";
    }
}
