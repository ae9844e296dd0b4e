package descent.train;

import descent.data.Augmentation;
import descent.data.CropAndFlip;
import descent.data.Dataset;
import descent.loss.Loss;
import descent.loss.Losses;
import descent.nn.Sequential;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model's predictions on a whole classification dataset (evaluation mode: no dropout, BatchNorm running
 * statistics, no augmentation): accuracy, mean loss, confusion matrix, per-class accuracy and the misclassified
 * examples. The predicted class is the arg-max of the model's output row, the true class the target's one-hot
 * position.
 *
 * <p><b>Test-time augmentation by horizontal flip</b> ({@link Tta#FLIP}, images only): the prediction for an
 * image is the average of the model's outputs (logits) on the image and on its mirror image,
 * <pre>
 *   out(x) = (model(x) + model(mirror(x))) / 2          mirror(x)[h, w, c] = x[h, W-1-w, c]
 * </pre>
 * and the loss is computed on that average. A network trained with random flips treats both orientations as the same
 * class, so averaging the two views usually gains a little accuracy at the cost of a second forward pass per batch
 * (David Page's ResNet-9 and airbench94 average logits over the image and its mirror).
 *
 * <p><b>Flip and translations</b> ({@link Tta#FLIP_TRANSLATE}, airbench94's {@code tta_level=2}): the flip average
 * of the image, weighted 1/2, plus the flip averages of its two diagonal 1-pixel shifts (borders reflected,
 * {@link CropAndFlip#shift}: {@code shift(x, d, d)[h, w] = x[h + d, w + d]}), weighted 1/4 each:
 * <pre>
 *   flip(x) = (model(x) + model(mirror(x))) / 2
 *   out(x)  = flip(x) / 2 + flip(shift(x, -1, -1)) / 4 + flip(shift(x, +1, +1)) / 4      (six forward passes)
 * </pre>
 *
 * <pre>{@code
 * Evaluation ev = Evaluation.of(net, test, 500);   // loss: cross-entropy
 * ev.accuracy();          // 0.6712
 * ev.perClass();          // Table: class, name, correct, total, accuracy
 * ev.confusion()[3][5];   // cats predicted as dogs
 * Evaluation.of(net, test, 500, Losses.create("cross_entropy"), true).accuracy();   // with flip TTA
 * Evaluation.of(net, test, 500, Losses.create("cross_entropy"), Evaluation.Tta.FLIP_TRANSLATE).accuracy();
 * }</pre>
 */
public final class Evaluation {

    /** Test-time augmentation: which views of each image are averaged (see the class comment). */
    public enum Tta {
        /** The image only: one forward pass. */
        NONE(1),
        /** The image and its mirror, averaged: two forward passes. */
        FLIP(2),
        /** The flip average of the image (1/2) and of its two diagonal 1-pixel shifts (1/4 each): six passes. */
        FLIP_TRANSLATE(6);

        private final int views;

        Tta(int views) {
            this.views = views;
        }

        /** Forward passes per image. */
        public int views() {
            return views;
        }

        /** The lowercase name, for tables, logs and JSON keys: {@code none}, {@code flip}, {@code flip_translate}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** {@link #FLIP} if {@code flip}, else {@link #NONE}. */
        public static Tta flip(boolean flip) {
            return flip ? FLIP : NONE;
        }
    }

    private final int[] labels;
    private final int[] predicted;
    private final double loss;
    private final List<String> classNames;

    private Evaluation(int[] labels, int[] predicted, double loss, List<String> classNames) {
        this.labels = labels;
        this.predicted = predicted;
        this.loss = loss;
        this.classNames = classNames;
    }

    /** Runs {@code model} over {@code data} in batches of {@code batchSize}; the loss is cross-entropy. */
    public static Evaluation of(Sequential model, Dataset data, int batchSize) {
        return of(model, data, batchSize, Losses.create("cross_entropy"));
    }

    /**
     * Runs {@code model} over {@code data} (a classification dataset: one-hot targets) in batches of
     * {@code batchSize}; {@link #loss()} is the mean of {@code loss} over all examples.
     */
    public static Evaluation of(Sequential model, Dataset data, int batchSize, Loss loss) {
        return of(model, data, batchSize, loss, false);
    }

    /**
     * As {@link #of(Sequential, Dataset, int, Loss)}; with {@code flipTta} each prediction is the average of the
     * model's outputs on the image and on its mirror image, and the loss is that of the average (see the class
     * comment): {@link #of(Sequential, Dataset, int, Loss, Tta)} with {@link Tta#FLIP} or {@link Tta#NONE}.
     *
     * @throws IllegalArgumentException if {@code flipTta} and the examples are not images {@code [h, w, c]}
     */
    public static Evaluation of(Sequential model, Dataset data, int batchSize, Loss loss, boolean flipTta) {
        return of(model, data, batchSize, loss, Tta.flip(flipTta));
    }

    /**
     * As {@link #of(Sequential, Dataset, int, Loss)}, each prediction averaged over the views of {@code tta}; the
     * loss is that of the average (see the class comment).
     *
     * @throws IllegalArgumentException if {@code tta} is not {@link Tta#NONE} and the examples are not images
     *     {@code [h, w, c]}
     */
    public static Evaluation of(Sequential model, Dataset data, int batchSize, Loss loss, Tta tta) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        if (!data.isClassification()) {
            throw new IllegalArgumentException("Evaluation needs a classification dataset (one-hot targets); for "
                    + "other targets use Evaluation.meanLoss");
        }
        int[] labels = new int[data.size()];
        int[] predicted = new int[data.size()];
        double mean = meanLoss(model, data, batchSize, loss, tta, (from, out, y) -> {
            argMaxRows(out, predicted, from);
            argMaxRows(y, labels, from);
        });
        return new Evaluation(labels, predicted, mean, data.classNames());
    }

    /** What {@link #meanLoss} hands over per batch: the first example's index, the outputs and the targets. */
    interface BatchSink {
        void accept(int from, INDArray output, INDArray targets);
    }

    /** The mean of {@code loss} over {@code data} (evaluation mode, in batches), for any kind of target. */
    public static double meanLoss(Sequential model, Dataset data, int batchSize, Loss loss) {
        return meanLoss(model, data, batchSize, loss, Tta.NONE, null);
    }

    static double meanLoss(Sequential model, Dataset data, int batchSize, Loss loss, Tta tta, BatchSink sink) {
        if (tta == null) {
            throw new IllegalArgumentException("test-time augmentation must be one of " + java.util.Arrays.toString(
                    Tta.values()) + ", got null");
        }
        if (tta != Tta.NONE && data.featureShape().length != 3) {
            throw new IllegalArgumentException("test-time augmentation (" + tta + ") needs images [height, width, "
                    + "channels], got examples of shape " + java.util.Arrays.toString(data.featureShape()));
        }
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        INDArray x = null;
        INDArray y = null;
        INDArray mirrored = null;
        INDArray shifted = null;
        INDArray mean = null;
        INDArray views = null;
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            if (x == null || x.size(0) != count) {
                x = Nd4j.create(model.dataType(), data.featureBatchShape(count));
                y = Nd4j.create(model.dataType(), data.targetBatchShape(count));
            }
            data.fill(order, from, count, Augmentation.NONE, null, x, y);
            INDArray out;
            if (tta == Tta.NONE) {
                out = model.forward(x, false);
            } else {
                INDArray first = model.forward(x, false);
                if (mean == null || mean.size(0) != count) {
                    mirrored = x.ulike();
                    shifted = x.ulike();
                    mean = Nd4j.create(first.dataType(), first.shape());
                    views = mean.ulike();
                }
                mean.assign(first);                           // the output is the model's buffer: copy it
                CropAndFlip.mirror(x, mirrored);
                mean.addi(model.forward(mirrored, false)).muli(0.5);
                if (tta == Tta.FLIP_TRANSLATE) {
                    mean.muli(0.5);
                    for (int d : new int[] {-1, 1}) {
                        CropAndFlip.shift(x, d, d, shifted);
                        views.assign(model.forward(shifted, false));
                        CropAndFlip.mirror(shifted, mirrored);
                        views.addi(model.forward(mirrored, false));
                        mean.addi(views.muli(0.125));
                    }
                }
                out = mean;
            }
            lossSum += loss.value(out, y) * count;
            if (sink != null) {
                sink.accept(from, out, y);
            }
        }
        return n == 0 ? Double.NaN : lossSum / n;
    }

    /** Arg-max of every row of {@code a} ({@code [rows, classes]}) into {@code into[offset ...]}; NaN counts as max. */
    static void argMaxRows(INDArray a, int[] into, int offset) {
        int rows = (int) a.size(0);
        int k = (int) (a.length() / rows);
        double[] v = a.dup('c').data().asDouble();
        for (int r = 0; r < rows; r++) {
            int arg = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double z = v[r * k + c];
                if (z > max || Double.isNaN(z)) {
                    max = z;
                    arg = c;
                    if (Double.isNaN(z)) {
                        break;
                    }
                }
            }
            into[offset + r] = arg;
        }
    }

    /** Fraction of images whose arg-max prediction is the label. */
    public double accuracy() {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }

    /** Mean loss over all examples. */
    public double loss() {
        return loss;
    }

    /** Number of examples evaluated. */
    public int size() {
        return labels.length;
    }

    /** Predicted class of every image, in data order. */
    public int[] predictions() {
        return predicted.clone();
    }

    /** {@code confusion()[t][p]}: number of images of true class t predicted as class p. Rows sum to class counts. */
    public int[][] confusion() {
        int[][] m = new int[classNames.size()][classNames.size()];
        for (int i = 0; i < labels.length; i++) {
            m[labels[i]][predicted[i]]++;
        }
        return m;
    }

    /** One row per class: class, name, correct, total, accuracy. */
    public Table perClass() {
        int[][] m = confusion();
        Table t = Table.create("per-class accuracy", IntColumn.create("class"), StringColumn.create("name"),
                IntColumn.create("correct"), IntColumn.create("total"), DoubleColumn.create("accuracy"));
        for (int c = 0; c < classNames.size(); c++) {
            int total = 0;
            for (int v : m[c]) {
                total += v;
            }
            t.intColumn("class").append(c);
            t.stringColumn("name").append(classNames.get(c));
            t.intColumn("correct").append(m[c][c]);
            t.intColumn("total").append(total);
            t.doubleColumn("accuracy").append(total == 0 ? Double.NaN : (double) m[c][c] / total);
        }
        return t;
    }

    /** The misclassified images: index (in the evaluated set), true and predicted class and their names. */
    public Table misclassified() {
        Table t = Table.create("misclassified", IntColumn.create("index"), IntColumn.create("true"),
                IntColumn.create("predicted"), StringColumn.create("true name"), StringColumn.create("predicted name"));
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != predicted[i]) {
                t.intColumn("index").append(i);
                t.intColumn("true").append(labels[i]);
                t.intColumn("predicted").append(predicted[i]);
                t.stringColumn("true name").append(classNames.get(labels[i]));
                t.stringColumn("predicted name").append(classNames.get(predicted[i]));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Evaluation[%d examples, accuracy %.4f, loss %.4f]",
                labels.length, accuracy(), loss);
    }
}
