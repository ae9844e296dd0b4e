package descent.optim.schedule;

import descent.optim.Optimizer;

/**
 * Drives an {@link Optimizer}'s learning rate from an {@link LrSchedule}, the way a
 * {@code torch.optim.lr_scheduler} object does: construction sets {@code lr(0)}; each
 * {@link #step()}, called once per training iteration after the optimizer steps, moves to the
 * next value.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create("sgd");
 * LrScheduler sched = new LrScheduler(opt, LrSchedule.warmup(5, 0.1, LrSchedule.cosine(0.1, 95, 0)));
 * for (int it = 0; it < 100; it++) {
 *     opt.step(w, gradientOf(w));
 *     sched.step();
 * }
 * }</pre>
 */
public final class LrScheduler {

    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private int step;

    /** Sets {@code optimizer}'s learning rate to {@code schedule.lr(0)}. */
    public LrScheduler(Optimizer optimizer, LrSchedule schedule) {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("LrScheduler: optimizer and schedule must not be null");
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        schedule.applyTo(optimizer, 0);
    }

    /** Advances one step and sets the optimizer's learning rate; returns the new rate. */
    public double step() {
        double lr = schedule.applyTo(optimizer, step + 1);
        step++;
        return lr;
    }

    /** Number of {@link #step()} calls so far (the schedule index in effect). */
    public int lastStep() {
        return step;
    }

    /** The learning rate currently set by this scheduler. */
    public double lastLr() {
        return schedule.lr(step);
    }
}
