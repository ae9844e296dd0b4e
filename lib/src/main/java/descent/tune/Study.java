package descent.tune;

import descent.Checks;
import descent.Interrupts;
import descent.nn.Backend;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@link Trial#error()}) and the study goes on. The stop button ends the study: no new trial starts, and a trial
 * running when it was pressed is FAILED ({@link #STOPPED}).
 *
 * <p><b>Pruning.</b> With a {@link #pruner(Pruner) pruner}, an objective that reports its progress
 * ({@link Trial#report}) and asks {@link Trial#shouldPrune()} ends a hopeless trial early: PRUNED, with its last
 * reported value.
 *
 * <p><b>Journal.</b> {@link #journal(Path)} writes every trial event to a file as it happens. Opening the same file
 * again (after a crash or a kernel restart) restores the trials it holds instead of running them again; a trial
 * that was running when the process ended becomes FAILED ({@link #PROCESS_ENDED}).
 *
 * <p><b>How many trials.</b> {@code optimize(objective, n)} runs trials until the study holds n of them, not
 * counting interrupted ones (FAILED {@link #STOPPED} or {@link #PROCESS_ENDED}), whose parameters run again first.
 * So the same notebook cell run again after a crash or a stop only finishes what is missing. The count is the whole
 * study's, not the call's: calling {@code optimize(objective, 20)} twice runs 20 trials, not 40; ask for 40 the
 * second time.
 *
 * <p><b>In parallel.</b> {@code optimize(objective, n, parallelism)} runs {@code parallelism} trials at a time, each
 * on a worker thread whose ND4J ops use max(1, cores / parallelism) threads. The sampler and the pruner are called
 * one at a time, and so are the {@link #listener(Listener) listeners}.
 */
public final class Study {

    /** The error of a trial that was running when the stop button was pressed. */
    public static final String STOPPED = "stopped";

    /** The error of a trial that was running when the process ended (found in the journal). */
    public static final String PROCESS_ENDED = "the process ended while the trial ran";

    /** The objective: a number to minimize or maximize for the parameters of a trial. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(Trial trial) throws Exception;
    }

    /** Told about each trial when it ends (COMPLETE, PRUNED or FAILED), one call at a time. */
    @FunctionalInterface
    public interface Listener {
        void trialEnded(Study study, Trial trial);
    }

    private final Space space;
    private final Sampler sampler;
    private final boolean minimize;
    // guarded by this: the trials, the interrupted trials whose parameters run next, the listeners, the pruner
    private final List<Trial> trials = new ArrayList<>();
    private final Deque<Trial> toRetry = new ArrayDeque<>();
    private final List<Listener> listeners = new ArrayList<>();
    private Pruner pruner;
    private volatile Journal journal;

    private Study(Space space, Sampler sampler, boolean minimize) {
        this.space = Checks.notNull("Study", "space", space);
        this.sampler = Checks.notNull("Study", "sampler", sampler);
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

    /** Uses {@code pruner} to stop hopeless trials early (see {@link Pruners}); returns this study. */
    public synchronized Study pruner(Pruner pruner) {
        this.pruner = Checks.notNull("Study.pruner", "pruner", pruner);
        return this;
    }

    /**
     * Calls {@code listener} after each trial that ends from now on (not the trials restored from a journal); a
     * listener that throws is reported on standard error and the study goes on. Returns this study.
     */
    public synchronized Study listener(Listener listener) {
        listeners.add(Checks.notNull("Study.listener", "listener", listener));
        return this;
    }

    /**
     * Records this study in {@code file}, one JSON line per event (a trial created, a value reported, a trial
     * ended), each forced to disk before the study goes on; or continues the study recorded there:
     * its ended trials are restored (not run again, and the sampler sees them), a trial that was running when the
     * process ended becomes FAILED ({@link #PROCESS_ENDED}) and its parameters are the next to run, and the sampler
     * is brought to where it was by asking it again, in order, for each trial it had proposed (the answers are
     * dropped). A file written for another space or direction is refused. Call it before {@link #optimize}; returns
     * this study.
     */
    public synchronized Study journal(Path file) {
        Checks.notNull("Study.journal", "file", file);
        if (journal != null || !trials.isEmpty()) {
            throw new IllegalStateException("Study.journal: call it once, before optimize (this study has "
                    + trials.size() + " trial(s)" + (journal != null ? " and a journal" : "") + ")");
        }
        Journal j = Journal.open(file, space, minimize);
        for (Trial t : j.trials()) {
            if (t.state() == Trial.State.RUNNING) {
                t.fail(PROCESS_ENDED, Double.NaN);
                j.ended(t);
            }
            if (interrupted(t) && !j.retried(t)) {
                toRetry.add(t);
            }
            if (!j.isRetry(t)) {
                sampler.sample(space, List.copyOf(trials), minimize);
            }
            trials.add(t);
        }
        journal = j;
        return this;
    }

    /** {@link #optimize(Objective, int, int)} with one trial at a time, on the calling thread. */
    public Study optimize(Objective objective, int nTrials) {
        return optimize(objective, nTrials, 1);
    }

    /**
     * Runs trials until this study holds {@code nTrials} trials, not counting interrupted ones (see the class
     * comment), {@code parallelism} at a time; returns this study. Stops early when the sampler has nothing left (a
     * finished grid) or the stop button is pressed. An {@link Error} thrown by an objective (out of memory, a failed
     * assertion) fails its trial, lets the running trials finish, and is thrown again from here.
     */
    public Study optimize(Objective objective, int nTrials, int parallelism) {
        Checks.notNull("Study.optimize", "objective", objective);
        if (nTrials < 0) {
            throw new IllegalArgumentException("Study.optimize: nTrials must be >= 0, got " + nTrials);
        }
        Checks.atLeastOne("Study.optimize", "parallelism", parallelism);
        Run run = new Run(objective, nTrials);
        if (parallelism == 1) {
            run.work();
        } else {
            run.inParallel(parallelism);
        }
        if (run.error != null) {
            throw run.error;
        }
        return this;
    }

    /** One call of optimize: its workers take trials from {@link #next} until it returns null. */
    private final class Run {
        private final Objective objective;
        private final int nTrials;
        private boolean over;   // guarded by Study.this: stopped, sampler done, or an Error
        private Error error;    // guarded by Study.this: the first Error an objective threw

        Run(Objective objective, int nTrials) {
            this.objective = objective;
            this.nTrials = nTrials;
        }

        void work() {
            for (Trial t = next(); t != null; t = next()) {
                evaluate(t);
            }
        }

        void inParallel(int parallelism) {
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / parallelism);
            AtomicInteger count = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
                Thread t = new Thread(task, "descent-tune-worker-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int k = 0; k < parallelism; k++) {
                workers.add(pool.submit(() -> {
                    try {
                        Backend.setThreads(threads);
                        work();
                    } catch (RuntimeException | Error e) {   // the sampler, the journal: end the run
                        synchronized (Study.this) {
                            over = true;
                        }
                        throw e;
                    }
                }));
            }
            pool.shutdown();
            boolean interrupted = false;
            while (!pool.isTerminated()) {
                try {
                    pool.awaitTermination(1, TimeUnit.DAYS);
                } catch (InterruptedException e) {   // the stop button: no new trial; the running ones end
                    interrupted = true;
                    synchronized (Study.this) {
                        over = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (InterruptedException | ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e);
                }
            }
        }

        /** The next trial to run (an interrupted trial's parameters first, else the sampler's), or null. */
        private Trial next() {
            synchronized (Study.this) {
                if (over || Interrupts.requested()) {
                    over = true;
                    return null;
                }
                if (trials.stream().filter(t -> !interrupted(t)).count() >= nTrials) {
                    return null;
                }
                Trial rerun = toRetry.poll();
                Map<String, Object> params = rerun != null ? rerun.params()
                        : sampler.sample(space, List.copyOf(trials), minimize);
                if (params == null) {
                    over = true;
                    return null;
                }
                Trial t = new Trial(trials.size(), params);
                trials.add(t);
                if (journal != null) {
                    journal.created(t, rerun);
                }
                t.attach(Study.this);
                return t;
            }
        }

        private void evaluate(Trial t) {
            long t0 = System.nanoTime();
            double v = Double.NaN;
            Throwable thrown = null;
            try {
                v = objective.evaluate(t);
            } catch (Exception | Error e) {
                thrown = e;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            synchronized (Study.this) {
                if (thrown instanceof Error e) {
                    t.fail(describe(e), secs);
                    error = error == null ? e : error;
                    over = true;
                } else if (thrown instanceof Interrupts.StopRequested || Interrupts.requested()) {
                    t.fail(STOPPED, secs);
                } else if (thrown instanceof Trial.Pruned) {
                    t.prune(secs);
                } else if (thrown != null) {
                    t.fail(describe(thrown), secs);
                } else if (Double.isFinite(v)) {
                    t.complete(v, secs);
                } else {
                    t.fail("the objective returned " + v, secs);
                }
                if (interrupted(t)) {
                    toRetry.add(t);
                    over = true;
                }
                if (journal != null) {
                    journal.ended(t);
                }
                for (Listener l : listeners) {
                    try {
                        l.trialEnded(Study.this, t);
                    } catch (RuntimeException e) {
                        System.err.println("descent.tune: a study listener failed on trial " + t.number() + ": "
                                + describe(e));
                    }
                }
            }
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Whether {@code t} was cut short by the stop button or the end of the process (its parameters run again). */
    private static boolean interrupted(Trial t) {
        return t.state() == Trial.State.FAILED && (STOPPED.equals(t.error()) || PROCESS_ENDED.equals(t.error()));
    }

    /** Called by {@link Trial#report}: the journal records it. */
    void reported(Trial trial, int step, double value) {
        Journal j = journal;
        if (j != null) {
            j.reported(trial, step, value);
        }
    }

    /** Called by {@link Trial#shouldPrune()}: whether this study's pruner stops {@code trial} now. */
    synchronized boolean shouldPrune(Trial trial) {
        return pruner != null && pruner.prune(trial, List.copyOf(trials), minimize);
    }

    /** Whether smaller values are better. */
    public boolean isMinimize() {
        return minimize;
    }

    public Sampler sampler() {
        return sampler;
    }

    /** The pruner, or null when the study prunes nothing. */
    public synchronized Pruner pruner() {
        return pruner;
    }

    /** Every trial so far, in order (a copy). */
    public synchronized List<Trial> trialList() {
        return List.copyOf(trials);
    }

    /** The best COMPLETE trial (smallest value when minimizing, largest when maximizing). */
    public synchronized Trial best() {
        Trial best = bestOrNull();
        if (best == null) {
            throw new IllegalStateException("no trial has completed yet (" + trials.size() + " run, all failed)");
        }
        return best;
    }

    private Trial bestOrNull() {
        Trial best = null;
        for (Trial t : trials) {
            if (t.state() == Trial.State.COMPLETE
                    && (best == null || (minimize ? t.value() < best.value() : t.value() > best.value()))) {
                best = t;
            }
        }
        return best;
    }

    /** The trials as a table: number, one column per parameter, value, state, seconds, error. */
    public synchronized Table trials() {
        Table t = Table.create("trials (" + (minimize ? "minimize" : "maximize") + ", " + sampler.name() + ")",
                IntColumn.create("number"));
        space.addColumns(t);
        t.addColumns(DoubleColumn.create("value"), StringColumn.create("state"), DoubleColumn.create("seconds"),
                StringColumn.create("error"));
        for (Trial tr : trials) {
            t.intColumn("number").append(tr.number());
            space.appendValues(t, tr.params());
            t.doubleColumn("value").append(tr.value());
            t.stringColumn("state").append(tr.state().name());
            t.doubleColumn("seconds").append(tr.seconds());
            t.stringColumn("error").append(tr.error() == null ? "" : tr.error());
        }
        return t;
    }

    /** {@code Study[minimize, gp, 25 trials: 23 complete, 2 failed; best 0.0592 (trial 17)]}. */
    @Override
    public synchronized String toString() {
        java.util.Map<Trial.State, Long> counts = new java.util.EnumMap<>(Trial.State.class);
        for (Trial t : trials) {
            counts.merge(t.state(), 1L, Long::sum);
        }
        StringBuilder sb = new StringBuilder("Study[" + (minimize ? "minimize" : "maximize") + ", " + sampler.name()
                + ", " + trials.size() + " trials");
        String sep = ": ";
        for (var e : counts.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().name().toLowerCase(java.util.Locale.ROOT));
            sep = ", ";
        }
        Trial best = bestOrNull();
        if (best != null) {
            sb.append(String.format(java.util.Locale.ROOT, "; best %.6g (trial %d)", best.value(), best.number()));
        }
        return sb.append(']').toString();
    }

    public Space space() {
        return space;
    }
}
