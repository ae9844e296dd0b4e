package descent.train;

import descent.Interrupts;
import descent.data.Augmentation;
import descent.data.Cifar10;
import descent.nn.Sequential;
import descent.nn.SoftmaxCrossEntropy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Mini-batch training of a {@link Sequential} network on CIFAR-10 images.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(CifarNets.seed(DataType.FLOAT, 42))
 *     .train(train).test(test)
 *     .optimizer(new SgdMomentum(0.01, 0.9))
 *     .batchSize(128).epochs(10).augmentation(Augmentation.cropAndFlip(4)).seed(42)
 *     .checkpoint(Path.of("seed-cnn.ckpt")).resume(true)
 *     .listener(TrainingListener.everyBatch(p -> System.out.print("\r" + p.line())))
 *     .build();
 * Trainer.Result r = trainer.fit();
 * r.history();            // Table: epoch, train_loss, train_acc, test_loss, test_acc, seconds, img_per_s
 * }</pre>
 *
 * <p>One epoch: the training set in a random order (a permutation drawn from {@code seed} and the epoch number),
 * cut into batches (the last one may be smaller); for every batch, augmentation (random numbers from
 * {@code seed}, epoch, batch), forward, softmax cross-entropy, backward, one optimizer step. Then the test set
 * is evaluated (if given), a row is added to the history, the checkpoint is written (if set), and listeners are
 * told.
 *
 * <p>Reproducibility: every random choice is a function of {@code seed}, the epoch and the batch, so the same
 * seed on the same machine (same thread count) gives the same loss curve, and a run resumed from a checkpoint
 * continues exactly as if it had not stopped.
 *
 * <p>Stopping: {@link #stop()} (from any thread) or {@link Thread#interrupt()} of the training thread makes
 * {@link #fit()} return at the next batch boundary, with the model as after the last completed step. A later
 * {@code fit()} continues from that batch. After an interrupt the thread's interrupt status is set again on
 * return, as Java convention asks; call {@link Thread#interrupted()} to clear it.
 *
 * <p>Divergence guard: if the loss is NaN or infinite or exceeds {@link Builder#divergenceLimit} (default
 * {@code 100 ln 10 = 230}, a hundred times the loss of a uniform guess), or a gradient is not finite,
 * {@link TrainingDivergedException} is thrown before the step is applied.
 */
public final class Trainer {

    /** Why {@link #fit()} returned. */
    public enum StopReason { COMPLETED, STOPPED, INTERRUPTED }

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
            "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "img_per_s");

    private final Sequential model;
    private final Cifar10 train;
    private final Cifar10 test;
    private final UpdateRule optimizer;
    private final int batchSize;
    private final int evalBatchSize;
    private final int epochs;
    private final Augmentation augmentation;
    private final long seed;
    private final Path checkpoint;
    private final boolean resume;
    private final List<TrainingListener> listeners;
    private final PrintStream log;
    private final double logEverySeconds;
    private final double divergenceLimit;
    private final IntToDoubleFunction lrSchedule;

    private volatile boolean stopRequested;
    private Table history;
    private int epochsDone;
    private long steps;
    private boolean restored;
    // Position inside a partly done epoch (after stop/interrupt), so fit() can continue exactly.
    private int nextBatch;
    private double epochLossSum;
    private long epochCorrect;
    private long epochSeen;
    private double epochSeconds;

    private Trainer(Builder b) {
        this.model = b.model;
        this.train = b.train;
        this.test = b.test;
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.evalBatchSize = b.evalBatchSize > 0 ? b.evalBatchSize : b.batchSize;
        this.epochs = b.epochs;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
        this.checkpoint = b.checkpoint;
        this.resume = b.resume;
        this.listeners = List.copyOf(b.listeners);
        this.log = b.log;
        this.logEverySeconds = b.logEverySeconds;
        this.divergenceLimit = b.divergenceLimit;
        this.lrSchedule = b.lrSchedule;
        this.history = emptyHistory();
    }

    /** Starts configuring a trainer for {@code model}. */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /** Fluent configuration; {@link #train}, {@link #optimizer} are required. */
    public static final class Builder {
        private final Sequential model;
        private Cifar10 train;
        private Cifar10 test;
        private UpdateRule optimizer;
        private int batchSize = 128;
        private int evalBatchSize = 0;
        private int epochs = 1;
        private Augmentation augmentation = Augmentation.NONE;
        private long seed = 0;
        private Path checkpoint;
        private boolean resume;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private PrintStream log;
        private double logEverySeconds = 0;
        private double divergenceLimit = 100 * Math.log(10);
        private IntToDoubleFunction lrSchedule;

        private Builder(Sequential model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The training images. */
        public Builder train(Cifar10 data) {
            this.train = data;
            return this;
        }

        /** Images evaluated after every epoch (optional). */
        public Builder test(Cifar10 data) {
            this.test = data;
            return this;
        }

        public Builder optimizer(UpdateRule rule) {
            this.optimizer = rule;
            return this;
        }

        /** Images per training step (default 128). */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Images per evaluation batch (default: the training batch size). */
        public Builder evalBatchSize(int n) {
            this.evalBatchSize = n;
            return this;
        }

        /** Total epochs of the run, counting those restored from a checkpoint (default 1). */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** On-the-fly augmentation of training images (default none). */
        public Builder augmentation(Augmentation a) {
            this.augmentation = Objects.requireNonNull(a, "augmentation");
            return this;
        }

        /** Seed of shuffling, augmentation and dropout (the model's initialization has its own seed). */
        public Builder seed(long s) {
            this.seed = s;
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

        /** Learning rate per epoch (1-based), set on the optimizer at the start of each epoch. */
        public Builder lrSchedule(IntToDoubleFunction lrOfEpoch) {
            this.lrSchedule = lrOfEpoch;
            return this;
        }

        public Trainer build() {
            if (train == null) {
                throw new IllegalArgumentException("train(...) is required: the training images");
            }
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer(...) is required, e.g. new SgdMomentum(0.01, 0.9)");
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
            long[] in = model.inputShape();
            long[] out = model.outputShape();
            if (in.length != 3 || in[0] != Cifar10.HEIGHT || in[1] != Cifar10.WIDTH || in[2] != Cifar10.CHANNELS
                    || out.length != 1 || out[0] != Cifar10.NUM_CLASSES) {
                throw new IllegalArgumentException("the model must map [32, 32, 3] images to 10 logits, it maps "
                        + java.util.Arrays.toString(in) + " to " + java.util.Arrays.toString(out));
            }
            return new Trainer(this);
        }
    }

    private static Table emptyHistory() {
        return Table.create("history", IntColumn.create(COLUMNS.get(0)), DoubleColumn.create(COLUMNS.get(1)),
                DoubleColumn.create(COLUMNS.get(2)), DoubleColumn.create(COLUMNS.get(3)),
                DoubleColumn.create(COLUMNS.get(4)), DoubleColumn.create(COLUMNS.get(5)),
                DoubleColumn.create(COLUMNS.get(6)));
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
    public UpdateRule optimizer() {
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

    /** Evaluates the model on the test set (evaluation mode). */
    public Evaluation evaluate() {
        if (test == null) {
            throw new IllegalStateException("no test set: use .test(...) in the builder, or Evaluation.of(...)");
        }
        return Evaluation.of(model, test, evalBatchSize);
    }

    /**
     * Trains until {@code epochs} epochs are done (counting restored ones), or until stopped or interrupted.
     *
     * @throws TrainingDivergedException if the loss or a gradient stops being finite or the loss exceeds the
     *     divergence limit (the model keeps its parameters from before that step)
     */
    public Result fit() {
        return run(epochs);
    }

    /**
     * Like {@link #fit()} but trains at most {@code count} more epochs (never beyond {@code epochs}); for
     * interleaving training with other work, e.g. a benchmark that alternates frameworks epoch by epoch.
     */
    public Result fitEpochs(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("epoch count must be >= 0, got " + count);
        }
        if (resume && !restored && checkpoint != null && Files.exists(checkpoint)) {
            restore(Checkpoint.read(checkpoint));
            restored = true;
        }
        return run((int) Math.min(epochs, (long) epochsDone + count));
    }

    private Result run(int lastEpoch) {
        stopRequested = false;
        if (resume && !restored && checkpoint != null && Files.exists(checkpoint)) {
            restore(Checkpoint.read(checkpoint));
        }
        restored = true;
        int n = train.size();
        int batches = (n + batchSize - 1) / batchSize;
        int[] y = new int[batchSize];
        INDArray x = null;
        INDArray grad = null;
        INDArray buffersBefore = model.buffers().dup();
        long lastLog = System.nanoTime();
        for (int epoch = epochsDone + 1; epoch <= lastEpoch; epoch++) {
            if (nextBatch == 0 && lrSchedule != null) {
                optimizer.setLr(lrSchedule.applyAsDouble(epoch));
            }
            int[] order = permutation(n, mix(seed, epoch));
            while (nextBatch < batches) {
                if (stopRequested) {
                    return new Result(history(), StopReason.STOPPED, epochsDone, steps);
                }
                if (Interrupts.requested()) {   // the stop button, or Thread.interrupt()
                    return new Result(history(), StopReason.INTERRUPTED, epochsDone, steps);
                }
                long t0 = System.nanoTime();
                int b = nextBatch;
                int from = b * batchSize;
                int count = Math.min(batchSize, n - from);
                if (x == null || x.size(0) != count) {
                    x = Nd4j.create(model.dataType(), count, Cifar10.HEIGHT, Cifar10.WIDTH, Cifar10.CHANNELS);
                    grad = Nd4j.create(model.dataType(), count, Cifar10.NUM_CLASSES);
                }
                train.fillBatch(order, from, count, augmentation, new SplittableRandom(mix(seed, epoch, b)), x, y);
                model.reseed(mix(seed, epoch, b, 1));
                buffersBefore.assign(model.buffers());     // BatchNorm statistics, restored if the step fails
                INDArray logits = model.forward(x, true);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y, grad, null);
                if (!Double.isFinite(r.loss()) || r.loss() > divergenceLimit) {
                    model.buffers().assign(buffersBefore);
                    throw diverged(epoch, b + 1, r.loss(), "loss is " + r.loss()
                            + (Double.isFinite(r.loss()) ? " > divergence limit " + divergenceLimit : ""));
                }
                model.backward(grad);
                double gsum = model.grads().sumNumber().doubleValue();
                if (!Double.isFinite(gsum)) {
                    model.buffers().assign(buffersBefore);
                    throw diverged(epoch, b + 1, r.loss(), "a gradient is " + gsum + " (loss " + r.loss() + ")");
                }
                try {
                    optimizer.step(model.params(), model.grads());
                } catch (Interrupts.StopRequested e) {   // the stop button during this batch: it did not happen
                    model.buffers().assign(buffersBefore);
                    return new Result(history(), StopReason.INTERRUPTED, epochsDone, steps);
                }
                steps++;
                nextBatch++;
                epochLossSum += r.loss() * count;
                epochCorrect += r.correct();
                epochSeen += count;
                epochSeconds += (System.nanoTime() - t0) / 1e9;
                Progress p = progress(epoch, batches);
                for (TrainingListener l : listeners) {
                    l.onBatch(p);
                }
                if (log != null && logEverySeconds > 0 && System.nanoTime() - lastLog > logEverySeconds * 1e9) {
                    log.println(p.line());
                    lastLog = System.nanoTime();
                }
            }
            Progress p = progress(epoch, batches);
            double testLoss = Double.NaN;
            double testAcc = Double.NaN;
            if (test != null) {
                Evaluation ev = Evaluation.of(model, test, evalBatchSize);
                testLoss = ev.loss();
                testAcc = ev.accuracy();
            }
            history.intColumn(COLUMNS.get(0)).append(epoch);
            history.doubleColumn(COLUMNS.get(1)).append(p.trainLoss());
            history.doubleColumn(COLUMNS.get(2)).append(p.trainAcc());
            history.doubleColumn(COLUMNS.get(3)).append(testLoss);
            history.doubleColumn(COLUMNS.get(4)).append(testAcc);
            history.doubleColumn(COLUMNS.get(5)).append(epochSeconds);
            history.doubleColumn(COLUMNS.get(6)).append(p.imagesPerSecond());
            epochsDone = epoch;
            nextBatch = 0;
            epochLossSum = 0;
            epochCorrect = 0;
            epochSeen = 0;
            epochSeconds = 0;
            if (checkpoint != null) {
                toCheckpoint().write(checkpoint);
            }
            // Buffers replaced during the epoch (smaller last batches) hold native memory that only a Java
            // garbage collection releases; the heap itself stays small, so ask for one now.
            System.gc();
            if (log != null) {
                log.println(String.format(Locale.ROOT,
                        "epoch %d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1f s  %.0f img/s",
                        epoch, epochs, p.trainLoss(), 100 * p.trainAcc(), testLoss, 100 * testAcc,
                        history.doubleColumn(COLUMNS.get(5)).get(history.rowCount() - 1), p.imagesPerSecond()));
            }
            for (TrainingListener l : listeners) {
                l.onEpoch(p, history());
            }
        }
        return new Result(history(), StopReason.COMPLETED, epochsDone, steps);
    }

    private Progress progress(int epoch, int batches) {
        double ips = epochSeconds > 0 ? epochSeen / epochSeconds : Double.NaN;
        long remaining = (long) (epochs - epoch) * train.size() + (train.size() - epochSeen);
        return new Progress(epoch, epochs, nextBatch, batches, epochLossSum / Math.max(1, epochSeen),
                (double) epochCorrect / Math.max(1, epochSeen), ips, remaining / ips, optimizer.lr());
    }

    private TrainingDivergedException diverged(int epoch, int batch, double loss, String what) {
        return new TrainingDivergedException(epoch, batch, loss, "training diverged at epoch " + epoch + ", batch "
                + batch + ": " + what + ", with " + optimizer.name() + ". The model keeps its parameters from "
                + "before this step. Try a smaller learning rate.");
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    private Map<String, Object> config() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("model", model.describe());
        h.put("seed", seed);
        h.put("batchSize", batchSize);
        h.put("augmentation", augmentation.toString());
        h.put("trainSize", train.size());
        return h;
    }

    /** The state after the last completed epoch, as a checkpoint. */
    public Checkpoint toCheckpoint() {
        Map<String, Object> h = config();
        h.put("epochsDone", epochsDone);
        h.put("steps", steps);
        h.put("optimizer", optimizer.name());
        h.put("lr", optimizer.lr());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(COLUMNS.get(0), row.getInt(COLUMNS.get(0)));
            for (String c : COLUMNS.subList(1, COLUMNS.size())) {
                double v = row.getDouble(c);
                m.put(c, Double.isNaN(v) ? null : v);
            }
            rows.add(m);
        }
        h.put("history", rows);
        List<INDArray> arrays = new ArrayList<>(List.of(model.params(), model.buffers()));
        if (optimizer instanceof UpdateRule.HasState s) {
            arrays.addAll(s.state(model.params().length(), model.dataType()));
        }
        return new Checkpoint(h, arrays);
    }

    private void restore(Checkpoint c) {
        Map<String, Object> want = config();
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Object> e : want.entrySet()) {
            Object got = c.header().get(e.getKey());
            if (got == null || !String.valueOf(got).equals(String.valueOf(e.getValue()))) {
                diffs.add(e.getKey() + ": checkpoint has " + got + ", this trainer has " + e.getValue());
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " does not match this run; resuming would "
                    + "not continue the same training. Differences:\n  " + String.join("\n  ", diffs));
        }
        List<INDArray> a = c.arrays();
        model.params().assign(a.get(0).castTo(model.dataType()));
        model.buffers().assign(a.get(1).castTo(model.dataType()));
        if (optimizer instanceof UpdateRule.HasState s) {
            List<INDArray> state = s.state(model.params().length(), model.dataType());
            if (a.size() - 2 != state.size()) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " holds " + (a.size() - 2)
                        + " optimizer state arrays, " + optimizer.name() + " has " + state.size());
            }
            for (int i = 0; i < state.size(); i++) {
                state.get(i).assign(a.get(2 + i).castTo(model.dataType()).reshape(state.get(i).shape()));
            }
        } else if (log != null) {
            log.println("note: " + optimizer.name() + " exposes no state; it restarts from scratch");
        }
        optimizer.setLr(((Number) c.header().get("lr")).doubleValue());
        epochsDone = ((Number) c.header().get("epochsDone")).intValue();
        steps = ((Number) c.header().get("steps")).longValue();
        history = emptyHistory();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) c.header().get("history");
        for (Map<String, Object> row : rows) {
            history.intColumn(COLUMNS.get(0)).append(((Number) row.get(COLUMNS.get(0))).intValue());
            for (String col : COLUMNS.subList(1, COLUMNS.size())) {
                Object v = row.get(col);
                history.doubleColumn(col).append(v == null ? Double.NaN : ((Number) v).doubleValue());
            }
        }
        nextBatch = 0;
        if (log != null) {
            log.println("resumed from " + checkpoint + " after epoch " + epochsDone);
        }
    }

    /**
     * Cosine annealing per epoch: {@code lr(e) = lr0 * (1 + cos(pi * (e - 1) / epochs)) / 2} for epochs
     * {@code e = 1..epochs} (lr0 in the first epoch, close to 0 in the last).
     */
    public static IntToDoubleFunction cosine(double lr0, int epochs) {
        if (!(lr0 > 0) || epochs <= 0) {
            throw new IllegalArgumentException("cosine schedule needs lr0 > 0 and epochs > 0, got " + lr0 + ", " + epochs);
        }
        return e -> lr0 * (1 + Math.cos(Math.PI * (e - 1) / epochs)) / 2;
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** A Fisher-Yates permutation of 0..n-1 from a seed. */
    static int[] permutation(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Mixes numbers into one well-spread seed (SplitMix64 finalizer applied after each value). */
    static long mix(long... values) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : values) {
            h ^= v;
            h += 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h = h ^ (h >>> 31);
        }
        return h;
    }
}
