package descent.optim.schedule;

import descent.Checks;

/**
 * Linear warm-up followed by another schedule. With {@code w = warmupSteps} and
 * {@code base = after.lr(0)}:
 *
 * <pre>
 * lr(t) = base &middot; (start_factor + (1 &minus; start_factor) &middot; t / w)     for t &lt; w
 * lr(t) = after.lr(t &minus; w)                                   for t &ge; w
 * </pre>
 *
 * This is torch's {@code SequentialLR(opt, [LinearLR(opt, start_factor, 1.0, total_iters=w),
 * after], milestones=[w])} when {@code after} is one of torch's closed-form schedulers (their
 * value at their step 0 is the optimizer's base lr). The warm-up never quite reaches
 * {@code base}: its last value is at {@code t = w - 1}; {@code base} itself comes at {@code t = w}
 * from {@code after}.
 */
public final class LinearWarmup implements LrSchedule {

    private final int warmupSteps;
    private final double startFactor;
    private final LrSchedule after;

    public LinearWarmup(int warmupSteps, double startFactor, LrSchedule after) {
        Checks.atLeastOne("LinearWarmup", "warmupSteps", warmupSteps);
        Checks.unit("LinearWarmup", "start_factor", startFactor);
        if (after == null) {
            throw new IllegalArgumentException("LinearWarmup: schedule 'after' is null");
        }
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
        this.after = after;
    }

    @Override
    public double lr(int step) {
        Checks.step("LinearWarmup", step);
        if (step >= warmupSteps) {
            return after.lr(step - warmupSteps);
        }
        return after.lr(0) * (startFactor + (1.0 - startFactor) * step / warmupSteps);
    }

    @Override
    public String toString() {
        return "LinearWarmup(steps=" + warmupSteps + ", start_factor=" + startFactor + ", then "
                + after + ")";
    }
}
