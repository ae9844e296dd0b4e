package descent.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One evaluation of the objective: its number (0, 1, ...), the parameters the sampler chose, and, once it ran, its
 * state, value, error and duration. The objective reads its parameters by name:
 *
 * <pre>{@code
 * double lr = trial.getDouble("lr");
 * int hidden = trial.getInt("hidden");
 * String opt = trial.getString("optimizer");
 * }</pre>
 *
 * A long objective (a training run) reports its progress so that the study's pruner can stop a hopeless trial early:
 *
 * <pre>{@code
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     double loss = trainOneEpoch();
 *     trial.report(epoch, loss);
 *     if (trial.shouldPrune()) {
 *         throw new Trial.Pruned();
 *     }
 * }
 * }</pre>
 */
public final class Trial {

    /** Where a trial stands. */
    public enum State { RUNNING, COMPLETE, PRUNED, FAILED }

    /**
     * Thrown by an objective to end its trial early because {@link #shouldPrune()} said so; the trial becomes PRUNED
     * with its last reported value.
     */
    public static final class Pruned extends RuntimeException {
        public Pruned() {
            super("pruned", null, false, false);
        }
    }

    private final int number;
    private final Map<String, Object> params;
    // written by the study under its lock, read from any thread
    private volatile State state = State.RUNNING;
    private volatile double value = Double.NaN;
    private volatile String error;
    private volatile double seconds;
    private final SortedMap<Integer, Double> intermediate = Collections.synchronizedSortedMap(new TreeMap<>());
    private volatile Study study;

    Trial(int number, Map<String, Object> params) {
        this.number = number;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));   // in the space's order
    }

    public int number() {
        return number;
    }

    /** The parameters, by dimension name (Double, Integer or String values). */
    public Map<String, Object> params() {
        return params;
    }

    public State state() {
        return state;
    }

    /** The objective's value (NaN unless COMPLETE; a PRUNED trial's last reported value). */
    public double value() {
        return value;
    }

    /** Why the trial failed (null unless FAILED). */
    public String error() {
        return error;
    }

    /** Wall-clock seconds the objective took. */
    public double seconds() {
        return seconds;
    }

    /**
     * Records the objective's value after {@code step} (an epoch, a number of examples) so that the pruner can compare
     * trials at equal steps. A step reported twice keeps the later value; a NaN or infinite value is refused.
     */
    public void report(int step, double value) {
        if (step < 0) {
            throw new IllegalArgumentException("trial " + number + ": step must be >= 0, got " + step);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("trial " + number + ": reported " + value + " at step " + step);
        }
        intermediate.put(step, value);
        Study s = study;
        if (s != null) {
            s.reported(this, step, value);
        }
    }

    /** The values reported so far, by step. */
    public SortedMap<Integer, Double> intermediateValues() {
        synchronized (intermediate) {
            return Collections.unmodifiableSortedMap(new TreeMap<>(intermediate));
        }
    }

    /** The last reported step, or -1 when nothing was reported. */
    public int lastStep() {
        synchronized (intermediate) {
            return intermediate.isEmpty() ? -1 : intermediate.lastKey();
        }
    }

    /**
     * Whether the study's pruner stops this trial now, judging by its last report (false without a pruner). Ask once
     * after each report: successive halving judges a trial once per rung, so asking again at the same step may say
     * false where the first answer was true.
     */
    public boolean shouldPrune() {
        Study s = study;
        return s != null && lastStep() >= 0 && s.shouldPrune(this);
    }

    /** A real or integer parameter as a double. */
    public double getDouble(String name) {
        Object v = get(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("parameter '" + name + "' is the category '" + v + "', not a number; "
                + "use getString");
    }

    /** An integer parameter. */
    public int getInt(String name) {
        Object v = get(name);
        if (v instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException("parameter '" + name + "' is " + v + ", not an integer dimension; use "
                + (v instanceof String ? "getString" : "getDouble"));
    }

    /** A categorical parameter. */
    public String getString(String name) {
        Object v = get(name);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("parameter '" + name + "' is the number " + v + ", not a category; use "
                + (v instanceof Integer ? "getInt" : "getDouble"));
    }

    private Object get(String name) {
        Object v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("trial " + number + " has no parameter '" + name + "'; it has "
                    + params.keySet());
        }
        return v;
    }

    void complete(double v, double secs) {
        state = State.COMPLETE;
        value = v;
        seconds = secs;
    }

    void attach(Study s) {
        study = s;
    }

    void prune(double secs) {
        state = State.PRUNED;
        synchronized (intermediate) {
            value = intermediate.isEmpty() ? Double.NaN : intermediate.get(intermediate.lastKey());
        }
        seconds = secs;
    }

    void fail(String why, double secs) {
        state = State.FAILED;
        error = why;
        seconds = secs;
    }

    @Override
    public String toString() {
        return "Trial " + number + " " + params + " " + state
                + (state == State.COMPLETE || state == State.PRUNED ? " " + value : "")
                + (error != null ? " (" + error + ")" : "");
    }
}
