package descent.optim;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Runs one of ND4J's built-in updaters ({@code org.nd4j.linalg.learning.config.*}, the rules
 * DL4J networks use) behind the {@link Optimizer} interface, so that it can be compared with
 * descent's PyTorch-equivalent rules.
 *
 * <p>Per array, each step does: {@code u = grad} (copied), {@code
 * updater.applyUpdater(u, iteration, 0)} (ND4J turns {@code u} into the update in place),
 * {@code p <- p - u}, {@code iteration++}. {@code iteration} counts previous steps of that array
 * (0 at the first), so ND4J's bias corrections use {@code t = iteration + 1}, as torch does.
 *
 * <p>Options use the same (PyTorch) names as {@link Optimizers#create}; the defaults are ND4J's.
 * ND4J updaters have no weight decay (DL4J applies it in the layer config).
 *
 * <h2>How ND4J 1.0.0-M2.1 differs from torch.optim 1.13 (each pinned by a test)</h2>
 * Notation as in torch's docs: {@code g} gradient, {@code t} = step (1-based), update
 * {@code p <- p - u}.
 *
 * <pre>
 * sgd       u = lr·g: same as torch SGD.  ND4J lr 1e-3 (torch: required)
 * nesterov  v &larr; μ·v − lr·g;  u = μ·v_prev − (1+μ)·v   (Sutskever/Bengio form, lr inside v)
 *           = torch SGD(nesterov=True) exactly when lr is constant; after an lr change ND4J's
 *           velocity still carries the old lr, torch's buffer does not.   ND4J lr 0.1, μ 0.9
 * adagrad   s starts at 1e-6 (AdaGradUpdater's own constant, not the eps option); s &larr; s + g²;
 *           u = lr·g/(√s + eps)  = torch Adagrad(initial_accumulator_value=1e-6). No lr_decay.
 *           ND4J lr 0.1, eps 1e-6 (torch 0.01, 1e-10)
 * rmsprop   v starts at eps (not 0); v &larr; α·v + (1−α)·g²; u = lr·g/(√v + eps)
 *           torch starts v at 0 (the difference decays like α^t; equal when eps = 0).
 *           ND4J lr 0.1, α 0.95 (torch 0.01, 0.99)
 * adadelta  no learning rate (fixed 1); otherwise = torch Adadelta(lr=1).  ND4J ρ 0.95 (torch 0.9)
 * adam      u = lr·√(1−β2^t)/(1−β1^t) · m/(√v + eps)   (eps added to the UNcorrected √v)
 *           torch: lr/(1−β1^t) · m/(√v/√(1−β2^t) + eps); so ND4J = torch with eps_t = eps/√(1−β2^t)
 *           (31.6·eps at t = 1 for β2 = 0.999, tending to eps); equal when eps = 0.
 * amsgrad   as adam with vmax = max(vmax, v): same eps placement difference.
 * adamax    n &larr; max(β2·n, |g|) + 1e-32; u = lr/(1−β1^t)·m/n. The eps option is IGNORED
 *           (torch: n &larr; max(β2·n, |g| + eps)), so ND4J = torch Adamax(eps=0).
 *           ND4J lr 1e-3 (torch 2e-3)
 * nadam     m, v as in adam; u = lr·(β1·m + (1−β1)·g)/(1−β1^t) / (√v + eps): constant μ = β1,
 *           no momentum schedule, NO bias correction of v. Not torch's NAdam for any settings.
 *           ND4J lr 1e-3 (torch 2e-3)
 * </pre>
 *
 * <p>{@link #setLr} changes the config's learning rate ({@code setLrAndSchedule(lr, null)});
 * ND4J's AdaDelta has none and throws {@link UnsupportedOperationException}.
 */
public final class Nd4jUpdater implements Optimizer {

    /** Valid options per name, with ND4J's defaults. */
    public static final Map<String, Map<String, Double>> DEFAULTS = defaults();

    private static Map<String, Map<String, Double>> defaults() {
        Map<String, Map<String, Double>> d = new LinkedHashMap<>();
        d.put("sgd", Options.ordered("lr", Sgd.DEFAULT_SGD_LR));
        d.put("nesterov", Options.ordered("lr", Nesterovs.DEFAULT_NESTEROV_LEARNING_RATE,
                "momentum", Nesterovs.DEFAULT_NESTEROV_MOMENTUM));
        d.put("adagrad", Options.ordered("lr", AdaGrad.DEFAULT_ADAGRAD_LEARNING_RATE,
                "eps", AdaGrad.DEFAULT_ADAGRAD_EPSILON));
        d.put("rmsprop", Options.ordered("lr", RmsProp.DEFAULT_RMSPROP_LEARNING_RATE,
                "alpha", RmsProp.DEFAULT_RMSPROP_RMSDECAY, "eps", RmsProp.DEFAULT_RMSPROP_EPSILON));
        d.put("adadelta", Options.ordered("rho", AdaDelta.DEFAULT_ADADELTA_RHO,
                "eps", AdaDelta.DEFAULT_ADADELTA_EPSILON));
        d.put("adam", Options.ordered("lr", Adam.DEFAULT_ADAM_LEARNING_RATE,
                "beta1", Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, "beta2", Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                "eps", Adam.DEFAULT_ADAM_EPSILON));
        d.put("amsgrad", Options.ordered("lr", AMSGrad.DEFAULT_AMSGRAD_LEARNING_RATE,
                "beta1", AMSGrad.DEFAULT_AMSGRAD_BETA1_MEAN_DECAY,
                "beta2", AMSGrad.DEFAULT_AMSGRAD_BETA2_VAR_DECAY, "eps", AMSGrad.DEFAULT_AMSGRAD_EPSILON));
        d.put("adamax", Options.ordered("lr", AdaMax.DEFAULT_ADAMAX_LEARNING_RATE,
                "beta1", AdaMax.DEFAULT_ADAMAX_BETA1_MEAN_DECAY,
                "beta2", AdaMax.DEFAULT_ADAMAX_BETA2_VAR_DECAY, "eps", AdaMax.DEFAULT_ADAMAX_EPSILON));
        d.put("nadam", Options.ordered("lr", Nadam.DEFAULT_NADAM_LEARNING_RATE,
                "beta1", Nadam.DEFAULT_NADAM_BETA1_MEAN_DECAY,
                "beta2", Nadam.DEFAULT_NADAM_BETA2_VAR_DECAY, "eps", Nadam.DEFAULT_NADAM_EPSILON));
        return Collections.unmodifiableMap(d);
    }

    /** The names {@link #of} accepts. */
    public static List<String> names() {
        return List.copyOf(DEFAULTS.keySet());
    }

    /**
     * The ND4J updater {@code name} with options given by PyTorch name ({@code alpha} is ND4J's
     * {@code rmsDecay}); unspecified options take ND4J's defaults.
     */
    public static Nd4jUpdater of(String name, Map<String, Double> options) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        Map<String, Double> defaults = DEFAULTS.get(key);
        if (defaults == null) {
            throw new IllegalArgumentException("unknown ND4J updater '" + name + "'; valid names are "
                    + DEFAULTS.keySet());
        }
        Map<String, Double> o = Options.merge("nd4j " + key, defaults, options);
        IUpdater config = switch (key) {
            case "sgd" -> new Sgd(o.get("lr"));
            case "nesterov" -> new Nesterovs(o.get("lr"), o.get("momentum"));
            case "adagrad" -> new AdaGrad(o.get("lr"), o.get("eps"));
            case "rmsprop" -> new RmsProp(o.get("lr"), o.get("alpha"), o.get("eps"));
            case "adadelta" -> {
                AdaDelta a = new AdaDelta();
                a.setRho(o.get("rho"));
                a.setEpsilon(o.get("eps"));
                yield a;
            }
            case "adam" -> new Adam(o.get("lr"), o.get("beta1"), o.get("beta2"), o.get("eps"));
            case "amsgrad" -> new AMSGrad(o.get("lr"), o.get("beta1"), o.get("beta2"), o.get("eps"));
            case "adamax" -> new AdaMax(o.get("lr"), o.get("beta1"), o.get("beta2"), o.get("eps"));
            case "nadam" -> new Nadam(o.get("lr"), o.get("beta1"), o.get("beta2"), o.get("eps"));
            default -> throw new IllegalStateException(key);
        };
        return new Nd4jUpdater("nd4j " + key, config);
    }

    private static final class State {
        final GradientUpdater<?> updater;
        final INDArray view;      // ND4J's state array (all of the updater's state, in its own layout); may be null
        int iteration;

        State(GradientUpdater<?> updater, INDArray view) {
            this.updater = updater;
            this.view = view;
        }
    }

    private State newState(INDArray params) {
        long size = config.stateSize(params.length());
        INDArray view = size == 0 ? null : Nd4j.zeros(params.dataType(), 1, size);
        return new State(config.instantiate(view, true), view);
    }

    /** Per array: {@code iteration} and, when the updater has state, {@code updater_state} (ND4J's layout). */
    @Override
    public List<Map<String, INDArray>> stateDict(List<INDArray> params) {
        List<Map<String, INDArray>> out = new java.util.ArrayList<>();
        for (INDArray p : params) {
            State s = states.get(p);
            Map<String, INDArray> m = new LinkedHashMap<>();
            if (s != null) {
                m.put("iteration", Nd4j.createFromArray((double) s.iteration));
                if (s.view != null) {
                    m.put("updater_state", s.view.dup());
                }
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public void loadStateDict(List<INDArray> params, List<Map<String, INDArray>> state) {
        if (params.size() != state.size()) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + params.size() + " parameter arrays but "
                    + state.size() + " states");
        }
        List<State> loaded = new java.util.ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Map<String, INDArray> m = state.get(i);
            if (m.isEmpty()) {
                loaded.add(null);
                continue;
            }
            State s = newState(params.get(i));
            INDArray it = m.get("iteration");
            INDArray v = m.get("updater_state");
            if (it == null || it.length() != 1 || (s.view == null) != (v == null)
                    || (v != null && v.length() != s.view.length()) || m.size() != (v == null ? 1 : 2)) {
                throw new IllegalArgumentException(name + ".loadStateDict: array " + i + " needs 'iteration'"
                        + (s.view == null ? "" : " and 'updater_state' of " + s.view.length() + " values")
                        + ", got " + m.keySet());
            }
            s.iteration = (int) it.getDouble(0);
            if (v != null) {
                s.view.assign(v.reshape(s.view.shape()).castTo(s.view.dataType()));
            }
            loaded.add(s);
        }
        for (int i = 0; i < params.size(); i++) {
            if (loaded.get(i) == null) {
                states.remove(params.get(i));
            } else {
                states.put(params.get(i), loaded.get(i));
            }
        }
    }

    private final String name;
    private final IUpdater config;
    private final Map<INDArray, State> states = new IdentityHashMap<>();
    private int lastIteration;

    /** Wraps a copy of {@code config} (later changes to {@code config} have no effect). */
    public Nd4jUpdater(IUpdater config) {
        this("nd4j " + config.getClass().getSimpleName(), config);
    }

    private Nd4jUpdater(String name, IUpdater config) {
        this.name = name;
        this.config = config.clone();
    }

    /** The wrapped ND4J configuration (a copy of the one given). */
    public IUpdater config() {
        return config;
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        Options.checkStep(name, params, grad);
        State s = states.get(params);
        long n = params.length();
        if (s == null) {
            s = newState(params);
            states.put(params, s);
        }
        INDArray update = grad.dup('c').reshape('c', 1, n);
        s.updater.applyUpdater(update, s.iteration, 0);
        lastIteration = s.iteration;
        s.iteration++;
        params.subi(update.reshape('c', params.shape()));
    }

    @Override
    public String name() {
        return name;
    }

    /** The learning rate ({@code 1.0} for AdaDelta, which has none). */
    @Override
    public double lr() {
        return config.hasLearningRate() ? config.getLearningRate(lastIteration, 0) : 1.0;
    }

    @Override
    public Optimizer setLr(double lr) {
        if (!config.hasLearningRate()) {
            throw new UnsupportedOperationException(name
                    + ": ND4J's " + config.getClass().getSimpleName() + " has no learning rate");
        }
        Options.check(name, "lr", lr);
        config.setLrAndSchedule(lr, null);
        return this;
    }

    @Override
    public Map<String, Double> options() {
        Map<String, Double> o = new LinkedHashMap<>();
        if (config instanceof Nesterovs c) {
            o.put("lr", c.getLearningRate());
            o.put("momentum", c.getMomentum());
        } else if (config instanceof AdaGrad c) {
            o.put("lr", c.getLearningRate());
            o.put("eps", c.getEpsilon());
        } else if (config instanceof RmsProp c) {
            o.put("lr", c.getLearningRate());
            o.put("alpha", c.getRmsDecay());
            o.put("eps", c.getEpsilon());
        } else if (config instanceof AdaDelta c) {
            o.put("rho", c.getRho());
            o.put("eps", c.getEpsilon());
        } else if (config instanceof Adam c) {
            putAdamLike(o, c.getLearningRate(), c.getBeta1(), c.getBeta2(), c.getEpsilon());
        } else if (config instanceof AMSGrad c) {
            putAdamLike(o, c.getLearningRate(), c.getBeta1(), c.getBeta2(), c.getEpsilon());
        } else if (config instanceof AdaMax c) {
            putAdamLike(o, c.getLearningRate(), c.getBeta1(), c.getBeta2(), c.getEpsilon());
        } else if (config instanceof Nadam c) {
            putAdamLike(o, c.getLearningRate(), c.getBeta1(), c.getBeta2(), c.getEpsilon());
        } else if (config.hasLearningRate()) {
            o.put("lr", lr());
        }
        return Collections.unmodifiableMap(o);
    }

    private static void putAdamLike(Map<String, Double> o, double lr, double b1, double b2,
            double eps) {
        o.put("lr", lr);
        o.put("beta1", b1);
        o.put("beta2", b2);
        o.put("eps", eps);
    }

    @Override
    public void reset() {
        states.clear();
        lastIteration = 0;
    }

    @Override
    public String toString() {
        return name + options();
    }
}
