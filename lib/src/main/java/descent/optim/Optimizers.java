package descent.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Optimizers by name, with PyTorch's option names and defaults (torch 1.13).
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.create("adam");                          // torch defaults
 * Optimizer sgd  = Optimizers.create("momentum", Map.of("lr", 0.1, "momentum", 0.5));
 * Optimizer nd4j = Optimizers.nd4j("adam", Map.of("lr", 0.1));        // ND4J's own Adam
 * }</pre>
 *
 * <table>
 * <caption>Names, classes and defaults</caption>
 * <tr><th>name</th><th>class</th><th>options (defaults)</th></tr>
 * <tr><td>sgd</td><td>{@link Sgd}</td><td>lr 0.01*, weight_decay 0</td></tr>
 * <tr><td>momentum</td><td>{@link Momentum}</td><td>lr 0.01*, momentum 0.9*, weight_decay 0</td></tr>
 * <tr><td>nesterov</td><td>{@link Nesterov}</td><td>lr 0.01*, momentum 0.9*, weight_decay 0</td></tr>
 * <tr><td>adagrad</td><td>{@link Adagrad}</td><td>lr 0.01, lr_decay 0, weight_decay 0,
 *     initial_accumulator_value 0, eps 1e-10</td></tr>
 * <tr><td>rmsprop</td><td>{@link RMSprop}</td><td>lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0,
 *     momentum 0</td></tr>
 * <tr><td>adadelta</td><td>{@link Adadelta}</td><td>lr 1.0, rho 0.9, eps 1e-6, weight_decay 0</td></tr>
 * <tr><td>adam</td><td>{@link Adam}</td><td>lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8,
 *     weight_decay 0</td></tr>
 * <tr><td>amsgrad</td><td>{@link AMSGrad}</td><td>as adam</td></tr>
 * <tr><td>adamw</td><td>{@link AdamW}</td><td>as adam but weight_decay 0.01 (decoupled)</td></tr>
 * <tr><td>adamax</td><td>{@link Adamax}</td><td>lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8,
 *     weight_decay 0</td></tr>
 * <tr><td>nadam</td><td>{@link NAdam}</td><td>lr 2e-3, beta1 0.9, beta2 0.999, eps 1e-8,
 *     weight_decay 0, momentum_decay 4e-3</td></tr>
 * <tr><td>sgd_hd</td><td>{@link SgdHd}</td><td>lr 0.01, hypergrad_lr 1e-3, weight_decay 0</td></tr>
 * <tr><td>adam_hd</td><td>{@link AdamHd}</td><td>as adam, and hypergrad_lr 1e-7</td></tr>
 * </table>
 * (*) descent's choice: torch's SGD has no default lr and its default momentum is 0.
 * {@code weight_decay} is torch's coupled L2 ({@code g <- g + weight_decay * p}) everywhere
 * except adamw. The two hypergradient rules (Baydin et al. 2018; the authors' PyTorch option names) have no
 * {@code torch.optim} counterpart and one learning rate for all the arrays they drive: they are not in {@link
 * #names()} but in {@link #hypergradientNames()}.
 */
public final class Optimizers {

    private Optimizers() {}

    private static final Map<String, Function<Map<String, Double>, Optimizer>> RULES = rules();
    private static final Map<String, Map<String, Double>> DEFAULTS = defaults();
    private static final List<String> HYPERGRADIENT = List.of("sgd_hd", "adam_hd");

    private static Map<String, Function<Map<String, Double>, Optimizer>> rules() {
        Map<String, Function<Map<String, Double>, Optimizer>> r = new LinkedHashMap<>();
        r.put("sgd", Sgd::new);
        r.put("momentum", Momentum::new);
        r.put("nesterov", Nesterov::new);
        r.put("adagrad", Adagrad::new);
        r.put("rmsprop", RMSprop::new);
        r.put("adadelta", Adadelta::new);
        r.put("adam", Adam::new);
        r.put("amsgrad", AMSGrad::new);
        r.put("adamw", AdamW::new);
        r.put("adamax", Adamax::new);
        r.put("nadam", NAdam::new);
        r.put("sgd_hd", SgdHd::new);
        r.put("adam_hd", AdamHd::new);
        return Collections.unmodifiableMap(r);
    }

    private static Map<String, Map<String, Double>> defaults() {
        Map<String, Map<String, Double>> d = new LinkedHashMap<>();
        d.put("sgd", Sgd.DEFAULTS);
        d.put("momentum", Momentum.DEFAULTS);
        d.put("nesterov", Nesterov.DEFAULTS);
        d.put("adagrad", Adagrad.DEFAULTS);
        d.put("rmsprop", RMSprop.DEFAULTS);
        d.put("adadelta", Adadelta.DEFAULTS);
        d.put("adam", Adam.DEFAULTS);
        d.put("amsgrad", AMSGrad.DEFAULTS);
        d.put("adamw", AdamW.DEFAULTS);
        d.put("adamax", Adamax.DEFAULTS);
        d.put("nadam", NAdam.DEFAULTS);
        d.put("sgd_hd", SgdHd.DEFAULTS);
        d.put("adam_hd", AdamHd.DEFAULTS);
        return Collections.unmodifiableMap(d);
    }

    /** The optimizer {@code name} with PyTorch's defaults. */
    public static Optimizer create(String name) {
        return create(name, Map.of());
    }

    /**
     * The optimizer {@code name} with {@code options} (PyTorch argument names) overriding the
     * defaults.
     *
     * @throws IllegalArgumentException for an unknown name, an unknown option key, or an option
     *     value out of range (the message names it and lists the valid ones)
     */
    public static Optimizer create(String name, Map<String, Double> options) {
        return RULES.get(known(name)).apply(options);
    }

    /** The names of the rules with a {@code torch.optim} counterpart, in a fixed order. */
    public static List<String> names() {
        return RULES.keySet().stream().filter(n -> !HYPERGRADIENT.contains(n)).toList();
    }

    /** The names of the hypergradient rules, whose learning rate adapts itself: {@code sgd_hd}, {@code adam_hd}. */
    public static List<String> hypergradientNames() {
        return HYPERGRADIENT;
    }

    /** Valid option keys of {@code name} with their defaults. */
    public static Map<String, Double> defaults(String name) {
        return DEFAULTS.get(known(name));
    }

    /** ND4J's built-in updater {@code name} with ND4J's defaults, see {@link Nd4jUpdater}. */
    public static Optimizer nd4j(String name) {
        return Nd4jUpdater.of(name, Map.of());
    }

    /** ND4J's built-in updater {@code name}; options by PyTorch name, see {@link Nd4jUpdater}. */
    public static Optimizer nd4j(String name, Map<String, Double> options) {
        return Nd4jUpdater.of(name, options);
    }

    /** Names accepted by {@link #nd4j}. */
    public static List<String> nd4jNames() {
        return Nd4jUpdater.names();
    }

    private static String known(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!RULES.containsKey(key)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid names are "
                    + RULES.keySet());
        }
        return key;
    }
}
