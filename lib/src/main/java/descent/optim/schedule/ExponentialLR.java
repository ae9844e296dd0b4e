package descent.optim.schedule;

import descent.Checks;

/**
 * Exponential decay, {@code torch.optim.lr_scheduler.ExponentialLR}:
 *
 * <pre>
 * lr(t) = base_lr &middot; gamma^t
 * </pre>
 */
public final class ExponentialLR implements LrSchedule {

    private final double baseLr;
    private final double gamma;

    public ExponentialLR(double baseLr, double gamma) {
        Checks.nonNegative("ExponentialLR", "baseLr", baseLr);
        Checks.nonNegative("ExponentialLR", "gamma", gamma);
        this.baseLr = baseLr;
        this.gamma = gamma;
    }

    @Override
    public double lr(int step) {
        Checks.step("ExponentialLR", step);
        return baseLr * Math.pow(gamma, step);
    }

    @Override
    public String toString() {
        return "ExponentialLR(base_lr=" + baseLr + ", gamma=" + gamma + ")";
    }
}
