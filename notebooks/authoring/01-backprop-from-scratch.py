import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

write("notebooks/01-backprop-from-scratch.ipynb", [
md(r"""
# 01 — Backpropagation from scratch

A neural network learns by gradient descent: it needs the gradient of its loss with respect to every weight.
**Backpropagation** computes all of these gradients in one backward sweep through the network, by the chain rule.
In this notebook we write a two-layer network and its backward pass by hand, in ND4J array operations, one
formula per cell. Then we make sure it is right in two independent ways:

1. by **finite differences** (`descent.check.GradientCheck`), which needs nothing but the forward pass;
2. by **automatic differentiation** (ND4J's SameDiff), which builds the backward pass from the graph itself.

In between we train the network on a problem a straight line cannot solve and look at what it learned.
"""),
md(r"""
## 1. Data: two moons

Two interleaving half circles with Gaussian noise, one class each (`Synthetic.twoMoons`, seeded, so every run sees
the same points). A training set to learn from and a separate test set, drawn with another seed, to measure
accuracy on points the network has never seen.
"""),
code(r"""
import descent.*;
import descent.check.GradientCheck;
import descent.data.Synthetic;
import descent.loss.*;
import descent.plot.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.util.*;
import java.util.stream.IntStream;

// The arrays in this notebook are tiny (a few thousand numbers): splitting each operation across threads costs
// more than it saves, so ND4J runs each operation on one thread.
Nd4j.getEnvironment().setMaxMasterThreads(1);

Synthetic.Classification train = Synthetic.twoMoons(200, 0.15, 1);
Synthetic.Classification test = Synthetic.twoMoons(400, 0.15, 2);
INDArray X = train.x();        // [N, 2]: one example per row
INDArray Y = train.labels();   // [N, 1]: 0 = upper moon, 1 = lower moon
int N = train.size();
System.out.println("train: X " + Arrays.toString(X.shape()) + ", Y " + Arrays.toString(Y.shape())
        + ", examples per class " + Arrays.toString(train.classCounts()) + "; test: " + test.size() + " examples"
        + "; profile: " + Profile.current().id());
"""),
code(r"""
// the points of class `cls`, coordinate j (0 = x1, 1 = x2)
double[] coordinate(Synthetic.Classification d, int cls, int j) {
    return IntStream.range(0, d.size()).filter(i -> d.labels().getDouble(i, 0) == cls)
            .mapToDouble(i -> d.x().getDouble(i, j)).toArray();
}
Plots.line("Two moons: the training set", "x1", "x2")
     .scatter("upper moon (class 0)", coordinate(train, 0, 0), coordinate(train, 0, 1))
     .scatter("lower moon (class 1)", coordinate(train, 1, 0), coordinate(train, 1, 1))
     .size(620, 420)
""", tags=["expect-image"]),
md(r"""
## 2. The network: forward pass

For one example $x \in \mathbb{R}^2$ the network computes, layer by layer, a weighted sum $a$ and its activation $z$:

$$a^{(1)} = W^{(1)} x + b^{(1)}, \qquad z^{(1)} = \sigma\big(a^{(1)}\big) \qquad\text{(hidden layer, } H \text{ units)}$$

$$a^{(2)} = W^{(2)} z^{(1)} + b^{(2)}, \qquad \hat y = z^{(2)} = \sigma\big(a^{(2)}\big) \qquad\text{(output: the probability of class 1)}$$

with $W^{(1)} \in \mathbb{R}^{H\times 2}$, $b^{(1)} \in \mathbb{R}^{H}$, $W^{(2)} \in \mathbb{R}^{1\times H}$,
$b^{(2)} \in \mathbb{R}$, and the logistic sigmoid and its derivative

$$\sigma(a) = \frac{1}{1+e^{-a}}, \qquad \sigma'(a) = \sigma(a)\,\big(1-\sigma(a)\big).$$

In code we process all $N$ examples at once. With the examples as the **rows** of $X \in \mathbb{R}^{N\times 2}$,
$Wx$ for every example is $X W^\top$, and the bias is added to every row:
$A^{(1)} = X W^{(1)\top} + \mathbf{1} b^{(1)\top}$, and so on.
"""),
code(r"""
INDArray sigma(INDArray a) { return Transforms.sigmoid(a, true); }                       // σ(a), a fresh array
INDArray sigmaPrime(INDArray a) { INDArray s = sigma(a); return s.mul(s.rsub(1.0)); }    // σ(a) (1 - σ(a))

record Params(INDArray W1, INDArray b1, INDArray W2, INDArray b2) {
    static final List<String> NAMES = List.of("W1", "b1", "W2", "b2");
    INDArray get(String name) { return List.of(W1, b1, W2, b2).get(NAMES.indexOf(name)); }
    // a copy with one parameter replaced (for the gradient check)
    Params with(String name, INDArray value) {
        return new Params(name.equals("W1") ? value : W1, name.equals("b1") ? value : b1,
                          name.equals("W2") ? value : W2, name.equals("b2") ? value : b2);
    }
}

record Forward(INDArray a1, INDArray z1, INDArray a2, INDArray z2) {}

Forward forward(INDArray X, Params p) {
    INDArray a1 = X.mmul(p.W1().transpose()).addRowVector(p.b1());    // A1 = X W1ᵀ + b1    [N, H]
    INDArray z1 = sigma(a1);                                           // Z1 = σ(A1)         [N, H]
    INDArray a2 = z1.mmul(p.W2().transpose()).addRowVector(p.b2());   // A2 = Z1 W2ᵀ + b2   [N, 1]
    INDArray z2 = sigma(a2);                                           // ŷ = Z2 = σ(A2)     [N, 1]
    return new Forward(a1, z1, a2, z2);
}
"""),
md(r"""
The weights start small and random, $W^{(l)}_{jk} \sim \mathcal N(0,\, 1/\text{fan-in})$ (fan-in = the number of
inputs of the layer), so that each $a$ starts at a moderate size where $\sigma$ is not flat; the biases start at 0.
A seed makes the start the same on every run.
"""),
code(r"""
int H = 16;
Params init(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return new Params(Nd4j.randn(DataType.DOUBLE, H, 2).muli(Math.sqrt(1.0 / 2)), Nd4j.zeros(DataType.DOUBLE, 1, H),
                      Nd4j.randn(DataType.DOUBLE, 1, H).muli(Math.sqrt(1.0 / H)), Nd4j.zeros(DataType.DOUBLE, 1, 1));
}
Params p0 = init(42);
Forward f0 = forward(X, p0);
System.out.println("shapes: A1 " + Arrays.toString(f0.a1().shape()) + ", Z1 " + Arrays.toString(f0.z1().shape())
        + ", A2 " + Arrays.toString(f0.a2().shape()) + ", ŷ " + Arrays.toString(f0.z2().shape()));
System.out.println(String.format("ŷ for the first 3 examples: %s (untrained: these mean nothing yet)",
        Arrays.toString(Arrays.copyOf(f0.z2().toDoubleVector(), 3))));
"""),
md(r"""
## 3. The loss

For a probability $\hat y_n$ and a label $y_n \in \{0, 1\}$ the binary cross-entropy, averaged over the $N$ examples, is

$$L = -\frac{1}{N}\sum_{n=1}^{N} \Big[\, y_n \log \hat y_n + (1-y_n) \log\big(1-\hat y_n\big) \Big], \qquad
\frac{\partial L}{\partial \hat y_n} = \frac{1}{N}\,\frac{\hat y_n - y_n}{\hat y_n\,(1-\hat y_n)}.$$

`descent.loss.BceLoss` computes both (PyTorch's `F.binary_cross_entropy`, mean reduction; notebook 02 is about
losses). Its gradient is the gradient of the *mean*, so it already carries the $1/N$.
"""),
code(r"""
Loss bce = Losses.create("bce");
System.out.println(String.format("initial loss L = %.6f nats (log 2 = %.6f: a network that says 0.5 everywhere)",
        bce.value(f0.z2(), Y), Math.log(2)));
"""),
md(r"""
## 4. The backward pass: the δ rules

Backpropagation works with the **error** of each layer, the gradient of the loss with respect to that layer's
weighted sum: $\delta^{(l)} = \partial L / \partial a^{(l)}$. Three rules give everything.

**Output layer.** $\hat y = \sigma(a^{(2)})$ depends on $a^{(2)}$ element by element, so the chain rule is a product:

$$\delta^{(2)} = \frac{\partial L}{\partial z^{(2)}} \odot \sigma'\big(a^{(2)}\big).$$
"""),
code(r"""
INDArray deltaOutput(Forward f, INDArray Y) {
    return bce.gradient(f.z2(), Y).mul(sigmaPrime(f.a2()));      // δ2 = ∂L/∂z2 ⊙ σ'(a2)     [N, 1]
}
INDArray delta2 = deltaOutput(f0, Y);
System.out.println("δ2 " + Arrays.toString(delta2.shape()) + ", first 3 rows: " + Arrays.toString(Arrays.copyOf(delta2.toDoubleVector(), 3)));
"""),
md(r"""
For the sigmoid with cross-entropy the two factors cancel: $\frac{1}{N}\frac{\hat y - y}{\hat y(1-\hat y)} \cdot
\hat y(1-\hat y) = \frac{\hat y - y}{N}$, the famous "prediction minus target". The cell checks that our δ2 is
exactly that, up to rounding.
"""),
code(r"""
double cancelDiff = delta2.sub(f0.z2().sub(Y).div(N)).amaxNumber().doubleValue();
if (!(cancelDiff < 1e-15))
    throw new IllegalStateException("δ2 differs from (ŷ - y)/N by " + cancelDiff);
System.out.println(String.format("checked: δ2 = (ŷ - y)/N to %.1e (max abs difference; the entries are of size ~1/N = %.4f)", cancelDiff, 1.0 / N));
"""),
md(r"""
**Hidden layer.** $a^{(1)}$ influences the loss only through $a^{(2)} = W^{(2)}\sigma(a^{(1)}) + b^{(2)}$. The chain
rule sends the output error back through the weights (transposed) and through the activation's slope:

$$\delta^{(1)} = \Big( W^{(2)\top} \delta^{(2)} \Big) \odot \sigma'\big(a^{(1)}\big).$$

With examples as rows, $W^{(2)\top}\delta^{(2)}$ for every example is $\Delta^{(2)} W^{(2)}$.
"""),
code(r"""
INDArray deltaHidden(INDArray delta2, Params p, Forward f) {
    return delta2.mmul(p.W2()).mul(sigmaPrime(f.a1()));          // δ1 = (W2ᵀ δ2) ⊙ σ'(a1)   [N, H]
}
INDArray delta1 = deltaHidden(delta2, p0, f0);
System.out.println("δ1 " + Arrays.toString(delta1.shape()));
"""),
md(r"""
**Parameters.** $a^{(l)} = W^{(l)} z^{(l-1)} + b^{(l)}$ (with $z^{(0)} = x$), so $\partial a^{(l)}_j / \partial
W^{(l)}_{jk} = z^{(l-1)}_k$ and $\partial a^{(l)}_j / \partial b^{(l)}_j = 1$. Summed over the examples (the loss is a
sum of per-example terms; the $1/N$ is already inside δ):

$$\frac{\partial L}{\partial W^{(l)}} = \sum_{n} \delta^{(l)}_n\, z^{(l-1)\top}_n = \Delta^{(l)\top} Z^{(l-1)}, \qquad
\frac{\partial L}{\partial b^{(l)}} = \sum_n \delta^{(l)}_n .$$
"""),
code(r"""
record Grads(double loss, INDArray dW1, INDArray db1, INDArray dW2, INDArray db2) {
    INDArray get(String name) { return List.of(dW1, db1, dW2, db2).get(Params.NAMES.indexOf(name)); }
}

Grads backward(INDArray X, INDArray Y, Params p) {
    Forward f = forward(X, p);
    INDArray delta2 = deltaOutput(f, Y);
    INDArray delta1 = deltaHidden(delta2, p, f);
    return new Grads(bce.value(f.z2(), Y),
            delta1.transpose().mmul(X),          // ∂L/∂W1 = Δ1ᵀ X     [H, 2]
            delta1.sum(true, 0),                 // ∂L/∂b1 = Σ_n δ1_n  [1, H]
            delta2.transpose().mmul(f.z1()),     // ∂L/∂W2 = Δ2ᵀ Z1    [1, H]
            delta2.sum(true, 0));                // ∂L/∂b2 = Σ_n δ2_n  [1, 1]
}
Grads g0 = backward(X, Y, p0);
for (String name : Params.NAMES)
    System.out.println("∂L/∂" + name + " " + Arrays.toString(g0.get(name).shape()) + " (parameter " + Arrays.toString(p0.get(name).shape()) + ")");
"""),
md(r"""
## 5. Is it right? A gradient check

A hand-written backward pass can be wrong in ways that still train, slowly. The test is independent of every
formula above: nudge one parameter $\theta_i$ by $\pm\varepsilon$, run only the *forward* pass, and compare

$$\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon e_i)}{2\varepsilon}$$

with the backward pass, by the relative error $|a-n|/(|a|+|n|)$ (`GradientCheck`, $\varepsilon = 10^{-5}$, double
precision). It costs two forward passes per parameter, which is why real training uses backpropagation instead.
Below: every one of the $16\cdot2+16+16+1 = 65$ parameters, at the random start.
"""),
code(r"""
Table gradientCheck(Params p, Grads g) {
    StringColumn name = StringColumn.create("parameter");
    StringColumn shape = StringColumn.create("shape");
    DoubleColumn error = DoubleColumn.create("max relative error (1)");
    StringColumn where = StringColumn.create("worst element");
    for (String n : Params.NAMES) {
        GradientCheck.Result r = GradientCheck.check(w -> bce.value(forward(X, p.with(n, w)).z2(), Y), p.get(n), g.get(n));
        name.append(n); shape.append(Arrays.toString(p.get(n).shape()));
        error.append(r.maxRelativeError()); where.append(Arrays.toString(r.worstIndex()));
    }
    return Table.create("Gradient check: backprop vs central differences", name, shape, error, where);
}
Table check0 = gradientCheck(p0, g0);
check0
""", tags=["expect-table"]),
code(r"""
double worst0 = check0.doubleColumn(2).max();
if (!(worst0 < 1e-6))
    throw new IllegalStateException("backprop disagrees with finite differences: max relative error " + worst0);
System.out.println(String.format("checked: all 65 gradients agree with finite differences, max relative error %.1e < 1e-6", worst0));
"""),
md(r"""
The check is only worth something if it catches mistakes. A classic one: forgetting the activation's slope
$\sigma'(a^{(1)})$ in the hidden δ. The gradients of $W^{(2)}$ and $b^{(2)}$ are still right (they do not use δ1),
but those of the first layer are not, and the check says so.
"""),
code(r"""
INDArray wrongDelta1 = delta2.mmul(p0.W2());                              // bug: ⊙ σ'(a1) forgotten
Grads wrong = new Grads(g0.loss(), wrongDelta1.transpose().mmul(X), wrongDelta1.sum(true, 0), g0.dW2(), g0.db2());
Table checkWrong = gradientCheck(p0, wrong);
double wrongW1 = checkWrong.doubleColumn(2).get(0), wrongW2 = checkWrong.doubleColumn(2).get(2);
if (!(wrongW1 > 1e-2 && wrongW2 < 1e-6))
    throw new IllegalStateException("expected the check to flag W1 (> 1e-2) and pass W2 (< 1e-6); got " + wrongW1 + ", " + wrongW2);
System.out.println(String.format("checked: with the bug, W1's max relative error is %.2f (> 1e-2, flagged) while W2's stays %.1e", wrongW1, wrongW2));
checkWrong
""", tags=["expect-table"]),
md(r"""
## 6. Training by gradient descent

With all four gradients, one step of (full-batch) gradient descent moves every parameter against its gradient:

$$\theta \leftarrow \theta - \eta\, \frac{\partial L}{\partial \theta} \qquad \text{for } \theta \in \{W^{(1)}, b^{(1)}, W^{(2)}, b^{(2)}\}.$$

The learning rate $\eta = 5$ looks large, but the gradients are small: the sigmoids' slopes are at most 1/4 and the
loss is an average. Notebook 03 is about choosing $\eta$. A step that produced a non-finite loss would stop the loop
and be reported.
"""),
code(r"""
int epochs = Profile.pick(400, 2000, 4000);
double lr = 5.0;
Params p = init(42);
double[] epochAxis = new double[epochs], trainLoss = new double[epochs], testLoss = new double[epochs];
int done = 0;
long start = System.nanoTime();
for (int e = 0; e < epochs; e++) {
    Grads g = backward(X, Y, p);
    if (!Double.isFinite(g.loss())) { System.out.println("diverged at epoch " + (e + 1) + ": loss " + g.loss()); break; }
    epochAxis[e] = e + 1;
    trainLoss[e] = g.loss();                                      // both losses at the parameters before the step
    testLoss[e] = bce.value(forward(test.x(), p).z2(), test.labels());
    for (String name : Params.NAMES)
        p.get(name).subi(g.get(name).mul(lr));                   // θ <- θ - η ∂L/∂θ
    done = e + 1;
}
System.out.println(String.format("%d epochs in %.1f s; training loss %.4f -> %.4f, test loss %.4f", done,
        (System.nanoTime() - start) / 1e9, trainLoss[0], trainLoss[done - 1], testLoss[done - 1]));
"""),
code(r"""
Plots.line("Two-layer network on two moons: loss during training (lr = 5, full batch)", "epoch (log scale)", "binary cross-entropy (nats)")
     .series("training set", Arrays.copyOf(epochAxis, done), Arrays.copyOf(trainLoss, done))
     .series("test set", Arrays.copyOf(epochAxis, done), Arrays.copyOf(testLoss, done))
     .logX().logY()
""", tags=["expect-image"]),
md(r"""
Both axes are logarithmic, so the first steps and the last ones are equally visible. The curve is not a smooth
decline, and the cell below checks each of these three phases:

1. **a brief rise** in the first steps: $\eta = 5$ overshoots while all weights are still small and alike;
2. **a plateau**, where the gradient is small and progress slow (checked between epochs 50 and 100: the loss
   changes by less than 2%);
3. **a second descent**: the final loss is less than half the plateau's.

A loss curve that stalls for a while and then falls again is common for non-convex problems; patience (or a
better optimizer, notebook 04) gets past it.

In the longer runs (2000 epochs in the default profile, 4000 in the full one) a fourth phase appears: the **test**
loss reaches its minimum and then creeps up again while the training loss keeps falling. The network has started to
fit the noise of its 200 training points: over-fitting, the subject of notebook 06. The smoke profile's 400 epochs
stop before that, with the test loss still falling. The cell checks whichever applies.
"""),
code(r"""
if (done != epochs) throw new IllegalStateException("training stopped early, after " + done + " of " + epochs + " epochs");
double firstMax = Arrays.stream(trainLoss, 1, 11).max().getAsDouble();
if (!(firstMax > trainLoss[0]))
    throw new IllegalStateException("no rise in the first 10 epochs: max " + firstMax + " vs start " + trainLoss[0]);
double plateauChange = Math.abs(trainLoss[99] - trainLoss[49]) / trainLoss[49];
if (!(plateauChange < 0.02))
    throw new IllegalStateException("no plateau: the loss changed by " + plateauChange + " between epochs 50 and 100");
if (!(trainLoss[done - 1] < 0.5 * trainLoss[99]))
    throw new IllegalStateException("no second descent: final loss " + trainLoss[done - 1] + " vs plateau " + trainLoss[99]);
System.out.println(String.format("checked: %d epochs, no divergence; rise to %.2f in the first 10 epochs (start %.2f); "
        + "plateau at %.3f (%.1f%% change, epochs 50-100); final loss %.4f < half the plateau",
        done, firstMax, trainLoss[0], trainLoss[99], 100 * plateauChange, trainLoss[done - 1]));
int bestTestEpoch = IntStream.range(0, done).reduce((a, b) -> testLoss[b] < testLoss[a] ? b : a).getAsInt() + 1;
if (epochs >= 2000) {
    if (!(bestTestEpoch < done - 100 && testLoss[done - 1] > testLoss[bestTestEpoch - 1]))
        throw new IllegalStateException("expected the test loss to rise after its minimum; minimum at epoch " + bestTestEpoch);
    System.out.println(String.format("checked: the test loss is lowest at epoch %d (%.4f) and ends higher (%.4f), "
            + "while the training loss keeps falling", bestTestEpoch, testLoss[bestTestEpoch - 1], testLoss[done - 1]));
} else {
    if (!(bestTestEpoch > done - 10)) throw new IllegalStateException("the test loss stopped falling at epoch " + bestTestEpoch);
    System.out.println("checked: with " + epochs + " epochs the test loss is still falling (lowest at epoch " + bestTestEpoch + ")");
}
"""),
md(r"""
## 7. What did it learn?

The decision regions: the plane is cut into a grid, the network is asked for $\hat y$ at every cell (one forward pass
on a `[M, 2]` array), and each cell is shaded by that probability, in the colour of the class it predicts. The
test points are drawn on top in the colour of their true class: a point on the wrong colour is misclassified.
"""),
code(r"""
DecisionPlot.of("Two moons: learned P(lower moon), test points on top", "x1", "x2")
        .points(test.x(), test.labels())
        .classNames("upper moon", "lower moon")
        .probabilityRegions(grid -> forward(grid, p).z2())
""", tags=["expect-image"]),
md(r"""
The boundary is curved: it bends between the two moons. Accuracy is the fraction of examples whose
predicted class ($\hat y > 0.5$) is the true one; we state a threshold for the test set, **above 95%**, and check it.
"""),
code(r"""
double accuracy(Params p, Synthetic.Classification d) {
    INDArray predicted = forward(d.x(), p).z2().gt(0.5).castTo(DataType.DOUBLE);
    return predicted.eq(d.labels()).castTo(DataType.DOUBLE).meanNumber().doubleValue();
}
double trainAcc = accuracy(p, train), testAcc = accuracy(p, test);
System.out.println(String.format("accuracy: training %.1f%%, test %.1f%%", 100 * trainAcc, 100 * testAcc));
if (!(testAcc > 0.95)) throw new IllegalStateException("test accuracy " + testAcc + " is not above 0.95");
System.out.println("checked: test accuracy > 95%");
"""),
md(r"""
## 8. The same gradients by automatic differentiation

ND4J's **SameDiff** builds a graph of the forward computation and differentiates it itself: reverse-mode autodiff,
i.e. backpropagation done by the library. We write the same network and loss in SameDiff operations: the data
are *placeholders* (fed at run time), the parameters are *variables* (initialised with our current values), and
`calculateGradients` returns $\partial L/\partial\theta$ for the variables we name.

$$L = -\operatorname{mean}\big(y \odot \log \hat y + (1-y)\odot\log(1-\hat y)\big), \quad \hat y =
\sigma\big(\sigma(X W^{(1)\top} + b^{(1)})\, W^{(2)\top} + b^{(2)}\big)$$
"""),
code(r"""
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
// Quiet a start-up warning of ND4J's TensorFlow-import op table (duplicate mappings), irrelevant here.
System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");

Map<String, INDArray> sameDiffGradients(Params p, INDArray X, INDArray Y) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 2);
    SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, 1);
    SDVariable W1 = sd.var("W1", p.W1().dup()), b1 = sd.var("b1", p.b1().dup());
    SDVariable W2 = sd.var("W2", p.W2().dup()), b2 = sd.var("b2", p.b2().dup());
    SDVariable z1 = sd.nn().sigmoid(sd.mmul(x, sd.transpose(W1)).add(b1));
    SDVariable yHat = sd.nn().sigmoid(sd.mmul(z1, sd.transpose(W2)).add(b2));
    SDVariable loss = y.mul(sd.math().log(yHat)).add(y.rsub(1.0).mul(sd.math().log(yHat.rsub(1.0)))).mean().neg();
    loss.markAsLoss();
    Map<String, INDArray> feed = Map.of("x", X, "y", Y);
    // SameDiff 1.0.0-M2.1 prints a debug line per operation ("Added differentiated op ...") while it builds the
    // backward graph: we silence System.out for this one call.
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    Map<String, INDArray> grads;
    try { grads = new HashMap<>(sd.calculateGradients(feed, Params.NAMES)); } finally { System.setOut(out); }
    grads.put("loss", loss.eval(feed));
    return grads;
}
"""),
md(r"""
We compare at two points: the random start `p0` and the trained parameters `p` (where many $\hat y$ are close to 0
or 1, a harder case for rounding). The claim: every gradient element agrees to within $10^{-10}$ (absolute), in
double precision.
"""),
code(r"""
StringColumn point = StringColumn.create("parameters"), param = StringColumn.create("gradient");
DoubleColumn maxAbs = DoubleColumn.create("max |backprop - SameDiff| (1)"), scale = DoubleColumn.create("max |gradient| (1)");
double worstDiff = 0, worstLoss = 0;
for (var entry : List.of(Map.entry("random start", p0), Map.entry("trained", p))) {
    Map<String, INDArray> auto = sameDiffGradients(entry.getValue(), X, Y);
    Grads mine = backward(X, Y, entry.getValue());
    worstLoss = Math.max(worstLoss, Math.abs(auto.get("loss").getDouble(0) - mine.loss()));
    for (String name : Params.NAMES) {
        double d = auto.get(name).sub(mine.get(name)).amaxNumber().doubleValue();
        point.append(entry.getKey()); param.append("∂L/∂" + name);
        maxAbs.append(d); scale.append(mine.get(name).amaxNumber().doubleValue());
        worstDiff = Math.max(worstDiff, d);
    }
}
Table autodiff = Table.create("Hand-written backprop vs SameDiff autodiff", point, param, maxAbs, scale);
autodiff
""", tags=["expect-table"]),
code(r"""
if (!(worstDiff < 1e-10)) throw new IllegalStateException("backprop and SameDiff differ by " + worstDiff);
if (!(worstLoss < 1e-12)) throw new IllegalStateException("the loss values differ by " + worstLoss);
System.out.println(String.format("checked: all gradients agree with SameDiff within %.1e (< 1e-10); losses within %.1e", worstDiff, worstLoss));
"""),
md(r"""
## Summary

* A layer computes $a = Wz + b$, $z = \sigma(a)$. The backward pass needs the errors $\delta = \partial L/\partial a$:
  $\delta^{(2)} = \partial L/\partial \hat y \odot \sigma'(a^{(2)})$ (which is $(\hat y - y)/N$ for sigmoid with
  cross-entropy), $\delta^{(1)} = (W^{(2)\top}\delta^{(2)})\odot\sigma'(a^{(1)})$, and then
  $\partial L/\partial W = \delta\, z_{\text{in}}^\top$, $\partial L/\partial b = \delta$, summed over examples.
* Finite differences check a backward pass with no formula in common with it, and catch a missing factor.
* Autodiff (SameDiff) computes the same numbers, to rounding error; from now on we can let the library do it, and
  we know what it does.

**Next: 02 — loss functions**, the first factor of every δ.
"""),
])
