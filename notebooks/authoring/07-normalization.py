import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

CELLS = [
md(r"""
# 07 — Normalization: input scaling, BatchNorm, LayerNorm, InstanceNorm

Gradient descent takes one learning rate for every direction of the parameter space. When some directions are
much steeper than others, a learning rate small enough for the steep ones is far too small for the flat ones, and
training crawls. Normalization fights this at two places:

* **at the input**: rescale each feature so that all have comparable ranges (`descent.data.scale`:
  `StandardScaler`, `MinMaxScaler`);
* **inside the network**: normalize the activations of a layer, for every batch (`descent.nn.norm`: `BatchNorm`,
  `LayerNorm`, `InstanceNorm`, each with a hand-written backward pass).

We measure both: how many gradient-descent steps a badly scaled regression needs and which learning rates it
tolerates, and how BatchNorm changes the training speed and the largest usable learning rate of a network. Every
comparative sentence is checked by a cell that throws if it is false.
"""),
code(r"""
import descent.*;
import descent.plot.*;
import descent.check.GradientCheck;
import descent.data.Synthetic;
import descent.data.scale.*;
import descent.loss.*;
import descent.nn.norm.*;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.util.*;

// Our arrays are tiny: one thread is faster than two that must synchronise after every small operation, and it
// makes runs bit-for-bit repeatable.
Nd4j.getEnvironment().setMaxThreads(1);
Nd4j.getEnvironment().setMaxMasterThreads(1);
Nd4j.factory().blas().setMaxThreads(1);
System.out.println("profile " + Profile.current().id());
"""),
md(r"""
## 1. Input scaling

Two features measured in different units, say a length in metres around 5 and another one in millimetres around
3000, differ in scale by a factor of 1000. The two usual fixes work per feature $j$, with statistics taken on the
**training** data only (and then applied unchanged to validation and test data):

$$\text{standardization:}\quad z_j = \frac{x_j - \mu_j}{\sigma_j}, \qquad
\mu_j = \frac{1}{n}\sum_i x_{ij},\quad \sigma_j = \sqrt{\frac{1}{n}\sum_i (x_{ij} - \mu_j)^2}$$

$$\text{min-max scaling:}\quad z_j = \frac{x_j - \min_j}{\max_j - \min_j} \in [0, 1]$$

Standardization centres each feature at 0 with unit variance; min-max scaling maps the training range to $[0, 1]$
without centring. Our data: $n = 200$ training points, $x_1 = 5 + \varepsilon_1$, $x_2 = 3000 + 1000\,\varepsilon_2$
($\varepsilon \sim N(0, 1)$), and a linear target $y = 1.5\,x_1 + 0.002\,x_2 + 0.1\,\varepsilon$.
"""),
code(r"""
int n = 200;
Nd4j.getRandom().setSeed(7);
INDArray e = Nd4j.randn(DataType.DOUBLE, n, 2);
INDArray raw = Nd4j.hstack(e.getColumn(0, true).add(5.0), e.getColumn(1, true).mul(1000.0).add(3000.0));
INDArray y = raw.getColumn(0, true).mul(1.5).add(raw.getColumn(1, true).mul(0.002))
        .add(Nd4j.randn(DataType.DOUBLE, n, 1).mul(0.1));

StandardScaler standard = new StandardScaler().fit(raw);
MinMaxScaler minMax = new MinMaxScaler().fit(raw);
Map<String, INDArray> features = new LinkedHashMap<>();
features.put("raw", raw);
features.put("min-max", minMax.transform(raw));
features.put("standardized", standard.transform(raw));

Table ranges = Table.create("The two features before and after scaling (training data)",
        StringColumn.create("scaling"), StringColumn.create("feature"), DoubleColumn.create("mean"),
        DoubleColumn.create("standard deviation"), DoubleColumn.create("min"), DoubleColumn.create("max"));
features.forEach((name, f) -> {
    for (int j = 0; j < 2; j++) {
        INDArray col = f.getColumn(j);
        ranges.stringColumn(0).append(name);
        ranges.stringColumn(1).append("x" + (j + 1));
        ranges.doubleColumn(2).append(col.meanNumber().doubleValue());
        ranges.doubleColumn(3).append(col.std(false, 0).getDouble(0));   // biased, as StandardScaler
        ranges.doubleColumn(4).append(col.minNumber().doubleValue());
        ranges.doubleColumn(5).append(col.maxNumber().doubleValue());
    }
});
ranges
""", tags=["expect-table"]),
code(r"""
INDArray z = features.get("standardized"), m = features.get("min-max");
double worstMean = Transforms.abs(z.mean(0)).maxNumber().doubleValue();
double worstStd = Transforms.abs(z.std(false, 0).sub(1.0)).maxNumber().doubleValue();
double mmLo = m.min(0).maxNumber().doubleValue(), mmHi = m.max(0).minNumber().doubleValue();
if (worstMean > 1e-12 || worstStd > 1e-12) throw new IllegalStateException("standardized features are not mean 0, std 1");
if (Math.abs(m.minNumber().doubleValue()) > 1e-12 || Math.abs(m.maxNumber().doubleValue() - 1) > 1e-12 || Math.abs(mmLo) > 1e-12 || Math.abs(mmHi - 1) > 1e-12)
    throw new IllegalStateException("min-max features do not span [0, 1] exactly");
System.out.println(String.format("checked: standardized features have mean 0 and standard deviation 1 (to %.0e); min-max features span exactly [0, 1] on the training data",
        Math.max(worstMean, worstStd) + 1e-16));
"""),
md(r"""
### What scaling does to gradient descent

We fit $\hat y = w_0 + w_1 z_1 + w_2 z_2$ by gradient descent on the mean squared error, with $A = [\mathbf 1, z_1, z_2]$
the $n \times 3$ design matrix:

$$L(w) = \frac1n \lVert A w - y\rVert^2, \qquad \nabla L(w) = H w - b, \qquad H = \frac2n A^\top A,\quad b = \frac2n A^\top y.$$

$L$ is a quadratic bowl with Hessian $H$. Gradient descent $w \leftarrow w - \eta\,\nabla L(w)$ shrinks the error
along each eigenvector of $H$ by the factor $(1 - \eta\lambda_i)$ per step. Hence:

* it is **stable** only if $|1 - \eta\lambda_{\max}| < 1$, i.e. $\eta < 2/\lambda_{\max}$: the steepest direction
  sets the largest learning rate;
* with the best safe choice, about $\eta = 1/\lambda_{\max}$, the flattest direction shrinks by
  $(1 - \lambda_{\min}/\lambda_{\max})$ per step, so reaching a relative accuracy $\delta$ takes about
  $\kappa \ln(1/\delta)$ steps, where $\kappa = \lambda_{\max}/\lambda_{\min}$ is the **condition number**.

The three scalings describe exactly the same set of affine models (each is an invertible change of variables of
the other), so they share the minimum loss $L^\star$; only the shape of the bowl changes. We compute $L^\star$ from
the standardized problem, where solving the normal equations $A^\top A\,w = A^\top y$ is well conditioned.
"""),
code(r"""
INDArray design(INDArray f) { return Nd4j.hstack(Nd4j.ones(DataType.DOUBLE, f.size(0), 1), f); }
double loss(INDArray A, INDArray w) { INDArray r = A.mmul(w).subi(y); return r.mul(r).sumNumber().doubleValue() / n; }

INDArray As = design(features.get("standardized"));
INDArray wStar = org.nd4j.linalg.inverse.InvertMatrix.invert(As.transpose().mmul(As), false).mmul(As.transpose().mmul(y));
double lossStar = loss(As, wStar);

Map<String, double[]> eig = new LinkedHashMap<>();   // eigenvalues of H, ascending
for (var entry : features.entrySet()) {
    INDArray A = design(entry.getValue());
    INDArray H = A.transpose().mmul(A).muli(2.0 / n);
    double[] ev = org.nd4j.linalg.eigen.Eigen.symmetricGeneralizedEigenvalues(H.dup()).toDoubleVector();
    Arrays.sort(ev);
    eig.put(entry.getKey(), ev);
    System.out.println(String.format("%-13s eigenvalues of H: %s   condition number %.3g", entry.getKey(),
            Arrays.toString(Arrays.stream(ev).mapToObj(v -> String.format("%.3g", v)).toArray()), ev[2] / ev[0]));
}
System.out.println(String.format("minimum loss L* = %.6f", lossStar));
"""),
md(r"""
Now the measurement. For each scaling we run gradient descent from $w = 0$:

1. at $\eta = 0.95 \cdot 2/\lambda_{\max}$ and at $\eta = 1.05 \cdot 2/\lambda_{\max}$ for 200 steps: the theory says
   the first stays bounded and the second blows up;
2. at $\eta = 1/\lambda_{\max}$ for up to 1000 steps, counting the steps until the relative excess loss
   $(L(w_t) - L^\star)/(L(w_0) - L^\star)$ falls below $10^{-6}$.

A diverging run is stopped as soon as its loss exceeds $10^{12}$ times its start and reported as diverged.
"""),
code(r"""
int CONVERGE_STEPS = 1000;
double TOL = 1e-6;

/** Gradient descent w <- w - lr (H w - b) from w = 0; returns the relative excess loss after each step. */
double[] descend(INDArray A, double lr, int steps) {
    INDArray H = A.transpose().mmul(A).muli(2.0 / n), b = A.transpose().mmul(y).muli(2.0 / n);
    INDArray w = Nd4j.zeros(DataType.DOUBLE, 3, 1);
    double start = loss(A, w) - lossStar;
    double[] gap = new double[steps];
    for (int t = 0; t < steps; t++) {
        w.subi(H.mmul(w).subi(b).muli(lr));
        gap[t] = (loss(A, w) - lossStar) / start;
        if (!(gap[t] < 1e12)) return Arrays.copyOf(gap, t + 1);   // diverged (or NaN): stop here
    }
    return gap;
}
boolean diverged(double[] gap, int steps) { return gap.length < steps || !(gap[gap.length - 1] < 1); }
int stepsTo(double[] gap, double tol) { for (int t = 0; t < gap.length; t++) if (gap[t] < tol) return t + 1; return -1; }

Map<String, double[]> curves = new LinkedHashMap<>();
Table gd = Table.create("Gradient descent on least squares: the same data under three scalings",
        StringColumn.create("scaling"), DoubleColumn.create("lambda_max of H"), DoubleColumn.create("condition number"),
        DoubleColumn.create("largest stable lr, theory 2/lambda_max"), StringColumn.create("0.95 x that lr (200 steps)"),
        StringColumn.create("1.05 x that lr (200 steps)"), StringColumn.create("steps to 1e-6 at lr = 1/lambda_max"));
for (var entry : features.entrySet()) {
    String name = entry.getKey();
    INDArray A = design(entry.getValue());
    double[] ev = eig.get(name);
    double lrMax = 2 / ev[2];
    double[] below = descend(A, 0.95 * lrMax, 200), above = descend(A, 1.05 * lrMax, 200);
    double[] curve = descend(A, 1 / ev[2], CONVERGE_STEPS);
    curves.put(name, curve);
    int steps = stepsTo(curve, TOL);
    gd.stringColumn(0).append(name);
    gd.doubleColumn(1).append(ev[2]);
    gd.doubleColumn(2).append(ev[2] / ev[0]);
    gd.doubleColumn(3).append(lrMax);
    gd.stringColumn(4).append(diverged(below, 200) ? "diverged" : "stable");
    gd.stringColumn(5).append(diverged(above, 200) ? "diverged" : "stable");
    gd.stringColumn(6).append(steps < 0 ? "not within " + CONVERGE_STEPS + " (gap " + String.format("%.2g", curve[curve.length - 1]) + ")" : String.valueOf(steps));
}
gd
""", tags=["expect-table"]),
code(r"""
// Drawn: every step up to 10, then every 10th (XChart labels every data point of an equally spaced x axis, and
// 1000 labels collide), and each curve only until it reaches 1e-12: below that the excess loss is rounding noise.
LinePlot gdPlot = Plots.line("Gradient descent at lr = 1 / lambda_max", "step", "relative excess loss (L - L*) / (L0 - L*)").logY();
curves.forEach((name, c) -> {
    int end = stepsTo(c, 1e-12) < 0 ? c.length : stepsTo(c, 1e-12);
    int[] kept = java.util.stream.IntStream.rangeClosed(1, end).filter(t -> t <= 10 || t % 10 == 0 || t == end).toArray();
    gdPlot.series(name + " (condition number " + String.format("%.2g", eig.get(name)[2] / eig.get(name)[0]) + ")",
            Arrays.stream(kept).asDoubleStream().toArray(), Arrays.stream(kept).mapToDouble(t -> c[t - 1]).toArray());
});
gdPlot.size(900, 420).legendOutside()
""", tags=["expect-image"]),
md(r"""
Checked below: the theory's learning-rate limit holds for every scaling (stable just below $2/\lambda_{\max}$,
diverging just above it); the condition numbers are ordered standardized < min-max < raw, each by more than a
factor of 5; standardized features converge within 1000 steps and in fewer steps than min-max features; raw features
do not converge within 1000 steps; and the largest stable learning rate for raw features is more than $10^4$ times
smaller than for standardized ones. Min-max scaling is far better than nothing but worse than standardization
here because it does not centre the features: a feature with mean 0.5 is strongly correlated with the constant
column of the intercept, which stretches the bowl.
"""),
code(r"""
for (Row r : gd) {
    if (!r.getString("0.95 x that lr (200 steps)").equals("stable") || !r.getString("1.05 x that lr (200 steps)").equals("diverged"))
        throw new IllegalStateException(r.getString("scaling") + ": the stability limit 2/lambda_max did not hold");
}
double kRaw = eig.get("raw")[2] / eig.get("raw")[0], kMm = eig.get("min-max")[2] / eig.get("min-max")[0], kStd = eig.get("standardized")[2] / eig.get("standardized")[0];
if (!(5 * kStd < kMm && 5 * kMm < kRaw)) throw new IllegalStateException("condition numbers not ordered as stated: " + kStd + ", " + kMm + ", " + kRaw);
int sStd = stepsTo(curves.get("standardized"), TOL), sMm = stepsTo(curves.get("min-max"), TOL), sRaw = stepsTo(curves.get("raw"), TOL);
if (!(sStd > 0 && (sMm < 0 || sStd < sMm) && sRaw < 0))
    throw new IllegalStateException("steps to converge not as stated: standardized " + sStd + ", min-max " + sMm + ", raw " + sRaw);
double lrRatio = eig.get("raw")[2] / eig.get("standardized")[2];
if (!(lrRatio > 1e4)) throw new IllegalStateException("raw features' largest stable lr is only " + lrRatio + "x smaller");
System.out.println("checked: for all three scalings, 0.95 x (2 / lambda_max) is stable and 1.05 x diverges");
System.out.println(String.format("checked: condition numbers %.3g (standardized) < %.3g (min-max) < %.3g (raw), each step more than 5x", kStd, kMm, kRaw));
System.out.println(String.format("checked: %d steps (standardized) < %s (min-max); raw not converged in %d steps; raw's largest stable lr is %.2g x smaller",
        sStd, sMm < 0 ? "more than " + CONVERGE_STEPS : String.valueOf(sMm), CONVERGE_STEPS, lrRatio));
"""),
md(r"""
The same picture holds for logistic regression and for the first layer of any network: the first layer's weights
see the raw features, so unscaled inputs make the loss surface badly conditioned before anything else happens.
Scaling the inputs is cheap and should be the default; fit the scaler on the training data only.

## 2. Normalization inside the network

Input scaling fixes the first layer only. The inputs of later layers are activations that change while the
network trains. Normalization layers rescale activations on the fly, with learnable scale $\gamma$ and shift
$\beta$ so that the layer can still represent any scale:

$$\hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad y = \gamma\,\hat x + \beta, \qquad
\mu = \frac{1}{m}\sum_{i \in S} x_i,\quad \sigma^2 = \frac{1}{m}\sum_{i \in S}(x_i - \mu)^2$$

The three layers differ only in the set $S$ of $m$ values that share one $\mu$ and $\sigma^2$. For a batch of
activations of shape $[N, C, H, W]$ (examples, channels, height, width):

| layer | statistics over | one $(\mu, \sigma^2)$ per | $\gamma, \beta$ per | at test time |
|---|---|---|---|---|
| `BatchNorm(C)` | $N, H, W$ | channel | channel | running averages of $\mu, \sigma^2$ collected in training |
| `LayerNorm(C, H, W)` | $C, H, W$ | example | element of $[C, H, W]$ | the same computation (no batch needed) |
| `InstanceNorm(C)` | $H, W$ | (example, channel) | channel | the same computation |

For a fully connected layer the activations are $[N, F]$ and BatchNorm's statistics are over $N$ only, one per
feature. In each panel below, the shaded cells form one normalization group; every other group of the same shape
is normalized separately with its own statistics.
"""),
code(r"""
/** A batch as a grid: one row per example n, channel blocks c side by side, each block H*W cells; one group shaded. */
Renderable normGroups = () -> {
    int N = 4, C = 3, HW = 4, cell = 22, gap = 10, left = 70, top = 60;
    int blockW = HW * cell, panelW = C * blockW + (C - 1) * gap, panelGap = 50;
    String[] names = {"BatchNorm", "LayerNorm", "InstanceNorm"};
    String[] over = {"over N, H, W: one group per channel", "over C, H, W: one group per example", "over H, W: one group per (example, channel)"};
    int width = left + 3 * panelW + 2 * panelGap + 30, height = top + N * cell + 70;
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(java.awt.Color.WHITE); g.fillRect(0, 0, width, height);
    java.awt.Font bold = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15), plain = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12);
    for (int p = 0; p < 3; p++) {
        int x0 = left + p * (panelW + panelGap);
        g.setColor(java.awt.Color.BLACK); g.setFont(bold); g.drawString(names[p], x0, 22);
        g.setFont(plain); g.drawString(over[p], x0, 40);
        for (int c = 0; c < C; c++) {
            int bx = x0 + c * (blockW + gap);
            g.setColor(java.awt.Color.DARK_GRAY); g.drawString("c = " + (c + 1), bx + blockW / 2 - 14, top + N * cell + 16);
            for (int nn = 0; nn < N; nn++)
                for (int k = 0; k < HW; k++) {
                    boolean shaded = switch (p) { case 0 -> c == 0; case 1 -> nn == 0; default -> nn == 0 && c == 0; };
                    g.setColor(shaded ? new java.awt.Color(45, 110, 200) : new java.awt.Color(225, 228, 234));
                    g.fillRect(bx + k * cell, top + nn * cell, cell, cell);
                    g.setColor(java.awt.Color.WHITE);
                    g.drawRect(bx + k * cell, top + nn * cell, cell, cell);
                }
        }
        g.setColor(java.awt.Color.DARK_GRAY);
        g.drawString("C channels, each H x W = " + HW + " positions", x0, top + N * cell + 36);
    }
    g.setColor(java.awt.Color.DARK_GRAY);
    for (int nn = 0; nn < N; nn++) g.drawString("n = " + (nn + 1), 20, top + nn * cell + 16);
    g.drawString("N examples", 5, top - 8);
    g.dispose();
    return img;
};
normGroups
""", tags=["expect-image"]),
md(r"""
In `descent.nn.norm` each layer is one object with `forward` and a hand-written `backward` (the formulas are in
the Javadoc of `NormLayer`); all follow PyTorch's conventions (biased variance inside the layer, $\epsilon = 10^{-5}$,
$\gamma = 1$, $\beta = 0$ at the start):

```java
BatchNorm bn = new BatchNorm(3);              // C = 3; train() / eval() switch batch vs running statistics
LayerNorm ln = new LayerNorm(3, 2, 2);        // normalizedShape = [C, H, W]
InstanceNorm in = new InstanceNorm(3);        // C = 3
INDArray out = bn.forward(x);                 // x: [N, 3, H, W]
INDArray dx  = bn.backward(dOut);             // also fills bn.gradGamma(), bn.gradBeta()
```

A check that each layer normalizes exactly the groups of the picture: on a batch whose values have very different
means per example and per channel, the output of each layer has mean 0 and variance 1 over its own groups, and
not over the other layers' groups.
"""),
code(r"""
Nd4j.getRandom().setSeed(3);
INDArray xb = Nd4j.randn(DataType.DOUBLE, 4, 3, 2, 2)
        .addi(Nd4j.createFromArray(0.0, 5.0, -3.0).reshape(1, 3, 1, 1))       // channel offsets
        .addi(Nd4j.createFromArray(1.0, -2.0, 4.0, 0.5).reshape(4, 1, 1, 1))  // example offsets
        .muli(Nd4j.createFromArray(1.0, 3.0, 0.5).reshape(1, 3, 1, 1));       // channel scales
Map<String, NormLayer<?>> layers = new LinkedHashMap<>();
layers.put("BatchNorm", new BatchNorm(3));
layers.put("LayerNorm", new LayerNorm(3, 2, 2));
layers.put("InstanceNorm", new InstanceNorm(3));
Map<String, int[]> groupAxes = Map.of("BatchNorm", new int[] {0, 2, 3}, "LayerNorm", new int[] {1, 2, 3}, "InstanceNorm", new int[] {2, 3});

/** Largest |mean| and |biased variance - 1| over the groups that share the given reduction axes. */
double[] groupStats(INDArray out, int[] axes) {
    return new double[] {Transforms.abs(out.mean(axes)).maxNumber().doubleValue(),
            Transforms.abs(out.var(false, axes).sub(1.0)).maxNumber().doubleValue()};
}
Table groups = Table.create("Output statistics, per layer and per grouping (largest deviation over the groups)",
        StringColumn.create("layer"), StringColumn.create("grouping checked"), DoubleColumn.create("max |mean|"), DoubleColumn.create("max |variance - 1|"));
for (var layer : layers.entrySet()) {
    INDArray out = layer.getValue().forward(xb);
    for (var grouping : layers.keySet()) {
        double[] st = groupStats(out, groupAxes.get(grouping));
        groups.stringColumn(0).append(layer.getKey());
        groups.stringColumn(1).append(grouping + "'s groups");
        groups.doubleColumn(2).append(st[0]);
        groups.doubleColumn(3).append(st[1]);
    }
}
groups
""", tags=["expect-table"]),
code(r"""
for (var layer : layers.entrySet()) {
    INDArray out = layer.getValue().forward(xb);
    double[] own = groupStats(out, groupAxes.get(layer.getKey()));
    // eps = 1e-5 inside the square root makes the variance var/(var + eps), a little below 1
    if (own[0] > 1e-12 || own[1] > 1e-3)
        throw new IllegalStateException(layer.getKey() + " does not normalize its own groups: " + Arrays.toString(own));
    for (var other : layers.keySet()) {
        if (other.equals(layer.getKey()) || (layer.getKey().equals("InstanceNorm"))) continue;   // InstanceNorm's groups are the finest: see below
        double[] st = groupStats(out, groupAxes.get(other));
        if (!(st[0] > 0.1 || st[1] > 0.1))
            throw new IllegalStateException(layer.getKey() + "'s output is also normalized over " + other + "'s groups");
    }
}
System.out.println("checked: each layer's output has mean 0 (to 1e-12) and variance 1 (to 1e-3, the eps term) over its own groups");
System.out.println("checked: BatchNorm's and LayerNorm's outputs are not normalized over the other layers' groups (mean or variance off by > 0.1)");
"""),
md(r"""
(InstanceNorm's groups are the finest: every InstanceNorm group lies inside one BatchNorm group and inside one
LayerNorm group, so an InstanceNorm output, each of whose groups has mean 0 and variance 1, also has mean 0 and
variance 1 over those larger groups. The table shows it.)

### Gradient checks

Each backward pass is compared with central finite differences of a scalar function of the layer's output,
$f = \sum_i r_i\, y_i$ with a fixed random $r$ (so that $\partial f / \partial y = r$ exercises every output), with
respect to the input, $\gamma$ and $\beta$. $\gamma$ and $\beta$ are first set to random values so that their
gradients are not trivially those of the identity.
"""),
code(r"""
Nd4j.getRandom().setSeed(4);
INDArray r = Nd4j.randn(DataType.DOUBLE, 4, 3, 2, 2);
Table checks = Table.create("GradientCheck of each normalization layer (max relative error)",
        StringColumn.create("layer"), DoubleColumn.create("d f / d x"), DoubleColumn.create("d f / d gamma"), DoubleColumn.create("d f / d beta"));
double worstCheck = 0;
for (var entry : layers.entrySet()) {
    NormLayer<?> layer = entry.getValue();
    layer.gamma(Nd4j.randn(DataType.DOUBLE, layer.parameterShape()).addi(1.0));
    layer.beta(Nd4j.randn(DataType.DOUBLE, layer.parameterShape()));
    INDArray gamma0 = layer.gamma().dup(), beta0 = layer.beta().dup();
    layer.forward(xb);
    INDArray dx = layer.backward(r);
    INDArray dGamma = layer.gradGamma().dup(), dBeta = layer.gradBeta().dup();
    double ex = GradientCheck.check(xp -> layer.forward(xp).mul(r).sumNumber().doubleValue(), xb, dx).maxRelativeError();
    double eg = GradientCheck.check(gp -> { layer.gamma(gp); return layer.forward(xb).mul(r).sumNumber().doubleValue(); }, gamma0, dGamma).maxRelativeError();
    layer.gamma(gamma0);
    double eb = GradientCheck.check(bp -> { layer.beta(bp); return layer.forward(xb).mul(r).sumNumber().doubleValue(); }, beta0, dBeta).maxRelativeError();
    layer.beta(beta0);
    checks.stringColumn(0).append(entry.getKey());
    checks.doubleColumn(1).append(ex); checks.doubleColumn(2).append(eg); checks.doubleColumn(3).append(eb);
    worstCheck = Math.max(worstCheck, Math.max(ex, Math.max(eg, eb)));
}
if (worstCheck > 1e-6) throw new IllegalStateException("a normalization layer's backward disagrees with finite differences: " + worstCheck);
System.out.println(String.format("checked: all three layers' gradients (input, gamma, beta) match finite differences, max relative error %.1e < 1e-6", worstCheck));
checks
""", tags=["expect-table"]),
md(r"""
## 3. BatchNorm in training: speed and the largest learning rate

BatchNorm was introduced (Ioffe and Szegedy, 2015) to make deep networks train faster and tolerate larger learning
rates. We measure both on a small problem: three-class spirals (`Synthetic.spirals`, 600 points, angle noise 0.2),
and a multi-layer perceptron $2 \to 64 \to 64 \to 64 \to 3$ with ReLU, trained by plain full-batch gradient descent
(`Optimizers.create("sgd")`) on the cross-entropy loss, with and without a `BatchNorm` after each hidden linear
layer:

$$\text{plain:}\quad h \leftarrow \mathrm{relu}(h W + b) \qquad\qquad \text{with BatchNorm:}\quad h \leftarrow \mathrm{relu}(\mathrm{BN}(h W + b))$$

The network is a `descent.nn.Sequential` (linear layers and ReLU from the lib, parameters in one flat vector); the
teaching `BatchNorm` is plugged in through a ten-line adapter. Its $\gamma$ and $\beta$ live in the `BatchNorm`
object, so the training loop steps them with the same optimizer after the network's own parameters.
"""),
code(r"""
import descent.nn.Sequential;
import descent.nn.Layer;

/** descent.nn.norm.BatchNorm as a layer of a Sequential; training mode during the step, eval mode to measure. */
class BatchNormLayer extends Layer {
    final BatchNorm bn;
    BatchNormLayer(int features) { bn = new BatchNorm(features); }
    public String describe() { return "BatchNorm(" + bn.numFeatures() + ")"; }
    public long[] outputShape(long[] s) { return s; }
    public INDArray forward(INDArray x, boolean training) { if (training) bn.train(); else bn.eval(); return bn.forward(x); }
    public INDArray backward(INDArray dy) { return bn.backward(dy); }
}

int HIDDEN = 64;
List<BatchNormLayer> norms = new ArrayList<>();   // the BatchNorm layers of the last network built
Sequential mlp(boolean batchNorm, long seed) {
    norms = new ArrayList<>();
    Sequential.Builder b = Sequential.input(2).dataType(DataType.DOUBLE).seed(seed);
    int in = 2;
    for (int layer = 0; layer < 3; layer++) {
        b.add(new descent.nn.Linear(in, HIDDEN));
        if (batchNorm) { BatchNormLayer bn = new BatchNormLayer(HIDDEN); norms.add(bn); b.add(bn); }
        b.add(new descent.nn.ReLU());
        in = HIDDEN;
    }
    return b.add(new descent.nn.Linear(HIDDEN, 3)).build();
}
mlp(true, 1).summary()
""", tags=["expect-table"]),
code(r"""
Synthetic.Classification spirals = Synthetic.spirals(600, 3, 0.2, 42);
Loss crossEntropy = Losses.create("cross_entropy");
int STEPS = Profile.pick(150, 300, 400);
double[] LRS = Profile.pick(new double[] {0.1, 1, 3}, new double[] {0.03, 0.1, 0.3, 1, 3, 10, 30}, new double[] {0.03, 0.1, 0.3, 1, 3, 10, 30});

record Run(boolean batchNorm, double lr, double[] loss, String diverged, double accuracy) {
    double finalLoss() { return loss[loss.length - 1]; }
}

double accuracy(INDArray logits, INDArray labels) {
    INDArray predicted = logits.argMax(1);
    int correct = 0;
    for (int i = 0; i < labels.size(0); i++) if (predicted.getInt(i) == (int) labels.getDouble(i, 0)) correct++;
    return (double) correct / labels.size(0);
}

boolean finite(INDArray a) { for (double v : a.data().asDouble()) if (!Double.isFinite(v)) return false; return true; }

/** Full-batch gradient descent; the loss recorded is the one each step sees (training mode). */
Run train(boolean batchNorm, double lr) {
    Sequential net = mlp(batchNorm, 11);
    List<BatchNormLayer> bns = norms;
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", lr));
    double[] losses = new double[STEPS];
    for (int t = 0; t < STEPS; t++) {
        INDArray logits = net.forward(spirals.x(), true);
        double l = finite(logits) ? crossEntropy.value(logits, spirals.oneHot()) : Double.NaN;
        if (!(l < 1e3)) return new Run(batchNorm, lr, Arrays.copyOf(losses, t), "step " + (t + 1), Double.NaN);
        losses[t] = l;
        net.backward(crossEntropy.gradient(logits, spirals.oneHot()));
        try {
            sgd.step(net.params(), net.grads());
            for (BatchNormLayer bn : bns) { sgd.step(bn.bn.gamma(), bn.bn.gradGamma()); sgd.step(bn.bn.beta(), bn.bn.gradBeta()); }
        } catch (IllegalArgumentException nonFiniteGradient) {   // optimizers refuse NaN/infinite gradients
            return new Run(batchNorm, lr, Arrays.copyOf(losses, t + 1), "step " + (t + 1) + " (gradient)", Double.NaN);
        }
    }
    return new Run(batchNorm, lr, losses, null, accuracy(net.forward(spirals.x(), false), spirals.labels()));
}

List<Run> sweep = new ArrayList<>();
long t0 = System.nanoTime();
for (double lr : LRS) for (boolean bn : new boolean[] {false, true}) sweep.add(train(bn, lr));
System.out.println(String.format("%d runs of %d steps in %.1f s", sweep.size(), STEPS, (System.nanoTime() - t0) / 1e9));
"""),
code(r"""
double THRESHOLD = 0.3;   // "trained": the step loss got below this (log 3 = 1.10 is chance level)
int stepsBelow(Run run, double threshold) { for (int t = 0; t < run.loss().length; t++) if (run.loss()[t] < threshold) return t + 1; return -1; }
boolean trains(Run run) { return run.diverged() == null && stepsBelow(run, THRESHOLD) > 0; }

Table sweepTable = Table.create("Plain vs BatchNorm MLP, full-batch SGD, " + STEPS + " steps on 600 spiral points",
        DoubleColumn.create("lr"), StringColumn.create("network"), StringColumn.create("outcome"),
        DoubleColumn.create("final training loss"), StringColumn.create("steps to loss < " + THRESHOLD),
        DoubleColumn.create("training accuracy, eval mode (%)"));
for (Run run : sweep) {
    sweepTable.doubleColumn(0).append(run.lr());
    sweepTable.stringColumn(1).append(run.batchNorm() ? "with BatchNorm" : "plain");
    sweepTable.stringColumn(2).append(run.diverged() != null ? "diverged at " + run.diverged() : trains(run) ? "trains" : "does not reach " + THRESHOLD);
    sweepTable.doubleColumn(3).append(run.diverged() != null ? Double.NaN : run.finalLoss());
    int s = stepsBelow(run, THRESHOLD);
    sweepTable.stringColumn(4).append(s < 0 ? "-" : String.valueOf(s));
    sweepTable.doubleColumn(5).append(100 * run.accuracy());
}
sweepTable
""", tags=["expect-table"]),
code(r"""
double[] finalLosses(boolean bn) {
    return sweep.stream().filter(run -> run.batchNorm() == bn).mapToDouble(run -> run.diverged() != null ? Double.NaN : run.finalLoss()).toArray();
}
Plots.line("Final training loss after " + STEPS + " steps against the learning rate", "learning rate", "final training loss (log scale; diverged runs are missing)")
     .seriesWithMarkers("plain MLP", LRS, finalLosses(false))
     .seriesWithMarkers("MLP with BatchNorm", LRS, finalLosses(true))
     .logX().logY().yRange(0.005, 10)
""", tags=["expect-image"]),
code(r"""
Run find(boolean bn, double lr) { return sweep.stream().filter(run -> run.batchNorm() == bn && run.lr() == lr).findFirst().orElseThrow(); }
LinePlot curvesPlot = Plots.line("Training loss per step, plain vs BatchNorm", "step", "training cross-entropy loss").logY();
for (double lr : new double[] {0.1, 1})
    for (boolean bn : new boolean[] {false, true}) {
        Run run = find(bn, lr);
        curvesPlot.series((bn ? "with BatchNorm" : "plain") + ", lr " + lr + (run.diverged() != null ? " (diverged)" : ""), run.loss());
    }
curvesPlot.legendOutside()
""", tags=["expect-image"]),
md(r"""
What the sweep shows, checked in the next cell:

* **Faster**: at every learning rate at which the plain network trains (reaches a training loss below 0.3), the
  network with BatchNorm trains too, in at most a fifth of the steps.
* **More learning rates work**: the largest learning rate of the grid at which the network trains is larger with
  BatchNorm, and so is the range: BatchNorm also trains at learning rates too small for the plain network to get
  anywhere in the step budget.
* Not without limit: at the largest learning rate of the grid both fail (checked in the default and full
  profiles, whose grid goes up to 30).

Why? Without BatchNorm the scale of each layer's input depends on every weight below it, so a step that is right
for one layer changes what the next layer sees; the plain network's usable learning rates are squeezed between
"too slow" and "blows up". With BatchNorm every hidden layer's input is re-standardized per batch, and the output
of a linear layer followed by BatchNorm no longer depends on the scale of its weights (multiply $W$ and $b$ by any
$c > 0$: $\mu$ and $\sigma$ are multiplied by $c$ too and $\hat x$ does not change; checked below, up to the
$\epsilon$ term): larger steps mostly change the direction of the weights, not the scale of the activations.
"""),
code(r"""
List<Double> plainTrains = new ArrayList<>(), bnTrains = new ArrayList<>();
double worstRatio = 0;
for (double lr : LRS) {
    Run plain = find(false, lr), withBn = find(true, lr);
    if (trains(plain)) plainTrains.add(lr);
    if (trains(withBn)) bnTrains.add(lr);
    if (trains(plain)) {
        if (!trains(withBn)) throw new IllegalStateException("at lr " + lr + " the plain network trains but the BatchNorm one does not");
        double ratio = (double) stepsBelow(withBn, THRESHOLD) / stepsBelow(plain, THRESHOLD);
        worstRatio = Math.max(worstRatio, ratio);
        if (ratio > 0.2) throw new IllegalStateException("at lr " + lr + " BatchNorm needs " + stepsBelow(withBn, THRESHOLD) + " steps vs " + stepsBelow(plain, THRESHOLD));
    }
}
if (plainTrains.isEmpty()) throw new IllegalStateException("the plain network trains at no learning rate of the grid");
if (!(Collections.max(bnTrains) > Collections.max(plainTrains) && Collections.min(bnTrains) < Collections.min(plainTrains)))
    throw new IllegalStateException("BatchNorm's range of working learning rates is not wider on both ends: " + bnTrains + " vs " + plainTrains);
System.out.println(String.format("checked: wherever the plain MLP trains (lr %s), BatchNorm trains in at most %.2f of its steps (< 0.2)", plainTrains, worstRatio));
double top = LRS[LRS.length - 1];
if (top >= 10 && (trains(find(false, top)) || trains(find(true, top))))
    throw new IllegalStateException("a network trains at the largest learning rate " + top);
// scale invariance: BN(x (cW) + cb) = BN(x W + b) for c > 0, up to eps
Nd4j.getRandom().setSeed(9);
INDArray xs = Nd4j.randn(DataType.DOUBLE, 16, 5), W = Nd4j.randn(DataType.DOUBLE, 5, 4), bias = Nd4j.randn(DataType.DOUBLE, 1, 4);
BatchNorm probe = new BatchNorm(4);
double invariance = probe.forward(xs.mmul(W).addRowVector(bias)).sub(probe.forward(xs.mmul(W.mul(10)).addRowVector(bias.mul(10)))).amaxNumber().doubleValue();
if (invariance > 1e-4) throw new IllegalStateException("BatchNorm's output changed by " + invariance + " when W and b were scaled by 10");
System.out.println(String.format("checked: learning rates that train: plain %s, with BatchNorm %s: larger maximum and smaller minimum", plainTrains, bnTrains));
System.out.println(top >= 10 ? "checked: at the largest learning rate of the grid, " + top + ", neither network trains"
        : "not checked in this profile (its grid ends at " + top + "): that both fail at the largest learning rate");
System.out.println(String.format("checked: scaling W and b by 10 changes a BatchNorm layer's output by %.1e (< 1e-4; eps = 1e-5 makes it not exactly 0)", invariance));
"""),
md(r"""
## Summary

* **Input scaling** changes the shape of the loss surface, not the set of models: with features on scales 1 and
  1000 the condition number of a least-squares problem is astronomically large, the largest stable learning rate
  is set by the large-scale feature, and gradient descent crawls along the small-scale one. Standardization
  (centre, divide by the standard deviation) fixed it best here; min-max scaling helped a lot but, without
  centring, left the problem worse conditioned. Fit scalers on the training data only.
* **BatchNorm, LayerNorm, InstanceNorm** compute the same $\gamma\,(x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$
  over different groups: per channel across the batch, per example across its features, per example and channel
  across positions. Only BatchNorm depends on the other examples of the batch, and so needs running statistics at
  test time.
* **BatchNorm in training** made this MLP reach a low training loss several times faster, and widened the range of
  learning rates that work on both ends; it does not make every learning rate work.

## Next

**08 — hyper-parameter search**: grid, random and successive-halving search over learning rates and
regularization strengths.
"""),
]

if __name__ == "__main__":
    write("notebooks/07-normalization.ipynb", CELLS)
