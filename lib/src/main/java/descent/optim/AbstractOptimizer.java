package descent.optim;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import descent.Interrupts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base class of descent's optimizers: option handling, argument checks and the per-array state
 * map. A rule only says how to create its state ({@link #newState}) and how to apply one step
 * ({@link #update}).
 *
 * <p>To write your own rule in a notebook:
 *
 * <pre>{@code
 * class SignSgd extends AbstractOptimizer<Void> {
 *     SignSgd(double lr) { super("sign_sgd", Map.of("lr", 0.01), Map.of("lr", lr)); }
 *     protected Void newState(INDArray p) { return null; }
 *     protected void update(INDArray p, INDArray g, Void s) {
 *         p.subi(Transforms.sign(g).muli(lr()));   // p <- p - lr * sign(g)
 *     }
 * }
 * }</pre>
 *
 * <p>State is explicit and exportable: the per-array state class {@code S} holds public fields (arrays and
 * counters), and {@link #stateDict} / {@link #loadStateDict} read and write them by name (the field name in
 * snake case, e.g. {@code expAvgSq} becomes {@code exp_avg_sq}, torch's name). Temporaries a rule needs during a
 * step come from {@link #scratch}, allocated at the first step of an array and reused after, so a step allocates
 * no new arrays.
 *
 * <p>The notebook's stop button: {@link #step} first checks {@link Interrupts#requested()} and throws
 * {@link Interrupts.StopRequested} before it changes anything, so a training loop written in a notebook stops at
 * its next step with consistent parameters.
 *
 * @param <S> the per-array state
 */
public abstract class AbstractOptimizer<S> implements Optimizer {

    private final String name;
    private final Map<String, Double> options;
    private final Map<INDArray, S> states = new IdentityHashMap<>();
    private final Map<INDArray, INDArray[]> scratch = new IdentityHashMap<>();

    /**
     * @param name registry name, used in error messages
     * @param defaults every valid option key with its default value (must contain {@code lr})
     * @param given user options overriding the defaults; unknown keys are rejected
     */
    protected AbstractOptimizer(String name, Map<String, Double> defaults,
            Map<String, Double> given) {
        this.name = name;
        this.options = Options.merge(name, defaults, given);
        if (!options.containsKey("lr")) {
            throw new IllegalStateException(name + ": defaults must contain 'lr'");
        }
    }

    /** Creates the (zero) state of a parameter array seen for the first time. */
    protected abstract S newState(INDArray params);

    /**
     * Applies one step to {@code params} in place. {@code grad} has been checked (same shape and
     * type as {@code params}, finite) and must not be modified.
     */
    protected abstract void update(INDArray params, INDArray grad, S state);

    /** The value of an option (its default unless overridden). */
    protected final double option(String key) {
        Double v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no option '" + key + "'; options are "
                    + options.keySet());
        }
        return v;
    }

    @Override
    public final void step(INDArray params, INDArray grad) {
        Interrupts.throwIfRequested(name + " step, before it changed anything");
        Options.checkStep(name, params, grad);
        S state = states.get(params);
        if (state == null) {
            state = newState(params);
            states.put(params, state);
        }
        update(params, grad, state);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final double lr() {
        return options.get("lr");
    }

    @Override
    public Optimizer setLr(double lr) {
        Options.check(name, "lr", lr);
        options.put("lr", lr);
        return this;
    }

    @Override
    public final Map<String, Double> options() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public final void reset() {
        states.clear();
        scratch.clear();
    }

    /**
     * Scratch array number {@code slot} (0, 1, 2, ...) for steps on {@code params}: same shape and type, contents
     * undefined, created once and reused by every later step on that array.
     */
    protected final INDArray scratch(INDArray params, int slot) {
        INDArray[] s = scratch.computeIfAbsent(params, p -> new INDArray[4]);
        if (s[slot] == null) {
            s[slot] = Nd4j.createUninitialized(params.dataType(), params.shape());
        }
        return s[slot];
    }

    /** {@code grad + weightDecay * params} in scratch slot 0 (torch's coupled L2); {@code grad} itself if 0. */
    protected final INDArray withWeightDecay(INDArray params, INDArray grad, double weightDecay) {
        if (weightDecay == 0) {
            return grad;
        }
        return scratch(params, 0).assign(params).muli(weightDecay).addi(grad);
    }

    @Override
    public final List<Map<String, INDArray>> stateDict(List<INDArray> params) {
        List<Map<String, INDArray>> out = new ArrayList<>();
        for (INDArray p : params) {
            S s = states.get(p);
            Map<String, INDArray> m = new LinkedHashMap<>();
            if (s != null) {
                for (Field f : stateFields(s)) {
                    Object v = get(f, s);
                    if (v instanceof INDArray a) {
                        m.put(snake(f.getName()), a.dup());
                    } else if (v instanceof Number n) {
                        m.put(snake(f.getName()), Nd4j.createFromArray(n.doubleValue()));
                    }
                }
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public final void loadStateDict(List<INDArray> params, List<Map<String, INDArray>> state) {
        if (params.size() != state.size()) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + params.size() + " parameter arrays but "
                    + state.size() + " states");
        }
        List<S> loaded = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            INDArray p = params.get(i);
            Map<String, INDArray> m = state.get(i);
            if (m.isEmpty()) {
                loaded.add(null);
                continue;
            }
            S s = newState(p);
            Map<String, Field> fields = new LinkedHashMap<>();
            for (Field f : stateFields(s)) {
                fields.put(snake(f.getName()), f);
            }
            for (String key : m.keySet()) {
                if (!fields.containsKey(key)) {
                    throw new IllegalArgumentException(name + ".loadStateDict: array " + i + " has state '" + key
                            + "', which " + name + " does not keep; its state is " + fields.keySet());
                }
            }
            for (Map.Entry<String, Field> e : fields.entrySet()) {
                INDArray v = m.get(e.getKey());
                Field f = e.getValue();
                if (v == null) {
                    if (f.getType() == INDArray.class && get(f, s) == null) {
                        continue;    // optional state (e.g. a momentum buffer before its first use)
                    }
                    throw new IllegalArgumentException(name + ".loadStateDict: array " + i + " lacks state '"
                            + e.getKey() + "'");
                }
                set(f, s, v, p, i, e.getKey());
            }
            loaded.add(s);
        }
        for (int i = 0; i < params.size(); i++) {      // all checked: now replace
            if (loaded.get(i) == null) {
                states.remove(params.get(i));
            } else {
                states.put(params.get(i), loaded.get(i));
            }
        }
    }

    private List<Field> stateFields(S s) {
        List<Field> fs = new ArrayList<>();
        if (s == null) {
            return fs;     // a rule without state (plain SGD)
        }
        for (Field f : s.getClass().getFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod)) {
                fs.add(f);
            }
        }
        return fs;
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private void set(Field f, S s, INDArray v, INDArray p, int i, String key) {
        try {
            Class<?> t = f.getType();
            if (t == INDArray.class) {
                if (!Arrays.equals(v.shape(), p.shape())) {
                    throw new IllegalArgumentException(name + ".loadStateDict: state '" + key + "' of array " + i
                            + " has shape " + Arrays.toString(v.shape()) + ", the parameters "
                            + Arrays.toString(p.shape()));
                }
                INDArray a = (INDArray) f.get(s);
                if (a == null) {
                    a = Nd4j.createUninitialized(p.dataType(), p.shape());
                    f.set(s, a);
                }
                a.assign(v.dataType() == a.dataType() ? v : v.castTo(a.dataType()));
                return;
            }
            if (v.length() != 1) {
                throw new IllegalArgumentException(name + ".loadStateDict: state '" + key + "' of array " + i
                        + " must be one number, got shape " + Arrays.toString(v.shape()));
            }
            double d = v.castTo(DataType.DOUBLE).getDouble(0);
            if (t == int.class) {
                f.setInt(s, (int) d);
            } else if (t == long.class) {
                f.setLong(s, (long) d);
            } else if (t == double.class) {
                f.setDouble(s, d);
            } else {
                throw new IllegalStateException(name + ": state field " + f.getName() + " has unsupported type " + t);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code expAvgSq} → {@code exp_avg_sq}. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The state of {@code params}, or null before its first step (for tests and plots). */
    public final S state(INDArray params) {
        return states.get(params);
    }

    @Override
    public String toString() {
        return name + options;
    }
}
