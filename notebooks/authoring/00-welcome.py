import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

write("notebooks/00-welcome.ipynb", [
md(r"""
# Descent — how deep-learning models are trained, in Java

Welcome. This series teaches how a neural network is **trained and optimized**: what a loss measures, how its
gradient is computed, how every popular optimizer turns that gradient into a step, and what regularization,
normalization and learning-rate schedules do to the result. Each notebook states an idea, implements exactly the
formula it states, and plots what happens. Every numeric claim is checked by a cell that throws if it is false,
so a notebook that runs to the end has proved what it says.

The code runs on [ND4J](https://deeplearning4j.konduit.ai/nd4j/how-to-guides/basics) (n-dimensional arrays,
autodiff), [Tablesaw](https://jtablesaw.github.io/tablesaw/) (tables) and [XChart](https://knowm.org/open-source/xchart/)
(charts), with a small helper library, `descent`, for the parts that would bury the idea.
"""),
md(r"""
## Roadmap

| # | notebook | what you learn |
|---|---|---|
| 00 | welcome (this one) | the environment, a first ND4J computation, tables and charts |
| 01 | backprop from scratch | a two-layer network's forward and backward pass by hand, checked by finite differences and by autodiff |
| 02 | loss functions | MSE, MAE, Huber, cross-entropy, hinge, focal loss: formulas, gradients, when to use which |
| 03 | gradient descent | batch, stochastic and mini-batch gradient descent; learning rates that are too small, right, too large |
| 04 | optimizers | momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam and friends: each update rule, on 2-D surfaces and a real network |
| 05 | schedules and clipping | step, exponential, cosine, warm-up, one-cycle; exploding gradients fixed by clipping |
| 06 | regularization | L1/L2, weight decay, dropout, early stopping, data augmentation against over-fitting |
| 07 | normalization | input scaling, BatchNorm, LayerNorm, InstanceNorm |
| 08 | hyper-parameter search | grid, random and successive-halving search |
| 09 | CIFAR-10 CNN | a full convolutional network trained end to end |

Take them in order: each one uses what the ones before it built.

**Profiles.** Every notebook reads the environment variable `DESCENT_PROFILE`: `smoke` runs in seconds (it is what
the tests run), `default` in minutes (Binder, a laptop), `full` is the real run whose outputs are committed.
"""),
md(r"""
## 1. Where are we running?

`Environment.table()` reports the Java version, the ND4J backend and which native build of it was loaded (the
`nd4j-native` classifier: `linux-x86_64-onednn-avx2` uses Intel's oneDNN kernels and AVX2 instructions), the CPU
features the processor has, and the thread and memory limits. A cell whose value is a Tablesaw table renders as an
HTML table.
"""),
code(r"""
import descent.*;
import descent.plot.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.*;

Environment.table()
""", tags=["expect-table"]),
code(r"""
// A check, not a hope: the native library must have loaded, and be a Linux x86-64 build on this kind of machine.
String build = Environment.nativeBuild();
System.out.println("native build: " + build + ", profile: " + Profile.current().id());
if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")
        && !build.startsWith("linux-x86_64"))
    throw new IllegalStateException("expected a linux-x86_64 ND4J build, got " + build);
"""),
md(r"""
## 2. A first ND4J computation: one least-squares problem, solved by gradient descent

Take data $X \in \mathbb{R}^{n \times d}$ and targets $y = X w^\star + \text{noise}$. The mean squared error of a
weight vector $w$ and its gradient are

$$L(w) = \frac{1}{n}\lVert Xw - y\rVert^2, \qquad \nabla L(w) = \frac{2}{n} X^\top (Xw - y).$$

Gradient descent repeats $w \leftarrow w - \eta\,\nabla L(w)$. The next cell writes exactly these two formulas in
ND4J: `mmul` is matrix multiplication, `transpose()` is $X^\top$.
"""),
code(r"""
Nd4j.getRandom().setSeed(42);
int n = 200, d = 3;
INDArray X = Nd4j.randn(DataType.DOUBLE, n, d);
INDArray wTrue = Nd4j.createFromArray(2.0, -1.0, 0.5).reshape(d, 1);
INDArray y = X.mmul(wTrue).add(Nd4j.randn(DataType.DOUBLE, n, 1).mul(0.1));

double loss(INDArray w) { INDArray r = X.mmul(w).sub(y); return r.mul(r).sumNumber().doubleValue() / n; }
INDArray gradient(INDArray w) { return X.transpose().mmul(X.mmul(w).sub(y)).mul(2.0 / n); }

INDArray w = Nd4j.zeros(DataType.DOUBLE, d, 1);
double lr = 0.1;
int steps = Profile.pick(30, 60, 60);
double[] stepAxis = new double[steps + 1], lossCurve = new double[steps + 1];
lossCurve[0] = loss(w);
for (int t = 1; t <= steps; t++) {
    w.subi(gradient(w).mul(lr));      // w <- w - lr * grad L(w)
    stepAxis[t] = t;
    lossCurve[t] = loss(w);
}
System.out.println(String.format("loss: %.4f at the start, %.6f after %d steps", lossCurve[0], lossCurve[steps], steps));
System.out.println("learned w = " + java.util.Arrays.toString(w.toDoubleVector()) + ", true w = [2.0, -1.0, 0.5]");
"""),
md(r"""
Two claims, checked: the loss went down at every step (for this convex problem and a small enough learning rate
it must), and the learned weights are close to the true ones (the noise has standard deviation 0.1, so they cannot
be exact).
"""),
code(r"""
for (int t = 1; t <= steps; t++)
    if (!(lossCurve[t] < lossCurve[t - 1]))
        throw new IllegalStateException("loss did not decrease at step " + t + ": " + lossCurve[t - 1] + " -> " + lossCurve[t]);
double maxError = w.sub(wTrue).amaxNumber().doubleValue();
if (maxError > 0.05) throw new IllegalStateException("learned weights are off by " + maxError);
System.out.println(String.format("checked: loss decreased at all %d steps; largest weight error %.4f < 0.05", steps, maxError));
"""),
md(r"""
## 3. A table

Tablesaw tables carry the numbers of every experiment in this series. Column names say their units.
"""),
code(r"""
Table history = Table.create("Gradient descent on least squares (lr = 0.1)",
        IntColumn.create("step", java.util.stream.IntStream.rangeClosed(0, steps).toArray()),
        DoubleColumn.create("loss (mean squared error)", lossCurve));
history.where(history.intColumn("step").isIn(0, 1, 2, 5, 10, 20, steps))
""", tags=["expect-table"]),
md(r"""
## 4. A chart

`Plots.line(title, xLabel, yLabel)` starts a chart; `.series(name, x, y)` adds a named line; `.logY()` uses a
logarithmic y axis, on which gradient descent on a well-conditioned quadratic shows as a straight line (the error
shrinks by a constant factor per step) until it reaches the noise floor.
"""),
code(r"""
Plots.line("Gradient descent on least squares", "step", "loss (mean squared error)")
     .series("lr = 0.1", stepAxis, lossCurve)
     .logY()
""", tags=["expect-image"]),
md(r"""
## Next

Open **01 — backprop from scratch**. Everything there runs the same way: read, run a cell, look at what it printed
or drew, change a number, run it again.
"""),
])
