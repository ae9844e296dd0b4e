package descent.regularize;

import descent.Checks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Early stopping on a monitored metric, with a copy of the best weights.
 *
 * <pre>
 * after each epoch:  update(epoch, value, weights)
 *   improved  =  value &lt; best - minDelta      (Mode.MIN, e.g. validation loss)
 *                value &gt; best + minDelta      (Mode.MAX, e.g. validation accuracy)
 *   improved:      best = value, bestEpoch = epoch, copy the weights, wait = 0
 *   otherwise:     wait = wait + 1              (a NaN value never improves)
 *   shouldStop()  =  wait &gt;= patience
 * </pre>
 *
 * The first update always improves (best starts at +-infinity). This is the rule of Keras'
 * {@code EarlyStopping} and Lightning's {@code EarlyStopping}; defaults as Lightning: {@code patience = 3},
 * {@code minDelta = 0}. {@link #restoreBest(Map)} copies the best epoch's weights back into the live
 * arrays and returns that epoch.
 *
 * <pre>{@code
 * EarlyStopping stop = EarlyStopping.minimize("val_loss").patience(5).minDelta(1e-4);
 * for (int epoch = 1; epoch <= 100 && !stop.shouldStop(); epoch++) {
 *     ... train one epoch ...
 *     stop.update(epoch, valLoss, model.parameters());
 * }
 * int best = stop.restoreBest(model.parameters());
 * }</pre>
 */
public final class EarlyStopping {

    /** Whether smaller (MIN) or larger (MAX) values of the metric are better. */
    public enum Mode { MIN, MAX }

    private final String metric;
    private final Mode mode;
    private int patience = 3;
    private double minDelta = 0.0;

    private double best;
    private int bestEpoch = -1;
    private int wait;
    private Map<String, INDArray> bestWeights;

    /**
     * @param metric name of the monitored metric (used by {@link #update(int, Map, Map)} and in messages)
     * @param mode   MIN or MAX
     */
    public EarlyStopping(String metric, Mode mode) {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("EarlyStopping: metric name must not be empty");
        }
        if (mode == null) {
            throw new IllegalArgumentException("EarlyStopping: mode must be MIN or MAX, got null");
        }
        this.metric = metric;
        this.mode = mode;
        reset();
    }

    /** Monitor a metric where smaller is better (a loss). */
    public static EarlyStopping minimize(String metric) {
        return new EarlyStopping(metric, Mode.MIN);
    }

    /** Monitor a metric where larger is better (an accuracy). */
    public static EarlyStopping maximize(String metric) {
        return new EarlyStopping(metric, Mode.MAX);
    }

    /** Epochs without improvement after which {@link #shouldStop()} turns true; >= 1. Default 3. */
    public EarlyStopping patience(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 1, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    /** Smallest change that counts as an improvement; finite and >= 0. Default 0. */
    public EarlyStopping minDelta(double minDelta) {
        this.minDelta = Checks.nonNegative("EarlyStopping", "minDelta", minDelta);
        return this;
    }

    /** Forgets the best value, epoch, weights and the wait counter. */
    public EarlyStopping reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        bestEpoch = -1;
        wait = 0;
        bestWeights = null;
        return this;
    }

    /**
     * Records one epoch's metric; if it improved, copies {@code weights}. Returns whether it improved.
     *
     * @param weights the live parameters; copied (deeply) on improvement, never modified
     */
    public boolean update(int epoch, double value, Map<String, INDArray> weights) {
        if (weights == null) {
            throw new IllegalArgumentException("EarlyStopping: weights must not be null");
        }
        boolean improved = mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            Map<String, INDArray> copy = new LinkedHashMap<>();
            weights.forEach((name, w) -> {
                if (w == null) {
                    throw new IllegalArgumentException("EarlyStopping: weight '" + name + "' is null");
                }
                copy.put(name, w.dup());
            });
            bestWeights = copy;
        } else {
            wait++;
        }
        return improved;
    }

    /** Like {@link #update(int, double, Map)}, taking the monitored metric out of {@code metrics} by name. */
    public boolean update(int epoch, Map<String, Double> metrics, Map<String, INDArray> weights) {
        if (metrics == null || !metrics.containsKey(metric) || metrics.get(metric) == null) {
            throw new IllegalArgumentException("EarlyStopping: monitored metric '" + metric
                    + "' not found; metrics given: " + (metrics == null ? "null" : metrics.keySet()));
        }
        return update(epoch, metrics.get(metric), weights);
    }

    /** True once {@code patience} consecutive updates brought no improvement. */
    public boolean shouldStop() {
        return wait >= patience;
    }

    /**
     * Copies the best epoch's weights into {@code weights} (in place, array by array) and returns that epoch.
     * The map must hold the same names and shapes as the ones given to {@link #update}.
     */
    public int restoreBest(Map<String, INDArray> weights) {
        if (bestWeights == null) {
            throw new IllegalStateException("EarlyStopping: no improvement recorded yet, nothing to restore");
        }
        Checks.sameKeys("EarlyStopping", "weights", weights, "saved best weights", bestWeights);
        bestWeights.forEach((name, saved) -> { // check all before touching any
            INDArray target = weights.get(name);
            Checks.notNull("EarlyStopping", "weight '" + name + "'", target);
            Checks.sameShape("EarlyStopping", "weight '" + name + "'", target, "saved", saved);
        });
        bestWeights.forEach((name, saved) -> weights.get(name).assign(saved));
        return bestEpoch;
    }

    /** A read-only view of the saved copies (null before the first improvement). */
    public Map<String, INDArray> bestWeights() {
        return bestWeights == null ? null : Collections.unmodifiableMap(bestWeights);
    }

    /** Epoch of the best value, or -1 before any improvement. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Best value so far (+-infinity before any improvement). */
    public double bestValue() {
        return best;
    }

    /** Consecutive updates without improvement. */
    public int epochsWithoutImprovement() {
        return wait;
    }

    public String metric() {
        return metric;
    }

    public Mode mode() {
        return mode;
    }

    public int patience() {
        return patience;
    }

    public double minDelta() {
        return minDelta;
    }

    @Override
    public String toString() {
        return "EarlyStopping(" + metric + ", " + mode + ", patience=" + patience + ", minDelta=" + minDelta
                + ", bestEpoch=" + bestEpoch + ", best=" + best + ", wait=" + wait + ")";
    }
}
