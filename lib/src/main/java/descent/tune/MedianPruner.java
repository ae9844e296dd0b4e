package descent.tune;

import java.util.Arrays;
import java.util.List;

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier: A Service for Black-Box Optimization", KDD,
 * section 3.2.2), as Optuna 3.1's {@code MedianPruner} states it:
 *
 * <pre>
 *   s    = the trial's last reported step
 *   best = the best value the trial reported so far (the smallest when minimizing, the largest when maximizing)
 *   m    = the median of the values that COMPLETE trials reported at step s (exactly s; trials without it skipped)
 *   prune when best is worse than m (best &gt; m when minimizing, best &lt; m when maximizing; a tie is kept)
 * </pre>
 *
 * It never prunes while fewer than {@code startupTrials} trials are COMPLETE, at a step below {@code warmupSteps},
 * or when no COMPLETE trial reported step s. Pruned and failed trials do not count.
 */
public final class MedianPruner implements Pruner {

    private final int startupTrials;
    private final int warmupSteps;

    MedianPruner(int startupTrials, int warmupSteps) {
        this.startupTrials = startupTrials;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public boolean prune(Trial trial, List<Trial> trials, boolean minimize) {
        List<Trial> complete = trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).toList();
        int step = trial.lastStep();
        if (complete.isEmpty() || complete.size() < startupTrials || step < 0 || step < warmupSteps) {
            return false;
        }
        double[] atStep = complete.stream().map(t -> t.intermediateValues().get(step)).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (atStep.length == 0) {
            return false;
        }
        int n = atStep.length;
        double median = n % 2 == 1 ? atStep[n / 2] : (atStep[n / 2 - 1] + atStep[n / 2]) / 2;
        double[] own = trial.intermediateValues().values().stream().mapToDouble(Double::doubleValue).toArray();
        double best = minimize ? Arrays.stream(own).min().getAsDouble() : Arrays.stream(own).max().getAsDouble();
        return minimize ? best > median : best < median;
    }

    @Override
    public String name() {
        return "median";
    }

    @Override
    public String toString() {
        return "median(startupTrials=" + startupTrials + ", warmupSteps=" + warmupSteps + ")";
    }
}
