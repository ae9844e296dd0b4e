package descent.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband (Li et al. 2018, "Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization", JMLR 18),
 * run asynchronously as Optuna 3.1's {@code HyperbandPruner}: several successive-halving brackets that differ in
 * how early they start pruning, so that a slow starter has a bracket where it is judged late. With {@code eta} the
 * reduction factor:
 *
 * <pre>
 *   B = floor(log_eta(maxResource / minResource)) + 1 brackets, b = 0 .. B-1
 *   bracket b = {@link SuccessiveHalvingPruner} with minResource, eta and min early-stopping rate b
 *               (its first rung at minResource * eta^b: bracket 0 prunes earliest)
 *   budget of bracket b = ceil(B * eta^s / (s + 1)), s = B - 1 - b   (the paper's n: most trials where pruning
 *                                                                       is most aggressive)
 *   trial number n goes to a bracket by laying the budgets end to end and taking position n mod (their sum)
 *   a trial competes only with the trials of its own bracket
 * </pre>
 *
 * Optuna places trial n at position crc32("study name_n") mod (the sum) instead, a hash; position n mod (the sum)
 * gives each bracket the share the hash gives on average, in runs (with 3 brackets of budgets 9, 5, 3: trials 0-8
 * to bracket 0, 9-13 to bracket 1, 14-16 to bracket 2, then again), and needs no study name. B is computed exactly
 * (the number of k &gt;= 0 with minResource * eta^k &lt;= maxResource), where Optuna's floating-point logarithm can
 * come out one lower (log_3(243) = 4.999...).
 *
 * <p>{@code maxResource} "auto" ({@link Pruners#hyperband()}): at the first report after a trial completed, the
 * largest last step of the COMPLETE trials + 1, then kept; nothing is pruned before, nor ever when
 * maxResource ends up below minResource (no bracket). The trials judged before count as judged by their bracket,
 * with nothing recorded: as in Optuna, those that ended before the estimate never compete.
 */
public final class HyperbandPruner implements Pruner {

    private final int minResource;
    private final int reductionFactor;
    private int maxResource;   // 0 until estimated ("auto")
    private final List<SuccessiveHalvingPruner> brackets = new ArrayList<>();
    private final List<Long> budgets = new ArrayList<>();
    private long totalBudget;
    private final List<Integer> judgedBeforeBrackets = new ArrayList<>();   // trial numbers

    /** {@code maxResource} 0 means "auto". */
    HyperbandPruner(int minResource, int maxResource, int reductionFactor) {
        this.minResource = minResource;
        this.maxResource = maxResource;
        this.reductionFactor = reductionFactor;
    }

    @Override
    public boolean prune(Trial trial, List<Trial> trials, boolean minimize) {
        if (brackets.isEmpty() && !makeBrackets(trials)) {
            judgedBeforeBrackets.add(trial.number());
            return false;
        }
        int b = bracket(trial.number());
        List<Trial> mine = trials.stream().filter(t -> bracket(t.number()) == b).toList();
        return brackets.get(b).prune(trial, mine, minimize);
    }

    /** The bracket of trial {@code number}. */
    int bracket(int number) {
        long position = number % totalBudget;
        int b = 0;
        while (position >= budgets.get(b)) {
            position -= budgets.get(b++);
        }
        return b;
    }

    private boolean makeBrackets(List<Trial> trials) {
        if (maxResource == 0) {
            int last = trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).mapToInt(Trial::lastStep)
                    .max().orElse(-1);
            if (last < 0) {
                return false;
            }
            maxResource = last + 1;
        }
        int n = 0;
        for (long r = minResource; r <= maxResource; r *= reductionFactor) {
            n++;
        }
        if (n == 0) {
            return false;
        }
        for (int b = 0; b < n; b++) {
            int s = n - 1 - b;
            long budget = (long) Math.ceil(n * Math.pow(reductionFactor, s) / (s + 1));
            brackets.add(new SuccessiveHalvingPruner(minResource, reductionFactor, b));
            budgets.add(budget);
            totalBudget += budget;
        }
        for (int number : judgedBeforeBrackets) {
            brackets.get(bracket(number)).judged(number);
        }
        return true;
    }

    @Override
    public String name() {
        return "hyperband";
    }

    @Override
    public String toString() {
        return "hyperband(minResource=" + minResource + ", maxResource=" + (maxResource == 0 ? "auto" : maxResource)
                + ", reductionFactor=" + reductionFactor + ")";
    }
}
