package descent.tune;

import descent.Interrupts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A hyper-parameter search: a space, a sampler, a direction, and the trials run so far.
 *
 * <pre>{@code
 * Study study = Study.minimize(space, Samplers.create("random", 1));
 * study.optimize(trial -> validationLoss(trial.getDouble("lr"), trial.getInt("hidden")), 30);
 * study.best().params();        // {lr=0.0123, hidden=64}
 * study.trials();               // Table: number, one column per parameter, value, state, seconds
 * }</pre>
 *
 * An objective that throws, or returns NaN or an infinite value, marks its trial FAILED (the error is kept in
 * {@link Trial#error()}) and the study goes on; the stop button ends the study after marking the running trial
 * FAILED ("stopped").
 */
public final class Study {

    /** The objective: a number to minimize or maximize for the parameters of a trial. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(Trial trial) throws Exception;
    }

    /** Told when a trial ends (COMPLETE, PRUNED or FAILED), e.g. to redraw a chart. */
    public interface Listener {
        void trialEnded(Study study, Trial trial);
    }

    private final Space space;
    private final Sampler sampler;
    private final boolean minimize;
    private final List<Trial> trials = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();

    private Study(Space space, Sampler sampler, boolean minimize) {
        this.space = Objects.requireNonNull(space, "space");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.minimize = minimize;
    }

    /** A study that looks for the smallest value. */
    public static Study minimize(Space space, Sampler sampler) {
        return new Study(space, sampler, true);
    }

    /** A study that looks for the largest value. */
    public static Study maximize(Space space, Sampler sampler) {
        return new Study(space, sampler, false);
    }

    /** Adds a listener, told after each trial ends; returns this study. */
    public Study listener(Listener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /**
     * Runs up to {@code nTrials} more trials, one after the other; returns this study. Stops early when the sampler
     * has nothing left (a finished grid) or the stop button is pressed.
     */
    public Study optimize(Objective objective, int nTrials) {
        Objects.requireNonNull(objective, "objective");
        if (nTrials < 0) {
            throw new IllegalArgumentException("nTrials must be >= 0, got " + nTrials);
        }
        for (int k = 0; k < nTrials; k++) {
            var params = sampler.sample(space, Collections.unmodifiableList(trials), minimize);
            if (params == null) {
                break;
            }
            Trial t = new Trial(trials.size(), params);
            t.attach(this);
            trials.add(t);
            long t0 = System.nanoTime();
            boolean stop = false;
            try {
                double v = objective.evaluate(t);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (Double.isFinite(v)) {
                    t.complete(v, secs);
                } else {
                    t.fail("the objective returned " + v, secs);
                }
            } catch (Trial.Pruned e) {
                t.prune((System.nanoTime() - t0) / 1e9);
            } catch (Interrupts.StopRequested e) {
                t.fail("stopped", (System.nanoTime() - t0) / 1e9);
                stop = true;
            } catch (Exception e) {
                t.fail(e.getClass().getSimpleName() + ": " + e.getMessage(), (System.nanoTime() - t0) / 1e9);
            }
            for (Listener l : listeners) {
                l.trialEnded(this, t);
            }
            if (stop) {
                break;
            }
        }
        return this;
    }

    /** Called by {@link Trial#report}; the journal records it (nothing yet). */
    void reported(Trial trial, int step, double value) {
    }

    /** Called by {@link Trial#shouldPrune()}: whether this study's pruner stops {@code trial} now (no pruner yet). */
    boolean shouldPrune(Trial trial) {
        return false;
    }

    /** Whether smaller values are better. */
    public boolean isMinimize() {
        return minimize;
    }

    public Sampler sampler() {
        return sampler;
    }

    /** Every trial so far, in order. */
    public List<Trial> trialList() {
        return Collections.unmodifiableList(trials);
    }

    /** The best COMPLETE trial (smallest value when minimizing, largest when maximizing). */
    public Trial best() {
        Trial best = null;
        for (Trial t : trials) {
            if (t.state() == Trial.State.COMPLETE
                    && (best == null || (minimize ? t.value() < best.value() : t.value() > best.value()))) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no trial has completed yet (" + trials.size() + " run, all failed)");
        }
        return best;
    }

    /** The trials as a table: number, one column per parameter, value, state, seconds, error. */
    public Table trials() {
        Table t = Table.create("trials (" + (minimize ? "minimize" : "maximize") + ", " + sampler.name() + ")",
                IntColumn.create("number"));
        for (Space.Dimension d : space.dimensions()) {
            t.addColumns(d.kind() == Space.Kind.CATEGORICAL ? StringColumn.create(d.name())
                    : d.isDiscrete() ? IntColumn.create(d.name()) : DoubleColumn.create(d.name()));
        }
        t.addColumns(DoubleColumn.create("value"), StringColumn.create("state"), DoubleColumn.create("seconds"),
                StringColumn.create("error"));
        for (Trial tr : trials) {
            t.intColumn("number").append(tr.number());
            for (Space.Dimension d : space.dimensions()) {
                Object v = tr.params().get(d.name());
                if (v instanceof String s) {
                    t.stringColumn(d.name()).append(s);
                } else if (v instanceof Integer i) {
                    t.intColumn(d.name()).append(i);
                } else {
                    t.doubleColumn(d.name()).append((Double) v);
                }
            }
            t.doubleColumn("value").append(tr.value());
            t.stringColumn("state").append(tr.state().name());
            t.doubleColumn("seconds").append(tr.seconds());
            t.stringColumn("error").append(tr.error() == null ? "" : tr.error());
        }
        return t;
    }

    public Space space() {
        return space;
    }
}
