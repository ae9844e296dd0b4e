package descent.optim;

import descent.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of the weights (Polyak averaging), as {@code torch.optim.swa_utils.AveragedModel}
 * with an EMA {@code avg_fn} or timm's {@code ModelEmaV2}: call {@link #update} after each optimizer step, and
 * evaluate on the average, which is often better than the last weights.
 *
 * <pre>
 * avg &larr; p                                         at the first update
 * avg &larr; d &middot; avg + (1 &minus; d) &middot; p                afterwards
 * d = decay                                       or, with warmup, d_t = min(decay, (1 + t) / (10 + t))
 * </pre>
 *
 * where {@code t} = 1, 2, ... is the number of updates before this one (TensorFlow's {@code
 * ExponentialMovingAverage(num_updates=...)}, timm's early warmup): early averages forget the random start faster.
 *
 * <pre>{@code
 * Ema ema = new Ema(0.999);
 * for (int t = 0; t < T; t++) { opt.step(w, gradientOf(w)); ema.update(w); }
 * ema.swapInto(w);   evaluate(w);   ema.swapInto(w);    // evaluate on the average, then back to training
 * }</pre>
 *
 * <p>One Ema averages one array (a model's flat {@code params()}). State: {@code avg} and the update count {@code
 * n_averaged} (torch's name), both in {@link #stateDict()}. Besides the average the Ema keeps one work array of the
 * same size, created at the first update after the first (or the first swap) and reused, so neither {@link #update}
 * nor {@link #swapInto} allocates after that.
 */
public final class Ema {

    private static final String OWNER = "Ema";

    private final double decay;
    private final boolean warmup;
    private INDArray avg;
    private INDArray work;
    private long updates;
    private INDArray swappedWith;     // the array whose contents avg now holds, or null

    /**
     * An EMA with a constant {@code decay}.
     *
     * @throws IllegalArgumentException if {@code decay} is not in [0, 1)
     */
    public Ema(double decay) {
        this(decay, false);
    }

    /**
     * An EMA with {@code decay}, and with {@code warmup} the decay {@code min(decay, (1 + t) / (10 + t))} at the
     * update after {@code t} updates.
     *
     * @throws IllegalArgumentException if {@code decay} is not in [0, 1)
     */
    public Ema(double decay, boolean warmup) {
        if (!(decay >= 0 && decay < 1)) {      // also NaN
            throw new IllegalArgumentException(OWNER + ": decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.warmup = warmup;
    }

    /** The decay given to the constructor. */
    public double decay() {
        return decay;
    }

    /** Whether the decay warms up. */
    public boolean warmup() {
        return warmup;
    }

    /** The number of updates so far (torch's {@code n_averaged}). */
    public long count() {
        return updates;
    }

    /** The decay the next update uses (the first update copies and uses none). */
    public double nextDecay() {
        return warmup ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    /**
     * Folds {@code params} into the average: a copy at the first update, else {@code avg <- d avg + (1 - d) params}.
     *
     * @throws IllegalArgumentException if {@code params} is null, not floating point, or of another shape or type
     *     than the average
     * @throws IllegalStateException while the average is swapped into an array ({@link #swapInto})
     */
    public void update(INDArray params) {
        check("update", params);
        if (swappedWith != null) {
            throw new IllegalStateException(OWNER + ".update: the average is swapped into the parameters; call"
                    + " swapInto again to swap back first");
        }
        if (avg == null) {
            avg = params.dup();
            updates = 1;
            return;
        }
        double d = nextDecay();
        INDArray w = work();
        w.assign(params).muli(1 - d);
        avg.muli(d).addi(w);
        updates++;
    }

    /**
     * The average: the Ema's own array (not a copy), changed by later updates and swaps; do not modify it.
     *
     * @throws IllegalStateException before the first update, or while swapped
     */
    public INDArray average() {
        requireAverage("average");
        if (swappedWith != null) {
            throw new IllegalStateException(OWNER + ".average: the average is swapped into the parameters; call"
                    + " swapInto again to swap back first");
        }
        return avg;
    }

    /**
     * Swaps the contents of {@code params} and the average: afterwards {@code params} holds the average and the Ema
     * the former parameters; a second call with the same array swaps back. No allocation after the first swap.
     * While swapped, {@link #update}, {@link #average} and {@link #stateDict} refuse.
     *
     * @throws IllegalArgumentException if {@code params} does not fit the average, or (while swapped) is not the
     *     array the average was swapped into
     * @throws IllegalStateException before the first update
     */
    public void swapInto(INDArray params) {
        check("swapInto", params);
        requireAverage("swapInto");
        if (swappedWith != null && swappedWith != params) {
            throw new IllegalArgumentException(OWNER + ".swapInto: the average is swapped into another array;"
                    + " swap back with that array first");
        }
        INDArray w = work();
        w.assign(params);
        params.assign(avg);
        avg.assign(w);
        swappedWith = swappedWith == null ? params : null;
    }

    /** Whether the average is swapped into an array now. */
    public boolean swapped() {
        return swappedWith != null;
    }

    /** Forgets the average, as if no update had been made. */
    public void reset() {
        if (swappedWith != null) {
            throw new IllegalStateException(OWNER + ".reset: the average is swapped into the parameters; call"
                    + " swapInto again to swap back first");
        }
        avg = null;
        work = null;
        updates = 0;
    }

    /**
     * {@code avg} (a copy) and {@code n_averaged} (a one-element array); empty before the first update.
     *
     * @throws IllegalStateException while swapped
     */
    public Map<String, INDArray> stateDict() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        if (swappedWith != null) {
            throw new IllegalStateException(OWNER + ".stateDict: the average is swapped into the parameters; call"
                    + " swapInto again to swap back first");
        }
        if (avg != null) {
            m.put("avg", avg.dup());
            m.put("n_averaged", Nd4j.createFromArray((double) updates));
        }
        return m;
    }

    /**
     * Replaces the state by {@code state} (as {@link #stateDict()} returned it; copied); an empty map forgets it.
     *
     * @throws IllegalArgumentException naming the entry when a key is missing or unknown, {@code avg} is not a
     *     floating-point array or {@code n_averaged} not one whole number >= 1 (then nothing changes)
     * @throws IllegalStateException while swapped
     */
    public void loadStateDict(Map<String, INDArray> state) {
        String where = OWNER + ".loadStateDict";
        Checks.notNull(where, "state", state);
        if (swappedWith != null) {
            throw new IllegalStateException(where + ": the average is swapped into the parameters; call"
                    + " swapInto again to swap back first");
        }
        if (state.isEmpty()) {
            reset();
            return;
        }
        for (String key : state.keySet()) {
            if (!key.equals("avg") && !key.equals("n_averaged")) {
                throw new IllegalArgumentException(where + ": unknown state '" + key + "'; the state is [avg,"
                        + " n_averaged]");
            }
        }
        INDArray a = state.get("avg");
        INDArray n = state.get("n_averaged");
        if (a == null || n == null) {
            throw new IllegalArgumentException(where + ": lacks state '" + (a == null ? "avg" : "n_averaged") + "'");
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(where + ": state 'avg' must be floating point, got " + a.dataType());
        }
        double c = n.length() == 1 ? n.castTo(DataType.DOUBLE).getDouble(0) : Double.NaN;
        if (!(c >= 1 && c == Math.rint(c))) {
            throw new IllegalArgumentException(where + ": state 'n_averaged' must be one whole number >= 1, got " + n);
        }
        avg = a.dup();
        work = null;
        updates = (long) c;
    }

    private INDArray work() {
        if (work == null) {
            work = Nd4j.createUninitialized(avg.dataType(), avg.shape());
        }
        return work;
    }

    private void requireAverage(String what) {
        if (avg == null) {
            throw new IllegalStateException(OWNER + "." + what + ": no average yet (call update first)");
        }
    }

    private void check(String what, INDArray params) {
        Checks.notNull(OWNER + "." + what, "params", params);
        if (!params.dataType().isFPType()) {
            throw new IllegalArgumentException(OWNER + "." + what + ": params must be floating point, got "
                    + params.dataType());
        }
        if (avg != null) {
            Checks.sameShape(OWNER + "." + what, "params", params, "average", avg);
            if (params.dataType() != avg.dataType()) {
                throw new IllegalArgumentException(OWNER + "." + what + ": params (" + params.dataType()
                        + ") and the average (" + avg.dataType() + ") must have the same data type");
            }
        }
    }

    @Override
    public String toString() {
        return "Ema(decay=" + decay + (warmup ? ", warmup" : "") + ", n_averaged=" + updates + ")";
    }
}
