import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

CELLS = [
md(r"""
# 06 — Regularization: fighting over-fitting

A network with many more parameters than training examples can learn its training set by heart, noise included,
and then does worse on new data than its training accuracy promises: it **over-fits**. Regularization is
everything we do to make it generalize instead. This notebook builds an over-fitting set-up on purpose, then tries
each classic remedy alone and in combination, and measures what each one does:

| technique | what it changes | in `descent` |
|---|---|---|
| L2 penalty | adds $\frac{\lambda}{2}\lVert w\rVert^2$ to the loss: small weights | `regularize.L2Penalty` |
| L1 penalty | adds $\lambda\lVert w\rVert_1$: many weights exactly (or nearly) zero | `regularize.L1Penalty` |
| dropout | zeroes random activations while training | `regularize.Dropout` |
| early stopping | stops when validation loss stops improving, keeps the best weights | `regularize.EarlyStopping` |
| data augmentation | trains on randomly shifted, flipped, noisy copies of the images | `regularize.RandomCrop`, `HorizontalFlip`, `GaussianNoise` |
| decoupled weight decay | shrinks weights outside the gradient (AdamW) | `regularize.DecoupledWeightDecay` |

Every comparative sentence below is checked by a cell that throws if it is false.
"""),
code(r"""
import descent.*;
import descent.plot.*;
import descent.loss.*;
import descent.check.GradientCheck;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import descent.regularize.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.util.*;

// Our arrays are tiny (at most 400 x 256): one thread is faster than two that must synchronise after every small
// operation, and it makes runs bit-for-bit repeatable.
Nd4j.getEnvironment().setMaxThreads(1);
Nd4j.getEnvironment().setMaxMasterThreads(1);
Nd4j.factory().blas().setMaxThreads(1);

int EPOCHS = Profile.pick(40, 100, 120);     // full-batch steps per training run
int SEEDS = Profile.pick(2, 3, 5);           // seeds for the AdamW comparison at the end
System.out.println("profile " + Profile.current().id() + ": " + EPOCHS + " epochs per run, " + SEEDS + " seeds");
"""),
md(r"""
## 1. An over-fitting set-up

The data: small grayscale images, $1 \times 16 \times 16$, of four shapes: a plus, a diagonal cross, a ring and a
square outline. Each image has a random size (half-width 3 to 5 pixels), a random position (within one pixel of the
centre), a random brightness, and strong Gaussian pixel noise ($\sigma = 0.5$, on shapes of brightness 0.6 to 1).
We train on only **96** images (24 per class) and measure on 400 validation images (used to choose: early stopping,
the best epoch) and 400 test images (used only to report). All three sets come from the same seeded generator.
"""),
code(r"""
int SIDE = 16, CLASSES = 4;
String[] CLASS_NAMES = {"plus", "cross", "ring", "square"};

/** Images [n, 1, 16, 16], their one-hot labels [n, 4] and class indices. */
record Images(INDArray x, INDArray oneHot, int[] label) {}

/** n images; image i shows shape i % 4 with half-width 3..5, centred within one pixel of (8, 8), plus noise. */
Images shapes(int n, double noise, long seed) {
    Random random = new Random(seed);
    double[] pixels = new double[n * SIDE * SIDE], oneHot = new double[n * CLASSES];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
        int k = i % CLASSES, s = 3 + random.nextInt(3);
        int cx = 7 + random.nextInt(3), cy = 7 + random.nextInt(3);
        double ink = 0.6 + 0.4 * random.nextDouble();
        for (int r = 0; r < SIDE; r++)
            for (int c = 0; c < SIDE; c++) {
                int dx = c - cx, dy = r - cy;
                boolean on = switch (k) {
                    case 0 -> (dx == 0 && Math.abs(dy) <= s) || (dy == 0 && Math.abs(dx) <= s);  // plus
                    case 1 -> Math.abs(dx) == Math.abs(dy) && Math.abs(dx) <= s;                  // cross
                    case 2 -> Math.abs(Math.hypot(dx, dy) - s) < 0.5;                             // ring
                    default -> Math.max(Math.abs(dx), Math.abs(dy)) == s;                         // square
                };
                pixels[(i * SIDE + r) * SIDE + c] = (on ? ink : 0) + noise * random.nextGaussian();
            }
        oneHot[i * CLASSES + k] = 1;
        label[i] = k;
    }
    return new Images(Nd4j.create(pixels, new long[] {n, 1, SIDE, SIDE}, 'c'),
            Nd4j.create(oneHot, new long[] {n, CLASSES}, 'c'), label);
}

double NOISE = 0.5;
Images train = shapes(96, NOISE, 1), valid = shapes(400, NOISE, 2), test = shapes(400, NOISE, 3);
System.out.println("train " + Arrays.toString(train.x().shape()) + ", validation " + Arrays.toString(valid.x().shape())
        + ", test " + Arrays.toString(test.x().shape()));
"""),
md(r"""
`descent.plot.ImageGrid` draws a batch $[N, C, H, W]$ (grayscale or RGB) as a grid with a caption under each image.
Top row: the first eight training images as the generator draws them before adding noise (the same seed with
`noise = 0` gives the same shapes); bottom row: the same eight as the network sees them. Each row has its own grey
scale (black = the row's smallest value). With this much noise the shapes are hard to see even for us.
"""),
code(r"""
import org.nd4j.linalg.indexing.NDArrayIndex;
Images clean = shapes(96, 0.0, 1);
String[] firstCaptions = new String[8];
for (int i = 0; i < 8; i++) firstCaptions[i] = CLASS_NAMES[train.label()[i]];
ImageGrid.of(clean.x().get(NDArrayIndex.interval(0, 8))).title("Training images before the noise").captions(firstCaptions)
""", tags=["expect-image"]),
code(r"""
ImageGrid.of(train.x().get(NDArrayIndex.interval(0, 8))).title("The same images with noise sigma = 0.5 (what the network sees)").captions(firstCaptions)
""", tags=["expect-image"]),
md(r"""
The model is deliberately too big for 96 examples: a multi-layer perceptron $256 \to 64 \to 64 \to 4$ with ReLU,
about 21 000 parameters, i.e. over 200 per training image. It is written out below, forward and backward, so that
you can see where each regularizer acts. Two lines are the lib's `Dropout` layers (identity when `p = 0`); the
penalties and weight decay act on the weight matrices $W_1, W_2, W_3$ only, not on the biases (the usual choice:
a bias does not multiply an input, so a large one does not make the function steeper).

$$h_1 = \mathrm{drop}(\mathrm{relu}(x W_1 + b_1)),\quad h_2 = \mathrm{drop}(\mathrm{relu}(h_1 W_2 + b_2)),\quad
z = h_2 W_3 + b_3,\quad L = \mathrm{CE}(z, y)$$

Backward, with $\delta$ the gradient arriving at a layer's output and $\odot$ the element-wise product:
$\partial L/\partial W_3 = h_2^\top \delta_z$, $\delta_{h_2} = \delta_z W_3^\top$, through dropout
$\delta \leftarrow \delta \odot \text{mask}$, through ReLU $\delta \leftarrow \delta \odot [z_2 > 0]$, and so on down.
"""),
code(r"""
int HIDDEN = 64;

class Mlp {
    final Map<String, INDArray> params = new LinkedHashMap<>();  // W1 b1 W2 b2 W3 b3, updated in place
    final Map<String, INDArray> grads = new LinkedHashMap<>();   // the same names, filled by backward
    final Dropout drop1, drop2;
    private INDArray x, z1, h1, z2, h2;                          // what backward needs from forward

    Mlp(int inputs, int hidden, int classes, double dropout, long seed) {
        Nd4j.getRandom().setSeed(seed);
        params.put("W1", Nd4j.randn(DataType.DOUBLE, inputs, hidden).muli(Math.sqrt(2.0 / inputs)));  // He init
        params.put("b1", Nd4j.zeros(DataType.DOUBLE, 1, hidden));
        params.put("W2", Nd4j.randn(DataType.DOUBLE, hidden, hidden).muli(Math.sqrt(2.0 / hidden)));
        params.put("b2", Nd4j.zeros(DataType.DOUBLE, 1, hidden));
        params.put("W3", Nd4j.randn(DataType.DOUBLE, hidden, classes).muli(Math.sqrt(1.0 / hidden)));
        params.put("b3", Nd4j.zeros(DataType.DOUBLE, 1, classes));
        drop1 = new Dropout(dropout, seed + 1);
        drop2 = new Dropout(dropout, seed + 2);
        eval();
    }

    INDArray forward(INDArray images) {
        x = images.reshape(images.size(0), -1);
        z1 = x.mmul(params.get("W1")).addiRowVector(params.get("b1"));
        h1 = drop1.forward(Transforms.relu(z1, true));
        z2 = h1.mmul(params.get("W2")).addiRowVector(params.get("b2"));
        h2 = drop2.forward(Transforms.relu(z2, true));
        return h2.mmul(params.get("W3")).addiRowVector(params.get("b3"));   // logits
    }

    void backward(INDArray dLogits) {
        grads.put("W3", h2.transpose().mmul(dLogits));
        grads.put("b3", dLogits.sum(true, 0));
        INDArray dz2 = drop2.backward(dLogits.mmul(params.get("W3").transpose())).muli(z2.gt(0).castTo(DataType.DOUBLE));
        grads.put("W2", h1.transpose().mmul(dz2));
        grads.put("b2", dz2.sum(true, 0));
        INDArray dz1 = drop1.backward(dz2.mmul(params.get("W2").transpose())).muli(z1.gt(0).castTo(DataType.DOUBLE));
        grads.put("W1", x.transpose().mmul(dz1));
        grads.put("b1", dz1.sum(true, 0));
    }

    void train() { if (drop1.p() > 0) { drop1.train(); drop2.train(); } }   // with p = 0 dropout stays the identity
    void eval()  { drop1.eval();  drop2.eval(); }

    /** The weight matrices (the live arrays): what penalties and weight decay act on. */
    Map<String, INDArray> weights() { return pick(params); }
    /** Their gradients (the live arrays), so a penalty can add to them in place. */
    Map<String, INDArray> weightGrads() { return pick(grads); }
    private static Map<String, INDArray> pick(Map<String, INDArray> m) {
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (String k : List.of("W1", "W2", "W3")) w.put(k, m.get(k));
        return w;
    }
}
System.out.println("parameters: " + new Mlp(SIDE * SIDE, HIDDEN, CLASSES, 0, 0).params.values().stream().mapToLong(INDArray::length).sum());
"""),
md(r"""
A backward pass written by hand deserves a check: `GradientCheck` compares it with central finite differences,
parameter by parameter, on a small instance of the same class (6 inputs, 5 hidden units, no dropout).
"""),
code(r"""
Loss crossEntropy = Losses.create("cross_entropy");
Mlp tiny = new Mlp(6, 5, 3, 0.0, 11);
Nd4j.getRandom().setSeed(12);
INDArray xs = Nd4j.randn(DataType.DOUBLE, 4, 1, 2, 3);
INDArray ys = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}});
tiny.backward(crossEntropy.gradient(tiny.forward(xs), ys));
double worstGradientError = 0;
for (String name : tiny.params.keySet()) {
    INDArray original = tiny.params.get(name).dup();
    GradientCheck.Result r = GradientCheck.check(
            p -> { tiny.params.get(name).assign(p); return crossEntropy.value(tiny.forward(xs), ys); },
            original, tiny.grads.get(name).dup());
    tiny.params.get(name).assign(original);
    System.out.println(name + ": " + r);
    worstGradientError = Math.max(worstGradientError, r.maxRelativeError());
}
if (worstGradientError > 1e-6)
    throw new IllegalStateException("the MLP's backward disagrees with finite differences: " + worstGradientError);
System.out.println(String.format("checked: every parameter's gradient matches finite differences (max relative error %.1e < 1e-6)", worstGradientError));
"""),
md(r"""
## 2. One training loop for every technique

`fit` trains one network with full-batch SGD with momentum (lr 0.05, momentum 0.9: `Optimizers.create("momentum")`)
and switches each regularizer on or off from a `Setup`. Read it once: every technique is one or two lines.

* penalties add their gradient to the weights' gradients: $g \leftarrow \nabla L + \lambda\,\mathrm{sign}(w)$ (L1),
  $g \leftarrow \nabla L + \lambda w$ (L2);
* decoupled weight decay shrinks the weights before the optimizer's step: $w \leftarrow (1 - \eta\lambda)\,w$;
* augmentation replaces the training batch by a random transformation of it, fresh every epoch;
* dropout lives inside the model (training mode during the step, eval mode when measuring);
* early stopping watches the validation loss after every epoch and restores the best weights at the end.

After each step it measures, in eval mode, loss and accuracy on the training and validation sets; the loss reported
is the cross-entropy alone (without the penalty), so that all runs are on one scale. A run whose logits stop being
finite is reported as diverged, not crashed.
"""),
code(r"""
/** What to switch on in one run. */
class Setup {
    final String name;
    String optimizer = "momentum";
    double lr = 0.05, l1, l2, decay, dropout, lossScale = 1;
    boolean augment, curves = true;   // curves = false: measure only at the end (faster)
    int patience, epochs = EPOCHS;
    Setup(String name) { this.name = name; }
    Setup l1(double lambda) { l1 = lambda; return this; }
    Setup l2(double lambda) { l2 = lambda; return this; }
    Setup decay(double lambda) { decay = lambda; return this; }
    Setup dropout(double p) { dropout = p; return this; }
    Setup augment() { augment = true; return this; }
    Setup earlyStopping(int patience) { this.patience = patience; return this; }
    Setup adam(double lr) { optimizer = "adam"; this.lr = lr; return this; }
    Setup lossScale(double c) { lossScale = c; return this; }   // train on c * loss (section 8)
    Setup noCurves() { curves = false; return this; }
}

/** Per-epoch measurements of one run. */
class History {
    final String name;
    final List<Double> trainLoss = new ArrayList<>(), validLoss = new ArrayList<>(), trainAcc = new ArrayList<>(),
            validAcc = new ArrayList<>(), stepLoss = new ArrayList<>();
    int restoredEpoch = -1;         // early stopping: the epoch whose weights were restored
    String diverged;                // null, or where it diverged
    double finalValidAcc, finalValidLoss, testAcc;
    Mlp net;
    Optimizer optimizer;
    History(String name) { this.name = name; }
    int epochs() { return stepLoss.size(); }
    int bestEpoch() { return 1 + validAcc.indexOf(Collections.max(validAcc)); }
}

double[] arr(List<Double> values) { return values.stream().mapToDouble(Double::doubleValue).toArray(); }
double[] epochAxis(int n) { double[] e = new double[n]; for (int i = 0; i < n; i++) e[i] = i + 1; return e; }

boolean finite(INDArray a) { for (double v : a.data().asDouble()) if (!Double.isFinite(v)) return false; return true; }

double accuracy(INDArray logits, int[] label) {
    INDArray predicted = logits.argMax(1);
    int correct = 0;
    for (int i = 0; i < label.length; i++) if (predicted.getInt(i) == label[i]) correct++;
    return (double) correct / label.length;
}

History fit(Setup s, long seed) {
    Mlp net = new Mlp(SIDE * SIDE, HIDDEN, CLASSES, s.dropout, seed);
    Optimizer opt = Optimizers.create(s.optimizer, Map.of("lr", s.lr));
    Penalty l1 = new L1Penalty(s.l1), l2 = new L2Penalty(s.l2);
    DecoupledWeightDecay decay = new DecoupledWeightDecay(s.decay);
    Augmentation augment = new RandomCrop(1, seed + 3).then(new HorizontalFlip(0.5, seed + 4)).then(new GaussianNoise(0.1, seed + 5));
    EarlyStopping stop = EarlyStopping.minimize("validation loss").patience(Math.max(1, s.patience));
    History h = new History(s.name);
    h.net = net;
    h.optimizer = opt;
    for (int epoch = 1; epoch <= s.epochs; epoch++) {
        net.train();
        INDArray batch = s.augment ? augment.apply(train.x()) : train.x();
        INDArray logits = net.forward(batch);
        if (!finite(logits)) { h.diverged = "epoch " + epoch; break; }
        h.stepLoss.add(crossEntropy.value(logits, train.oneHot()));
        net.backward(crossEntropy.gradient(logits, train.oneHot()).muli(s.lossScale));
        if (s.l1 > 0) l1.addGradientTo(net.weightGrads(), net.weights());
        if (s.l2 > 0) l2.addGradientTo(net.weightGrads(), net.weights());
        if (s.decay > 0) decay.apply(net.weights(), opt.lr());
        for (String name : net.params.keySet()) opt.step(net.params.get(name), net.grads.get(name));

        if (!s.curves && epoch < s.epochs) continue;
        net.eval();
        INDArray trainLogits = net.forward(train.x()), validLogits = net.forward(valid.x());
        if (!finite(validLogits)) { h.diverged = "epoch " + epoch; break; }
        h.trainLoss.add(crossEntropy.value(trainLogits, train.oneHot()));
        h.trainAcc.add(accuracy(trainLogits, train.label()));
        h.validLoss.add(crossEntropy.value(validLogits, valid.oneHot()));
        h.validAcc.add(accuracy(validLogits, valid.label()));
        if (s.patience > 0) {
            stop.update(epoch, h.validLoss.get(h.validLoss.size() - 1), net.params);
            if (stop.shouldStop()) break;
        }
    }
    if (h.diverged != null) { System.out.println(s.name + ": DIVERGED at " + h.diverged); return h; }
    if (s.patience > 0) h.restoredEpoch = stop.restoreBest(net.params);
    net.eval();
    INDArray validLogits = net.forward(valid.x());
    h.finalValidAcc = accuracy(validLogits, valid.label());
    h.finalValidLoss = crossEntropy.value(validLogits, valid.oneHot());
    h.testAcc = accuracy(net.forward(test.x()), test.label());
    return h;
}

Map<String, History> runs = new LinkedHashMap<>();
History run(Setup s) {
    long t0 = System.nanoTime();
    History h = fit(s, 7);
    runs.put(s.name, h);
    System.out.println(String.format("%-32s %3d epochs, final train acc %.3f, validation acc %.3f, %.1f s", s.name,
            h.epochs(), h.trainAcc.isEmpty() ? Double.NaN : h.trainAcc.get(h.trainAcc.size() - 1), h.finalValidAcc,
            (System.nanoTime() - t0) / 1e9));
    return h;
}
System.out.println("fit(...) defined");
"""),
md(r"""
### The baseline over-fits

No regularization at all. The training loss goes to zero and training accuracy to 100 %, while the validation loss,
after a first descent, turns **up**: the network becomes more and more confident on validation images it gets
wrong. That rising validation loss, with a gap between the two accuracies, is the signature of over-fitting.
"""),
code(r"""
History none = run(new Setup("no regularization"));
Plots.line("No regularization: training vs validation loss", "epoch", "cross-entropy loss")
     .series("training", epochAxis(none.trainLoss.size()), arr(none.trainLoss))
     .series("validation", epochAxis(none.validLoss.size()), arr(none.validLoss))
     .logY()
""", tags=["expect-image"]),
code(r"""
double noneTrainAcc = none.trainAcc.get(none.trainAcc.size() - 1);
double noneMinValidLoss = Collections.min(none.validLoss);
int noneMinEpoch = 1 + none.validLoss.indexOf(noneMinValidLoss);
if (noneTrainAcc < 0.99) throw new IllegalStateException("the baseline did not fit its training set: " + noneTrainAcc);
if (!(none.finalValidAcc < noneTrainAcc - 0.2))
    throw new IllegalStateException("no clear generalization gap: validation " + none.finalValidAcc + " vs training " + noneTrainAcc);
if (!(none.finalValidLoss > 1.2 * noneMinValidLoss && noneMinEpoch < EPOCHS / 2))
    throw new IllegalStateException("the validation loss did not turn up: min " + noneMinValidLoss + " at epoch " + noneMinEpoch + ", final " + none.finalValidLoss);
System.out.println(String.format("checked: training accuracy %.0f %% vs validation %.0f %%; validation loss lowest at epoch %d (%.3f), final %.3f (more than 1.2x higher)",
        100 * noneTrainAcc, 100 * none.finalValidAcc, noneMinEpoch, noneMinValidLoss, none.finalValidLoss));
"""),
md(r"""
## 3. L2 and L1 penalties

Both add a term to the loss that grows with the weights:

$$L_{\text{L2}}(w) = L(w) + \frac{\lambda}{2}\sum_i w_i^2, \qquad \nabla: \; \nabla L + \lambda w$$
$$L_{\text{L1}}(w) = L(w) + \lambda\sum_i |w_i|, \qquad \nabla: \; \nabla L + \lambda\,\mathrm{sign}(w)$$

The L2 pull on a weight is proportional to the weight: big weights shrink fast, small ones hardly at all, so L2
makes weights **small** but rarely zero. The L1 pull has the same size $\lambda$ for every non-zero weight, so a
weight whose data gradient is weaker than $\lambda$ is driven to zero (with SGD it then jitters around zero by about
$\eta\lambda$ per step): L1 makes weights **sparse**. `L2Penalty(λ)` has exactly torch's `SGD(weight_decay=λ)`
gradient; the strengths below ($\lambda_2 = 3\cdot10^{-2}$, $\lambda_1 = 3\cdot10^{-3}$) were picked by hand
from a few tries on the validation set.
"""),
code(r"""
History l2 = run(new Setup("L2 (lambda 3e-2)").l2(3e-2));
History l1 = run(new Setup("L1 (lambda 3e-3)").l1(3e-3));
Plots.line("Validation loss with weight penalties", "epoch", "validation cross-entropy loss")
     .series("no regularization", epochAxis(none.validLoss.size()), arr(none.validLoss))
     .series("L2 (lambda 3e-2)", epochAxis(l2.validLoss.size()), arr(l2.validLoss))
     .series("L1 (lambda 3e-3)", epochAxis(l1.validLoss.size()), arr(l1.validLoss))
""", tags=["expect-image"]),
md(r"""
The histograms of the first layer's 16 384 weights after training show the two different effects. The y axis is
logarithmic so that the tails remain visible; bins are 0.01 wide.
"""),
code(r"""
double[][] histogram(INDArray w, double lo, double hi, double width) {
    int bins = (int) Math.round((hi - lo) / width);
    double[] centre = new double[bins], count = new double[bins];
    for (int b = 0; b < bins; b++) centre[b] = lo + (b + 0.5) * width;
    for (double v : w.dup().data().asDouble()) {
        int b = (int) Math.floor((v - lo) / width);
        if (b >= 0 && b < bins) count[b]++;
    }
    return new double[][] {centre, count};
}
double[][] hNone = histogram(none.net.params.get("W1"), -0.305, 0.305, 0.01);
double[][] hL2 = histogram(l2.net.params.get("W1"), -0.305, 0.305, 0.01);
double[][] hL1 = histogram(l1.net.params.get("W1"), -0.305, 0.305, 0.01);
Plots.line("First-layer weights after training", "weight value (bins of 0.01)", "number of weights (log scale)")
     .seriesWithMarkers("no regularization", hNone[0], hNone[1])
     .seriesWithMarkers("L2 (lambda 3e-2)", hL2[0], hL2[1])
     .seriesWithMarkers("L1 (lambda 3e-3)", hL1[0], hL1[1])
     .logY()
""", tags=["expect-image"]),
code(r"""
double NEAR_ZERO = 1e-3;
long nearZero(Mlp net) {
    long n = 0;
    for (INDArray w : net.weights().values()) n += Arrays.stream(w.dup().data().asDouble()).filter(v -> Math.abs(v) < NEAR_ZERO).count();
    return n;
}
double weightNorm(Mlp net) {
    double sq = 0;
    for (INDArray w : net.weights().values()) sq += w.mul(w).sumNumber().doubleValue();
    return Math.sqrt(sq);
}
long weightCount = none.net.weights().values().stream().mapToLong(INDArray::length).sum();
Table weightTable = Table.create("Weights W1, W2, W3 after training (" + weightCount + " weights)",
        StringColumn.create("run", "no regularization", "L2 (lambda 3e-2)", "L1 (lambda 3e-3)"),
        DoubleColumn.create("weight norm ||w||_2", weightNorm(none.net), weightNorm(l2.net), weightNorm(l1.net)),
        LongColumn.create("weights with |w| < 1e-3 (count)", nearZero(none.net), nearZero(l2.net), nearZero(l1.net)),
        DoubleColumn.create("weights with |w| < 1e-3 (%)", 100.0 * nearZero(none.net) / weightCount,
                100.0 * nearZero(l2.net) / weightCount, 100.0 * nearZero(l1.net) / weightCount));
weightTable
""", tags=["expect-table"]),
code(r"""
if (!(weightNorm(l2.net) < weightNorm(none.net)))
    throw new IllegalStateException("L2 did not shrink the weights: " + weightNorm(l2.net) + " vs " + weightNorm(none.net));
if (!(nearZero(l1.net) > 5 * nearZero(l2.net) && nearZero(l1.net) > 5 * nearZero(none.net)))
    throw new IllegalStateException("L1 did not leave many more near-zero weights: L1 " + nearZero(l1.net) + ", L2 " + nearZero(l2.net) + ", none " + nearZero(none.net));
if (!(l2.finalValidLoss < none.finalValidLoss && l1.finalValidLoss < none.finalValidLoss))
    throw new IllegalStateException("a penalty did not lower the final validation loss");
System.out.println(String.format("checked: L2 weight norm %.1f < %.1f without penalty; L1 leaves %d near-zero weights, more than 5x L2's %d and the baseline's %d",
        weightNorm(l2.net), weightNorm(none.net), nearZero(l1.net), nearZero(l2.net), nearZero(none.net)));
System.out.println(String.format("checked: final validation loss %.3f (L2) and %.3f (L1) < %.3f (no penalty)", l2.finalValidLoss, l1.finalValidLoss, none.finalValidLoss));
"""),
md(r"""
## 4. Dropout

Inverted dropout (`Dropout(p)`, torch's `nn.Dropout`): in training, each activation is kept with probability
$1-p$ and the kept ones are scaled up so the expectation is unchanged; in evaluation it is the identity:

$$\text{train: } y_i = \frac{m_i\,x_i}{1-p},\; m_i \sim \text{Bernoulli}(1-p) \qquad\qquad \text{eval: } y = x$$

A network trained this way cannot rely on any single unit being present, which discourages the co-adapted,
memorizing features that over-fitting builds. First the layer on its own, on a vector of 10 000 ones with $p = 0.5$:
"""),
code(r"""
Dropout demo = new Dropout(0.5, 99);
INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, 10_000);
INDArray trained = demo.forward(ones);
double zeroFraction = trained.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
double keptValue = trained.maxNumber().doubleValue(), meanTrain = trained.meanNumber().doubleValue();
INDArray evaluated = demo.eval().forward(ones);
System.out.println(String.format("train mode: %.3f of the values are 0, the others are %.1f, mean %.3f", zeroFraction, keptValue, meanTrain));
System.out.println("eval mode: the output is the input itself: " + (evaluated == ones));
if (Math.abs(zeroFraction - 0.5) > 0.02 || keptValue != 2.0 || Math.abs(meanTrain - 1) > 0.04 || evaluated != ones)
    throw new IllegalStateException("dropout does not behave as stated");
System.out.println("checked: about half zeroed (within 0.02), survivors scaled to 1/(1-p) = 2, mean 1 within 0.04, identity in eval mode");
"""),
md(r"""
In a network, the same split shows in the training loss: during the update step (training mode) the network works
with half its units missing, so its loss is higher than the loss of the full network (eval mode) on the very same
training images. The chart shows both for a run with $p = 0.5$ on both hidden layers.
"""),
code(r"""
History dropout = run(new Setup("dropout (p 0.5)").dropout(0.5));
Plots.line("Dropout: the same training images in training and eval mode", "epoch", "training cross-entropy loss")
     .series("training mode (dropout on, the loss the step sees)", epochAxis(dropout.stepLoss.size()), arr(dropout.stepLoss))
     .series("eval mode (dropout off)", epochAxis(dropout.trainLoss.size()), arr(dropout.trainLoss))
     .logY()
""", tags=["expect-image"]),
code(r"""
int half = dropout.epochs() / 2;
double meanStep = Arrays.stream(arr(dropout.stepLoss.subList(half, dropout.epochs()))).average().orElseThrow();
double meanEval = Arrays.stream(arr(dropout.trainLoss.subList(half, dropout.epochs()))).average().orElseThrow();
if (!(meanStep > 2 * meanEval))
    throw new IllegalStateException("training-mode loss is not clearly above eval-mode loss: " + meanStep + " vs " + meanEval);
System.out.println(String.format("checked: over the second half of training, the training-mode loss (%.3f on average) is more than twice the eval-mode loss (%.3f)", meanStep, meanEval));
"""),
md(r"""
## 5. Early stopping

Since the validation loss of the baseline turns up after a while, we can simply stop there. `EarlyStopping`
watches the validation loss after every epoch, copies the weights whenever it improves, and asks to stop after
`patience` epochs (here 10) without improvement; `restoreBest` then puts the best epoch's weights back. The run below
is the baseline itself (same seed, same steps) with the stopping rule switched on.
"""),
code(r"""
History early = run(new Setup("early stopping (patience 10)").earlyStopping(10));
int stopEpoch = early.epochs();
Plots.line("Early stopping on the validation loss", "epoch", "validation cross-entropy loss")
     .series("no regularization (runs to the end)", epochAxis(none.validLoss.size()), arr(none.validLoss))
     .series("with early stopping (stopped at epoch " + stopEpoch + ")", epochAxis(early.validLoss.size()), arr(early.validLoss))
     .scatter("restored: epoch " + early.restoredEpoch, new double[] {early.restoredEpoch}, new double[] {early.validLoss.get(early.restoredEpoch - 1)})
     .legendOutside()
""", tags=["expect-image"]),
code(r"""
for (int e = 0; e < early.validLoss.size(); e++)
    if (!early.validLoss.get(e).equals(none.validLoss.get(e)))
        throw new IllegalStateException("the early-stopping run is not the baseline's run: they differ at epoch " + (e + 1));
double restoredLoss = early.validLoss.get(early.restoredEpoch - 1);
if (!(stopEpoch < EPOCHS && stopEpoch == early.restoredEpoch + 10))
    throw new IllegalStateException("early stopping did not stop 10 epochs after its best epoch: stopped " + stopEpoch + ", best " + early.restoredEpoch);
if (restoredLoss != Collections.min(early.validLoss) || Math.abs(early.finalValidLoss - restoredLoss) > 1e-12)
    throw new IllegalStateException("the restored weights are not those of the best epoch");
if (!(early.finalValidLoss < none.finalValidLoss))
    throw new IllegalStateException("early stopping did not end with a lower validation loss than the baseline");
System.out.println(String.format("checked: the run repeats the baseline exactly up to epoch %d, stops there (%d epochs after its best, epoch %d), and the restored model's validation loss %.3f is its minimum and below the baseline's final %.3f",
        stopEpoch, 10, early.restoredEpoch, early.finalValidLoss, none.finalValidLoss));
"""),
md(r"""
## 6. Data augmentation

The remedies so far limit the model; augmentation instead adds knowledge about the task: a shape moved by a pixel,
mirrored left-right or with a little more noise is still the same shape. (Mirroring is label-preserving here
because all four shapes are left-right symmetric; it would not be for digits.) Every epoch the training batch is
replaced by a fresh random transformation, pipeline `RandomCrop(padding 1)` → `HorizontalFlip(0.5)` →
`GaussianNoise(0.1)`:

$$\text{crop: } \tilde x = \mathrm{pad}_1(x)[i{:}i{+}16,\ j{:}j{+}16],\ i, j \sim \{0, 1, 2\} \qquad
\text{flip: } \tilde x[h, w] = x[h, 15-w] \text{ w.p. } \tfrac12 \qquad \text{noise: } \tilde x = x + 0.1\,z$$

To make the transformations visible we apply the pipeline to the noise-free versions of eight training images
(training applies it to the noisy ones). Top row: the images; bottom row: one draw of the pipeline (one grey scale for
both rows).
"""),
code(r"""
Augmentation pipeline = new RandomCrop(1, 100).then(new HorizontalFlip(0.5, 101)).then(new GaussianNoise(0.1, 102));
INDArray firstEight = clean.x().get(NDArrayIndex.interval(0, 8));
INDArray augmented = pipeline.apply(firstEight);
String[] captions = new String[16];
for (int i = 0; i < 8; i++) { captions[i] = firstCaptions[i]; captions[8 + i] = firstCaptions[i] + " (aug.)"; }
ImageGrid.of(Nd4j.concat(0, firstEight, augmented))
        .title("Noise-free training images (top) and one augmented draw of each (bottom)")
        .captions(captions)
        .columns(8)
""", tags=["expect-image"]),
code(r"""
History augment = run(new Setup("augmentation").augment());
Plots.line("Data augmentation", "epoch", "accuracy")
     .series("no regularization: training", epochAxis(none.trainAcc.size()), arr(none.trainAcc))
     .series("no regularization: validation", epochAxis(none.validAcc.size()), arr(none.validAcc))
     .series("augmentation: training", epochAxis(augment.trainAcc.size()), arr(augment.trainAcc))
     .series("augmentation: validation", epochAxis(augment.validAcc.size()), arr(augment.validAcc))
     .legendOutside()
""", tags=["expect-image"]),
md(r"""
## 7. Everything side by side, and a combination

The combination uses augmentation, dropout $p = 0.3$ and L2 with $\lambda = 3\cdot10^{-2}$ (chosen before looking at
the test set). The table lists, per technique, the last epoch's accuracies, the best validation accuracy seen during
training and its epoch, the final validation loss, and the test accuracy of the model each run returns (for early
stopping: the restored one).
"""),
code(r"""
History combo = run(new Setup("augmentation + dropout + L2").augment().dropout(0.3).l2(3e-2));
List<History> all = List.of(none, l2, l1, dropout, early, augment, combo);
Table summary = Table.create("Regularization techniques, " + EPOCHS + " full-batch epochs at most, 96 training images",
        StringColumn.create("technique", all.stream().map(h -> h.name).toArray(String[]::new)),
        IntColumn.create("epochs run", all.stream().mapToInt(History::epochs).toArray()),
        DoubleColumn.create("final training accuracy (%)", all.stream().mapToDouble(h -> 100 * h.trainAcc.get(h.trainAcc.size() - 1)).toArray()),
        DoubleColumn.create("final validation accuracy (%)", all.stream().mapToDouble(h -> 100 * h.finalValidAcc).toArray()),
        DoubleColumn.create("best validation accuracy (%)", all.stream().mapToDouble(h -> 100 * Collections.max(h.validAcc)).toArray()),
        IntColumn.create("epoch of best", all.stream().mapToInt(History::bestEpoch).toArray()),
        DoubleColumn.create("final validation loss", all.stream().mapToDouble(h -> h.finalValidLoss).toArray()),
        DoubleColumn.create("test accuracy (%)", all.stream().mapToDouble(h -> 100 * h.testAcc).toArray()));
summary
""", tags=["expect-table"]),
code(r"""
Plots.line("Validation accuracy per technique", "epoch", "validation accuracy")
     .series(none.name, epochAxis(none.validAcc.size()), arr(none.validAcc))
     .series(l2.name, epochAxis(l2.validAcc.size()), arr(l2.validAcc))
     .series(l1.name, epochAxis(l1.validAcc.size()), arr(l1.validAcc))
     .series(dropout.name, epochAxis(dropout.validAcc.size()), arr(dropout.validAcc))
     .series(augment.name, epochAxis(augment.validAcc.size()), arr(augment.validAcc))
     .series(combo.name, epochAxis(combo.validAcc.size()), arr(combo.validAcc))
     .legendOutside()
""", tags=["expect-image"]),
md(r"""
What the table says, checked below:

* **augmentation** helps most on its own: its final validation and test accuracies are the highest of the single
  techniques, well above the baseline. It is the only remedy that brings new information about the task;
* the **combination** (augmentation + dropout + L2) is far above the baseline (more than 10 points on validation
  and test) but **not clearly better than augmentation alone**: within 3 points of it on both, above on one measure
  and below on the other depending on the number of epochs. This is checked in the default and full profiles (100
  and 120 epochs); the combination fits the training set slowest of all (see its training accuracy) and the 40
  epochs of the smoke profile are too few for it;
* the **penalties and dropout** change the accuracy only a little here (see the table for the sign in this run);
  what they reliably do is lower the validation loss, i.e. make the network less over-confident (checked above for
  the penalties);
* **early stopping** returns the model with the lowest validation loss, but not a more accurate one: here the
  validation accuracy still creeps up after the validation loss has turned.
"""),
code(r"""
List<History> singles = List.of(l2, l1, dropout, early, augment);
for (History h : singles)
    if (h != augment && !(augment.finalValidAcc > h.finalValidAcc && augment.testAcc > h.testAcc))
        throw new IllegalStateException("augmentation is not the best single technique: " + h.name + " has validation " + h.finalValidAcc + ", test " + h.testAcc);
if (!(augment.finalValidAcc > none.finalValidAcc + 0.05 && augment.testAcc > none.testAcc + 0.05))
    throw new IllegalStateException("augmentation did not gain 5 points over the baseline");
boolean comboChecked = EPOCHS >= 100;   // the combination trains slowest: 40 smoke epochs are too few for it
if (comboChecked && !(combo.finalValidAcc > none.finalValidAcc + 0.1 && combo.testAcc > none.testAcc + 0.1))
    throw new IllegalStateException("the combination is not 10 points above the baseline");
if (comboChecked && !(Math.abs(combo.finalValidAcc - augment.finalValidAcc) <= 0.03 && Math.abs(combo.testAcc - augment.testAcc) <= 0.03))
    throw new IllegalStateException("the combination is not within 3 points of augmentation alone");
for (History h : List.of(l2, l1, dropout))
    if (Math.abs(h.finalValidAcc - none.finalValidAcc) > Math.abs(augment.finalValidAcc - none.finalValidAcc) / 2)
        throw new IllegalStateException(h.name + " changed validation accuracy by more than half of augmentation's gain");
if (!(early.finalValidAcc <= none.finalValidAcc))
    throw new IllegalStateException("early stopping's model is more accurate than the baseline's: the markdown says otherwise");
System.out.println(String.format("checked: augmentation %.1f %% validation / %.1f %% test beats every other single technique and the baseline (%.1f / %.1f) by more than 5 points",
        100 * augment.finalValidAcc, 100 * augment.testAcc, 100 * none.finalValidAcc, 100 * none.testAcc));
System.out.println(comboChecked
        ? String.format("checked: the combination reaches %.1f %% / %.1f %%: more than 10 points above the baseline, within 3 points of augmentation alone (%+.1f / %+.1f)",
                100 * combo.finalValidAcc, 100 * combo.testAcc, 100 * (combo.finalValidAcc - augment.finalValidAcc), 100 * (combo.testAcc - augment.testAcc))
        : String.format("not checked in this profile (%d epochs): the combination reaches %.1f %% / %.1f %% after too few epochs for it (training accuracy %.0f %%)",
                EPOCHS, 100 * combo.finalValidAcc, 100 * combo.testAcc, 100 * combo.trainAcc.get(combo.trainAcc.size() - 1)));
System.out.println("checked: L2, L1 and dropout each moved validation accuracy by less than half of augmentation's gain; early stopping's accuracy is not above the baseline's");
"""),
md(r"""
## 8. L2 penalty versus decoupled weight decay under Adam: why AdamW exists

With plain SGD, adding $\lambda w$ to the gradient (the L2 penalty) and shrinking the weights by $(1 - \eta\lambda)$
before the step (weight decay) are the same update. With Adam they are not. Adam divides each coordinate's step by
the root of its running mean of squared gradients $\sqrt{\hat v_i}$, and with the L2 penalty the $\lambda w$ term is
part of that gradient:

$$\text{Adam + L2:}\quad g = \nabla L + \lambda w,\qquad w \leftarrow w - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}
\quad\Rightarrow\quad\text{decay part of the step} \approx \eta\,\frac{\lambda\,w_i}{\sqrt{\hat v_i} + \epsilon}$$

$$\text{AdamW:}\quad w \leftarrow (1 - \eta\lambda)\,w,\qquad w \leftarrow w - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}
\quad(\hat m, \hat v \text{ from } \nabla L \text{ alone})$$

So under Adam + L2, a weight whose gradients are large (large $\hat v_i$) is barely decayed, and a weight whose
gradients are small is decayed hard: the regularization is rescaled per weight by $1/\sqrt{\hat v_i}$, which is not
what "penalize large weights" meant. Loshchilov and Hutter's AdamW decouples the decay so every weight shrinks by the
same factor. First, the lib's `DecoupledWeightDecay` followed by a plain Adam step is exactly torch's AdamW, as
implemented by `Optimizers.create("adamw")`:
"""),
code(r"""
Nd4j.getRandom().setSeed(5);
INDArray wA = Nd4j.randn(DataType.DOUBLE, 4, 3), wB = wA.dup();
Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
Optimizer adamw = Optimizers.create("adamw", Map.of("lr", 0.01, "weight_decay", 0.1));
DecoupledWeightDecay wd = new DecoupledWeightDecay(0.1);
for (int t = 0; t < 20; t++) {
    INDArray g = Nd4j.randn(DataType.DOUBLE, 4, 3);
    wd.apply(wA, adam.lr());   // w <- (1 - lr * lambda) w
    adam.step(wA, g);          // then Adam on the loss gradient alone
    adamw.step(wB, g);
}
double adamwDiff = wA.sub(wB).amaxNumber().doubleValue();
if (adamwDiff > 1e-12) throw new IllegalStateException("decay + Adam differs from AdamW by " + adamwDiff);
System.out.println(String.format("checked: 20 steps of DecoupledWeightDecay + Adam equal AdamW to %.1e (< 1e-12)", adamwDiff));
"""),
md(r"""
Now a network trained with Adam (lr $10^{-3}$, the same full-batch loop as before) and the L2 penalty with
$\lambda = 1$. After training, Adam's state holds $\hat v_i$ for every weight, so we can compute how strongly each
weight was actually decayed, $\lambda / (\sqrt{\hat v_i} + \epsilon)$, in units of AdamW's uniform $\lambda$. The
histogram is over the first layer's 16 384 weights, in bins of 0.1 on a log scale.
"""),
code(r"""
double ADAM_LR = 1e-3, LAMBDA = 1.0;
History adamL2 = fit(new Setup("Adam + L2").adam(ADAM_LR).l2(LAMBDA).noCurves(), 7);
descent.optim.Adam.State state = ((descent.optim.Adam) adamL2.optimizer).state(adamL2.net.params.get("W1"));
double biasCorrection = 1 - Math.pow(0.999, state.step);        // v_hat = v / (1 - beta2^t)
double[] relativeDecay = Transforms.sqrt(state.expAvgSq.div(biasCorrection)).addi(1e-8).rdivi(1.0).data().asDouble();
double[] logDecay = Arrays.stream(relativeDecay).map(Math::log10).toArray();
double[][] hDecay = histogram(Nd4j.createFromArray(logDecay), Math.floor(Arrays.stream(logDecay).min().orElseThrow()),
        Math.ceil(Arrays.stream(logDecay).max().orElseThrow()), 0.1);
Plots.line("Adam + L2: decay strength per weight", "log10 of the decay relative to AdamW's: log10(1 / (sqrt(v_hat) + eps))", "number of first-layer weights")
     .seriesWithMarkers("Adam + L2 (lambda 1), after " + EPOCHS + " steps", hDecay[0], hDecay[1])
     .series("AdamW: every weight at 0", new double[] {0, 0}, new double[] {0, Arrays.stream(hDecay[1]).max().orElseThrow()})
     .legendOutside()
""", tags=["expect-image"]),
code(r"""
double minDecay = Arrays.stream(relativeDecay).min().orElseThrow(), maxDecay = Arrays.stream(relativeDecay).max().orElseThrow();
if (!(maxDecay / minDecay > 10)) throw new IllegalStateException("the per-weight decay under Adam + L2 spans only a factor " + maxDecay / minDecay);
if (!(minDecay > 1)) throw new IllegalStateException("some weight is decayed less than under AdamW: " + minDecay);
System.out.println(String.format("checked: under Adam + L2 the most decayed first-layer weight gets %.0fx the decay of the least decayed (> 10x), and every weight more than AdamW's decay at the same lambda (at least %.1fx)",
        maxDecay / minDecay, minDecay));
"""),
md(r"""
Because the penalty's pull is divided by $\sqrt{\hat v}$, the strength of an L2 penalty under Adam depends on the
**scale of the loss**. Adam itself does not: multiply the loss by a constant $c$ and both $\hat m$ and
$\sqrt{\hat v}$ are multiplied by $c$, so the step $\hat m / (\sqrt{\hat v} + \epsilon)$ is unchanged (up to
$\epsilon$). AdamW's decay does not involve the gradient at all, so AdamW is unchanged too. Adam + L2, however,
adds $\lambda w$ to $c\,\nabla L$: scaling the loss by $c$ acts like dividing $\lambda$ by $c$. Summing a loss over a
batch instead of averaging it, or changing the batch size with a summed loss, does exactly this.

The experiment: the same network and the same $\lambda = 1$, trained on the loss as it is ($c = 1$) and on ten times
the loss ($c = 10$), over several seeds (the seed changes the initialization; the data stay the same).
"""),
code(r"""
record ScaleRun(String method, double c, int seed, double validAcc, double weightNorm) {}
List<ScaleRun> scaleRuns = new ArrayList<>();
long t0 = System.nanoTime();
for (int seed = 1; seed <= SEEDS; seed++)
    for (double c : new double[] {1, 10}) {
        History a = fit(new Setup("Adam + L2").adam(ADAM_LR).l2(LAMBDA).lossScale(c).noCurves(), 100 + seed);
        History b = fit(new Setup("AdamW").adam(ADAM_LR).decay(LAMBDA).lossScale(c).noCurves(), 100 + seed);
        for (History h : List.of(a, b)) {
            if (h.diverged != null) throw new IllegalStateException(h.name + " diverged at " + h.diverged + " (c = " + c + ", seed " + seed + ")");
            scaleRuns.add(new ScaleRun(h.name, c, seed, h.finalValidAcc, weightNorm(h.net)));
        }
    }
System.out.println(String.format("%d runs in %.1f s", scaleRuns.size(), (System.nanoTime() - t0) / 1e9));
Table scaleTable = Table.create("Adam + L2 and AdamW, lambda = 1, lr 1e-3, " + EPOCHS + " epochs, loss multiplied by c",
        StringColumn.create("method", scaleRuns.stream().map(ScaleRun::method).toArray(String[]::new)),
        DoubleColumn.create("loss scale c", scaleRuns.stream().mapToDouble(ScaleRun::c).toArray()),
        IntColumn.create("seed", scaleRuns.stream().mapToInt(ScaleRun::seed).toArray()),
        DoubleColumn.create("validation accuracy (%)", scaleRuns.stream().mapToDouble(r -> 100 * r.validAcc()).toArray()),
        DoubleColumn.create("weight norm ||W1, W2, W3||_2", scaleRuns.stream().mapToDouble(ScaleRun::weightNorm).toArray()));
scaleTable.sortOn("method", "loss scale c", "seed")
""", tags=["expect-table"]),
code(r"""
double mean(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN); }
double sd(List<Double> v) { double m = mean(v); return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / Math.max(1, v.size() - 1)); }
List<Double> select(String method, double c, java.util.function.ToDoubleFunction<ScaleRun> what) {
    return scaleRuns.stream().filter(r -> r.method().equals(method) && r.c() == c).map(r -> what.applyAsDouble(r)).toList();
}
Table scaleSummary = Table.create("Mean and standard deviation over " + SEEDS + " seeds",
        StringColumn.create("method"), DoubleColumn.create("loss scale c"),
        DoubleColumn.create("validation accuracy (%), mean"), DoubleColumn.create("validation accuracy (%), sd"),
        DoubleColumn.create("weight norm, mean"), DoubleColumn.create("weight norm, sd"));
for (String m : List.of("Adam + L2", "AdamW"))
    for (double c : new double[] {1, 10}) {
        scaleSummary.stringColumn(0).append(m);
        scaleSummary.doubleColumn(1).append(c);
        scaleSummary.doubleColumn(2).append(100 * mean(select(m, c, ScaleRun::validAcc)));
        scaleSummary.doubleColumn(3).append(100 * sd(select(m, c, ScaleRun::validAcc)));
        scaleSummary.doubleColumn(4).append(mean(select(m, c, ScaleRun::weightNorm)));
        scaleSummary.doubleColumn(5).append(sd(select(m, c, ScaleRun::weightNorm)));
    }
scaleSummary
""", tags=["expect-table"]),
md(r"""
Checked below, seed by seed: AdamW ends with the same weight norm (to 0.1 %) and the same validation accuracy (to
one image in 400) whether the loss is multiplied by 10 or not. Adam + L2 does not: with $c = 10$ the penalty is
effectively ten times weaker, and its validation accuracy changes by more than 5 points for every seed (the
tables show the direction and the weight norms).
"""),
code(r"""
double worstAdamWNorm = 0, worstAdamWAcc = 0, smallestL2AccChange = Double.POSITIVE_INFINITY;
for (int seed = 1; seed <= SEEDS; seed++) {
    int sd = seed;
    java.util.function.BiFunction<String, Double, ScaleRun> get = (m, c) -> scaleRuns.stream()
            .filter(r -> r.method().equals(m) && r.c() == c && r.seed() == sd).findFirst().orElseThrow();
    ScaleRun w1 = get.apply("AdamW", 1.0), w10 = get.apply("AdamW", 10.0), l1r = get.apply("Adam + L2", 1.0), l10 = get.apply("Adam + L2", 10.0);
    worstAdamWNorm = Math.max(worstAdamWNorm, Math.abs(w10.weightNorm() / w1.weightNorm() - 1));
    worstAdamWAcc = Math.max(worstAdamWAcc, Math.abs(w10.validAcc() - w1.validAcc()));
    smallestL2AccChange = Math.min(smallestL2AccChange, Math.abs(l10.validAcc() - l1r.validAcc()));
}
if (worstAdamWNorm > 1e-3 || worstAdamWAcc > 1.0 / 400 + 1e-12)
    throw new IllegalStateException(String.format("AdamW changed with the loss scale: norm by %.2e, accuracy by %.4f", worstAdamWNorm, worstAdamWAcc));
if (!(smallestL2AccChange > 0.05))
    throw new IllegalStateException("Adam + L2's validation accuracy changed by only " + smallestL2AccChange + " for some seed");
System.out.println(String.format("checked: for every seed AdamW's weight norm moves by at most %.1e (< 1e-3) and its accuracy by at most %.4f (<= one image) when the loss is scaled by 10",
        worstAdamWNorm, worstAdamWAcc));
System.out.println(String.format("checked: Adam + L2's validation accuracy moves by at least %.1f points for every seed (> 5)", 100 * smallestL2AccChange));
"""),
md(r"""
So why AdamW? Its decay means what it says: every weight shrinks by the same factor $(1 - \eta\lambda)$ per step,
whatever the size of its gradients and whatever the scale of the loss. Under Adam + L2, weights with large
gradients escape the penalty, weights with small gradients are crushed, and the whole effect moves with the loss
scale and drifts as $\hat v$ changes during training. One consequence for tuning: AdamW's total shrinkage over $T$
steps is about $e^{-\eta\lambda T}$, so the usual values $\lambda = 0.01$ to $0.1$ assume long trainings ($10^4$ to
$10^5$ steps); in our 40 to 120 steps a $\lambda$ that small would do almost nothing. Loshchilov and Hutter
(*Decoupled Weight Decay Regularization*, ICLR 2019) also report that with decoupling, good values of $\lambda$ and
$\eta$ become nearly independent and long trainings generalize better; that is their measurement, not this
notebook's.
"""),
md(r"""
## Summary

* An over-parameterized network on little data fits its training set perfectly and over-fits: the validation loss
  turns up while the training loss keeps falling.
* **L2** shrinks weights, **L1** zeroes many of them; both lower the validation loss (less over-confidence) but here
  barely move the accuracy. **Dropout** trains a network that works with missing units (training-mode loss above
  eval-mode loss). **Early stopping** returns the weights of the lowest validation loss, for free.
* **Data augmentation** encodes what we know about the task (small shifts and mirror images do not change the
  shape) and gave the largest gain; adding dropout and L2 on top of it did not clearly improve it further here.
* Under **Adam**, an L2 penalty is rescaled per weight by $1/\sqrt{\hat v}$, and its effect moves with the scale of
  the loss (multiplying the loss by 10 changed the validation accuracy by more than 5 points for every seed);
  **AdamW** decays all weights alike and did not notice the loss scale at all.

## Next

**07 — normalization**: scaling the inputs, and BatchNorm, LayerNorm and InstanceNorm inside the network.
"""),
]

if __name__ == "__main__":
    write("notebooks/06-regularization.ipynb", CELLS)
