package descent.optim;

import descent.Checks;
import descent.Interrupts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lookahead (Zhang, Lucas, Hinton, Ba 2019, "Lookahead Optimizer: k steps forward, 1 step back"), wrapping any inner
 * rule: the inner rule moves the "fast" weights (the parameters), and every {@code k} steps the "slow" weights move a
 * fraction {@code alpha} of the way towards them, after which the fast weights restart from the slow ones.
 *
 * <pre>
 * slow &larr; p                                   at the first step of this array, before the inner step
 * p &larr; inner.step(p, g);  t &larr; t + 1
 * if t mod k = 0:
 *     slow &larr; slow + alpha(t) &middot; (p &minus; slow)      (computed as torch.lerp, so exact at alpha = 1)
 *     p &larr; slow
 * </pre>
 *
 * <p>{@code alpha} is a constant, or a function of the array's step count {@code t} (1, 2, ...; only asked at the
 * steps where {@code t} is a multiple of {@code k}). airbench94 (Jordan 2024) uses {@code k = 5} and
 * {@code alpha(t) = 1 - 0.95^5 (t/T)^3} over {@code T} steps, and ends training on the slow weights ({@link
 * #syncSlow}):
 *
 * <pre>{@code
 * Optimizer opt = new Lookahead(Optimizers.create("nesterov", Map.of("lr", 0.2)), 5,
 *         t -> 1 - Math.pow(0.95, 5) * Math.pow((double) t / T, 3));
 * for (int t = 0; t < T; t++) { opt.step(w, gradientOf(w)); }
 * ((Lookahead) opt).syncSlow(w);
 * }</pre>
 *
 * <p>The learning rate is the inner rule's ({@link #lr()}, {@link #setLr} delegate), so a {@link
 * descent.optim.schedule.LrSchedule} drives the inner rule. {@link #options()} are the inner rule's plus {@code la_k}
 * and, for a constant alpha, {@code la_alpha} (prefixed, as rmsprop already has an option {@code alpha}).
 *
 * <p>State per array: the inner rule's, plus the slow weights {@code slow} and the step count {@code la_step}; {@link
 * #stateDict} exports all of it, so a checkpoint resumes bit for bit. A Lookahead cannot wrap another Lookahead (the
 * state names would clash).
 */
public final class Lookahead implements Optimizer {

    private static final String OWNER = "Lookahead";

    /** Per-array state. */
    private static final class State {
        /** The slow weights, same shape and type as the parameters. */
        final INDArray slow;
        /** Steps taken on this array (the inner rule's steps through this Lookahead). */
        long step;

        State(INDArray slow, long step) {
            this.slow = slow;
            this.step = step;
        }
    }

    private final Optimizer inner;
    private final int k;
    private final double alpha;                  // NaN when scheduled
    private final LongToDoubleFunction alphaAtStep;
    private final Map<INDArray, State> states = new IdentityHashMap<>();

    /**
     * Lookahead with a constant {@code alpha}.
     *
     * @throws IllegalArgumentException if {@code inner} is null or a Lookahead, {@code k < 1}, or {@code alpha} is
     *     not in (0, 1]
     */
    public Lookahead(Optimizer inner, int k, double alpha) {
        this(inner, k, checkAlpha("alpha", alpha), null);
    }

    /**
     * Lookahead whose alpha depends on the array's step count {@code t} (1-based); each value must be in (0, 1] and
     * is checked when used, before the step changes anything.
     *
     * @throws IllegalArgumentException if {@code inner} is null or a Lookahead, {@code k < 1}, or {@code alphaAtStep}
     *     is null
     */
    public Lookahead(Optimizer inner, int k, LongToDoubleFunction alphaAtStep) {
        this(inner, k, Double.NaN, Checks.notNull(OWNER, "alphaAtStep", alphaAtStep));
    }

    private Lookahead(Optimizer inner, int k, double alpha, LongToDoubleFunction alphaAtStep) {
        Checks.notNull(OWNER, "inner", inner);
        if (inner instanceof Lookahead) {
            throw new IllegalArgumentException(OWNER + ": inner must not be a Lookahead (its state names 'slow' and"
                    + " 'la_step' would clash), got " + inner.name());
        }
        this.inner = inner;
        this.k = Checks.atLeastOne(OWNER, "k", k);
        this.alpha = alpha;
        this.alphaAtStep = alphaAtStep;
    }

    private static double checkAlpha(String what, double a) {
        if (!(a > 0 && a <= 1)) {      // also NaN
            throw new IllegalArgumentException(OWNER + ": " + what + " must be in (0, 1], got " + a);
        }
        return a;
    }

    /** The alpha of the sync at step {@code t}, checked. */
    private double alphaAt(long t) {
        return alphaAtStep == null ? alpha : checkAlpha("alphaAtStep(" + t + ")", alphaAtStep.applyAsDouble(t));
    }

    /** The wrapped rule. */
    public Optimizer inner() {
        return inner;
    }

    /** Steps between syncs. */
    public int k() {
        return k;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The inner rule checks the arguments; when it refuses (or a scheduled alpha is out of range) nothing
     * changes.
     */
    @Override
    public void step(INDArray params, INDArray grad) {
        State s = states.get(params);
        long t = (s == null ? 0 : s.step) + 1;
        double a = t % k == 0 ? alphaAt(t) : Double.NaN;
        INDArray slow = s == null ? params.dup() : null;     // the slow weights start from p before this step
        inner.step(params, grad);
        if (s == null) {
            s = new State(slow, 0);
            states.put(params, s);
        }
        advance(params, s, a);
    }

    /**
     * One step of all arrays: the inner rule's {@code step(params, grads)} (so a rule that looks at all arrays
     * together, such as a hypergradient rule, still does), then each array's count and sync. All arguments are
     * checked first, so a refused step changes nothing.
     */
    @Override
    public void step(List<INDArray> params, List<INDArray> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(name() + ".step: " + params.size() + " parameter arrays but "
                    + grads.size() + " gradient arrays");
        }
        Interrupts.throwIfRequested(name() + " step, before it changed anything");
        double[] a = new double[params.size()];
        INDArray[] slow = new INDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Options.checkStep(name(), params.get(i), grads.get(i));
            State s = states.get(params.get(i));
            long t = (s == null ? 0 : s.step) + 1;
            a[i] = t % k == 0 ? alphaAt(t) : Double.NaN;
        }
        for (int i = 0; i < params.size(); i++) {
            if (!states.containsKey(params.get(i))) {
                slow[i] = params.get(i).dup();
            }
        }
        inner.step(params, grads);
        for (int i = 0; i < params.size(); i++) {
            State s = states.get(params.get(i));
            if (s == null) {
                s = new State(slow[i], 0);
                states.put(params.get(i), s);
            }
            advance(params.get(i), s, a[i]);
        }
    }

    /** Counts the step; at a multiple of k moves slow towards p by {@code a} and restarts p from slow. */
    private void advance(INDArray p, State s, double a) {
        s.step++;
        if (s.step % k != 0) {
            return;
        }
        INDArray slow = s.slow;
        // torch.lerp(slow, p, a): slow + a (p - slow) for a < 0.5, else p - (1 - a)(p - slow); in place, no temporary
        if (a < 0.5) {
            p.subi(slow).muli(a);           // p <- a (p - slow)
            slow.addi(p);
        } else {
            slow.rsubi(p).muli(1 - a);      // slow <- (1 - a)(p - slow)
            slow.rsubi(p);                  // slow <- p - (1 - a)(p - slow)
        }
        p.assign(slow);
    }

    /**
     * Copies the slow weights of {@code params} into it, e.g. to end training on the slow weights; a no-op before
     * the array's first step. The state is kept (the next steps go on from these weights).
     */
    public void syncSlow(INDArray params) {
        Checks.notNull(OWNER, "params", params);
        State s = states.get(params);
        if (s != null) {
            params.assign(s.slow);
        }
    }

    /** {@link #syncSlow(INDArray)} for each array. */
    public void syncSlow(List<INDArray> params) {
        for (INDArray p : params) {
            syncSlow(p);
        }
    }

    /** {@code "lookahead(" + inner.name() + ")"}. */
    @Override
    public String name() {
        return "lookahead(" + inner.name() + ")";
    }

    /** The inner rule's learning rate. */
    @Override
    public double lr() {
        return inner.lr();
    }

    /** Sets the inner rule's learning rate. */
    @Override
    public Optimizer setLr(double lr) {
        inner.setLr(lr);
        return this;
    }

    /** The inner rule's options, then {@code la_k} and (for a constant alpha) {@code la_alpha}. */
    @Override
    public Map<String, Double> options() {
        Map<String, Double> m = new LinkedHashMap<>(inner.options());
        m.put("la_k", (double) k);
        if (alphaAtStep == null) {
            m.put("la_alpha", alpha);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Resets the inner rule and forgets the slow weights and step counts. */
    @Override
    public void reset() {
        inner.reset();
        states.clear();
    }

    /**
     * Per array: the inner rule's state, then {@code slow} (a copy of the slow weights) and {@code la_step} (the step
     * count, a one-element array); only the inner rule's (usually empty) for an array not stepped yet.
     */
    @Override
    public List<Map<String, INDArray>> stateDict(List<INDArray> params) {
        List<Map<String, INDArray>> innerState = inner.stateDict(params);
        List<Map<String, INDArray>> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Map<String, INDArray> m = new LinkedHashMap<>(innerState.get(i));
            State s = states.get(params.get(i));
            if (s != null) {
                m.put("slow", s.slow.dup());
                m.put("la_step", Nd4j.createFromArray((double) s.step));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each map holds the inner rule's entries and either both {@code slow} and {@code la_step} or neither (then
     * that array's slow weights are forgotten; they restart at its next step).
     */
    @Override
    public void loadStateDict(List<INDArray> params, List<Map<String, INDArray>> state) {
        String where = name() + ".loadStateDict";
        if (params.size() != state.size()) {
            throw new IllegalArgumentException(where + ": " + params.size() + " parameter arrays but "
                    + state.size() + " states");
        }
        List<Map<String, INDArray>> innerState = new ArrayList<>();
        List<State> loaded = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            INDArray p = params.get(i);
            Map<String, INDArray> m = Checks.notNull(OWNER, "state " + i, state.get(i));
            Map<String, INDArray> rest = new LinkedHashMap<>(m);
            INDArray slow = rest.remove("slow");
            INDArray step = rest.remove("la_step");
            innerState.add(rest);
            if (slow == null && step == null) {
                loaded.add(null);
                continue;
            }
            if (slow == null || step == null) {
                throw new IllegalArgumentException(where + ": array " + i + " lacks state '"
                        + (slow == null ? "slow" : "la_step") + "' (both or neither)");
            }
            if (!Arrays.equals(slow.shape(), p.shape())) {
                throw new IllegalArgumentException(where + ": state 'slow' of array " + i + " has shape "
                        + Arrays.toString(slow.shape()) + ", the parameters " + Arrays.toString(p.shape()));
            }
            double t = step.length() == 1 ? step.castTo(DataType.DOUBLE).getDouble(0) : Double.NaN;
            if (!(t >= 0 && t == Math.rint(t))) {
                throw new IllegalArgumentException(where + ": state 'la_step' of array " + i
                        + " must be one whole number >= 0, got " + step);
            }
            loaded.add(new State(slow.castTo(p.dataType()).dup(), (long) t));
        }
        inner.loadStateDict(params, innerState);      // checks its part; throws before changing anything
        for (int i = 0; i < params.size(); i++) {
            if (loaded.get(i) == null) {
                states.remove(params.get(i));
            } else {
                states.put(params.get(i), loaded.get(i));
            }
        }
    }

    @Override
    public String toString() {
        return name() + options();
    }
}
