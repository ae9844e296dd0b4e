package descent.tune;

import descent.Checks;
import descent.Interrupts;
import descent.train.Trainer;
import descent.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Population-based training (Jaderberg et al. 2017, "Population Based Training of Neural Networks",
 * arXiv:1711.09846): a population of models trains side by side, and every few epochs the worst members take over
 * the weights of the best (exploit) and go on with perturbed copies of their hyper-parameters (explore). The
 * hyper-parameters thereby change during training: one run finds a schedule, not just a value.
 *
 * <pre>{@code
 * Space space = Space.builder().logUniform("lr", 1e-3, 1.0).uniform("momentum", 0.5, 0.95).build();
 * Pbt.Result r = Pbt.builder(space)
 *     .population(8).interval(1).rounds(6).seed(1)
 *     .member(trial -> Trainer.builder(newModel(trial.number()))
 *         .train(train).validation(validation)
 *         .optimizer(Optimizers.create("momentum",
 *             Map.of("lr", trial.getDouble("lr"), "momentum", trial.getDouble("momentum")))))
 *     .run();
 * r.table();           // round, member, lr, momentum, score, copied_from, seconds: one row per member and round
 * r.best().model();    // the best member's trained model; r.best().history() its lineage's epochs
 * }</pre>
 *
 * The algorithm, with truncation selection and perturbation, the paper's simplest choices:
 *
 * <pre>
 * draw each member's hyper-parameters from the space at random
 * for round = 1 .. rounds:
 *     every member: build its trainer from its hyper-parameters, resume from its checkpoint (with these
 *         hyper-parameters), train until epoch round * interval; score = that epoch's objective (e.g. val_loss)
 *     unless it is the last round:
 *         rank the members by score (a diverged member, score NaN, last; ties by member number)
 *         k = max(1, floor(truncation * population))
 *         each of the bottom k picks one of the top k (those not diverged) at random and
 *             exploit: copies its checkpoint: parameters, buffers, optimizer state, history
 *             explore: takes its hyper-parameters, multiplies each real or integer one by down or up (a coin flip;
 *                 default 0.8 and 1.2; an integer moves by at least 1), clips it to the dimension's bounds, and
 *                 draws each categorical one anew with probability resample (default 0.25)
 * </pre>
 *
 * <p>The factory {@link Builder#member} gets a {@link Trial} holding the member's hyper-parameters (read them with
 * {@code getDouble}, {@code getInt}, {@code getString}); its number is the row of {@link #table()} being trained,
 * which in round 1 is the member's number (a handy model seed). It returns the trainer's builder with the model,
 * the data and an optimizer made with those hyper-parameters; PBT sets the epochs, the checkpoint and resuming
 * ({@link Trainer.Builder#resumeWithNewHyperparameters}), so those settings of the factory are replaced. A
 * hyper-parameter may change the optimizer's options or the schedule, not the model (a checkpoint only fits a model
 * of the same layers), the trainer's seed, batch size or loss. All members use the factory's trainer seed.
 *
 * <p>Checkpoints are files {@code member-<i>.ckpt} in {@link Builder#directory} (default: a new temporary folder);
 * those of an earlier run there are deleted when the first round starts. Everything random (the first draw, the
 * choice of sources, the perturbations) comes from {@link Builder#seed}, so a run is reproducible on the same machine.
 * A member whose training diverges ({@link TrainingDivergedException}) scores NaN and ranks last. The stop button
 * ends the run with {@link Interrupts.StopRequested}; {@link #table()} keeps the rounds done, and {@link #run()} or
 * {@link #round()} continue (members that had finished the round's epochs are not trained again).
 */
public final class Pbt {

    /**
     * The outcome of a run.
     *
     * @param table one row per member and round: round, member, one column per dimension, score, copied_from (the
     *     member whose checkpoint this member continued from at the start of the round, -1 if its own), seconds
     * @param bestMember the member with the best score in the last round
     * @param bestParams its hyper-parameters in that round
     * @param bestScore its score
     * @param best its trainer: {@code model()}, {@code history()} (its lineage's epochs), {@code optimizer()}
     */
    public record Result(Table table, int bestMember, Map<String, Object> bestParams, double bestScore, Trainer best) {
    }

    private final Space space;
    private final int population;
    private final int interval;
    private final int rounds;
    private final double truncation;
    private final double down;
    private final double up;
    private final double resample;
    private final String objective;
    private final boolean minimize;
    private final Path directory;
    private final Function<Trial, Trainer.Builder> factory;
    private final PrintStream log;
    private final SplittableRandom rng;

    private final List<Map<String, Object>> params = new ArrayList<>();
    private final int[] copiedFrom;
    private final double[] scores;
    private final Trainer[] trainers;
    private final List<Trial> trials = new ArrayList<>();
    private final List<int[]> rows = new ArrayList<>();     // {round, member, copied_from}, parallel to trials
    private int roundsDone;
    private boolean started;

    private Pbt(Builder b) {
        this.space = b.space;
        this.population = b.population;
        this.interval = b.interval;
        this.rounds = b.rounds;
        this.truncation = b.truncation;
        this.down = b.down;
        this.up = b.up;
        this.resample = b.resample;
        this.objective = b.objective;
        this.minimize = b.minimize;
        this.directory = b.directory;
        this.factory = b.factory;
        this.log = b.log;
        this.rng = new SplittableRandom(b.seed);
        this.copiedFrom = new int[population];
        this.scores = new double[population];
        this.trainers = new Trainer[population];
        for (int i = 0; i < population; i++) {
            params.add(space.random(rng));
            copiedFrom[i] = -1;
        }
    }

    /** Starts configuring a population-based training over {@code space}. */
    public static Builder builder(Space space) {
        return new Builder(space);
    }

    /** Fluent configuration; {@link #member} is required. */
    public static final class Builder {
        private final Space space;
        private int population = 8;
        private int interval = 1;
        private int rounds = 5;
        private double truncation = 0.25;
        private double down = 0.8;
        private double up = 1.2;
        private double resample = 0.25;
        private String objective = "val_loss";
        private boolean minimize = true;
        private long seed;
        private Path directory;
        private Function<Trial, Trainer.Builder> factory;
        private PrintStream log;

        private Builder(Space space) {
            this.space = Objects.requireNonNull(space, "space");
        }

        /** The number of members, at least 2 (default 8). */
        public Builder population(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("Pbt: population must be >= 2 (one member has nobody to copy), got "
                        + n);
            }
            this.population = n;
            return this;
        }

        /** Epochs each member trains between two selections, at least 1 (default 1). */
        public Builder interval(int epochs) {
            this.interval = Checks.atLeastOne("Pbt", "interval", epochs);
            return this;
        }

        /** Rounds of training, at least 1 (default 5): every member trains rounds * interval epochs in all. */
        public Builder rounds(int n) {
            this.rounds = Checks.atLeastOne("Pbt", "rounds", n);
            return this;
        }

        /** The fraction of the population replaced after each round, in (0, 0.5] (default 0.25; at least one). */
        public Builder truncation(double fraction) {
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw new IllegalArgumentException("Pbt: truncation must be in (0, 0.5], got " + fraction);
            }
            this.truncation = fraction;
            return this;
        }

        /** The factors a perturbed number is multiplied by, {@code 0 < down < 1 < up} (default 0.8 and 1.2). */
        public Builder perturb(double down, double up) {
            if (!(down > 0 && down < 1 && up > 1 && Double.isFinite(up))) {
                throw new IllegalArgumentException("Pbt: perturb needs 0 < down < 1 < up, got down " + down + ", up "
                        + up);
            }
            this.down = down;
            this.up = up;
            return this;
        }

        /** The probability that explore draws a categorical hyper-parameter anew, in [0, 1] (default 0.25). */
        public Builder resample(double probability) {
            this.resample = Checks.unit("Pbt", "resample", probability);
            return this;
        }

        /** Score members by this history column, smaller is better (the default is {@code val_loss}). */
        public Builder minimize(String column) {
            this.objective = column(column);
            this.minimize = true;
            return this;
        }

        /** Score members by this history column, larger is better (e.g. {@code val_acc}). */
        public Builder maximize(String column) {
            this.objective = column(column);
            this.minimize = false;
            return this;
        }

        private static String column(String c) {
            if (c == null || c.equals("epoch") || !Trainer.COLUMNS.contains(c)) {
                throw new IllegalArgumentException("Pbt: the objective must be a history column other than epoch; "
                        + "got " + c + ", columns are " + Trainer.COLUMNS.subList(1, Trainer.COLUMNS.size()));
            }
            return c;
        }

        /** The seed of everything random in the search (default 0). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The folder of the members' checkpoints (default: a new temporary folder). */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /** Hyper-parameters → the member's trainer: model, data, and an optimizer made with them. */
        public Builder member(Function<Trial, Trainer.Builder> f) {
            this.factory = Objects.requireNonNull(f, "member");
            return this;
        }

        /** Prints a line per round to {@code out}. */
        public Builder log(PrintStream out) {
            this.log = out;
            return this;
        }

        public Pbt build() {
            if (factory == null) {
                throw new IllegalArgumentException("Pbt: member(...) is required: hyper-parameters -> "
                        + "Trainer.builder(model).train(...).validation(...).optimizer(...)");
            }
            if (directory == null) {
                try {
                    directory = Files.createTempDirectory("descent-pbt-");
                } catch (IOException e) {
                    throw new UncheckedIOException("Pbt: cannot create a temporary folder for checkpoints", e);
                }
            }
            return new Pbt(this);
        }

        /** {@code build().run()}. */
        public Result run() {
            return build().run();
        }
    }

    /** Runs the remaining rounds and returns the outcome. */
    public Result run() {
        while (roundsDone < rounds) {
            round();
        }
        return result();
    }

    /**
     * One round: every member trains {@code interval} more epochs and is scored; then, unless it was the last round,
     * the bottom members copy the top ones and perturb their hyper-parameters.
     *
     * @throws IllegalStateException if all rounds are done
     */
    public void round() {
        if (roundsDone == rounds) {
            throw new IllegalStateException("Pbt: all " + rounds + " rounds are done");
        }
        int round = roundsDone + 1;
        if (!started) {
            for (int i = 0; i < population; i++) {
                delete(checkpoint(i));
            }
            started = true;
        }
        int rowsBefore = trials.size();
        try {
            for (int i = 0; i < population; i++) {
                train(round, i);
            }
        } catch (Interrupts.StopRequested e) {     // keep whole rounds only; round() trains this one again
            trials.subList(rowsBefore, trials.size()).clear();
            rows.subList(rowsBefore, rows.size()).clear();
            throw e;
        }
        roundsDone = round;
        Arrays.fill(copiedFrom, -1);
        int replaced = 0;
        if (round < rounds) {
            replaced = exploitAndExplore();
        }
        if (log != null) {
            int b = ranking().get(0);
            log.println(String.format(Locale.ROOT, "round %d/%d (epoch %d): best %s %.4f (member %d, %s), %d copied",
                    round, rounds, round * interval, objective, scores[b], b, params.get(b), replaced));
        }
    }

    private void train(int round, int member) {
        Trial trial = new Trial(trials.size(), params.get(member));
        trials.add(trial);
        rows.add(new int[] {round, member, copiedFrom[member]});
        long t0 = System.nanoTime();
        Trainer t = factory.apply(trial).epochs(round * interval).checkpoint(checkpoint(member)).resume(true)
                .resumeWithNewHyperparameters(true).build();
        trainers[member] = t;
        try {
            Trainer.Result r = t.fit();
            if (r.reason() == Trainer.StopReason.STOPPED || r.reason() == Trainer.StopReason.INTERRUPTED) {
                trial.fail("stopped", (System.nanoTime() - t0) / 1e9);
                throw new Interrupts.StopRequested("population-based training, round " + round + ", member " + member);
            }
            Table h = r.history();
            scores[member] = h.doubleColumn(objective).getDouble(h.rowCount() - 1);
            if (Double.isNaN(scores[member])) {
                throw new IllegalArgumentException("Pbt: " + objective + " is NaN in the history of member " + member
                        + ": validation losses need validation(...), accuracies classification targets");
            }
            trial.complete(scores[member], (System.nanoTime() - t0) / 1e9);
        } catch (TrainingDivergedException e) {
            scores[member] = Double.NaN;
            trial.fail(e.getMessage(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Truncation selection; returns how many members were replaced. */
    private int exploitAndExplore() {
        List<Integer> ranked = ranking();
        int k = Math.max(1, (int) Math.floor(truncation * population));
        int sources = (int) ranked.subList(0, k).stream().filter(i -> !Double.isNaN(scores[i])).count();
        if (sources == 0) {
            throw new IllegalStateException("Pbt: every member diverged in round " + roundsDone
                    + "; try smaller learning rates (see table())");
        }
        for (int b = population - k; b < population; b++) {
            int target = ranked.get(b);
            int source = ranked.get(rng.nextInt(sources));     // NaN ranks last: the first `sources` are finite
            copy(checkpoint(source), checkpoint(target));
            params.set(target, explore(space, params.get(source), rng, down, up, resample));
            copiedFrom[target] = source;
        }
        return k;
    }

    /** Members from best to worst: by score in the search's direction, NaN last, ties by member number. */
    private List<Integer> ranking() {
        Comparator<Integer> byScore = (a, b) -> {
            double x = scores[a];
            double y = scores[b];
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return minimize ? Double.compare(x, y) : Double.compare(y, x);
        };
        List<Integer> r = new ArrayList<>(IntStream.range(0, population).boxed().toList());
        r.sort(byScore.thenComparing(Comparator.naturalOrder()));
        return r;
    }

    /**
     * Jaderberg's perturb: each real or integer value times {@code down} or {@code up} (a coin flip; an integer
     * moves by at least 1), clipped to the dimension's bounds; each category drawn anew with probability
     * {@code resample}.
     */
    static Map<String, Object> explore(Space space, Map<String, Object> params, SplittableRandom rng, double down,
            double up, double resample) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (Space.Dimension d : space.dimensions()) {
            Object v = params.get(d.name());
            switch (d.kind()) {
                case UNIFORM, LOG_UNIFORM -> {
                    double x = (Double) v * (rng.nextBoolean() ? up : down);
                    p.put(d.name(), Math.max(d.lo(), Math.min(d.hi(), x)));
                }
                case INTEGER, LOG_INTEGER -> {
                    int i = (Integer) v;
                    boolean upward = rng.nextBoolean();
                    int j = (int) Math.round(i * (upward ? up : down));
                    if (j == i) {
                        j += upward ? 1 : -1;
                    }
                    p.put(d.name(), (int) Math.max(d.lo(), Math.min(d.hi(), j)));
                }
                default -> p.put(d.name(), rng.nextDouble() < resample
                        ? d.categories().get(rng.nextInt(d.categories().size())) : v);
            }
        }
        return Collections.unmodifiableMap(p);
    }

    /** The outcome so far: the table and the best member of the last round done. */
    public Result result() {
        if (roundsDone == 0) {
            throw new IllegalStateException("Pbt: no round done yet");
        }
        int b = ranking().get(0);
        if (Double.isNaN(scores[b])) {
            throw new IllegalStateException("Pbt: every member diverged in round " + roundsDone + "; see table()");
        }
        return new Result(table(), b, params.get(b), scores[b], trainers[b]);     // a top member keeps its params
    }

    /**
     * One row per member and round so far: round, member, one column per dimension, score (NaN if it diverged),
     * copied_from (the member whose checkpoint it continued at the start of the round, -1 if its own), seconds.
     */
    public Table table() {
        Table t = Table.create("population-based training (" + (minimize ? "minimize " : "maximize ") + objective + ")",
                IntColumn.create("round"), IntColumn.create("member"));
        space.addColumns(t);
        t.addColumns(DoubleColumn.create("score"), IntColumn.create("copied_from"), DoubleColumn.create("seconds"));
        for (int r = 0; r < rows.size(); r++) {
            Trial tr = trials.get(r);
            t.intColumn("round").append(rows.get(r)[0]);
            t.intColumn("member").append(rows.get(r)[1]);
            space.appendValues(t, tr.params());
            t.doubleColumn("score").append(tr.value());
            t.intColumn("copied_from").append(rows.get(r)[2]);
            t.doubleColumn("seconds").append(tr.seconds());
        }
        return t;
    }

    /** Rounds done so far. */
    public int roundsDone() {
        return roundsDone;
    }

    /** The hyper-parameters {@code member} trains with in the next round (after explore). */
    public Map<String, Object> params(int member) {
        return params.get(Objects.checkIndex(member, population));
    }

    /** The member whose checkpoint {@code member} copied for the next round, -1 if none. */
    public int copiedFrom(int member) {
        return copiedFrom[Objects.checkIndex(member, population)];
    }

    /** The checkpoint file of {@code member}. */
    public Path checkpoint(int member) {
        return directory.resolve("member-" + Objects.checkIndex(member, population) + ".ckpt");
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Pbt: cannot copy checkpoint " + from + " to " + to, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Pbt: cannot delete the old checkpoint " + file, e);
        }
    }
}
