package descent.train;

import descent.data.Augmentation;
import descent.data.Cifar10;
import descent.nn.Sequential;
import descent.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model's predictions on a whole image set (evaluation mode: no dropout, BatchNorm running statistics, no
 * augmentation): accuracy, mean loss, confusion matrix, per-class accuracy and the misclassified images.
 *
 * <pre>{@code
 * Evaluation ev = Evaluation.of(net, test, 500);
 * ev.accuracy();          // 0.6712
 * ev.perClass();          // Table: class, name, correct, total, accuracy
 * ev.confusion()[3][5];   // cats predicted as dogs
 * }</pre>
 */
public final class Evaluation {

    private final int[] labels;
    private final int[] predicted;
    private final double loss;
    private final int numClasses;

    private Evaluation(int[] labels, int[] predicted, double loss, int numClasses) {
        this.labels = labels;
        this.predicted = predicted;
        this.loss = loss;
        this.numClasses = numClasses;
    }

    /** Runs {@code model} over {@code data} in batches of {@code batchSize}. */
    public static Evaluation of(Sequential model, Cifar10 data, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] labels = new int[n];
        int[] predicted = new int[n];
        double lossSum = 0;
        int[] y = new int[batchSize];
        int[] p = new int[batchSize];
        INDArray x = null;
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            if (x == null || x.size(0) != count) {
                x = Nd4j.create(model.dataType(), count, Cifar10.HEIGHT, Cifar10.WIDTH, Cifar10.CHANNELS);
            }
            data.fillBatch(order, from, count, Augmentation.NONE, null, x, y);
            INDArray logits = model.forward(x, false);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y, null, p);
            lossSum += r.loss() * count;
            System.arraycopy(y, 0, labels, from, count);
            System.arraycopy(p, 0, predicted, from, count);
        }
        return new Evaluation(labels, predicted, n == 0 ? Double.NaN : lossSum / n, Cifar10.NUM_CLASSES);
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

    /** Mean cross-entropy loss. */
    public double loss() {
        return loss;
    }

    /** Number of images evaluated. */
    public int size() {
        return labels.length;
    }

    /** Predicted class of every image, in data order. */
    public int[] predictions() {
        return predicted.clone();
    }

    /** {@code confusion()[t][p]}: number of images of true class t predicted as class p. Rows sum to class counts. */
    public int[][] confusion() {
        int[][] m = new int[numClasses][numClasses];
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
        for (int c = 0; c < numClasses; c++) {
            int total = 0;
            for (int v : m[c]) {
                total += v;
            }
            t.intColumn("class").append(c);
            t.stringColumn("name").append(Cifar10.CLASS_NAMES.get(c));
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
                t.stringColumn("true name").append(Cifar10.CLASS_NAMES.get(labels[i]));
                t.stringColumn("predicted name").append(Cifar10.CLASS_NAMES.get(predicted[i]));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Evaluation[%d images, accuracy %.4f, loss %.4f]",
                labels.length, accuracy(), loss);
    }
}
