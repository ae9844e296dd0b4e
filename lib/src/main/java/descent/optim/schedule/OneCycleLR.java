package descent.optim.schedule;

import descent.Checks;

/**
 * The 1cycle policy, {@code torch.optim.lr_scheduler.OneCycleLR} (learning rate only; torch's
 * {@code cycle_momentum} is not reproduced).
 *
 * <pre>
 * initial_lr = max_lr / div_factor
 * min_lr     = initial_lr / final_div_factor
 * two phases (default):                      three phases (three_phase = true):
 *   e1 = pct_start &middot; total_steps &minus; 1          e1 = pct_start &middot; total_steps &minus; 1
 *   e2 = total_steps &minus; 1                       e2 = 2 &middot; pct_start &middot; total_steps &minus; 2
 *   [0, e1]:  initial_lr &rarr; max_lr              e3 = total_steps &minus; 1
 *   [e1, e2]: max_lr &rarr; min_lr                  [0, e1]: initial_lr &rarr; max_lr
 *                                            [e1, e2]: max_lr &rarr; initial_lr
 *                                            [e2, e3]: initial_lr &rarr; min_lr
 * within a phase [s, e] from a to b, with pct = (t &minus; s) / (e &minus; s):
 *   cos:    lr(t) = b + (a &minus; b) / 2 &middot; (1 + cos(&pi; &middot; pct))
 *   linear: lr(t) = a + (b &minus; a) &middot; pct
 * </pre>
 *
 * Torch's defaults: pct_start 0.3, anneal_strategy "cos", div_factor 25, final_div_factor 1e4,
 * three_phase false. The schedule has {@code total_steps} steps, t = 0 ... total_steps &minus; 1,
 * ending at {@code min_lr}. Like torch, {@code lr(total_steps)} is also defined (the value a
 * final, unused {@code scheduler.step()} computes: the last phase extrapolated; negative for
 * "linear") and {@code t > total_steps} is an error.
 */
public final class OneCycleLR implements LrSchedule {

    private final double maxLr;
    private final int totalSteps;
    private final double pctStart;
    private final boolean cosine;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean threePhase;
    private final double[] phaseEnd;
    private final double[] phaseFrom;
    private final double[] phaseTo;

    /** Torch's defaults: pct_start 0.3, cos annealing, div_factor 25, final_div_factor 1e4. */
    public OneCycleLR(double maxLr, int totalSteps) {
        this(maxLr, totalSteps, 0.3, "cos", 25.0, 1e4, false);
    }

    /**
     * @param annealStrategy "cos" or "linear"
     */
    public OneCycleLR(double maxLr, int totalSteps, double pctStart, String annealStrategy,
            double divFactor, double finalDivFactor, boolean threePhase) {
        Checks.positive("OneCycleLR", "max_lr", maxLr);
        Checks.atLeastOne("OneCycleLR", "total_steps", totalSteps);
        Checks.unit("OneCycleLR", "pct_start", pctStart);
        Checks.positive("OneCycleLR", "div_factor", divFactor);
        Checks.positive("OneCycleLR", "final_div_factor", finalDivFactor);
        if (!"cos".equals(annealStrategy) && !"linear".equals(annealStrategy)) {
            throw new IllegalArgumentException("OneCycleLR: anneal_strategy must be \"cos\" or "
                    + "\"linear\", got " + annealStrategy);
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
        this.cosine = "cos".equals(annealStrategy);
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
        this.threePhase = threePhase;
        double initialLr = maxLr / divFactor;
        double minLr = initialLr / finalDivFactor;
        if (threePhase) {
            phaseEnd = new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2,
                totalSteps - 1};
            phaseFrom = new double[] {initialLr, maxLr, initialLr};
            phaseTo = new double[] {maxLr, initialLr, minLr};
        } else {
            phaseEnd = new double[] {pctStart * totalSteps - 1, totalSteps - 1};
            phaseFrom = new double[] {initialLr, maxLr};
            phaseTo = new double[] {maxLr, minLr};
        }
        double start = 0;
        for (int i = 0; i < phaseEnd.length; i++) {
            if (!(phaseEnd[i] > start)) {
                throw new IllegalArgumentException("OneCycleLR: phase " + (i + 1)
                        + " is empty (steps " + start + " to " + phaseEnd[i] + ") with total_steps="
                        + totalSteps + ", pct_start=" + pctStart + ", three_phase=" + threePhase);
            }
            start = phaseEnd[i];
        }
    }

    @Override
    public double lr(int step) {
        Checks.step("OneCycleLR", step);
        if (step > totalSteps) {
            throw new IllegalArgumentException("OneCycleLR: step " + step + " is past total_steps="
                    + totalSteps);
        }
        double start = 0;
        for (int i = 0; i < phaseEnd.length; i++) {
            double end = phaseEnd[i];
            if (step <= end || i == phaseEnd.length - 1) {
                double pct = (step - start) / (end - start);
                return anneal(phaseFrom[i], phaseTo[i], pct);
            }
            start = end;
        }
        throw new IllegalStateException("unreachable");
    }

    private double anneal(double from, double to, double pct) {
        if (cosine) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return to + (from - to) / 2.0 * cosOut;
        }
        return (to - from) * pct + from;
    }

    /** Number of steps in the cycle. */
    public int totalSteps() {
        return totalSteps;
    }

    @Override
    public String toString() {
        return "OneCycleLR(max_lr=" + maxLr + ", total_steps=" + totalSteps + ", pct_start="
                + pctStart + ", anneal_strategy=" + (cosine ? "cos" : "linear") + ", div_factor="
                + divFactor + ", final_div_factor=" + finalDivFactor + ", three_phase=" + threePhase
                + ")";
    }
}
