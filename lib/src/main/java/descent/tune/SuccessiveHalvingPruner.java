package descent.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Asynchronous successive halving, ASHA (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning",
 * MLSys), as Optuna 3.1's {@code SuccessiveHalvingPruner}. With {@code eta} the reduction factor:
 *
 * <pre>
 *   rung k (k = 0, 1, ...) sits at step r_k = minResource * eta^(minEarlyStoppingRate + k)
 *   when a trial is judged at step s with value v, for each rung k it has not recorded yet with r_k &lt;= s, in order:
 *       record v as the trial's rung-k value
 *       competing = the rung-k values of every trial of the study (this one included)
 *       n         = max(1, floor(|competing| / eta))
 *       if v is not among the n best of competing (a tie is among them): prune, and stop there
 * </pre>
 *
 * A trial is judged once per rung, against the trials that reached the rung so far: the first ones to arrive face
 * few others (with fewer than 2 eta, only the best so far goes on), which is what makes the rule asynchronous — no
 * trial waits for a rung to fill.
 *
 * <p>{@code minResource} "auto" ({@link Pruners#successiveHalving()}): at the first judgement after a trial
 * completed, max(1, floor(s / 100)) with s the largest last step of the COMPLETE trials, then kept; nothing is
 * pruned, or recorded, before (so, as in Optuna, the trials judged only before that never compete).
 *
 * <p>The recorded values are this pruner's state, as Optuna keeps them with the trials: give each study its own
 * pruner. A trial it never judged (restored from a journal, or run by an objective that never asks
 * {@link Trial#shouldPrune()}) competes with its reports instead: at rung k, its value at its first reported step
 * &gt;= r_k, which is what it recorded if it asked after every report (unless a report of it crossed two rungs and
 * it was pruned at the first: then it counts at the second too).
 */
public final class SuccessiveHalvingPruner implements Pruner {

    private final int reductionFactor;
    private final int minEarlyStoppingRate;
    private int minResource;   // 0 until estimated ("auto")
    private final Map<Integer, List<Double>> recorded = new HashMap<>();   // trial number -> values at rungs 0, 1, ..

    /** {@code minResource} 0 means "auto". */
    SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate) {
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
    }

    @Override
    public boolean prune(Trial trial, List<Trial> trials, boolean minimize) {
        List<Double> mine = judged(trial.number());
        int step = trial.lastStep();
        if (step < 0 || (minResource == 0 && !estimateMinResource(trials))) {
            return false;
        }
        double value = trial.intermediateValues().get(step);
        for (int k = mine.size(); rungStep(k) <= step; k++) {
            mine.add(value);
            if (!promoted(value, competing(trials, k), minimize)) {
                return true;
            }
        }
        return false;
    }

    /** The rung values of trial {@code number}, an empty list when it has none yet: it counts as judged from now. */
    List<Double> judged(int number) {
        return recorded.computeIfAbsent(number, n -> new ArrayList<>());
    }

    private long rungStep(int k) {
        long r = minResource;
        for (int i = 0; i < minEarlyStoppingRate + k && r <= Integer.MAX_VALUE; i++) {
            r *= reductionFactor;
        }
        return r;
    }

    /** The rung-k values of the trials that reached rung k. */
    private List<Double> competing(List<Trial> trials, int k) {
        List<Double> values = new ArrayList<>();
        for (Trial t : trials) {
            List<Double> rec = recorded.get(t.number());
            if (rec != null && rec.size() > k) {
                values.add(rec.get(k));
            } else if (rec == null) {
                SortedMap<Integer, Double> reached = t.intermediateValues().tailMap((int) rungStep(k));
                if (!reached.isEmpty()) {
                    values.add(reached.get(reached.firstKey()));
                }
            }
        }
        return values;
    }

    private boolean promoted(double value, List<Double> competing, boolean minimize) {
        int n = Math.max(1, competing.size() / reductionFactor);
        Collections.sort(competing);
        return minimize ? value <= competing.get(n - 1) : value >= competing.get(competing.size() - n);
    }

    private boolean estimateMinResource(List<Trial> trials) {
        int last = trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).mapToInt(Trial::lastStep).max()
                .orElse(-1);
        if (last >= 0) {
            minResource = Math.max(1, last / 100);
        }
        return last >= 0;
    }

    @Override
    public String name() {
        return "successive_halving";
    }

    @Override
    public String toString() {
        return "successive_halving(minResource=" + (minResource == 0 ? "auto" : minResource) + ", reductionFactor="
                + reductionFactor + ", minEarlyStoppingRate=" + minEarlyStoppingRate + ")";
    }
}
