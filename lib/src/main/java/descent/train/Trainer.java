package descent.train;

import descent.Checks;
import descent.Interrupts;
import descent.data.Augmentation;
import descent.data.Dataset;
import descent.loss.Loss;
import descent.loss.Losses;
import descent.nn.Parameter;
import descent.nn.Sequential;
import descent.optim.Clip;
import descent.optim.Optimizer;
import descent.optim.schedule.LrSchedule;
import descent.regularize.EarlyStopping;
import descent.regularize.Penalty;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Mini-batch training of any {@link Sequential} on any {@link Dataset}, driven by a {@code descent.optim}
 * {@link Optimizer}, an optional {@link LrSchedule} and a {@code descent.loss} {@link Loss}: the loop of notebooks 04
 * to 07, written once.
 *
 * <pre>{@code
 * Trainer t = Trainer.builder(model)
 *     .train(Dataset.of(x, y)).validation(Dataset.of(xv, yv))
 *     .optimizer(Optimizers.create("adamw", Map.of("lr", 0.01)))
 *     .schedule(new CosineAnnealingLR(0.01, steps, 0.0))
 *     .loss(Losses.create("cross_entropy"))
 *     .batchSize(32).epochs(15).seed(1).build();
 * Trainer.Result r = t.fit();
 * r.history();     // Table: epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds, examples_per_s
 * }</pre>
 *
 * <p>One step, for every batch of an epoch (the training set in a seeded random order, cut into batches; the last
 * may be smaller):
 * <pre>
 *   x, y   = train.fill(batch, augmentation)           descent.data
 *   lr     = schedule.lr(step)                         descent.optim.schedule (per batch, step = 0, 1, ...)
 *   out    = model.forward(x, training = true)         descent.nn
 *   L      = loss.value(out, y),  dL/dout = loss.gradient(out, y)      descent.loss
 *   grads  = model.backward(dL/dout)                   descent.nn (overwrites model.grads())
 *   grads += penalty gradients (weights only)          descent.regularize
 *   clip(grads)                                        descent.optim.Clip (global norm, or value)
 *   w     *= 1 - lr * decoupled_weight_decay           (weights only; as AdamW's decay, before the step)
 *   optimizer.step(params, grads)                      descent.optim
 * </pre>
 * After each epoch: the validation set is evaluated (if given), a history row is added, the checkpoint written (if
 * set), listeners are told, and early stopping is consulted (if set; when it ends the run it restores the best
 * epoch's parameters and buffers).
 *
 * <p>Accuracy ({@code train_acc}, {@code val_acc}) is reported for classification datasets (one-hot targets; the
 * arg-max of the output against the target's class); otherwise NaN. {@code train_loss} is the data loss (penalties
 * excluded), averaged over the epoch's batches as they were trained (augmented, dropout on).
 *
 * <p>Reproducibility: every random choice is a function of {@code seed}, the epoch and the batch ({@link Seeds}), so
 * the same seed on the same machine (same thread count) gives the same run, and a run resumed from a checkpoint
 * continues exactly as if it had not stopped: the checkpoint holds parameters, buffers and the optimizer's state dict.
 *
 * <p>Stopping: {@link #stop()} (from any thread), the notebook's stop button or {@link Thread#interrupt()} make
 * {@link #fit()} return at a batch boundary, with the model as after the last completed step; a later
 * {@code fit()} continues from that batch.
 *
 * <p>Divergence guard: if the model's output or the loss is NaN or infinite, the loss exceeds
 * {@link Builder#divergenceLimit} (default {@code 100 ln 10 = 230}), or a gradient is not finite,
 * {@link TrainingDivergedException} is thrown before the step is applied.
 */
public final class Trainer {

    /** Why {@link #fit()} returned. */
    public enum StopReason { COMPLETED, EARLY_STOPPED, STOPPED, INTERRUPTED }

    /**
     * @param history one row per completed epoch
     * @param reason why fit returned
     * @param epochsDone completed epochs
     * @param steps optimizer steps taken in total
     */
    public record Result(Table history, StopReason reason, int epochsDone, long steps) {
    }

    /** History column names. */
    public static final List<String> COLUMNS = List.of(
            "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds", "examples_per_s");

    final Sequential model;
    final Dataset train;
    final Dataset validation;
    final Optimizer optimizer;
    final LrSchedule schedule;
    final Loss loss;
    final int batchSize;
    final int evalBatchSize;
    private final boolean testTimeFlip;
    private final boolean dropLast;
    final int epochs;
    final Augmentation augmentation;
    final long seed;
    final Path checkpoint;
    private final boolean resume;
    final boolean newHyperparameters;
    private final List<TrainingListener> listeners;
    private final PrintStream log;
    private final double logEverySeconds;
    private final double divergenceLimit;
    private final List<Penalty> penalties;
    private final List<List<Parameter>> penaltyTargets;
    private final List<Parameter> frozen;
    private final List<Parameter> scaled;
    private final double[] scaleFactors;
    private final double decoupledWeightDecay;
    private final double clipNorm;
    private final double clipValue;
    private final EarlyStopping earlyStopping;
    private final List<Parameter> weights;

    private volatile boolean stopRequested;
    Table history;
    int epochsDone;
    long steps;
    private boolean restored;
    // Position inside a partly done epoch (after stop/interrupt), so fit() can continue exactly.
    private int nextBatch;
    private double epochLossSum;
    private long epochCorrect;
    private long epochSeen;
    private double epochSeconds;
    private boolean buffersReplaced;

    private Trainer(Builder b) {
        this.model = b.model;
        this.train = b.train;
        this.validation = b.validation;
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.loss = b.loss;
        this.batchSize = b.batchSize;
        this.evalBatchSize = b.evalBatchSize > 0 ? b.evalBatchSize : b.batchSize;
        this.testTimeFlip = b.testTimeFlip;
        this.dropLast = b.dropLast;
        this.epochs = b.epochs;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
        this.checkpoint = b.checkpoint;
        this.resume = b.resume;
        this.newHyperparameters = b.newHyperparameters;
        this.listeners = List.copyOf(b.listeners);
        this.log = b.log;
        this.logEverySeconds = b.logEverySeconds;
        this.divergenceLimit = b.divergenceLimit;
        this.penalties = List.copyOf(b.penalties);
        List<Parameter> all = model.parameters();
        this.frozen = select(all, b.frozenNames);
        List<Parameter> trainable = all.stream().filter(p -> !b.frozenNames.contains(p.name())).toList();
        this.weights = trainable.stream().filter(Parameter::isWeight).toList();
        List<List<Parameter>> targets = new ArrayList<>();
        for (java.util.Set<String> names : b.penaltyNames) {
            targets.add(names == null ? weights : select(trainable, names));
        }
        this.penaltyTargets = List.copyOf(targets);
        List<Parameter> sc = new ArrayList<>();
        List<Double> f = new ArrayList<>();
        b.lrMultipliers.forEach((name, factor) -> {
            sc.addAll(select(all, java.util.Set.of(name)));
            f.add(factor);
        });
        this.scaled = List.copyOf(sc);
        this.scaleFactors = f.stream().mapToDouble(Double::doubleValue).toArray();
        this.decoupledWeightDecay = b.decoupledWeightDecay;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.earlyStopping = b.earlyStopping;
        this.history = emptyHistory();
    }

    private static List<Parameter> select(List<Parameter> all, java.util.Set<String> names) {
        return all.stream().filter(p -> names.contains(p.name())).toList();
    }

    /** Starts configuring a trainer for {@code model}. */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /** Fluent configuration; {@link #train} and {@link #optimizer} are required. */
    public static final class Builder {
        private final Sequential model;
        private Dataset train;
        private Dataset validation;
        private Optimizer optimizer;
        private LrSchedule schedule;
        private Loss loss = Losses.create("cross_entropy");
        private int batchSize = 32;
        private int evalBatchSize = 0;
        private boolean testTimeFlip;
        private boolean dropLast;
        private int epochs = 1;
        private Augmentation augmentation = Augmentation.NONE;
        private long seed = 0;
        private Path checkpoint;
        private boolean resume;
        private boolean newHyperparameters;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private PrintStream log;
        private double logEverySeconds = 0;
        private double divergenceLimit = 100 * Math.log(10);
        private final List<Penalty> penalties = new ArrayList<>();
        private final List<java.util.Set<String>> penaltyNames = new ArrayList<>();
        private final java.util.Set<String> frozenNames = new java.util.LinkedHashSet<>();
        private final Map<String, Double> lrMultipliers = new LinkedHashMap<>();
        private double decoupledWeightDecay = 0;
        private double clipNorm = 0;
        private double clipValue = 0;
        private EarlyStopping earlyStopping;

        private Builder(Sequential model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The training examples. */
        public Builder train(Dataset data) {
            this.train = data;
            return this;
        }

        /** Examples evaluated after every epoch (optional): columns {@code val_loss}, {@code val_acc}. */
        public Builder validation(Dataset data) {
            this.validation = data;
            return this;
        }

        /** Any {@code descent.optim} optimizer, e.g. {@code Optimizers.create("adamw", Map.of("lr", 0.01))}. */
        public Builder optimizer(Optimizer o) {
            this.optimizer = o;
            return this;
        }

        /** Learning rate per optimizer step (step 0 is the run's first batch); without one the optimizer's lr stays. */
        public Builder schedule(LrSchedule s) {
            this.schedule = s;
            return this;
        }

        /** The loss (default {@code cross_entropy}). */
        public Builder loss(Loss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /** Examples per training step (default 32). */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Examples per evaluation batch (default: the training batch size). */
        public Builder evalBatchSize(int n) {
            this.evalBatchSize = n;
            return this;
        }

        /**
         * Test-time augmentation of classification validation sets: each image's output is the mean of the model's
         * outputs on the image and on its mirror image (default false); see {@link Evaluation}.
         */
        public Builder testTimeFlip(boolean on) {
            this.testTimeFlip = on;
            return this;
        }

        /**
         * Skips each epoch's last, smaller batch (torch's {@code DataLoader(drop_last=True)}; default false): every
         * step then has the same batch size, so the layers keep one set of buffers (less memory, no reallocation),
         * and the examples left out differ from epoch to epoch (the order is reshuffled).
         */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /** Total epochs of the run, counting those restored from a checkpoint (default 1). */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** On-the-fly augmentation of training batches (default none); needs image features. */
        public Builder augmentation(Augmentation a) {
            this.augmentation = Objects.requireNonNull(a, "augmentation");
            return this;
        }

        /** Seed of shuffling, augmentation and dropout (the model's initialization has its own seed). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Adds a penalty (L1, L2) on the weights ({@link Parameter#isWeight()}: every tensor named {@code weight}, so
         * not biases, but a normalization layer's scale γ, which torch names {@code weight} too; pass the list to
         * {@link #penalty(Penalty, java.util.Collection)} to choose).
         */
        public Builder penalty(Penalty p) {
            this.penalties.add(Objects.requireNonNull(p, "penalty"));
            this.penaltyNames.add(null);
            return this;
        }

        /**
         * Adds a penalty on exactly these parameters (e.g. every trainable tensor, biases and norm parameters
         * included, as airbench94's weight decay); frozen parameters are skipped.
         */
        public Builder penalty(Penalty p, java.util.Collection<Parameter> on) {
            this.penalties.add(Objects.requireNonNull(p, "penalty"));
            this.penaltyNames.add(names(on, "penalty"));
            return this;
        }

        /**
         * Keeps these parameters at their initial values, as torch's {@code requires_grad = False}: their gradient
         * is set to 0 after every backward pass and no penalty or decoupled decay touches them (e.g. a whitened first
         * layer, or BatchNorm scales fixed at 1). The optimizer's own {@code weight_decay} would still shrink them,
         * so it is refused: put the decay in a {@link #penalty} instead.
         */
        public Builder freeze(java.util.Collection<Parameter> params) {
            this.frozenNames.addAll(names(params, "freeze"));
            return this;
        }

        /**
         * A learning rate {@code factor} times the optimizer's for these parameters, as a torch parameter group with
         * {@code lr = factor * lr} (airbench94 trains BatchNorm biases 64 times faster). Implemented by scaling their
         * gradients before penalties are added: for the rules linear in the gradient (sgd, momentum, nesterov, and
         * lookahead over them) that is exactly a larger learning rate on the data term; adaptive rules (Adam, RMSprop,
         * ...) divide the scale away, so they are refused.
         */
        public Builder lrMultiplier(java.util.Collection<Parameter> params, double factor) {
            if (!(factor > 0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("lrMultiplier: factor must be finite and > 0, got " + factor);
            }
            for (String n : names(params, "lrMultiplier")) {
                this.lrMultipliers.put(n, factor);
            }
            return this;
        }

        private java.util.Set<String> names(java.util.Collection<Parameter> params, String what) {
            java.util.Set<String> known = new java.util.HashSet<>();
            model.parameters().forEach(p -> known.add(p.name()));
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            for (Parameter p : Objects.requireNonNull(params, what)) {
                if (!known.contains(p.name())) {
                    throw new IllegalArgumentException(what + ": the model has no parameter '" + p.name()
                            + "'; its parameters are " + known);
                }
                out.add(p.name());
            }
            return out;
        }

        /** Decoupled weight decay on the weights, {@code w <- w (1 - lr lambda)} before every step (0 = off). */
        public Builder decoupledWeightDecay(double lambda) {
            this.decoupledWeightDecay = lambda;
            return this;
        }

        /** Rescales the gradients when their global L2 norm exceeds {@code maxNorm} (0 = off). */
        public Builder clipGradNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /** Clamps every gradient value to {@code [-v, v]} (0 = off). */
        public Builder clipGradValue(double v) {
            this.clipValue = v;
            return this;
        }

        /**
         * Stops when the monitored history column (e.g. {@code val_loss}) has not improved for its patience, and
         * restores the best epoch's parameters and buffers.
         */
        public Builder earlyStopping(EarlyStopping e) {
            this.earlyStopping = e;
            return this;
        }

        /** Writes a checkpoint to this file after every epoch (atomically). */
        public Builder checkpoint(Path file) {
            this.checkpoint = file;
            return this;
        }

        /** If the checkpoint file exists when {@link Trainer#fit()} starts, continue from it (default false). */
        public Builder resume(boolean r) {
            this.resume = r;
            return this;
        }

        /**
         * With {@link #resume}: continue from the checkpoint with this trainer's optimizer options (the learning rate
         * included) and schedule instead of requiring the checkpoint's, as population-based training does between
         * its rounds (default false). Parameters, buffers, optimizer state, step count and history still come from
         * the checkpoint, whose optimizer state must fit this optimizer; the model, seed, batch size, augmentation,
         * training set size and loss must still match.
         */
        public Builder resumeWithNewHyperparameters(boolean r) {
            this.newHyperparameters = r;
            return this;
        }

        /** Adds a callback; see {@link TrainingListener}. */
        public Builder listener(TrainingListener l) {
            this.listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Prints a line per epoch to {@code out} (and, with {@link #logEvery}, progress lines). */
        public Builder log(PrintStream out) {
            this.log = out;
            return this;
        }

        /** Also print a progress line every {@code seconds} during an epoch (0 = never, the default). */
        public Builder logEvery(double seconds) {
            this.logEverySeconds = seconds;
            return this;
        }

        /** Stop with {@link TrainingDivergedException} when a batch loss exceeds this (default 100 ln 10). */
        public Builder divergenceLimit(double maxLoss) {
            this.divergenceLimit = maxLoss;
            return this;
        }

        public Trainer build() {
            if (train == null) {
                throw new IllegalArgumentException("train(...) is required: the training examples, e.g. Dataset.of(x, y)");
            }
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer(...) is required, e.g. Optimizers.create(\"momentum\", "
                        + "Map.of(\"lr\", 0.01))");
            }
            if (train.size() == 0) {
                throw new IllegalArgumentException("the training set is empty");
            }
            if (batchSize <= 0 || evalBatchSize < 0) {
                throw new IllegalArgumentException("batch sizes must be > 0, got batchSize=" + batchSize
                        + " evalBatchSize=" + evalBatchSize);
            }
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            if (!(divergenceLimit > 0)) {
                throw new IllegalArgumentException("divergenceLimit must be > 0, got " + divergenceLimit);
            }
            if (logEverySeconds < 0 || !Double.isFinite(logEverySeconds)) {
                throw new IllegalArgumentException("logEvery must be >= 0 seconds, got " + logEverySeconds);
            }
            Checks.nonNegative("Trainer", "decoupledWeightDecay", decoupledWeightDecay);
            Double wd = optimizer.options().get("weight_decay");
            if (!frozenNames.isEmpty() && wd != null && wd > 0) {
                throw new IllegalArgumentException("freeze(...) with the optimizer's weight_decay=" + wd + ": the "
                        + "optimizer would still shrink the frozen parameters; use penalty(new L2Penalty(" + wd
                        + "), ...) instead of the optimizer's weight_decay");
            }
            if (!lrMultipliers.isEmpty() && !optimizer.name().matches("(lookahead\\()?(sgd|momentum|nesterov)\\)?")) {
                throw new IllegalArgumentException("lrMultiplier(...) needs a rule linear in the gradient (sgd, "
                        + "momentum, nesterov, or lookahead over one), got " + optimizer.name());
            }
            Checks.nonNegative("Trainer", "clipGradNorm", clipNorm);
            Checks.nonNegative("Trainer", "clipGradValue", clipValue);
            checkShapes("training", train);
            if (validation != null) {
                checkShapes("validation", validation);
            }
            if (earlyStopping != null && !COLUMNS.contains(earlyStopping.metric())) {
                throw new IllegalArgumentException("early stopping monitors '" + earlyStopping.metric()
                        + "', not a history column; columns are " + COLUMNS);
            }
            if (earlyStopping != null && earlyStopping.metric().startsWith("val_") && validation == null) {
                throw new IllegalArgumentException("early stopping monitors " + earlyStopping.metric()
                        + " but there is no validation(...) set");
            }
            return new Trainer(this);
        }

        private void checkShapes(String what, Dataset d) {
            if (!Arrays.equals(d.featureShape(), model.inputShape())
                    || !Arrays.equals(d.targetShape(), model.outputShape())) {
                throw new IllegalArgumentException("the " + what + " set has features " + Arrays.toString(d.featureShape())
                        + " and targets " + Arrays.toString(d.targetShape()) + ", but the model maps "
                        + Arrays.toString(model.inputShape()) + " to " + Arrays.toString(model.outputShape()));
            }
        }
    }

    static Table emptyHistory() {
        Table t = Table.create("history", IntColumn.create(COLUMNS.get(0)));
        for (String c : COLUMNS.subList(1, COLUMNS.size())) {
            t.addColumns(DoubleColumn.create(c));
        }
        return t;
    }

    /** Asks {@link #fit()} to return at the next batch boundary; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** The network being trained. */
    public Sequential model() {
        return model;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** One row per completed epoch (a copy). */
    public Table history() {
        return history.copy();
    }

    /** Completed epochs. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Optimizer steps taken. */
    public long steps() {
        return steps;
    }

    /** Evaluates the model on the validation set (evaluation mode, the trainer's loss). */
    public Evaluation evaluate() {
        if (validation == null) {
            throw new IllegalStateException("no validation set: use .validation(...) in the builder, or Evaluation.of(...)");
        }
        return Evaluation.of(model, validation, evalBatchSize, loss, testTimeFlip);
    }

    /**
     * Trains until {@code epochs} epochs are done (counting restored ones), or until early-stopped, stopped or
     * interrupted.
     *
     * @throws TrainingDivergedException if the output, the loss or a gradient stops being finite or the loss exceeds
     *     the divergence limit (the model keeps its parameters from before that step)
     */
    public Result fit() {
        return run(epochs);
    }

    private void restoreOnce() {
        if (resume && !restored && checkpoint != null && Files.exists(checkpoint)) {
            TrainingState.restore(this, Checkpoint.read(checkpoint));
            nextBatch = 0;
            if (log != null) {
                log.println("resumed from " + checkpoint + " after epoch " + epochsDone);
            }
        }
        restored = true;
    }

    private Result run(int lastEpoch) {
        stopRequested = false;
        restoreOnce();
        int n = train.size();
        int batches = dropLast && n >= batchSize ? n / batchSize : (n + batchSize - 1) / batchSize;
        boolean classification = train.isClassification();
        INDArray x = null;
        INDArray y = null;
        int[] predicted = new int[batchSize];
        int[] truth = new int[batchSize];
        INDArray buffersBefore = model.buffers().dup();
        long lastLog = System.nanoTime();
        for (int epoch = epochsDone + 1; epoch <= lastEpoch; epoch++) {
            int[] order = Seeds.permutation(n, Seeds.mix(seed, epoch));
            while (nextBatch < batches) {
                if (stopRequested) {
                    return new Result(history(), StopReason.STOPPED, epochsDone, steps);
                }
                if (Interrupts.requested()) {   // the stop button, Thread.interrupt(), or the memory guard
                    Interrupts.throwIfMemoryLimit();
                    return new Result(history(), StopReason.INTERRUPTED, epochsDone, steps);
                }
                long t0 = System.nanoTime();
                int b = nextBatch;
                int from = b * batchSize;
                int count = Math.min(batchSize, n - from);
                if (x == null || x.size(0) != count) {
                    buffersReplaced |= x != null;
                    x = Nd4j.create(model.dataType(), train.featureBatchShape(count));
                    y = Nd4j.create(model.dataType(), train.targetBatchShape(count));
                }
                train.fill(order, from, count, augmentation, new SplittableRandom(Seeds.mix(seed, epoch, b)), x, y);
                model.reseed(Seeds.mix(seed, epoch, b, 1));
                if (schedule != null) {
                    optimizer.setLr(schedule.lr((int) steps));
                }
                buffersBefore.assign(model.buffers());     // BatchNorm statistics, restored if the step fails
                INDArray out = model.forward(x, true);
                double outSum = out.sumNumber().doubleValue();
                if (!Double.isFinite(outSum)) {
                    model.buffers().assign(buffersBefore);
                    throw diverged(epoch, b + 1, Double.NaN, "the model's output is not finite");
                }
                double l = loss.value(out, y);
                if (!Double.isFinite(l) || l > divergenceLimit) {
                    model.buffers().assign(buffersBefore);
                    throw diverged(epoch, b + 1, l, "loss is " + l
                            + (Double.isFinite(l) ? " > divergence limit " + divergenceLimit : ""));
                }
                int correct = 0;
                if (classification) {
                    Evaluation.argMaxRows(out, predicted, 0);
                    Evaluation.argMaxRows(y, truth, 0);
                    for (int k = 0; k < count; k++) {
                        correct += predicted[k] == truth[k] ? 1 : 0;
                    }
                }
                model.backward(loss.gradient(out, y));
                for (int i = 0; i < scaled.size(); i++) {
                    scaled.get(i).grad().muli(scaleFactors[i]);
                }
                for (int i = 0; i < penalties.size(); i++) {
                    for (Parameter w : penaltyTargets.get(i)) {
                        penalties.get(i).addGradientTo(w.grad(), w.value());
                    }
                }
                for (Parameter f : frozen) {
                    f.grad().assign(0);
                }
                double gsum = model.grads().sumNumber().doubleValue();
                if (!Double.isFinite(gsum)) {
                    model.buffers().assign(buffersBefore);
                    throw diverged(epoch, b + 1, l, "a gradient is " + gsum + " (loss " + l + ")");
                }
                if (clipNorm > 0) {
                    Clip.byGlobalNorm(List.of(model.grads()), clipNorm);
                }
                if (clipValue > 0) {
                    Clip.byValue(List.of(model.grads()), clipValue);
                }
                try {
                    Interrupts.throwIfRequested("training step, before it changed anything");
                    if (decoupledWeightDecay > 0) {
                        for (Parameter w : weights) {
                            w.value().muli(1 - optimizer.lr() * decoupledWeightDecay);
                        }
                    }
                    optimizer.step(model.params(), model.grads());
                } catch (Interrupts.StopRequested | Interrupts.MemoryLimitExceeded e) {   // this batch did not happen
                    model.buffers().assign(buffersBefore);
                    if (e instanceof Interrupts.MemoryLimitExceeded m) {
                        throw m;
                    }
                    return new Result(history(), StopReason.INTERRUPTED, epochsDone, steps);
                }
                steps++;
                nextBatch++;
                epochLossSum += l * count;
                epochCorrect += correct;
                epochSeen += count;
                epochSeconds += (System.nanoTime() - t0) / 1e9;
                Progress p = progress(epoch, batches);
                for (TrainingListener li : listeners) {
                    li.onBatch(p);
                }
                if (log != null && logEverySeconds > 0 && System.nanoTime() - lastLog > logEverySeconds * 1e9) {
                    log.println(p.line());
                    lastLog = System.nanoTime();
                }
            }
            if (endEpoch(epoch, batches, classification)) {
                return new Result(history(), StopReason.EARLY_STOPPED, epochsDone, steps);
            }
        }
        return new Result(history(), StopReason.COMPLETED, epochsDone, steps);
    }

    /** Validation, history row, checkpoint, early stopping, listeners; true when early stopping ends the run. */
    private boolean endEpoch(int epoch, int batches, boolean classification) {
        Progress p = progress(epoch, batches);
        double valLoss = Double.NaN;
        double valAcc = Double.NaN;
        if (validation != null) {
            if (validation.isClassification()) {
                Evaluation ev = Evaluation.of(model, validation, evalBatchSize, loss, testTimeFlip);
                valLoss = ev.loss();
                valAcc = ev.accuracy();
            } else {
                valLoss = Evaluation.meanLoss(model, validation, evalBatchSize, loss);
            }
        }
        double[] row = {p.trainLoss(), classification ? p.trainAcc() : Double.NaN, valLoss, valAcc, optimizer.lr(),
                epochSeconds, p.imagesPerSecond()};
        history.intColumn(COLUMNS.get(0)).append(epoch);
        for (int i = 0; i < row.length; i++) {
            history.doubleColumn(COLUMNS.get(i + 1)).append(row[i]);
        }
        epochsDone = epoch;
        nextBatch = 0;
        epochLossSum = 0;
        epochCorrect = 0;
        epochSeen = 0;
        epochSeconds = 0;
        if (checkpoint != null) {
            TrainingState.capture(this).write(checkpoint);
        }
        // Buffers replaced during the epoch (smaller last batches) hold native memory that only a Java
        // garbage collection releases; the heap itself stays small, so ask for one now.
        if (buffersReplaced) {
            System.gc();
            buffersReplaced = false;
        }
        if (log != null) {
            log.println(String.format(Locale.ROOT,
                    "epoch %d/%d  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%%  %.1f s  %.0f examples/s",
                    epoch, epochs, row[0], 100 * row[1], valLoss, 100 * valAcc, row[5], row[6]));
        }
        for (TrainingListener l : listeners) {
            l.onEpoch(p, history());
        }
        boolean stopEarly = false;
        if (earlyStopping != null) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                metrics.put(COLUMNS.get(i + 1), row[i]);
            }
            Map<String, INDArray> state = Map.of("params", model.params(), "buffers", model.buffers());
            earlyStopping.update(epoch, metrics, state);
            if (earlyStopping.shouldStop()) {
                earlyStopping.restoreBest(state);
                stopEarly = true;
                if (log != null) {
                    log.println("early stopping: no improvement of " + earlyStopping.metric() + " for "
                            + earlyStopping.patience() + " epochs; restored epoch " + earlyStopping.bestEpoch());
                }
            }
        }
        return stopEarly;
    }

    private Progress progress(int epoch, int batches) {
        double ips = epochSeconds > 0 ? epochSeen / epochSeconds : Double.NaN;
        long perEpoch = (long) batches * batchSize < train.size() ? (long) batches * batchSize : train.size();
        long remaining = (long) (epochs - epoch) * perEpoch + (perEpoch - epochSeen);
        return new Progress(epoch, epochs, nextBatch, batches, epochLossSum / Math.max(1, epochSeen),
                (double) epochCorrect / Math.max(1, epochSeen), ips, remaining / ips, optimizer.lr());
    }

    private TrainingDivergedException diverged(int epoch, int batch, double l, String what) {
        return new TrainingDivergedException(epoch, batch, l, "training diverged at epoch " + epoch + ", batch "
                + batch + ": " + what + ", with " + optimizer.name() + " at lr " + optimizer.lr()
                + ". The model keeps its parameters from before this step. Try a smaller learning rate.");
    }
}
