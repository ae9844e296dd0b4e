import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

write("notebooks/09-cifar10-cnn.ipynb", [
md(r"""
# 09 — A convolutional network on CIFAR-10, end to end

Everything from the earlier notebooks comes together here: a real image data set, data augmentation, input
normalization, a convolutional network, mini-batch SGD with momentum, a learning-rate schedule, weight decay,
BatchNorm and dropout, and an honest evaluation on images the network never saw.

The plan:

1. **Data.** CIFAR-10: 60,000 colour photos of 32x32 pixels in 10 classes. We look at them, and at how they are
   stored.
2. **Augmentation.** Random crops and mirror images: more training images for free.
3. **Normalization.** Per-channel mean and standard deviation, and what the usual constants really do.
4. **A seed CNN** (two convolutions, two fully connected layers), trained live: one chart of loss and accuracy,
   redrawn while it learns.
5. **A stronger CNN** (VGG-style, BatchNorm, dropout), trained the same way.
6. **Evaluation.** Test accuracy, accuracy per class, the confusion matrix, the images it gets wrong, and a table
   of results with training time and throughput.

**Profiles.** `smoke` (what the tests run) trains on a few hundred *generated* images in CIFAR-10's file format
(coloured stripes, checkerboards and discs, one pattern and colour per class), so it needs no download and runs in
seconds. `default` (Binder, a laptop) uses 5,120 real training and 1,000 test images and a few epochs, in minutes.
`full` uses all 50,000 training and 10,000 test images (35 minutes here, on one thread).

**The outputs you see were produced by a `full` run** on the CIFAR-10 files in `../shared/data/cifar-10/`. Those
files are a *rebuilt* copy of CIFAR-10 in the official binary format, not byte-identical to the official archive:
most images went through lossy JPEG compression on the way (the `README.md` next to them explains how they were
assembled and checked). Accuracies measured on them can differ slightly from numbers measured on the official files.
"""),
md(r"""
## 1. Set-up

The network code is `descent.nn` (layers with hand-written backward passes, in `float`), the training loop is
`descent.train.Trainer`, the data is `descent.data.Cifar10`.

**Threads.** ND4J runs its kernels (oneDNN convolutions, OpenBLAS matrix products) in OpenMP thread teams whose
threads *spin* while they wait for each other. On a machine whose cores are also busy with other work (a shared
Binder node, a laptop compiling something), more threads than free cores can make training much *slower* (the Javadoc of
`descent.nn.Backend` explains). This notebook therefore uses **one thread** unless the environment variable
`DESCENT_THREADS` says otherwise; on an idle machine with several cores, try `DESCENT_THREADS=2` or more.
The thread setting belongs to the thread that runs a cell, so the training cells set it again.
"""),
code(r"""
import descent.*;
import descent.data.*;
import descent.nn.*;
import descent.train.*;
import descent.plot.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.*;

Profile profile = Profile.current();
boolean realData = profile != Profile.SMOKE;   // smoke trains on generated images
int threads = Integer.parseInt(System.getenv().getOrDefault("DESCENT_THREADS", "1"));
Backend.setThreads(threads);
Nd4j.getRandom().setSeed(42);
System.out.println("profile: " + profile.id() + "; threads: " + threads + " (of " + Runtime.getRuntime().availableProcessors()
        + " cores); oneDNN helpers " + (Backend.helpersAllowed() ? "on" : "off"));
"""),
md(r"""
## 2. The data

CIFAR-10 (Krizhevsky, 2009) has 50,000 training and 10,000 test images, 32x32 pixels, RGB, in ten classes. The
binary files hold one record per image, with no header:

$$\underbrace{\text{label}}_{1\text{ byte}}\;\underbrace{R_{0,0}\dots R_{31,31}}_{1024\text{ bytes}}\;
\underbrace{G_{0,0}\dots G_{31,31}}_{1024\text{ bytes}}\;\underbrace{B_{0,0}\dots B_{31,31}}_{1024\text{ bytes}}$$

`Cifar10` keeps the images as these bytes (150 MB for the training set) and makes floats only per mini-batch.

Where the files are looked for (`default` and `full`): the folder named by the environment variable
`DESCENT_CIFAR_DIR` if it is set, else `../shared/data/cifar-10` next to this repository (the notebook runs in
`notebooks/`, so that is `../../shared/data/cifar-10` from here). The folder may hold `data_batch_1.bin` …
`data_batch_5.bin` and `test_batch.bin` (each may be gzipped, `.bin.gz`) or the official
`cifar-10-binary.tar.gz`. If neither exists, `Cifar10.train()` looks in the cache (`$DESCENT_DATA`, else
`~/.cache/descent`) and downloads the official archive there; its error message says what to do if that fails.
"""),
code(r"""
/** The folder with the real CIFAR-10 files: $DESCENT_CIFAR_DIR, else ../shared/data/cifar-10 next to the repository. */
Path cifarDir() {
    String env = System.getenv("DESCENT_CIFAR_DIR");
    if (env != null && !env.isBlank()) return Path.of(env);
    return Path.of("../../shared/data/cifar-10").toAbsolutePath().normalize();   // cwd is notebooks/
}

Cifar10 trainAll, testAll;
if (!realData) {
    Path fixture = Scratch.directory("cifar10-fixture");   // a temporary folder, removed when the kernel exits
    Cifar10Fixtures.writeFolder(fixture, 400, 200, 7, true);    // generated, learnable, same file format
    trainAll = Cifar10.train(fixture);
    testAll = Cifar10.test(fixture);
} else if (Files.isDirectory(cifarDir())) {
    // default needs only 512 images per class: the first of the five training files has enough (about 1,000
    // per class), and reading one file instead of five keeps memory low on Binder
    Path firstFile = Files.exists(cifarDir().resolve("data_batch_1.bin.gz")) ? cifarDir().resolve("data_batch_1.bin.gz")
            : cifarDir().resolve("data_batch_1.bin");
    trainAll = profile == Profile.DEFAULT && Files.exists(firstFile) ? Cifar10.load(firstFile, Cifar10.Split.TRAIN)
            : Cifar10.train(cifarDir());
    testAll = Cifar10.test(cifarDir());
} else {
    System.out.println("No CIFAR-10 folder at " + cifarDir() + ".\n"
            + "Put data_batch_1.bin ... data_batch_5.bin and test_batch.bin (or .bin.gz, or cifar-10-binary.tar.gz) "
            + "there, or set DESCENT_CIFAR_DIR to their folder. Trying the cache (and a download) next.");
    trainAll = Cifar10.train();
    testAll = Cifar10.test();
}
// default: the first 512 training and 100 test images of every class; smoke and full: everything loaded
Cifar10 train = profile == Profile.DEFAULT ? trainAll.perClass(512) : trainAll;
Cifar10 test = profile == Profile.DEFAULT ? testAll.perClass(100) : testAll;
trainAll = null; testAll = null;     // the subsets are copies; let the rest go
System.out.println("train: " + train);
System.out.println("test:  " + test);
"""),
code(r"""
Table counts = Table.create("Images per class",
        IntColumn.create("label", java.util.stream.IntStream.range(0, 10).toArray()),
        StringColumn.create("class", Cifar10.CLASS_NAMES),
        IntColumn.create("training images", train.classCounts()),
        IntColumn.create("test images", test.classCounts()));
counts
""", tags=["expect-table"]),
md(r"""
### Looking at the images

Because each record stores the red, green and blue planes one after the other, the bytes of $N$ images are already
an array of shape $[N, 3, 32, 32]$ (channels first): dividing by 255 gives intensities in $[0, 1]$ that
`ImageGrid` draws directly. One row per class:
"""),
code(r"""
/** Images idx of d as an [N, 3, 32, 32] array in [0, 1]: the record bytes are the R, G, B planes, row by row. */
INDArray pixels01(Cifar10 d, int[] idx) {
    byte[] bytes = new byte[idx.length * Cifar10.IMAGE_BYTES];
    for (int k = 0; k < idx.length; k++) d.copyImage(idx[k], bytes, k * Cifar10.IMAGE_BYTES);
    double[] v = new double[bytes.length];
    for (int i = 0; i < v.length; i++) v[i] = (bytes[i] & 0xFF) / 255.0;
    return Nd4j.createFromArray(v).reshape(idx.length, 3, 32, 32);
}

/** The first n indices of each class, class by class. */
int[] firstPerClass(Cifar10 d, int n) {
    int[] idx = new int[10 * n];
    int[] taken = new int[10];
    for (int i = 0; i < d.size(); i++) {
        int c = d.label(i);
        if (taken[c] < n) idx[c * n + taken[c]++] = i;
    }
    return idx;
}

int perRow = 8;
int[] shown = firstPerClass(train, perRow);
String[] names = Arrays.stream(shown).mapToObj(i -> Cifar10.CLASS_NAMES.get(train.label(i))).toArray(String[]::new);
ImageGrid.of(pixels01(train, shown)).range(0, 1).columns(perRow).captions(names)
         .title("The first " + perRow + " training images of each class")
""", tags=["expect-image"]),
md(r"""
A check that we read the layout right: `Cifar10.toImage(i)` builds a picture from the same record with its own
indexing ($R$ plane, then $G$, then $B$). Our $[N, 3, 32, 32]$ array must agree with it on every pixel of every
image shown above.
"""),
code(r"""
INDArray shownPixels = pixels01(train, shown);
int mismatches = 0;
for (int k = 0; k < shown.length; k++) {
    java.awt.image.BufferedImage img = train.toImage(shown[k]);
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 32; x++) {
            int rgb = img.getRGB(x, y);
            int[] channel = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
            for (int c = 0; c < 3; c++)
                if (Math.round(shownPixels.getDouble(k, c, y, x) * 255) != channel[c]) mismatches++;
        }
}
if (mismatches != 0) throw new IllegalStateException(mismatches + " pixel values differ from Cifar10.toImage");
System.out.println("checked: all " + shown.length + " x 3 x 32 x 32 values agree with Cifar10.toImage");
"""),
md(r"""
## 3. Augmentation: random crops and mirror images

A photo of a cat shifted by two pixels, or mirrored left to right, is still a photo of a cat. Training on such
variants, drawn fresh every epoch, shows the network more distinct images than the data set holds and makes it
less sensitive to where an object sits. The classic CIFAR-10 recipe (torchvision's `RandomCrop(32, padding=4)`
then `RandomHorizontalFlip()`): pad the image with $p = 4$ black pixels on every side, cut a random 32x32 window
out of the padded 40x40 image, and mirror it with probability 1/2:

$$d_y, d_x \sim \mathcal{U}\{-p, \dots, p\},\qquad f \sim \text{Bernoulli}(\tfrac12),\qquad
\text{out}[h][w] = \text{image}\big[h + d_y\big]\big[(f\,?\,31 - w : w) + d_x\big],$$

with black wherever $h + d_y$ or the column falls outside $0..31$. `Augmentation.cropAndFlip(4)` is this recipe;
`Cifar10.fillBatch` applies it while it converts a batch to normalized floats (in the channels-last layout
$[N, 32, 32, 3]$ that `descent.nn` works in). To look at the result we undo the normalization
($x \cdot \sigma_c + \mu_c$, section 4).
"""),
code(r"""
/** Normalized channels-last images [N, 32, 32, 3] back to intensities in [0, 1]: x * STD[c] + MEAN[c]. */
INDArray denormalize(INDArray nhwc) {
    INDArray flat = nhwc.castTo(DataType.DOUBLE).reshape(-1, 3);
    INDArray out = flat.mulRowVector(Nd4j.createFromArray(Cifar10.STD)).addRowVector(Nd4j.createFromArray(Cifar10.MEAN));
    return out.reshape(nhwc.shape());
}

/** Image i of d, normalized, with augmentation aug drawn from rng: [1, 32, 32, 3]. */
INDArray oneImage(Cifar10 d, int i, Augmentation aug, SplittableRandom rng) {
    INDArray x = Nd4j.create(DataType.FLOAT, 1, 32, 32, 3);
    d.fillBatch(new int[] {i}, 0, 1, aug, rng, x, new int[1]);
    return x;
}

int[] augShown = {shown[0], shown[3 * perRow], shown[7 * perRow], shown[9 * perRow]};   // airplane, cat, horse, truck
int variants = 5;
Augmentation cropFlip = Augmentation.cropAndFlip(4);
SplittableRandom augRng = new SplittableRandom(42);
List<INDArray> augImages = new ArrayList<>();
List<String> augCaptions = new ArrayList<>();
for (int i : augShown) {
    augImages.add(oneImage(train, i, Augmentation.NONE, null));
    augCaptions.add("original " + Cifar10.CLASS_NAMES.get(train.label(i)));
    for (int v = 1; v <= variants; v++) {
        augImages.add(oneImage(train, i, cropFlip, augRng));
        augCaptions.add(cropFlip.padding() + "px crop+flip #" + v);
    }
}
INDArray augBatch = denormalize(Nd4j.concat(0, augImages.toArray(new INDArray[0])));
ImageGrid.ofChannelsLast(augBatch).range(0, 1).columns(1 + variants).captions(augCaptions)
         .title("Each row: an original and " + variants + " random crops (padding 4) with random horizontal flips")
""", tags=["expect-image"]),
md(r"""
The black bars are the padding that a shift pulls into the window. A check that the pictures are exactly the
formula: every augmented image must equal its original, shifted by some $(d_y, d_x)$ with $|d_y|, |d_x| \le 4$,
black outside, mirrored or not. The cell searches all $9 \cdot 9 \cdot 2 = 162$ possibilities for each image.
"""),
code(r"""
/** The (dy, dx, flip) that turns original o into augmented a (both [32, 32, 3], intensities), or null if none does. */
int[] findShift(INDArray o, INDArray a) {
    double[] ov = o.dup().data().asDouble(), av = a.dup().data().asDouble();
    for (int flip = 0; flip <= 1; flip++)
        for (int dy = -4; dy <= 4; dy++)
            search:
            for (int dx = -4; dx <= 4; dx++) {
                for (int h = 0; h < 32; h++)
                    for (int w = 0; w < 32; w++) {
                        int sy = h + dy, sx = (flip == 1 ? 31 - w : w) + dx;
                        boolean inside = sy >= 0 && sy < 32 && sx >= 0 && sx < 32;
                        for (int c = 0; c < 3; c++) {
                            double expected = inside ? ov[(sy * 32 + sx) * 3 + c] : 0.0;
                            if (Math.abs(av[(h * 32 + w) * 3 + c] - expected) > 1e-5) continue search;
                        }
                    }
                return new int[] {dy, dx, flip};
            }
    return null;
}

int flips = 0, shifted = 0;
for (int r = 0; r < augShown.length; r++) {
    INDArray original = augBatch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(r * (1 + variants)));
    for (int v = 1; v <= variants; v++) {
        INDArray augmented = augBatch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(r * (1 + variants) + v));
        int[] found = findShift(original, augmented);
        if (found == null) throw new IllegalStateException("augmented image " + v + " of row " + r
                + " is no shift+flip of its original");
        flips += found[2];
        if (found[0] != 0 || found[1] != 0) shifted++;
    }
}
int nAug = augShown.length * variants;
System.out.println(String.format("checked: each of the %d augmented images is its original shifted by at most 4 pixels "
        + "(black outside); %d of them are shifted, %d mirrored", nAug, shifted, flips));
"""),
md(r"""
## 4. Normalization

Networks train best when their inputs are centred and of unit scale in every channel. The standard recipe
subtracts a per-channel mean and divides by a per-channel standard deviation, both computed on the training set
over all its pixels (never on the test set):

$$\mu_c = \frac{1}{N \cdot 32 \cdot 32}\sum_{i,h,w} \frac{p_{i,c,h,w}}{255},\qquad
\sigma_c = \sqrt{\frac{1}{N \cdot 32 \cdot 32}\sum_{i,h,w} \Big(\frac{p_{i,c,h,w}}{255} - \mu_c\Big)^2},\qquad
x_{i,c,h,w} = \frac{p_{i,c,h,w}/255 - \mu_c}{\sigma_c}.$$

`Cifar10.fillBatch` normalizes with the constants in common use for CIFAR-10, `MEAN` = (0.4914, 0.4822, 0.4465)
and `STD` = (0.2023, 0.1994, 0.2010). Those means are the training set's; those "standard deviations" are not the
$\sigma_c$ above: they are close to the *average of per-image* standard deviations, smaller than the spread over
the whole set. Code copied from tutorial to tutorial keeps them. Let us measure, with exactly the formulas above.
"""),
code(r"""
double[] mu = new double[3], sigma = new double[3];
long pixelsPerChannel = (long) train.size() * 32 * 32;
for (int i = 0; i < train.size(); i++)
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++) mu[c] += train.pixel(i, c, y, x) / 255.0;
for (int c = 0; c < 3; c++) mu[c] /= pixelsPerChannel;
for (int i = 0; i < train.size(); i++)
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++) { double d = train.pixel(i, c, y, x) / 255.0 - mu[c]; sigma[c] += d * d; }
for (int c = 0; c < 3; c++) sigma[c] = Math.sqrt(sigma[c] / pixelsPerChannel);

// A training batch as the trainer sees it (no augmentation), normalized with the library's constants
int nBatch = Math.min(2000, train.size());
INDArray batch = train.images(0, nBatch, DataType.DOUBLE).reshape(-1, 3);    // one row per pixel, one column per channel
double[] batchMean = batch.mean(0).toDoubleVector(), batchStd = batch.std(false, 0).toDoubleVector();

Table norm = Table.create("Per-channel statistics (" + train.size() + " training images, batch of " + nBatch + ")",
        StringColumn.create("channel", "red", "green", "blue"),
        DoubleColumn.create("measured mean μ", mu), DoubleColumn.create("MEAN constant", Cifar10.MEAN),
        DoubleColumn.create("measured std σ", sigma), DoubleColumn.create("STD constant", Cifar10.STD),
        DoubleColumn.create("normalized batch: mean", batchMean), DoubleColumn.create("normalized batch: std", batchStd));
norm
""", tags=["expect-table"]),
md(r"""
What the table shows, checked below:

* The library's batch is exactly the formula: one pixel recomputed by hand equals the value in the batch.
* With the data's own $\mu_c, \sigma_c$ the normalized pixels would have mean 0 and standard deviation 1 exactly
  (up to rounding), by construction.
* On the real CIFAR-10 images (profiles `default` and `full`): the measured means agree with `MEAN` to within
  0.01, so the normalized batch has mean close to 0 (within 0.05); the measured $\sigma_c$ are larger than the
  `STD` constants, so the normalized batch has a standard deviation of about $\sigma_c / \texttt{STD}_c \approx 1.2$,
  not 1 (between 1.1 and 1.4). That is harmless (the first layer's weights absorb a constant scale) but worth
  knowing when you read "normalized to unit variance".
* In the `smoke` profile the images are generated patterns, not photos, so CIFAR's constants do not centre them;
  only the first two checks apply there.
"""),
code(r"""
// 1. the batch is the formula: pixel (y, x) = (5, 7) of image 0, every channel
for (int c = 0; c < 3; c++) {
    double byHand = (train.pixel(0, c, 5, 7) / 255.0 - Cifar10.MEAN[c]) / Cifar10.STD[c];
    double inBatch = batch.getDouble(5 * 32 + 7, c);
    if (Math.abs(byHand - inBatch) > 1e-6)
        throw new IllegalStateException("channel " + c + ": batch has " + inBatch + ", formula gives " + byHand);
}
// 2. normalizing with the measured statistics gives mean 0 and std 1 over the whole training set
for (int c = 0; c < 3; c++) {
    double m = 0, s = 0;
    for (int i = 0; i < train.size(); i++)
        for (int p = 0; p < 1024; p++) {
            double z = (train.pixel(i, c, p / 32, p % 32) / 255.0 - mu[c]) / sigma[c];
            m += z; s += z * z;
        }
    m /= pixelsPerChannel; s = Math.sqrt(s / pixelsPerChannel - m * m);
    if (Math.abs(m) > 1e-9 || Math.abs(s - 1) > 1e-9)
        throw new IllegalStateException("channel " + c + ": self-normalized mean " + m + ", std " + s);
}
System.out.println("checked: the batch equals the formula; with the measured μ, σ every channel has mean 0 and std 1 (to 1e-9)");
// 3. real data: the constants' means fit, their stds are smaller than the measured spread
if (realData) {
    for (int c = 0; c < 3; c++) {
        if (Math.abs(mu[c] - Cifar10.MEAN[c]) > 0.01)
            throw new IllegalStateException("channel " + c + ": measured mean " + mu[c] + " vs MEAN " + Cifar10.MEAN[c]);
        if (Math.abs(batchMean[c]) > 0.05)
            throw new IllegalStateException("channel " + c + ": normalized batch mean " + batchMean[c] + " is not ~0");
        if (!(batchStd[c] > 1.1 && batchStd[c] < 1.4 && sigma[c] > Cifar10.STD[c]))
            throw new IllegalStateException("channel " + c + ": normalized batch std " + batchStd[c] + ", σ " + sigma[c]);
    }
    System.out.println(String.format("checked: real data, |μ - MEAN| <= 0.01, batch means within 0.05 of 0, batch stds "
            + "%.2f / %.2f / %.2f (in 1.1..1.4, since σ > STD)", batchStd[0], batchStd[1], batchStd[2]));
} else {
    System.out.println("smoke profile: generated images, the CIFAR constants are not their statistics (check 3 skipped)");
}
batch = null;
"""),
md(r"""
## 5. The seed CNN

A small convolutional network, the one to beat:

| layer | output shape (H, W, C) | parameters |
|---|---|---|
| conv 3x3, 3 → 32, padding 1; max-pool 2x2; ReLU | 16, 16, 32 | $3 \cdot 3 \cdot 3 \cdot 32 + 32 = 896$ |
| conv 3x3, 32 → 64, padding 1; max-pool 2x2; ReLU | 8, 8, 64 | $3 \cdot 3 \cdot 32 \cdot 64 + 64 = 18{,}496$ |
| flatten; linear 4096 → 128; ReLU | 128 | $4096 \cdot 128 + 128 = 524{,}416$ |
| linear 128 → 10 | 10 (logits) | $128 \cdot 10 + 10 = 1{,}290$ |

A convolution with a $k \times k$ kernel from $C_\text{in}$ to $C_\text{out}$ channels has
$k^2 C_\text{in} C_\text{out}$ weights plus $C_\text{out}$ biases; padding 1 keeps 32x32 at 32x32, each max-pool halves
it. (`descent.nn` pools before the ReLU; $\max$ and $\text{ReLU}$ commute, so it is the same network with 4x fewer
ReLUs.) Almost all parameters sit in the first fully connected layer.
"""),
code(r"""
Sequential seedNet = CifarNets.seed(DataType.FLOAT, 42);
long byFormula = (3 * 3 * 3 * 32 + 32) + (3 * 3 * 32 * 64 + 64) + (4096 * 128 + 128) + (128 * 10 + 10);
if (seedNet.numParams() != byFormula)
    throw new IllegalStateException("seed CNN has " + seedNet.numParams() + " parameters, the formula " + byFormula);
double fcShare = (4096 * 128 + 128) / (double) byFormula;
if (!(fcShare > 0.9)) throw new IllegalStateException("first linear layer holds only " + fcShare);
System.out.println(String.format("checked: %d parameters, as the table's formulas give; %.1f%% of them in the 4096 -> 128 layer",
        seedNet.numParams(), 100 * fcShare));
seedNet.summary()
""", tags=["expect-table"]),
md(r"""
### Training it, live

The recipe: softmax cross-entropy loss, SGD with momentum $\mu = 0.9$ and learning rate $\eta = 0.01$ (PyTorch's
`torch.optim.SGD` semantics: $v \leftarrow \mu v + g$, $\theta \leftarrow \theta - \eta v$), mini-batches of 128
(32 in the `smoke` profile, whose 400 images would otherwise make only 4 steps per epoch),
random crop (padding 4) and flip. One epoch = one pass over the training set in a fresh random order; after each
epoch the trainer evaluates the test set.

`LiveChart` is a `TrainingListener`: it draws **one chart** (loss on the left axis, accuracy on the right) and
redraws it in place as training goes: ten training points per epoch (each the mean over the batches since the
previous point) and a test point after every epoch, with a progress line underneath (images per second, time
left). The **stop button** ends training at the next batch boundary; the cells below then use the model as it is.
A checkpoint is written after every epoch, atomically (to a temporary folder here, removed when the kernel exits).
To continue a long run after a kernel restart, point `.checkpoint(...)` at a file in a folder of your own and add
`.resume(true)`: the trainer then starts from the last completed epoch.
"""),
code(r"""
/** A finished (or stopped, or diverged) training run. */
record Run(String model, Trainer trainer, String status, double minutes) {
    Table history() { return trainer.history(); }
}

/** Trains, timing the whole fit (test evaluations included); a diverging run is reported, not thrown. */
Run fit(String model, Trainer trainer) {
    Backend.setThreads(threads);
    long t0 = System.nanoTime();
    String status;
    try {
        Trainer.Result r = trainer.fit();
        status = r.reason() == Trainer.StopReason.COMPLETED ? "completed" : "stopped after " + r.epochsDone() + " epochs";
        if (r.reason() == Trainer.StopReason.INTERRUPTED) Thread.interrupted();   // clear the flag for the next cells
    } catch (TrainingDivergedException e) {
        status = "diverged";
        System.out.println("DIVERGED: " + e.getMessage());
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    System.out.println(String.format("%s: %s, %d epochs in %.1f min", model, status, trainer.epochsDone(), minutes));
    return new Run(model, trainer, status, minutes);
}

Path checkpoints = Scratch.directory("descent-09");   // a temporary folder, removed when the kernel exits
int evalBatchSize = 50;   // test-set evaluation in batches of 50: less memory than 128, and 200, 1,000 and 10,000 divide evenly
int batchSize = Profile.pick(32, 128, 128);   // smoke: 32, so that 400 images still make enough steps
"""),
code(r"""
int seedEpochs = Profile.pick(1, 3, 2);
LiveChart seedChart = LiveChart.of("Seed CNN, " + train.size() + " training images",
        train.size(), batchSize);
Trainer seedTrainer = Trainer.builder(seedNet).train(train).test(test)
        .optimizer(new SgdMomentum(0.01, 0.9))
        .batchSize(batchSize).evalBatchSize(evalBatchSize).epochs(seedEpochs).augmentation(Augmentation.cropAndFlip(4)).seed(42)
        .checkpoint(checkpoints.resolve("seed-cnn.ckpt"))
        .listener(seedChart)
        .build();
Run seedRun = fit("seed CNN", seedTrainer);
""", tags=["expect-image"]),
code(r"""
seedRun.history()
""", tags=["expect-table"]),
md(r"""
Two checks on this run: it learned (the last epoch's training loss is below $\ln 10 \approx 2.303$, the loss of a
uniform guess over 10 classes, and below the first epoch's), and its test accuracy is well above chance, at least
twice the 10% of guessing.
"""),
code(r"""
void checkLearned(Run run) {
    Table h = run.history();
    if (h.rowCount() == 0) throw new IllegalStateException(run.model() + ": no epoch completed (" + run.status() + ")");
    int last = h.rowCount() - 1;
    double firstLoss = h.doubleColumn("train_loss").get(0), lastLoss = h.doubleColumn("train_loss").get(last);
    double acc = h.doubleColumn("test_acc").get(last);
    if (!(lastLoss < Math.log(10))) throw new IllegalStateException(run.model() + ": train loss " + lastLoss + " >= ln 10");
    if (last > 0 && !(lastLoss < firstLoss))
        throw new IllegalStateException(run.model() + ": train loss went from " + firstLoss + " to " + lastLoss);
    if (!(acc >= 0.20)) throw new IllegalStateException(run.model() + ": test accuracy " + acc + " is not >= 2 x chance");
    String losses = last == 0 ? String.format("train loss %.4f", lastLoss)
            : String.format("train loss %.4f -> %.4f, decreasing,", firstLoss, lastLoss);
    System.out.println(String.format("checked: %s, %s below ln 10 = 2.3026; test accuracy %.1f%% >= 20%%",
            run.model(), losses, 100 * acc));
}
checkLearned(seedRun);
"""),
md(r"""
## 6. A stronger CNN

`CifarNets.strong` is a small VGG-style network: three stages of two 3x3 convolutions each (32, 64, 128 channels),
each convolution followed by BatchNorm and ReLU, a 2x2 max-pool after each stage, then dropout (0.3), a 2048 → 256
fully connected layer, dropout again and the 256 → 10 output. BatchNorm (notebook 07) keeps every layer's inputs
centred and scaled, which allows a larger learning rate; dropout and weight decay (notebook 06) fight
over-fitting. The recipe adds two things to the seed's:

* weight decay $\lambda = 5 \cdot 10^{-4}$, folded into the gradient: $g \leftarrow g + \lambda\theta$;
* a larger learning rate $\eta_0 = 0.05$, annealed with a cosine schedule (notebook 05) over all $S$ steps of
  the run: step $s = 0, 1, \dots, S - 1$ uses $\eta_s = \eta_0 \cdot \tfrac12\big(1 + \cos(\pi s / S)\big)$.
  `Trainer.lrSchedule` can only change the rate once per epoch, too coarse for a run of one or two epochs, so a
  small listener sets it after every step.

It needs more computation per image than the seed CNN and trains more slowly (the results table measures both,
and a check there confirms at least 1.5x). The `full` profile gives it 10 epochs (the schedule above stretches over
all of them), enough to pass 80% test accuracy, checked in section 8; `default` gives it 2 epochs on 5,120 images.
"""),
code(r"""
Sequential strongNet = CifarNets.strong(DataType.FLOAT, 42);
System.out.println(strongNet.numParams() + " parameters");
strongNet.summary()
""", tags=["expect-table"]),
code(r"""
int strongEpochs = Profile.pick(1, 2, 10);
double lr0 = 0.05;
SgdMomentum strongSgd = new SgdMomentum(lr0, 0.9, 5e-4);

/** Cosine annealing per step: after step s (of S in the run) the next step uses lr0 * (1 + cos(pi s / S)) / 2. */
TrainingListener cosinePerStep(UpdateRule rule, double lr0, int epochs) {
    return TrainingListener.everyBatch(p -> {
        double s = (p.epoch() - 1) * (double) p.batches() + p.batch(), S = (double) epochs * p.batches();
        rule.setLr(lr0 * 0.5 * (1 + Math.cos(Math.PI * s / S)));
    });
}
LiveChart strongChart = LiveChart.of("Strong CNN, " + train.size() + " training images", train.size(), batchSize);
Trainer strongTrainer = Trainer.builder(strongNet).train(train).test(test)
        .optimizer(strongSgd).listener(cosinePerStep(strongSgd, lr0, strongEpochs))
        .batchSize(batchSize).evalBatchSize(evalBatchSize).epochs(strongEpochs).augmentation(Augmentation.cropAndFlip(4)).seed(42)
        .checkpoint(checkpoints.resolve("strong-cnn.ckpt"))
        .listener(strongChart)
        .build();
Run strongRun = fit("strong CNN", strongTrainer);
""", tags=["expect-image"]),
code(r"""
strongRun.history()
""", tags=["expect-table"]),
code(r"""
checkLearned(strongRun);
"""),
md(r"""
## 7. Evaluation of the strong CNN

`Evaluation.of(model, data, batchSize)` runs the network in evaluation mode (no dropout, BatchNorm with its running
statistics, no augmentation) over every test image and keeps each prediction $\hat y_i = \arg\max_k z_{ik}$. From
them:

$$\text{accuracy} = \frac{1}{n}\sum_i [\hat y_i = y_i],\qquad
\text{accuracy}_c = \frac{\#\{i : y_i = c,\ \hat y_i = c\}}{\#\{i : y_i = c\}},\qquad
M_{tp} = \#\{i : y_i = t,\ \hat y_i = p\}.$$

Two identities follow, and are checked below: the overall accuracy is the per-class accuracies averaged with
weights $n_c / n$ (a plain average when every class has the same number of test images, as here), and it is the
confusion matrix's diagonal over its total, $\sum_c M_{cc} / \sum_{t,p} M_{tp}$.
"""),
code(r"""
Backend.setThreads(threads);
Evaluation eval = Evaluation.of(strongNet, test, evalBatchSize);   // as the trainer evaluated after each epoch
double accuracy = eval.accuracy();
double lastEpochAcc = strongRun.history().doubleColumn("test_acc").get(strongRun.history().rowCount() - 1);
if (accuracy != lastEpochAcc)
    throw new IllegalStateException("evaluation gives " + accuracy + ", the training history " + lastEpochAcc);
System.out.println(String.format("strong CNN: test accuracy %.2f%% on %d images, mean loss %.4f (same as the last epoch's row)",
        100 * accuracy, eval.size(), eval.loss()));
"""),
code(r"""
Table perClass = eval.perClass();
Table perClassTable = Table.create("Test accuracy per class, strong CNN",
        perClass.intColumn("class").copy().setName("label"),
        perClass.stringColumn("name").copy().setName("class"),
        perClass.intColumn("correct").copy().setName("correct (images)"),
        perClass.intColumn("total").copy().setName("total (images)"),
        perClass.doubleColumn("accuracy").multiply(100).setName("accuracy (%)"));
perClassTable.sortDescendingOn("accuracy (%)")
""", tags=["expect-table"]),
code(r"""
int[][] confusion = eval.confusion();
int diagonal = 0, total = 0;
double weighted = 0, plain = 0;
int[] classTotals = perClass.intColumn("total").asIntArray();
for (int t = 0; t < 10; t++) {
    int rowSum = 0;
    for (int p = 0; p < 10; p++) { rowSum += confusion[t][p]; total += confusion[t][p]; }
    diagonal += confusion[t][t];
    if (rowSum != classTotals[t]) throw new IllegalStateException("row " + t + " sums to " + rowSum + ", class has " + classTotals[t]);
    double accC = perClass.doubleColumn("accuracy").get(t);
    weighted += accC * classTotals[t] / (double) eval.size();
    plain += accC / 10;
}
if (Math.abs(weighted - accuracy) > 1e-12) throw new IllegalStateException("weighted mean " + weighted + " != " + accuracy);
boolean balanced = Arrays.stream(classTotals).allMatch(n -> n == classTotals[0]);
if (!balanced || Math.abs(plain - accuracy) > 1e-12)
    throw new IllegalStateException("classes balanced: " + balanced + ", plain mean " + plain + " vs " + accuracy);
if ((double) diagonal / total != accuracy)
    throw new IllegalStateException("diagonal / total = " + diagonal + "/" + total + " != accuracy " + accuracy);
System.out.println(String.format("checked: per-class accuracies average to %.4f = accuracy (every class has %d test images); "
        + "confusion diagonal / total = %d / %d = %.4f = accuracy", plain, classTotals[0], diagonal, total, (double) diagonal / total));
"""),
md(r"""
### The confusion matrix

Row $t$, column $p$: how many test images of class $t$ the network called $p$. The diagonal holds the correct
answers; a dark cell off the diagonal is a pair of classes the network confuses.
"""),
code(r"""
Heatmap.of(confusion)
       .title("Confusion matrix, strong CNN (" + test.size() + " test images, accuracy "
              + String.format("%.1f%%", 100 * accuracy) + ")")
       .rowLabels(Cifar10.CLASS_NAMES).columnLabels(Cifar10.CLASS_NAMES)
       .xLabel("predicted class").yLabel("true class").scaleLabel("images")
""", tags=["expect-image"]),
code(r"""
// The largest off-diagonal cell: the pair of classes confused most often
int worstT = 0, worstP = 1;
for (int t = 0; t < 10; t++)
    for (int p = 0; p < 10; p++)
        if (t != p && confusion[t][p] > confusion[worstT][worstP]) { worstT = t; worstP = p; }
System.out.println(String.format("most frequent mistake: %d %s images called %s (of %d)", confusion[worstT][worstP],
        Cifar10.CLASS_NAMES.get(worstT), Cifar10.CLASS_NAMES.get(worstP), classTotals[worstT]));
"""),
md(r"""
### What it gets wrong

The first misclassified test images, captioned *true → predicted*. Many mistakes are understandable at 32x32
pixels; some are not.
"""),
code(r"""
Table wrong = eval.misclassified();
int nWrong = Math.min(24, wrong.rowCount());
int[] wrongIdx = new int[nWrong];
String[] wrongCaptions = new String[nWrong];
for (int k = 0; k < nWrong; k++) {
    wrongIdx[k] = wrong.intColumn("index").get(k);
    wrongCaptions[k] = wrong.stringColumn("true name").get(k) + " → " + wrong.stringColumn("predicted name").get(k);
    if (wrong.intColumn("true").get(k) != test.label(wrongIdx[k]) || wrong.intColumn("true").get(k) == wrong.intColumn("predicted").get(k))
        throw new IllegalStateException("row " + k + " of misclassified() is not a mistake on test image " + wrongIdx[k]);
}
System.out.println(wrong.rowCount() + " of " + test.size() + " test images misclassified (" + (test.size() - wrong.rowCount())
        + " correct = " + String.format("%.2f%%", 100.0 * (test.size() - wrong.rowCount()) / test.size()) + ")");
ImageGrid.of(pixels01(test, wrongIdx)).range(0, 1).columns(6).captions(wrongCaptions)
         .title("Misclassified test images: true class → predicted class")
""", tags=["expect-image"]),
md(r"""
## 8. Results

One row per model: test accuracy after its last epoch, epochs, wall-clock training time (test evaluations after
each epoch included) and training throughput (training images per second of training time, augmentation and batch
preparation included). Throughput depends on the machine and on what else runs on it.
"""),
code(r"""
Table results = Table.create("Results (" + train.size() + " training images, " + test.size() + " test images, "
        + threads + " thread" + (threads == 1 ? "" : "s") + ")",
        StringColumn.create("model"), StringColumn.create("status"), LongColumn.create("parameters"),
        DoubleColumn.create("test accuracy (%)"), IntColumn.create("epochs"), DoubleColumn.create("training time (min)"),
        DoubleColumn.create("throughput (img/s)"));
for (Run run : List.of(seedRun, strongRun)) {
    Table h = run.history();
    int last = h.rowCount() - 1;
    double seconds = h.doubleColumn("seconds").sum();
    results.stringColumn("model").append(run.model());
    results.stringColumn("status").append(run.status());
    results.longColumn("parameters").append(run.trainer().model().numParams());
    results.doubleColumn("test accuracy (%)").append(last < 0 ? Double.NaN : 100 * h.doubleColumn("test_acc").get(last));
    results.intColumn("epochs").append(h.rowCount());
    results.doubleColumn("training time (min)").append(run.minutes());
    results.doubleColumn("throughput (img/s)").append(last < 0 ? Double.NaN : (double) h.rowCount() * train.size() / seconds);
}
results
""", tags=["expect-table"]),
md(r"""
**How far this run got.** In the `full` profile (all 50,000 training images, 10 epochs) the strong CNN passes 80%
test accuracy; the check below fails this notebook if it does not. In `default` (5,120 images, 2 epochs) it stays
far below that: it has seen a tenth of the data for a fifth of the epochs. The full run takes about half an hour
on one thread (the table gives the minutes); `.checkpoint(...)` with `.resume(true)` lets such a run continue
after a stop or a kernel restart.
"""),
code(r"""
double seedIps = results.doubleColumn("throughput (img/s)").get(0), strongIps = results.doubleColumn("throughput (img/s)").get(1);
if (!(seedIps > 1.5 * strongIps))
    throw new IllegalStateException("the text says the strong CNN is at least 1.5x slower per image: " + seedIps + " vs " + strongIps);
System.out.println(String.format("checked: the seed CNN trains %.1fx faster per image than the strong CNN (>= 1.5x)", seedIps / strongIps));
double strongAcc = results.doubleColumn("test accuracy (%)").get(1);
int strongDone = strongRun.history().rowCount();
if (profile == Profile.FULL) {
    if (!(strongAcc >= 80))
        throw new IllegalStateException("the text says the full run passes 80%, but it reached " + strongAcc + "% after " + strongDone + " epochs");
    System.out.println(String.format("checked: strong CNN at %.2f%% after %d epochs, at least 80%%", strongAcc, strongDone));
} else if (realData) {
    if (!(strongAcc < 80))
        throw new IllegalStateException("the text says the default run stays below 80%, but it reached " + strongAcc + "%: update it");
    System.out.println(String.format("checked: default profile, strong CNN at %.1f%% after %d epoch(s), below 80%%", strongAcc, strongDone));
} else {
    System.out.println(String.format("smoke profile (generated images): strong CNN at %.1f%%; the 80%% statements are about real data", strongAcc));
}
System.out.println(String.format("peak memory (resident set) of this kernel so far: %.0f MB", CifarBench.peakRssMb()));
"""),
md(r"""
## Summary

* CIFAR-10 records are a label byte and three 32x32 colour planes; `Cifar10` keeps the bytes and builds
  normalized, augmented float batches on the fly.
* Random crops with padding and horizontal flips are exact, cheap transformations (checked pixel by pixel above).
* Per-channel normalization centres the inputs; the popular CIFAR `STD` constants give a spread of about 1.2, not 1.
* A two-convolution network learns CIFAR-10 well above chance within a couple of epochs; the deeper BatchNorm
  network is costlier per image but, with a cosine schedule over 10 epochs, passes 80% (`full` profile).
* Accuracy alone hides which classes suffer: the per-class table and the confusion matrix show it.

**Try it:** change the augmentation to `Augmentation.NONE` and compare the gap between training and test accuracy;
train the seed CNN with `UpdateRule.of(...)` and an optimizer from notebook 04 (Adam with `lr` 1e-3, say).
"""),
])
