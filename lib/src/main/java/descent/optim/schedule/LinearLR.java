package descent.optim.schedule;

import descent.Checks;

/**
 * Linear change of a multiplicative factor, {@code torch.optim.lr_scheduler.LinearLR}, closed
 * form:
 *
 * <pre>
 * lr(t) = base_lr &middot; (start_factor + (end_factor &minus; start_factor) &middot; min(t, total_iters) / total_iters)
 * </pre>
 *
 * Torch's defaults: start_factor 1/3, end_factor 1, total_iters 5. Both factors must be in
 * [0, 1] as in torch.
 */
public final class LinearLR implements LrSchedule {

    private final double baseLr;
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    public LinearLR(double baseLr, double startFactor, double endFactor, int totalIters) {
        Checks.nonNegative("LinearLR", "baseLr", baseLr);
        Checks.unit("LinearLR", "start_factor", startFactor);
        Checks.unit("LinearLR", "end_factor", endFactor);
        Checks.atLeastOne("LinearLR", "total_iters", totalIters);
        this.baseLr = baseLr;
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
    }

    @Override
    public double lr(int step) {
        Checks.step("LinearLR", step);
        return baseLr * (startFactor
                + (endFactor - startFactor) * Math.min(totalIters, step) / totalIters);
    }

    @Override
    public String toString() {
        return "LinearLR(base_lr=" + baseLr + ", start_factor=" + startFactor + ", end_factor="
                + endFactor + ", total_iters=" + totalIters + ")";
    }
}
