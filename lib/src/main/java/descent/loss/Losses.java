package descent.loss;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds losses by name, for notebooks and configuration.
 *
 * <pre>{@code
 * Loss mse   = Losses.create("mse");
 * Loss huber = Losses.create("huber", Map.of("delta", 0.5));
 * Loss focal = Losses.create("focal", Map.of("gamma", 2.0));
 * Loss smooth = Losses.create("cross_entropy", Map.of("label_smoothing", 0.1));
 * }</pre>
 *
 * <table>
 *   <caption>Names and options</caption>
 *   <tr><th>name</th><th>class</th><th>prediction / target</th><th>options (default)</th></tr>
 *   <tr><td>{@code mse}</td><td>{@link MseLoss}</td><td>any shape / same shape</td><td>none</td></tr>
 *   <tr><td>{@code mae}</td><td>{@link MaeLoss}</td><td>any shape / same shape</td><td>none</td></tr>
 *   <tr><td>{@code huber}</td><td>{@link HuberLoss}</td><td>any shape / same shape</td>
 *       <td>{@code delta} &gt; 0 (1.0)</td></tr>
 *   <tr><td>{@code bce}</td><td>{@link BceLoss}</td><td>probabilities in [0, 1] / values in [0, 1]</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code cross_entropy}</td><td>{@link CrossEntropyLoss}</td><td>logits [N, C] / one-hot [N, C]</td>
 *       <td>{@code label_smoothing} in [0, 1] (0.0)</td></tr>
 *   <tr><td>{@code hinge}</td><td>{@link HingeLoss}</td><td>scores / -1 or +1, same shape</td><td>none</td></tr>
 *   <tr><td>{@code focal}</td><td>{@link FocalLoss}</td><td>logits [N, C] / one-hot [N, C]</td>
 *       <td>{@code gamma} &gt;= 0 (2.0)</td></tr>
 * </table>
 *
 * All use mean reduction and return the gradient of that mean (see {@link Loss}).
 *
 * <h2>How ND4J's built-in losses differ</h2>
 * ND4J's {@code org.nd4j.linalg.lossfunctions.impl} losses (1.0.0-M2.1) work on [N, C] arrays (N examples, C
 * outputs) and, with {@code computeScore(labels, preOutput, activation, mask, average=true)}, <em>sum over the C
 * outputs and average over the N examples</em>; {@code computeGradient} returns the gradient of the <em>sum</em>
 * over examples (DL4J divides by the minibatch size later) with respect to the <em>pre-activation</em>. So, with
 * ours = this package (= PyTorch):
 * <ul>
 *   <li>{@code LossMSE}: score = ours {@code mse} (it divides by C again); gradient = N &times; ours.</li>
 *   <li>{@code LossL2}: score = C &times; ours {@code mse}; gradient = N&middot;C &times; ours.</li>
 *   <li>{@code LossMAE}: score = ours {@code mae}; gradient = N &times; ours. But its per-example
 *       {@code computeScoreArray} is not divided by C (it divides by the score array's own width, 1), so it equals
 *       {@code LossL1}'s and its mean is C &times; the score.</li>
 *   <li>{@code LossL1}: score = C &times; ours {@code mae}; gradient = N&middot;C &times; ours.</li>
 *   <li>{@code LossBinaryXENT} with {@code ActivationIdentity} on probabilities: score = C &times; ours {@code bce};
 *       gradient = N&middot;C &times; ours. It clips p to [1e-5, 1 - 1e-5] (its {@code clipEps}) before the log
 *       and in the gradient, where PyTorch and ours clamp each log at -100: for p = 1e-7, y = 1 ND4J's element loss
 *       is -log(1e-5) = 11.51 and ours is -log(1e-7) = 16.12. With {@code ActivationSigmoid} on logits z its
 *       gradient is with respect to z: p - y = N&middot;C &times; ours &times; p(1 - p).</li>
 *   <li>{@code LossHinge}: score = C &times; ours {@code hinge}; gradient = N&middot;C &times; ours; both take
 *       gradient 0 exactly at the kink y&middot;f = 1.</li>
 *   <li>{@code LossMCXENT} with {@code ActivationSoftmax} on logits: score = ours {@code cross_entropy}; gradient
 *       = softmax(z) - y = N &times; ours, with respect to the logits as ours. It clips softmax outputs at 1e-10
 *       before the log, so one example's loss is at most -log(1e-10) = 23.03 (ours, like PyTorch, is unbounded:
 *       30.0 for a logit gap of 30); the gradient ignores that clip.</li>
 * </ul>
 * {@code LossNd4jTest} pins each of these.
 */
public final class Losses {

    private static final List<String> NAMES =
            List.of("mse", "mae", "huber", "bce", "cross_entropy", "hinge", "focal");

    private Losses() {}

    /** The valid loss names, in a fixed order: mse, mae, huber, bce, cross_entropy, hinge, focal. */
    public static List<String> names() {
        return NAMES;
    }

    /** The loss with this name and its default options. */
    public static Loss create(String name) {
        return create(name, Map.of());
    }

    /**
     * The loss with this name, with the given options; an empty map means defaults.
     *
     * @throws IllegalArgumentException for an unknown name, an option key the loss does not have (the message
     *     lists the valid keys), a null option value, or an option value out of range
     */
    public static Loss create(String name, Map<String, Double> options) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("Unknown loss '" + name + "'; valid names: " + String.join(", ", NAMES));
        }
        if (options == null) {
            throw new IllegalArgumentException(name + ": options map is null; pass Map.of() for defaults");
        }
        for (String key : options.keySet()) {
            if (key == null) {
                throw new IllegalArgumentException(name + ": option key is null");
            }
        }
        return switch (name) {
            case "mse" -> withNoOptions(name, options, new MseLoss());
            case "mae" -> withNoOptions(name, options, new MaeLoss());
            case "bce" -> withNoOptions(name, options, new BceLoss());
            case "cross_entropy" -> new CrossEntropyLoss(
                    option(name, options, "label_smoothing", CrossEntropyLoss.DEFAULT_LABEL_SMOOTHING));
            case "hinge" -> withNoOptions(name, options, new HingeLoss());
            case "huber" -> new HuberLoss(option(name, options, "delta", HuberLoss.DEFAULT_DELTA));
            case "focal" -> new FocalLoss(option(name, options, "gamma", FocalLoss.DEFAULT_GAMMA));
            default -> throw new IllegalStateException("unreachable: " + name);
        };
    }

    private static Loss withNoOptions(String name, Map<String, Double> options, Loss loss) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown option key(s) " + new TreeSet<>(options.keySet())
                    + "; " + name + " takes no options");
        }
        return loss;
    }

    /** The value of the loss's single option {@code key}, or its default; rejects every other key. */
    private static double option(String name, Map<String, Double> options, String key, double defaultValue) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.remove(key);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown option key(s) " + unknown + "; valid keys: [" + key
                    + "]");
        }
        if (!options.containsKey(key)) {
            return defaultValue;
        }
        Double value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException(name + ": option '" + key + "' is null");
        }
        return value;
    }

    /** "name" or "name(key=value, ...)", for {@code toString}. */
    static String describe(Loss loss) {
        Map<String, Double> options = new TreeMap<>(loss.options());
        if (options.isEmpty()) {
            return loss.name();
        }
        StringJoiner text = new StringJoiner(", ", loss.name() + "(", ")");
        options.forEach((key, value) -> text.add(key + "=" + value));
        return text.toString();
    }
}
