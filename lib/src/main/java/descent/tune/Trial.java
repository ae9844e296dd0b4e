package descent.tune;

import java.util.Map;

/**
 * One evaluation of the objective: its number (0, 1, ...), the parameters the sampler chose, and, once it ran, its
 * state, value, error and duration. The objective reads its parameters by name:
 *
 * <pre>{@code
 * double lr = trial.getDouble("lr");
 * int hidden = trial.getInt("hidden");
 * String opt = trial.getString("optimizer");
 * }</pre>
 */
public final class Trial {

    /** Where a trial stands. */
    public enum State { RUNNING, COMPLETE, FAILED }

    private final int number;
    private final Map<String, Object> params;
    private State state = State.RUNNING;
    private double value = Double.NaN;
    private String error;
    private double seconds;

    Trial(int number, Map<String, Object> params) {
        this.number = number;
        this.params = Map.copyOf(params);
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

    /** The objective's value (NaN unless COMPLETE). */
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

    void fail(String why, double secs) {
        state = State.FAILED;
        error = why;
        seconds = secs;
    }

    @Override
    public String toString() {
        return "Trial " + number + " " + params + " " + state + (state == State.COMPLETE ? " " + value : "")
                + (error != null ? " (" + error + ")" : "");
    }
}
