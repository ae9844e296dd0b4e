package descent.optim.schedule;

import descent.Checks;

/**
 * Step decay, {@code torch.optim.lr_scheduler.StepLR}:
 *
 * <pre>
 * lr(t) = base_lr &middot; gamma^floor(t / step_size)
 * </pre>
 *
 * (torch computes it by multiplying by gamma every {@code step_size} steps; equal up to rounding).
 */
public final class StepLR implements LrSchedule {

    private final double baseLr;
    private final int stepSize;
    private final double gamma;

    /** @param gamma torch's default is 0.1 */
    public StepLR(double baseLr, int stepSize, double gamma) {
        Checks.nonNegative("StepLR", "baseLr", baseLr);
        Checks.atLeastOne("StepLR", "stepSize", stepSize);
        Checks.nonNegative("StepLR", "gamma", gamma);
        this.baseLr = baseLr;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double lr(int step) {
        Checks.step("StepLR", step);
        return baseLr * Math.pow(gamma, step / stepSize);
    }

    @Override
    public String toString() {
        return "StepLR(base_lr=" + baseLr + ", step_size=" + stepSize + ", gamma=" + gamma + ")";
    }
}
