package descent.optim.schedule;

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
        Check.nonNegative("StepLR", "baseLr", baseLr);
        Check.positive("StepLR", "stepSize", stepSize);
        Check.nonNegative("StepLR", "gamma", gamma);
        this.baseLr = baseLr;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double lr(int step) {
        Check.step("StepLR", step);
        return baseLr * Math.pow(gamma, step / stepSize);
    }

    @Override
    public String toString() {
        return "StepLR(base_lr=" + baseLr + ", step_size=" + stepSize + ", gamma=" + gamma + ")";
    }
}
