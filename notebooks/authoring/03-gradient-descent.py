import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

write("notebooks/03-gradient-descent.ipynb", [
md(r"""
# 03 — Gradient descent: batch, stochastic, mini-batch

Every optimizer in this series is a variation on one idea: compute the gradient of the loss and take a small step
against it. This notebook takes that idea apart on the two models where we can see everything, **linear regression**
(whose best weights we can also compute exactly) and **logistic regression**:

1. the update rule, and the three ways of feeding it data: **batch** gradient descent (all examples per step),
   **stochastic** gradient descent (one example per step) and **mini-batch** SGD (a few examples per step);
2. what each costs, per update, per pass over the data and per second;
3. the **batch size** as a dial between the two extremes;
4. the **learning rate**: too small, right, too large, and the exact threshold where gradient descent diverges.

Every run is seeded, and every claim made in the text is checked by a cell that throws if it is false.
"""),
code(r"""
import descent.*;
import descent.data.Regression;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import descent.plot.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.util.*;

// printf that returns nothing (System.out.printf returns the stream, which a notebook would display)
void printf(String format, Object... args) { System.out.print(String.format(Locale.ROOT, format, args)); }
System.out.println("profile: " + Profile.current().id());
"""),
md(r"""
## 1. Linear regression and its gradient

We draw $n = 512$ examples with $5$ standard-normal features from a known linear model,
$y_i = x_i^\top w^{\text{true}} + b^{\text{true}} + \varepsilon_i$ with noise $\varepsilon_i \sim \mathcal N(0, 0.5^2)$
(`descent.data.Regression.linear`). To keep the formulas short we append a constant feature $1$ to every example, so
the bias becomes one more weight: $\tilde x_i = (x_i, 1)$, $\theta = (w, b)$, and the model is $\hat y_i = \tilde x_i^\top\theta$.

The loss of a set $B$ of examples (all $n$ of them, or a mini-batch) is their mean squared error, and its gradient is

$$L_B(\theta) = \frac{1}{|B|}\sum_{i\in B}\big(\tilde x_i^\top\theta - y_i\big)^2 = \frac{1}{|B|}\lVert X_B\theta - y_B\rVert^2,
\qquad \nabla L_B(\theta) = \frac{2}{|B|}\,X_B^\top\big(X_B\theta - y_B\big),$$

where $X_B$ stacks the rows $\tilde x_i^\top$, $i \in B$. The two methods below are exactly these two formulas.
"""),
code(r"""
Regression.Data lin = Regression.linear(512, new double[] {2.0, -1.0, 0.5, 3.0, -2.0}, 1.0, 0.5, 42);
int n = lin.size();
INDArray X = Nd4j.hstack(lin.x(), Nd4j.ones(DataType.DOUBLE, n, 1));   // [n, 6]: five features, then the constant 1
INDArray y = lin.y();                                                   // [n, 1]
int d = (int) X.size(1);

double mseLoss(INDArray theta, INDArray Xb, INDArray yb) {          // (1/|B|) ||X_B theta - y_B||^2
    INDArray r = Xb.mmul(theta).subi(yb);
    return r.mul(r).sumNumber().doubleValue() / Xb.size(0);
}
INDArray mseGradient(INDArray theta, INDArray Xb, INDArray yb) {    // (2/|B|) X_B^T (X_B theta - y_B)
    return Xb.transpose().mmul(Xb.mmul(theta).subi(yb)).muli(2.0 / Xb.size(0));
}
printf("X: %s, y: %s, loss at theta = 0: %.3f%n",
        Arrays.toString(X.shape()), Arrays.toString(y.shape()), mseLoss(Nd4j.zeros(DataType.DOUBLE, d, 1), X, y));
"""),
md(r"""
Linear regression is the rare model whose minimizer has a formula. Setting the full-data gradient to zero gives the
**normal equations** $X^\top X\,\theta = X^\top y$, so

$$\theta^\star = (X^\top X)^{-1}X^\top y, \qquad L^\star = L(\theta^\star).$$

Every method below should approach $\theta^\star$; we measure progress by the **excess loss** $L(\theta) - L^\star \ge 0$
on all $n$ examples. $L^\star$ itself is not zero: it is about the noise variance $0.5^2 = 0.25$, which no linear model
can explain.
"""),
code(r"""
INDArray thetaStar = Nd4j.linalg().solve(X.transpose().mmul(X), X.transpose().mmul(y));   // solves X^T X theta = X^T y
double lossStar = mseLoss(thetaStar, X, y);
System.out.println("theta* = " + Arrays.toString(thetaStar.toDoubleVector()));
System.out.println("true   = [2.0, -1.0, 0.5, 3.0, -2.0, 1.0]");
printf("L* = %.5f (noise variance 0.25)%n", lossStar);
INDArray gradAtStar = mseGradient(thetaStar, X, y);
double gradNormAtStar = gradAtStar.norm2Number().doubleValue();
if (!(gradNormAtStar < 1e-10)) throw new IllegalStateException("the gradient at theta* is not zero: " + gradNormAtStar);
double maxParamError = thetaStar.sub(Nd4j.createFromArray(2.0, -1.0, 0.5, 3.0, -2.0, 1.0).reshape(d, 1)).amaxNumber().doubleValue();
if (!(maxParamError < 0.1)) throw new IllegalStateException("theta* is far from the true parameters: " + maxParamError);
if (!(Math.abs(lossStar - 0.25) < 0.05)) throw new IllegalStateException("L* is not near the noise variance: " + lossStar);
printf("checked: ||grad L(theta*)|| = %.1e < 1e-10; theta* within %.3f < 0.1 of the true parameters; |L* - 0.25| < 0.05%n",
        gradNormAtStar, maxParamError);
"""),
md(r"""
## 2. One loop, three algorithms

Gradient descent repeats

$$\theta_{t+1} = \theta_t - \eta\,\nabla L_{B_t}(\theta_t)$$

with a **learning rate** $\eta > 0$. The only question is which examples $B_t$ the gradient is computed on:

| algorithm | batch $B_t$ | updates per epoch | gradient |
|---|---|---|---|
| batch gradient descent | all $n$ examples | 1 | exact $\nabla L$ |
| stochastic gradient descent (SGD) | one example | $n$ | unbiased but very noisy estimate of $\nabla L$ |
| mini-batch SGD | $b$ examples, $1 < b < n$ | $\lceil n/b\rceil$ | unbiased, variance about $1/b$ of SGD's |

An **epoch** is one pass over the data: we shuffle the examples (with a seeded generator), cut them into consecutive
batches of $b$, and take one step per batch. So one function with a batch size `b` is all three algorithms.

What it records, after every update (or, when an epoch has more than 64 updates, about 64 times per epoch: for SGD
every 8th update) and at the end of every epoch: the full-data loss $L(\theta_t)$ (this evaluation is *not* part of the algorithm, so it is not timed), the epoch
count, and the cumulative wall-clock time spent in the algorithm itself (shuffling, slicing, gradient, update). If the loss becomes NaN or exceeds $10^6$ the run stops and reports the step: that is
**divergence**, and the notebook prints it rather than crashing or plotting NaNs.
"""),
code(r"""
/** The loss and gradient of a model, on a batch (Xb, yb). */
interface Objective {
    double loss(INDArray theta, INDArray Xb, INDArray yb);
    INDArray gradient(INDArray theta, INDArray Xb, INDArray yb);
}

/** What one run recorded: the start, then every `every`-th update and the end of every epoch.
    divergedAt = the update at which the loss became NaN or exceeded 1e6, or -1. */
record Run(String name, int batch, double lr, double[] update, double[] epoch, double[] seconds, double[] loss,
           INDArray theta, int divergedAt) {
    double finalLoss() { return loss[loss.length - 1]; }
    int updates() { return (int) update[update.length - 1]; }
    double totalSeconds() { return seconds[seconds.length - 1]; }
    boolean diverged() { return divergedAt >= 0; }
}

final double DIVERGED = 1e6;

Run minibatchSgd(String name, Objective f, INDArray X, INDArray y, int b, double lr, int epochs, long seed) {
    int n = (int) X.size(0), perEpoch = (n + b - 1) / b;
    int every = Math.max(1, perEpoch / 64);                                  // record about 64 points per epoch
    INDArray theta = Nd4j.zeros(DataType.DOUBLE, X.size(1), 1);               // theta_0 = 0
    Random rng = new Random(seed);
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    List<double[]> rows = new ArrayList<>();                                  // {update, epoch, seconds, loss}
    rows.add(new double[] {0, 0, 0, f.loss(theta, X, y)});
    long nanos = 0;
    int t = 0;
    for (int e = 0; e < epochs; e++) {
        long start = System.nanoTime();
        for (int i = n - 1; i > 0; i--) {                                     // Fisher-Yates shuffle of the example order
            int j = rng.nextInt(i + 1), tmp = order[i]; order[i] = order[j]; order[j] = tmp;
        }
        INDArray Xs = b < n ? Nd4j.pullRows(X, 1, order) : X, ys = b < n ? Nd4j.pullRows(y, 1, order) : y;  // (batch GD: no need)
        nanos += System.nanoTime() - start;
        for (int from = 0; from < n; from += b) {
            start = System.nanoTime();
            int to = Math.min(from + b, n);
            INDArray Xb = Xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray yb = ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            theta.subi(f.gradient(theta, Xb, yb).muli(lr));                  // theta <- theta - lr * grad L_B(theta)
            nanos += System.nanoTime() - start;
            t++;
            if (t % every == 0 || to == n) {
                double loss = f.loss(theta, X, y);                           // full-data loss: for the record, not timed
                boolean diverged = !(loss <= DIVERGED);                      // NaN or > 1e6
                if (Double.isFinite(loss)) rows.add(new double[] {t, e + (double) to / n, nanos / 1e9, loss});
                if (diverged) return toRun(name, b, lr, rows, theta, t);     // stop; keep the finite prefix
            }
        }
    }
    return toRun(name, b, lr, rows, theta, -1);
}

Run toRun(String name, int b, double lr, List<double[]> rows, INDArray theta, int divergedAt) {
    double[][] columns = new double[4][rows.size()];
    for (int i = 0; i < rows.size(); i++) for (int c = 0; c < 4; c++) columns[c][i] = rows.get(i)[c];
    return new Run(name, b, lr, columns[0], columns[1], columns[2], columns[3], theta, divergedAt);
}

Objective linearRegression = new Objective() {
    public double loss(INDArray theta, INDArray Xb, INDArray yb) { return mseLoss(theta, Xb, yb); }
    public INDArray gradient(INDArray theta, INDArray Xb, INDArray yb) { return mseGradient(theta, Xb, yb); }
};
"""),
md(r"""
The line `theta.subi(f.gradient(...).muli(lr))` is the whole algorithm. The library's optimizer `Sgd`
(`descent.optim`, used from notebook 04 on) performs exactly this update, and for a single step we can check that it is
the same to the last bit:
"""),
code(r"""
INDArray byHand = Nd4j.zeros(DataType.DOUBLE, d, 1), byLibrary = Nd4j.zeros(DataType.DOUBLE, d, 1);
for (int t = 0; t < 3; t++) {
    byHand.subi(mseGradient(byHand, X, y).muli(0.1));
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1));
    sgd.step(byLibrary, mseGradient(byLibrary, X, y));
}
if (!byHand.equals(byLibrary)) throw new IllegalStateException("Sgd differs from the hand-written update: " + byHand + " vs " + byLibrary);
System.out.println("checked: three steps of Optimizers.create(\"sgd\") equal the hand-written update exactly");
"""),
md(r"""
### The three algorithms on linear regression

Each gets a learning rate that suits it (section 4 explains where such values come from): batch GD can take large
steps because its gradient is exact; SGD must take small ones because a single example's gradient points in a
noisy direction; mini-batch with $b = 32$ is in between. All three see the same number of epochs, that is, the same
number of per-example gradient evaluations.
"""),
code(r"""
int epochs = Profile.pick(5, 15, 30);
// Java compiles hot code while it runs: a first, unrecorded run of each, so the timed runs below measure compiled code.
for (int b : new int[] {n, 1, 32}) minibatchSgd("warm-up", linearRegression, X, y, b, 0.02, 1, 99);
Run gd   = minibatchSgd("batch GD (b = 512, lr 0.5)",    linearRegression, X, y, n,  0.5,  epochs, 1);
Run sgd  = minibatchSgd("SGD (b = 1, lr 0.02)",          linearRegression, X, y, 1,  0.02, epochs, 1);
Run mini = minibatchSgd("mini-batch (b = 32, lr 0.1)",   linearRegression, X, y, 32, 0.1,  epochs, 1);
List<Run> variants = List.of(gd, sgd, mini);

double[] excess(Run r) { return Arrays.stream(r.loss()).map(l -> l - lossStar).toArray(); }
double meanExcess(Run r, java.util.function.IntPredicate which) {       // mean excess loss over recorded points
    return java.util.stream.IntStream.range(0, r.loss().length).filter(which).mapToDouble(i -> r.loss()[i] - lossStar).average().getAsDouble();
}
double meanExcessOfLastEpoch(Run r) {                   // averages out SGD's step-to-step jitter
    double end = r.epoch()[r.epoch().length - 1];
    return meanExcess(r, i -> r.epoch()[i] > end - 1 + 1e-9);
}
double lossAfterEpochs(Run r, double epochs) {          // loss at the end of epoch `epochs`
    for (int i = 0; i < r.epoch().length; i++) if (r.epoch()[i] >= epochs - 1e-12) return r.loss()[i];
    throw new IllegalStateException(r.name() + " did not run " + epochs + " epochs");
}
double excessAfterEpochs(Run r, double epochs) { return lossAfterEpochs(r, epochs) - lossStar; }

Table variantsTable = Table.create("Linear regression, " + epochs + " epochs each",
        StringColumn.create("algorithm", variants.stream().map(Run::name).toArray(String[]::new)),
        IntColumn.create("updates", variants.stream().mapToInt(Run::updates).toArray()),
        DoubleColumn.create("excess loss after 1 epoch", variants.stream().mapToDouble(r -> excessAfterEpochs(r, 1)).toArray()),
        DoubleColumn.create("mean excess loss, last epoch", variants.stream().mapToDouble(r -> meanExcessOfLastEpoch(r)).toArray()),
        DoubleColumn.create("time in the algorithm (ms)", variants.stream().mapToDouble(r -> 1e3 * r.totalSeconds()).toArray()),
        DoubleColumn.create("time per update (µs)", variants.stream().mapToDouble(r -> 1e6 * r.totalSeconds() / r.updates()).toArray()));
variantsTable
""", tags=["expect-table"]),
md(r"""
(An excess loss of about $\pm 10^{-16}$, even slightly negative, is rounding error: that run has reached $\theta^\star$ to
machine precision. The times are measured on whatever machine ran this notebook, and vary from run to run.)

Loss against **updates** (log-log axes: the runs differ in length by a factor of 512). The y axis is the excess loss
$L(\theta_t) - L^\star$; it is cut at $10^{-8}$, below which batch gradient descent goes on down to rounding error.
"""),
code(r"""
LinePlot byUpdate = Plots.line("Linear regression: excess loss per update", "update t", "excess loss L(θ_t) − L*");
for (Run r : variants) byUpdate.series(r.name(), Arrays.copyOfRange(r.update(), 1, r.update().length),
                                       Arrays.copyOfRange(excess(r), 1, r.loss().length));
byUpdate.logX().logY().yRange(1e-8, 100)
""", tags=["expect-image"]),
md(r"""
Per update, batch gradient descent makes by far the most progress: each of its steps uses all 512 examples, and its
error shrinks by a constant factor per step (a straight line on a log axis). SGD and mini-batch SGD start fast, but
then flatten out at a **noise floor**: near $\theta^\star$ the full gradient is small, but the gradient of one example
(or 32) is not, so a constant learning rate keeps the parameters jittering around $\theta^\star$. The floor is lower for
the larger batch (less gradient noise). The same runs against **epochs** (per-example gradient evaluations $/\,n$), and
against **wall-clock time**:
"""),
code(r"""
LinePlot byEpoch = Plots.line("Linear regression: excess loss per epoch", "epoch (= per-example gradients / n)", "excess loss L(θ_t) − L*");
for (Run r : variants) byEpoch.series(r.name(), r.epoch(), excess(r));
byEpoch.logY().yRange(1e-8, 100)
""", tags=["expect-image"]),
code(r"""
LinePlot byTime = Plots.line("Linear regression: excess loss against wall-clock time", "seconds spent in the algorithm (log)", "excess loss L(θ_t) − L*");
for (Run r : variants) byTime.series(r.name(), Arrays.copyOfRange(r.seconds(), 1, r.seconds().length),
                                     Arrays.copyOfRange(excess(r), 1, r.loss().length));
byTime.logX().logY().yRange(1e-8, 100)
""", tags=["expect-image"]),
md(r"""
What the table and the charts say, checked below:

* after **one epoch** (the same 512 per-example gradients for everyone), SGD and mini-batch SGD are far ahead of batch
  GD, which has taken a single step;
* at the end, batch GD is far below both noise floors, and the mini-batch floor is below SGD's;
* in **time**, the ranking changes again: one batch-GD update touches 512 times more data than one SGD update but
  costs far less than 512 times as much, because on a problem this small the fixed cost of each ND4J call (microseconds)
  dominates the arithmetic. Vectorised work is cheap; many tiny steps are not. (On a large model and data set the
  balance moves back towards mini-batches, which is why they are what everybody uses.)
"""),
code(r"""
double gd1 = excessAfterEpochs(gd, 1), sgd1 = excessAfterEpochs(sgd, 1), mini1 = excessAfterEpochs(mini, 1);
if (!(sgd1 < gd1 / 10 && mini1 < gd1 / 10))
    throw new IllegalStateException("after one epoch SGD/mini-batch are not 10x ahead of batch GD: " + sgd1 + ", " + mini1 + " vs " + gd1);
double gdEnd = meanExcessOfLastEpoch(gd), sgdEnd = meanExcessOfLastEpoch(sgd), miniEnd = meanExcessOfLastEpoch(mini);
if (!(gdEnd < miniEnd / 100 && miniEnd < sgdEnd))
    throw new IllegalStateException("final excess losses not ordered GD << mini-batch < SGD: " + gdEnd + ", " + miniEnd + ", " + sgdEnd);
double gdPerUpdate = gd.totalSeconds() / gd.updates(), sgdPerUpdate = sgd.totalSeconds() / sgd.updates();
if (!(gdPerUpdate < 50 * sgdPerUpdate))
    throw new IllegalStateException("a batch-GD update cost 50x or more an SGD update: " + gdPerUpdate + " vs " + sgdPerUpdate + " s");
printf("checked: after 1 epoch SGD (%.2e) and mini-batch (%.2e) are > 10x below batch GD (%.2e)%n", sgd1, mini1, gd1);
printf("checked: last-epoch excess loss batch GD %.1e < mini-batch %.1e / 100, and mini-batch < SGD %.1e%n", gdEnd, miniEnd, sgdEnd);
printf("checked: a batch-GD update (512 examples) costs %.1fx an SGD update (1 example), less than 50x%n", gdPerUpdate / sgdPerUpdate);
"""),
md(r"""
## 3. The batch size as a dial

Now fix the learning rate at SGD's $\eta = 0.02$ and change only the batch size, $b \in \{1, 4, 16, 64, 512\}$ (the run
with $b = 1$ is the SGD run above). Two views of the same runs: per **epoch** (equal work: every run computes the same
number of per-example gradients), and per **update** (equal number of steps).
"""),
code(r"""
int[] batchSizes = {1, 4, 16, 64, 512};
List<Run> bySize = new ArrayList<>();
for (int b : batchSizes)
    bySize.add(b == 1 ? sgd : minibatchSgd("b = " + b, linearRegression, X, y, b, 0.02, epochs, 1));
LinePlot sizeEpoch = Plots.line("Batch size at lr 0.02: excess loss per epoch", "epoch (= per-example gradients / n)", "excess loss L(θ_t) − L*");
for (int k = 0; k < batchSizes.length; k++) sizeEpoch.series("b = " + batchSizes[k], bySize.get(k).epoch(), excess(bySize.get(k)));
sizeEpoch.logY().legendOutside().size(820, 420)
""", tags=["expect-image"]),
code(r"""
LinePlot sizeUpdate = Plots.line("Batch size at lr 0.02: excess loss per update", "update t", "excess loss L(θ_t) − L*");
for (int k = 0; k < batchSizes.length; k++) { Run r = bySize.get(k);
    sizeUpdate.series("b = " + batchSizes[k], Arrays.copyOfRange(r.update(), 1, r.update().length), Arrays.copyOfRange(excess(r), 1, r.loss().length)); }
sizeUpdate.logX().logY()
""", tags=["expect-image"]),
code(r"""
Table sizeTable = Table.create("Batch size at lr 0.02, " + epochs + " epochs",
        IntColumn.create("batch size b", batchSizes),
        IntColumn.create("updates", bySize.stream().mapToInt(Run::updates).toArray()),
        DoubleColumn.create("excess loss after 1 epoch", bySize.stream().mapToDouble(r -> excessAfterEpochs(r, 1)).toArray()),
        DoubleColumn.create("mean excess loss, last epoch", bySize.stream().mapToDouble(r -> meanExcessOfLastEpoch(r)).toArray()));
sizeTable
""", tags=["expect-table"]),
md(r"""
Per epoch, small batches win at first (many cheap updates) but settle on a higher floor; the floor of a constant
learning rate shrinks as the batch grows (roughly in proportion to $\eta/b$), and the largest batches, which take few
updates per epoch, are still on their way down. Per update the picture reverses: a larger batch takes the same step
with a less noisy gradient, so its curve goes lower before it flattens. Checked:
"""),
code(r"""
double[] floor = bySize.stream().mapToDouble(r -> meanExcessOfLastEpoch(r)).toArray();
for (int k = 1; k < 3; k++)      // b = 1, 4, 16: each floor below the previous one
    if (!(floor[k] < floor[k - 1]))
        throw new IllegalStateException("the noise floor did not shrink from b = " + batchSizes[k - 1] + " to b = " + batchSizes[k] + ": " + floor[k - 1] + " -> " + floor[k]);
double full1 = excessAfterEpochs(bySize.get(4), 1);
for (int k = 0; k < 3; k++)
    if (!(excessAfterEpochs(bySize.get(k), 1) < full1))
        throw new IllegalStateException("after one epoch b = " + batchSizes[k] + " is not ahead of b = 512");
printf("checked: last-epoch excess loss decreases with the batch size for b = 1, 4, 16: %.2e > %.2e > %.2e%n", floor[0], floor[1], floor[2]);
System.out.println("checked: after one epoch, b = 1, 4 and 16 are all ahead of b = 512 (batch GD)");
// per update: mean excess loss over updates 101..160 (b = 1, 4, 16 run at least 160 updates in every profile)
double[] window = new double[3];
for (int k = 0; k < 3; k++) { Run r = bySize.get(k); window[k] = meanExcess(r, i -> r.update()[i] >= 101 && r.update()[i] <= 160); }
if (!(window[2] < window[1] && window[1] < window[0]))
    throw new IllegalStateException("per update, larger batches are not lower over updates 101-160: " + Arrays.toString(window));
printf("checked: per update (mean over updates 101-160), b = 16 (%.1e) < b = 4 (%.1e) < b = 1 (%.1e)%n", window[2], window[1], window[0]);
"""),
md(r"""
## 4. The learning rate: too small, right, too large

For batch gradient descent on this quadratic loss the threshold is exact. The Hessian (the matrix of second
derivatives) is constant, $H = \frac{2}{n}X^\top X$, and the error obeys
$\theta_{t+1} - \theta^\star = (I - \eta H)(\theta_t - \theta^\star)$. Along an eigenvector of $H$ with eigenvalue $\lambda$ the
error is multiplied by $1 - \eta\lambda$ at every step. So

* gradient descent converges if and only if $|1 - \eta\lambda| < 1$ for every eigenvalue, that is
  $\eta < 2/\lambda_{\max}$;
* the fastest constant rate is $\eta^\star = 2/(\lambda_{\min} + \lambda_{\max})$, which balances the slowest and the fastest
  direction;
* a tiny $\eta$ converges, slowly: the factor $1 - \eta\lambda_{\min}$ is close to 1.
"""),
code(r"""
INDArray H = X.transpose().mmul(X).muli(2.0 / n);
double[] eig = Eigen.symmetricGeneralizedEigenvalues(H.dup()).toDoubleVector();     // (dup: it overwrites its input)
double lambdaMin = Arrays.stream(eig).min().getAsDouble(), lambdaMax = Arrays.stream(eig).max().getAsDouble();
double lrLimit = 2 / lambdaMax, lrBest = 2 / (lambdaMin + lambdaMax);
printf("eigenvalues of H: %s%nlambda_min = %.4f, lambda_max = %.4f: diverges above lr = 2/lambda_max = %.4f; best lr = %.4f%n",
        Arrays.toString(Arrays.stream(eig).map(v -> Math.round(v * 1e4) / 1e4).toArray()), lambdaMin, lambdaMax, lrLimit, lrBest);
"""),
md(r"""
Six learning rates, 100 steps of batch gradient descent each: far too small, small, the best one, just below the
limit (it converges, but the fastest direction overshoots and flips sign at every step), just above the limit, and
far above it.
"""),
code(r"""
int lrSteps = 100;
double[] lrs = {0.01 * lrBest, 0.1 * lrBest, lrBest, 0.95 * lrLimit, 1.05 * lrLimit, 1.5 * lrLimit};
String[] lrNames = {"0.01 × best", "0.1 × best", "best 2/(λmin+λmax)", "0.95 × limit 2/λmax", "1.05 × limit", "1.5 × limit"};
List<Run> byLr = new ArrayList<>();
for (int k = 0; k < lrs.length; k++)
    byLr.add(minibatchSgd(String.format("lr %.4f (%s)", lrs[k], lrNames[k]), linearRegression, X, y, n, lrs[k], lrSteps, 1));

double distance(Run r) { return r.theta().sub(thetaStar).norm2Number().doubleValue(); }
String outcome(Run r) {
    if (r.diverged()) return "diverged at step " + r.divergedAt() + " (loss > 1e6 or NaN)";
    return String.format("ran %d steps, ||θ − θ*|| = %.1e", r.updates(), distance(r));
}
Table lrTable = Table.create("Batch gradient descent, " + lrSteps + " steps",
        DoubleColumn.create("learning rate", lrs),
        DoubleColumn.create("lr × λmax / 2 (≥ 1 diverges)", Arrays.stream(lrs).map(v -> v * lambdaMax / 2).toArray()),
        StringColumn.create("outcome", byLr.stream().map(r -> outcome(r)).toArray(String[]::new)),
        DoubleColumn.create("last finite loss (MSE)", byLr.stream().mapToDouble(Run::finalLoss).toArray()));
lrTable
""", tags=["expect-table"]),
md(r"""
The excess loss per step, on a log axis cut at $10^{-14}$ (rounding error). A diverged run is drawn only up to the
step where it was stopped (its loss is still finite there).
"""),
code(r"""
LinePlot lrPlot = Plots.line("Batch gradient descent: learning rate", "step t", "excess loss L(θ_t) − L*");
for (Run r : byLr) lrPlot.series(r.name(), r.update(), excess(r));
lrPlot.logY().yRange(1e-14, 1e7).legendOutside().size(900, 440)
""", tags=["expect-image"]),
code(r"""
Run tiny = byLr.get(0), best = byLr.get(2), edge = byLr.get(3), over = byLr.get(4), far = byLr.get(5);
double startExcess = best.loss()[0] - lossStar;
// too small: converging (loss went down) but still more than 10% of the initial excess loss after 100 steps
if (tiny.diverged() || !(tiny.finalLoss() < tiny.loss()[0]) || !(tiny.finalLoss() - lossStar > 0.1 * startExcess))
    throw new IllegalStateException("lr 0.01 x best: expected slow progress, got final loss " + tiny.finalLoss());
// best: reaches the closed-form solution
if (best.diverged() || !(distance(best) < 1e-9))
    throw new IllegalStateException("the best lr did not reach theta* within 1e-9: " + distance(best));
// just below the limit: converges, but more slowly than the best lr
if (edge.diverged() || !(distance(edge) < 1e-2) || !(distance(edge) > distance(best)))
    throw new IllegalStateException("0.95 x limit: expected slow convergence, distance " + distance(edge));
// above the limit: both diverge, the larger one sooner
if (!over.diverged() || !far.diverged() || !(far.divergedAt() < over.divergedAt()))
    throw new IllegalStateException("above 2/lambda_max the runs should diverge, the larger lr sooner: " + outcome(over) + " / " + outcome(far));
printf("checked: lr 0.01 x best is still above %.0f%% of its starting excess loss after %d steps%n",
        100 * (tiny.finalLoss() - lossStar) / startExcess, lrSteps);
printf("checked: the best lr reaches theta* (closed form) within %.1e < 1e-9%n", distance(best));
printf("checked: 0.95 x limit converges (distance %.1e < 1e-2) but more slowly than the best lr%n", distance(edge));
printf("checked: 1.05 x limit diverges at step %d, 1.5 x limit sooner, at step %d%n", over.divergedAt(), far.divergedAt());
"""),
md(r"""
The threshold $2/\lambda_{\max}$ is sharp: 5% below it the run converges, 5% above it the run explodes. Real networks are
not quadratic and their $\lambda_{\max}$ changes during training, but the same picture holds locally, which is why
"the loss became NaN" is usually "the learning rate was too large" — and why notebook 05 adds schedules and clipping.

## 5. Logistic regression

Same loop, another model: labels $y_i \in \{0, 1\}$ drawn with probability $\sigma(\tilde x_i^\top\theta^{\text{true}})$
(`Regression.logistic`), where $\sigma(z) = 1/(1+e^{-z})$. The loss is the mean binary cross-entropy of the predicted
probability $p_i = \sigma(\tilde x_i^\top\theta)$, and its gradient has the same shape as linear regression's:

$$L_B(\theta) = -\frac{1}{|B|}\sum_{i\in B}\big[y_i\log p_i + (1-y_i)\log(1-p_i)\big],\qquad
\nabla L_B(\theta) = \frac{1}{|B|}X_B^\top\big(\sigma(X_B\theta) - y_B\big).$$

For the value we use the equivalent form $\max(z,0) - zy + \log(1 + e^{-|z|})$ with $z = \tilde x^\top\theta$, which never
takes the log of 0.
"""),
code(r"""
Regression.Data logData = Regression.logistic(512, new double[] {1.5, -1.0, 0.5, 2.0, -1.5}, 0.5, 43);
INDArray Xl = Nd4j.hstack(logData.x(), Nd4j.ones(DataType.DOUBLE, n, 1));
INDArray yl = logData.y();

double bceLoss(INDArray theta, INDArray Xb, INDArray yb) {
    INDArray z = Xb.mmul(theta);
    INDArray logTerm = Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false);   // log(1 + e^{-|z|})
    INDArray perExample = Transforms.relu(z, true).subi(z.mul(yb)).addi(logTerm);                       // max(z,0) - z y + log(1 + e^{-|z|})
    return perExample.meanNumber().doubleValue();
}
INDArray bceGradient(INDArray theta, INDArray Xb, INDArray yb) {   // (1/|B|) X_B^T (sigmoid(X_B theta) - y_B)
    return Xb.transpose().mmul(Transforms.sigmoid(Xb.mmul(theta), false).subi(yb)).muli(1.0 / Xb.size(0));
}
Objective logisticRegression = new Objective() {
    public double loss(INDArray theta, INDArray Xb, INDArray yb) { return bceLoss(theta, Xb, yb); }
    public INDArray gradient(INDArray theta, INDArray Xb, INDArray yb) { return bceGradient(theta, Xb, yb); }
};
printf("labels: %d of %d are 1; loss at theta = 0: %.4f (= log 2)%n",
        (int) yl.sumNumber().doubleValue(), n, bceLoss(Nd4j.zeros(DataType.DOUBLE, d, 1), Xl, yl));
"""),
md(r"""
There is no closed form here, but the loss is convex and smooth, so **Newton's method**
$\theta \leftarrow \theta - H^{-1}\nabla L(\theta)$, with Hessian $H = \frac1n X^\top \operatorname{diag}\big(p_i(1-p_i)\big)X$,
finds the minimizer $\theta^\star$ to machine precision in a few steps. It is our reference, as the closed form was for
linear regression (each Newton step solves a $6\times 6$ system: fine here, hopeless for a network with millions of
weights, which is why we use gradient descent there).
"""),
code(r"""
INDArray thetaLog = Nd4j.zeros(DataType.DOUBLE, d, 1);
for (int it = 0; it < 12; it++) {
    INDArray p = Transforms.sigmoid(Xl.mmul(thetaLog), false);
    INDArray weights = p.mul(p.rsub(1.0));                                  // p_i (1 - p_i), [n, 1]
    INDArray hessian = Xl.transpose().mmul(Xl.mulColumnVector(weights)).divi(n);
    thetaLog.subi(Nd4j.linalg().solve(hessian, bceGradient(thetaLog, Xl, yl)));        // theta <- theta - H^-1 grad
}
double logLossStar = bceLoss(thetaLog, Xl, yl), logGradNorm = bceGradient(thetaLog, Xl, yl).norm2Number().doubleValue();
if (!(logGradNorm < 1e-12)) throw new IllegalStateException("Newton did not converge: gradient norm " + logGradNorm);
System.out.println("theta* = " + Arrays.toString(thetaLog.toDoubleVector()) + "\ntrue   = [1.5, -1.0, 0.5, 2.0, -1.5, 0.5]");
printf("checked: Newton's method reaches ||grad L(theta*)|| = %.1e < 1e-12; L* = %.5f%n", logGradNorm, logLossStar);
"""),
code(r"""
Run logGd   = minibatchSgd("batch GD (b = 512, lr 4)",     logisticRegression, Xl, yl, n,  4.0,  epochs, 3);
Run logSgd  = minibatchSgd("SGD (b = 1, lr 0.05)",         logisticRegression, Xl, yl, 1,  0.05, epochs, 3);
Run logMini = minibatchSgd("mini-batch (b = 32, lr 0.5)",  logisticRegression, Xl, yl, 32, 0.5,  epochs, 3);
List<Run> logRuns = List.of(logGd, logSgd, logMini);

double accuracy(INDArray theta) {      // predict 1 where sigmoid(x theta) > 0.5, i.e. x theta > 0
    INDArray predicted = Xl.mmul(theta).gt(0).castTo(DataType.DOUBLE);
    return predicted.eq(yl).castTo(DataType.DOUBLE).meanNumber().doubleValue();
}
LinePlot logPlot = Plots.line("Logistic regression: excess loss per epoch", "epoch (= per-example gradients / n)", "excess loss L(θ_t) − L*");
for (Run r : logRuns) logPlot.series(r.name(), r.epoch(), Arrays.stream(r.loss()).map(l -> l - logLossStar).toArray());
logPlot.logY().yRange(1e-4, 1)
""", tags=["expect-image"]),
code(r"""
Table logTable = Table.create("Logistic regression, " + epochs + " epochs (Newton optimum: loss " + String.format("%.4f", logLossStar) + ", accuracy " + String.format("%.3f", accuracy(thetaLog)) + ")",
        StringColumn.create("algorithm", logRuns.stream().map(Run::name).toArray(String[]::new)),
        DoubleColumn.create("loss after 1 epoch", logRuns.stream().mapToDouble(r -> lossAfterEpochs(r, 1)).toArray()),
        DoubleColumn.create("final loss", logRuns.stream().mapToDouble(Run::finalLoss).toArray()),
        DoubleColumn.create("final accuracy (fraction)", logRuns.stream().mapToDouble(r -> accuracy(r.theta())).toArray()));
logTable
""", tags=["expect-table"]),
md(r"""
The same story as for linear regression: per epoch, SGD is ahead early; after a few epochs all three are close to the
optimum, and classify as well as it does. Checked:
"""),
code(r"""
double lg1 = lossAfterEpochs(logGd, 1) - logLossStar, ls1 = lossAfterEpochs(logSgd, 1) - logLossStar;
if (!(ls1 < lg1)) throw new IllegalStateException("after one epoch SGD is not ahead of batch GD: " + ls1 + " vs " + lg1);
double bestAccuracy = accuracy(thetaLog);
for (Run r : logRuns) {
    if (r.diverged() || !(r.finalLoss() - logLossStar < 0.01))
        throw new IllegalStateException(r.name() + " is not within 0.01 of the optimal loss: " + r.finalLoss());
    if (!(Math.abs(accuracy(r.theta()) - bestAccuracy) <= 0.01))
        throw new IllegalStateException(r.name() + ": accuracy " + accuracy(r.theta()) + " is not within 0.01 of the optimum's " + bestAccuracy);
}
printf("checked: after 1 epoch SGD's excess loss %.2e < batch GD's %.2e%n", ls1, lg1);
printf("checked: after %d epochs all three are within 0.01 of L* and their accuracy within 0.01 of the optimum's (%.3f)%n", epochs, bestAccuracy);
"""),
md(r"""
## Summary

* One update rule, $\theta \leftarrow \theta - \eta\nabla L_B(\theta)$; batch, stochastic and mini-batch gradient descent differ only
  in the batch $B$.
* Small batches make fast early progress per example seen, but with a constant learning rate they stall on a noise
  floor that shrinks as the batch grows. Batch GD has no floor, but each of its steps costs a full pass.
* Wall-clock time is a third, different ranking, decided by how well each step uses the hardware.
* On a quadratic, gradient descent converges exactly when $\eta < 2/\lambda_{\max}$; the best constant rate is
  $2/(\lambda_{\min}+\lambda_{\max})$, and a rate far below it wastes steps.

**Next:** 04 — optimizers (momentum, adaptive learning rates) and 05 — learning-rate schedules, which lower $\eta$
during training to get under the noise floor, and gradient clipping.
"""),
])
