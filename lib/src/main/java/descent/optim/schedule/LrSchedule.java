package descent.optim.schedule;

import descent.Checks;

import descent.optim.Optimizer;

/**
 * A learning-rate schedule: the learning rate to use for optimizer step {@code t} (t = 0, 1, 2,
 * ...; t = 0 is the first step). The values equal those of the matching
 * {@code torch.optim.lr_scheduler} read before each {@code scheduler.step()}:
 *
 * <pre>{@code
 * # torch                                         // descent
 * sched = CosineAnnealingLR(opt, T_max=100)       LrSchedule s = LrSchedule.cosine(0.1, 100, 0);
 * for t in range(n):                              for (int t = 0; t < n; t++) {
 *     ... opt.step()                                  s.applyTo(opt, t); ... opt.step(w, g);
 *     sched.step()                                }
 * }</pre>
 *
 * or, torch-style, with an {@link LrScheduler}. Schedules are absolute (they carry their base
 * learning rate), stateless and cheap, so {@code lr(t)} can also be plotted directly
 * ({@link #values(int)}).
 */
@FunctionalInterface
public interface LrSchedule {

    /**
     * The learning rate for step {@code step}.
     *
     * @throws IllegalArgumentException if {@code step < 0} (or past the end of a finite schedule)
     */
    double lr(int step);

    /** {@code lr(0), ..., lr(n - 1)}. */
    default double[] values(int n) {
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = lr(t);
        }
        return v;
    }

    /** Sets {@code optimizer}'s learning rate to {@code lr(step)} and returns it. */
    default double applyTo(Optimizer optimizer, int step) {
        double lr = lr(step);
        optimizer.setLr(lr);
        return lr;
    }

    /** The same learning rate at every step. */
    static LrSchedule constant(double lr) {
        Checks.nonNegative("constant", "lr", lr);
        return step -> {
            Checks.step("constant", step);
            return lr;
        };
    }

    /** {@link StepLR}: {@code baseLr * gamma^floor(t / stepSize)}. */
    static LrSchedule step(double baseLr, int stepSize, double gamma) {
        return new StepLR(baseLr, stepSize, gamma);
    }

    /** {@link ExponentialLR}: {@code baseLr * gamma^t}. */
    static LrSchedule exponential(double baseLr, double gamma) {
        return new ExponentialLR(baseLr, gamma);
    }

    /** {@link CosineAnnealingLR}: from {@code baseLr} down to {@code etaMin} over {@code tMax}. */
    static LrSchedule cosine(double baseLr, int tMax, double etaMin) {
        return new CosineAnnealingLR(baseLr, tMax, etaMin);
    }

    /** {@link LinearLR}: factor from {@code startFactor} to {@code endFactor} over {@code totalIters}. */
    static LrSchedule linear(double baseLr, double startFactor, double endFactor, int totalIters) {
        return new LinearLR(baseLr, startFactor, endFactor, totalIters);
    }

    /**
     * {@link LinearWarmup}: {@code warmupSteps} steps of linear warm-up from
     * {@code startFactor * after.lr(0)}, then {@code after} (restarted at its step 0).
     */
    static LrSchedule warmup(int warmupSteps, double startFactor, LrSchedule after) {
        return new LinearWarmup(warmupSteps, startFactor, after);
    }

    /** {@link OneCycleLR} with torch's defaults (pct_start 0.3, cos, div 25, final div 1e4). */
    static LrSchedule oneCycle(double maxLr, int totalSteps) {
        return new OneCycleLR(maxLr, totalSteps);
    }
}
