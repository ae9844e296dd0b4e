package descent.tune;

import java.util.List;
import java.util.Locale;

/**
 * Pruners by name, with Optuna 3.1's defaults; a study uses one through {@link Study#pruner(Pruner)}.
 *
 * <ul>
 *   <li>{@code median}: {@link MedianPruner} — prune a trial whose best value so far is worse than the median of the
 *   completed trials at the same step ({@link #median()}: startupTrials 5, warmupSteps 0).</li>
 *   <li>{@code successive_halving}: {@link SuccessiveHalvingPruner} — asynchronous successive halving, keep the best
 *   1/eta of the trials at each rung ({@link #successiveHalving()}: minResource auto, reductionFactor 4,
 *   minEarlyStoppingRate 0).</li>
 *   <li>{@code hyperband}: {@link HyperbandPruner} — several successive-halving brackets, each trial in one
 *   ({@link #hyperband()}: minResource 1, maxResource auto, reductionFactor 3).</li>
 * </ul>
 */
public final class Pruners {

    private Pruners() {
    }

    /** The names {@link #create} accepts. */
    public static List<String> names() {
        return List.of("hyperband", "median", "successive_halving");
    }

    /** The pruner {@code name} with its default settings. */
    public static Pruner create(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "median" -> median();
            case "successive_halving" -> successiveHalving();
            case "hyperband" -> hyperband();
            default -> throw new IllegalArgumentException("unknown pruner '" + name + "'; valid names are " + names());
        };
    }

    /** The median rule with startupTrials 5 and warmupSteps 0. */
    public static Pruner median() {
        return median(5, 0);
    }

    /**
     * The median rule, silent until {@code startupTrials} trials completed and below step {@code warmupSteps}
     * (both &gt;= 0).
     */
    public static Pruner median(int startupTrials, int warmupSteps) {
        return new MedianPruner(atLeast("startupTrials", startupTrials, 0), atLeast("warmupSteps", warmupSteps, 0));
    }

    /** Successive halving with minResource "auto", reductionFactor 4 and minEarlyStoppingRate 0. */
    public static Pruner successiveHalving() {
        return new SuccessiveHalvingPruner(0, 4, 0);
    }

    /**
     * Successive halving with rungs at steps {@code minResource * reductionFactor^(minEarlyStoppingRate + k)}
     * (minResource &gt;= 1, reductionFactor &gt;= 2, minEarlyStoppingRate &gt;= 0).
     */
    public static Pruner successiveHalving(int minResource, int reductionFactor, int minEarlyStoppingRate) {
        return new SuccessiveHalvingPruner(atLeast("minResource", minResource, 1),
                atLeast("reductionFactor", reductionFactor, 2),
                atLeast("minEarlyStoppingRate", minEarlyStoppingRate, 0));
    }

    /** Hyperband with minResource 1, maxResource "auto" and reductionFactor 3. */
    public static Pruner hyperband() {
        return new HyperbandPruner(1, 0, 3);
    }

    /**
     * Hyperband over steps {@code minResource} to {@code maxResource} (1 &lt;= minResource &lt;= maxResource,
     * reductionFactor &gt;= 2).
     */
    public static Pruner hyperband(int minResource, int maxResource, int reductionFactor) {
        atLeast("minResource", minResource, 1);
        if (maxResource < minResource) {
            throw new IllegalArgumentException("Pruners.hyperband: maxResource must be >= minResource ("
                    + minResource + "), got " + maxResource);
        }
        return new HyperbandPruner(minResource, maxResource, atLeast("reductionFactor", reductionFactor, 2));
    }

    private static int atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("Pruners: " + what + " must be >= " + min + ", got " + value);
        }
        return value;
    }
}
