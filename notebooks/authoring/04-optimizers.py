import sys, textwrap; sys.path.insert(0, "tools")
from nbtools import md, code, write


def update_method(cls):
    """The update(...) method of descent.optim.<cls>, as written in the library (copied at authoring time)."""
    src = open(f"lib/src/main/java/descent/optim/{cls}.java").read()
    i = src.index("    protected void update(")
    j = src.index("\n    }\n", i) + len("\n    }\n")
    return textwrap.dedent(src[i:j]).rstrip()


def java_block(cls, state):
    return (f"`descent.optim.{cls}` keeps, per parameter array, {state}. Its `update` method, as in the library "
            f"(`AbstractOptimizer.step` has already checked shapes and finiteness):\n\n```java\n{update_method(cls)}\n```")


cells = []
add = cells.append

# --------------------------------------------------------------------------------------------- intro
add(md(r"""
# 04 — Optimizers: eleven update rules, on 2-D surfaces and on a network

Every optimizer in this notebook does the same thing: it takes the parameters $\theta_{t-1}$ and the gradient
$g_t = \nabla f(\theta_{t-1})$ and returns $\theta_t$. They differ in what they remember (a momentum buffer, running
averages of $g$ and $g^2$) and in how that memory shapes the step. We write each rule **as PyTorch implements it**
(`torch.optim`, version 1.13; the library's unit tests compare `descent.optim` with PyTorch's own outputs), say where
that differs from the textbook formula, show the code of our class, and draw its path on four surfaces:

| surface | $f(x, y)$ | why |
|---|---|---|
| ill-conditioned quadratic | $0.1x^2 + 2y^2$ | curvatures 0.2 and 4 (condition number 20): a learning rate small enough for $y$ is too small for $x$ |
| Rosenbrock | $(1-x)^2 + 100(y - x^2)^2$ | a curved, narrow, flat-bottomed valley; minimum at $(1, 1)$ |
| Beale | $(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2$ | flat plateaus and steep walls; minimum at $(3, 0.5)$ |
| saddle | $x^2 - y^2$ | no minimum; the start is almost on the ridge line $y = 0$: how fast does a method escape? |

Then all eleven on one picture per surface, and finally a real comparison on a small neural network (several seeds,
tuned learning rates, a table of final loss, steps to a target loss and wall time), a check that our Adam equals
ND4J's Adam on a training run, and the table of how ND4J's built-in updaters differ from PyTorch's, row by row.

**Notation** (as in PyTorch's docs): $\gamma$ learning rate (`lr`), $\lambda$ weight decay, $\mu$ momentum,
$\beta_1, \beta_2$ Adam's decay rates, $\epsilon$ a small constant against division by zero; $t = 1, 2, \dots$ counts
steps; squares, square roots and divisions of vectors are elementwise. All rules with `weight_decay` add
$\lambda\theta_{t-1}$ to $g_t$ first (coupled L2, except AdamW); it is 0 everywhere here except in AdamW.
"""))
add(code(r"""
import descent.*;
import descent.optim.*;
import descent.plot.*;
import descent.data.Synthetic;
import descent.loss.Loss;
import descent.loss.Losses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.awt.Color;
import java.text.DecimalFormat;
import java.util.*;
import java.util.function.*;

/** printf that returns nothing (a cell ending in System.out.printf would also display the PrintStream it returns). */
void printf(String format, Object... args) { System.out.print(String.format(format, args)); }
// Every array in this notebook is tiny (2 to a few thousand numbers): one native thread avoids OpenMP start-up
// and spin-waiting costs that dominate such ops, and can make them 10x slower on a busy 2-core machine.
descent.nn.Backend.setThreads(1);
System.out.println("profile: " + Profile.current().id() + "; " + descent.nn.Backend.describe());
System.out.println("optimizers: " + Optimizers.names());
"""))

# --------------------------------------------------------------------------------------------- surfaces
add(md(r"""
## 1. Four test surfaces

Each surface is a value $f(x, y)$, its gradient written by hand, a start point, a plotting range and its minimum.
The gradients, for the record:

$$\nabla(0.1x^2 + 2y^2) = (0.2x,\ 4y), \qquad
\nabla \text{Rosenbrock} = \big(-2(1-x) - 400x(y - x^2),\ 200(y - x^2)\big), \qquad \nabla(x^2 - y^2) = (2x, -2y),$$

and with $a = 1.5 - x + xy$, $b = 2.25 - x + xy^2$, $c = 2.625 - x + xy^3$ for Beale,
$\nabla = \big(2a(y-1) + 2b(y^2-1) + 2c(y^3-1),\ 2ax + 4bxy + 6cxy^2\big)$.
"""))
add(code(r"""
/** A gradient of a function of two variables. */
interface Gradient2 { double[] at(double x, double y); }

/** A 2-D test function: value, hand-written gradient, start, plotting range {xMin, xMax, yMin, yMax}, minimum (null if none). */
record Surface(String name, DoubleBinaryOperator f, Gradient2 grad, double[] start, double[] range,
               double[] minimum, boolean logLevels) {
    double at(double x, double y) { return f.applyAsDouble(x, y); }
}

double beale(double x, double y) {
    double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
}
double[] bealeGradient(double x, double y) {
    double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return new double[] {2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                         2 * a * x + 4 * b * x * y + 6 * c * x * y * y};
}

Surface quadratic = new Surface("quadratic 0.1x² + 2y²", (x, y) -> 0.1 * x * x + 2 * y * y,
        (x, y) -> new double[] {0.2 * x, 4 * y},
        new double[] {-5, -2}, new double[] {-5.5, 1.5, -2.5, 2.5}, new double[] {0, 0}, false);
Surface rosenbrock = new Surface("Rosenbrock", (x, y) -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        (x, y) -> new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)},
        new double[] {-1.5, 2}, new double[] {-2, 2, -1, 3}, new double[] {1, 1}, true);
Surface bealeSurface = new Surface("Beale", (x, y) -> beale(x, y), (x, y) -> bealeGradient(x, y),
        new double[] {1, 1.5}, new double[] {-1, 4.5, -1.5, 2.5}, new double[] {3, 0.5}, true);
Surface saddle = new Surface("saddle x² − y²", (x, y) -> x * x - y * y, (x, y) -> new double[] {2 * x, -2 * y},
        new double[] {-1.4, 1e-3}, new double[] {-1.5, 1.5, -1.5, 1.5}, null, false);
List<Surface> surfaces = List.of(quadratic, rosenbrock, bealeSurface, saddle);
for (Surface s : surfaces)
    printf("%-24s start %-14s f(start) = %8.3f%n", s.name(), Arrays.toString(s.start()), s.at(s.start()[0], s.start()[1]));
"""))
add(md(r"""
A hand-written gradient is a claim; it is checked against central differences
$\big(f(x + h) - f(x - h)\big)/2h$ at 25 random points of each range, by the relative error
$|a - n| / \max(|a| + |n|, 10^{-8})$.
"""))
add(code(r"""
Random pick = new Random(4);
double worst = 0;
for (Surface s : surfaces) {
    for (int i = 0; i < 25; i++) {
        double[] r = s.range();
        double x = r[0] + (r[1] - r[0]) * pick.nextDouble(), y = r[2] + (r[3] - r[2]) * pick.nextDouble();
        double[] a = s.grad().at(x, y);
        double hx = 1e-6 * Math.max(1, Math.abs(x)), hy = 1e-6 * Math.max(1, Math.abs(y));
        double[] n = {(s.at(x + hx, y) - s.at(x - hx, y)) / (2 * hx), (s.at(x, y + hy) - s.at(x, y - hy)) / (2 * hy)};
        for (int k = 0; k < 2; k++)
            worst = Math.max(worst, Math.abs(a[k] - n[k]) / Math.max(Math.abs(a[k]) + Math.abs(n[k]), 1e-8));
    }
}
if (worst > 1e-6) throw new IllegalStateException("a hand-written gradient disagrees with finite differences: " + worst);
printf("checked: all four gradients agree with central differences, worst relative error %.1e < 1e-6%n", worst);
"""))
add(md(r"""
`descent.plot.ContourPlot` draws $f$ as filled level bands (light = low, dark = high) with a colour bar. Rosenbrock
and Beale use **log-spaced levels** (`logLevels()`): their interesting part, the valley floor, is many orders of
magnitude lower than their walls (see the colour bars), and linear levels would paint it all one colour. The start is the open circle, the
minimum the black cross.
"""))
add(code(r"""
/** An empty contour plot of a surface, with its minimum marked. */
ContourPlot contour(Surface s, String title) {
    double[] r = s.range();
    ContourPlot c = ContourPlot.of(title, s.f(), r[0], r[1], r[2], r[3]).size(560, 430);
    if (s.logLevels()) c.logLevels();
    if (s.minimum() != null) c.point("minimum (" + fmt(s.minimum()[0]) + ", " + fmt(s.minimum()[1]) + ")", s.minimum()[0], s.minimum()[1]);
    return c;
}
String fmt(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }

PlotGrid.of(2, surfaces.stream().map(s -> (Object) contour(s, s.name())
        .path("start", new double[] {s.start()[0]}, new double[] {s.start()[1]}, Color.BLACK)).toArray())
        .title("The four test surfaces")
""", tags=["expect-image"]))

# --------------------------------------------------------------------------------------------- runner
add(md(r"""
## 2. Running an optimizer on a surface

An `Optimizer` moves a parameter array in place: `opt.step(params, grad)`. Every rule in this notebook acts
**coordinate by coordinate** (its state — momentum buffer, running averages — has the shape of the parameters, and
coordinate $i$ of the step depends only on coordinate $i$ of the gradient history). So one optimizer can run all
four surfaces at once: row $s$ of a $4 \times 2$ parameter array is the point $(x, y)$ on surface $s$, and row $s$ of
the gradient array is that surface's gradient there. This is exactly four separate runs, computed with a quarter of
the calls (a check below confirms it bit for bit).

Every run takes `STEPS = 300` steps, in every profile. A run **diverges** when its point or gradient stops being
finite (overflows): from then on its row is frozen (gradient 0) and its iterates are recorded as NaN, so a
diverging surface cannot stop the others; the plots say "diverged" for such a path and the results table says it
too. (Runs with too large a rate on the tuning grid do this; the saddle's runs, where $f$ has no lower bound, grow
without overflowing in 300 steps and just leave the picture.)
"""))
add(code(r"""
final int STEPS = 300;

/** The iterates of one optimizer on every surface: xs[s][t], ys[s][t] for t = 0..steps (NaN after divergence). */
record Run(String optimizer, double lr, double[][] xs, double[][] ys, int[] divergedAt) {
    double x(int s, int t) { return xs[s][t]; }
    double y(int s, int t) { return ys[s][t]; }
    int steps() { return xs[0].length - 1; }
}

Run run(Optimizer opt, int steps) {
    int n = surfaces.size();
    double[][] now = new double[n][];
    for (int s = 0; s < n; s++) now[s] = surfaces.get(s).start().clone();
    INDArray p = Nd4j.createFromArray(now);                 // [4, 2] DOUBLE, row s = the point on surface s
    double[][] xs = new double[n][steps + 1], ys = new double[n][steps + 1];
    int[] divergedAt = new int[n];
    Arrays.fill(divergedAt, -1);
    for (int t = 0; ; t++) {
        double[][] g = new double[n][2];                    // rows of diverged surfaces stay 0
        for (int s = 0; s < n; s++) {
            if (divergedAt[s] < 0) {
                double x = now[s][0], y = now[s][1];
                double[] gs = Double.isFinite(x) && Double.isFinite(y) ? surfaces.get(s).grad().at(x, y) : null;
                if (gs == null || !Double.isFinite(gs[0]) || !Double.isFinite(gs[1]))
                    divergedAt[s] = t;
                else g[s] = gs;
            }
            xs[s][t] = divergedAt[s] < 0 ? now[s][0] : Double.NaN;
            ys[s][t] = divergedAt[s] < 0 ? now[s][1] : Double.NaN;
        }
        if (t == steps) break;
        opt.step(p, Nd4j.createFromArray(g));                // the whole optimizer, as the library implements it
        now = p.toDoubleMatrix();
    }
    return new Run(opt.name(), opt.lr(), xs, ys, divergedAt);
}

// The lr picked for {quadratic, Rosenbrock, Beale} by the full grid search (checked below in the default and full profiles)
Map<String, double[]> PICKED = new LinkedHashMap<>();
PICKED.put("sgd",      new double[] {0.3, 1e-3, 0.03});
PICKED.put("momentum", new double[] {0.03, 1e-3, 3e-3});
PICKED.put("nesterov", new double[] {0.3, 1e-3, 3e-3});
PICKED.put("adagrad",  new double[] {1, 1, 1});
PICKED.put("rmsprop",  new double[] {0.1, 0.3, 0.1});
PICKED.put("adadelta", new double[] {10, 30, 3});
PICKED.put("adam",     new double[] {1, 1, 0.3});
PICKED.put("amsgrad",  new double[] {1, 1, 0.3});
PICKED.put("adamw",    new double[] {1, 0.3, 0.3});
PICKED.put("adamax",   new double[] {1, 1, 1});
PICKED.put("nadam",    new double[] {0.3, 0.3, 0.3});

String lrText(double lr) { return new DecimalFormat("0.####").format(lr); }

/** Runs are kept, so that a claim below reuses a run the tuning already made. */
Map<String, Run> runs = new HashMap<>();
Run runOf(String name, double lr) {
    return runs.computeIfAbsent(name + "@" + lr, k -> run(Optimizers.create(name, Map.of("lr", lr)), STEPS));
}

/** f − f* at step t of surface s (f* = 0 for the three surfaces with a minimum); +inf once diverged. */
double gap(Run r, int s, int t) {
    double x = r.x(s, t), y = r.y(s, t);
    return Double.isFinite(x) ? surfaces.get(s).at(x, y) : Double.POSITIVE_INFINITY;
}
/** The first step at which cond holds, or -1. */
int firstStep(Run r, IntPredicate cond) {
    for (int t = 0; t <= r.steps(); t++) if (cond.test(t)) return t;
    return -1;
}
"""))
add(md(r"""
The claim that the four rows are four independent runs, checked: Adam on Rosenbrock alone (a $1 \times 2$ array)
against row 1 of a four-row run.
"""))
add(code(r"""
Run together = runOf("adam", PICKED.get("adam")[1]);     // a four-surface run the tuning below makes anyway
INDArray alone = Nd4j.createFromArray(new double[][] {rosenbrock.start().clone()});
Optimizer adamAlone = Optimizers.create("adam", Map.of("lr", together.lr()));
double maxDiff = 0;
for (int t = 1; t <= 100; t++) {
    double[] p = alone.toDoubleVector();
    adamAlone.step(alone, Nd4j.createFromArray(new double[][] {rosenbrock.grad().at(p[0], p[1])}));
    maxDiff = Math.max(maxDiff, Math.max(Math.abs(alone.getDouble(0, 0) - together.x(1, t)), Math.abs(alone.getDouble(0, 1) - together.y(1, t))));
}
if (maxDiff != 0) throw new IllegalStateException("batched and single runs differ by " + maxDiff);
System.out.println("checked: 100 Adam steps on Rosenbrock alone and as row 1 of the four-surface run are identical (max difference 0.0)");
"""))

# --------------------------------------------------------------------------------------------- tuning
add(md(r"""
## 3. A learning rate per optimizer and surface

Comparing optimizers at one shared learning rate mostly compares how well that number suits each of them. So each
optimizer gets, **per surface**, the learning rate from a small grid that gives the lowest $f$ after 300 steps
(ties go to the smaller rate):

* SGD, momentum, Nesterov: $10^{-4}, 3\cdot10^{-4}, \dots, 0.3$ (their stable rate is bounded by the curvature),
* Adadelta, whose `lr` only rescales a unit-free step: $1, 3, 10, 30, 100$,
* the other adaptive methods: $3\cdot10^{-3}, 0.01, \dots, 1$ (their step is about `lr` long, so nothing larger than
  the pictures makes sense).

The saddle has no minimum, so nothing to tune against: there each optimizer uses its quadratic rate (same curvature
scale). Everything else keeps PyTorch's defaults ($\mu = 0.9$ for momentum and Nesterov, where PyTorch's default is
0; AdamW's default weight decay 0.01).

The default and full profiles run the whole grid (71 runs of 300 steps). The smoke profile, which the automatic
tests run, runs only the rates in `PICKED` (defined with the runner in section 2) — the ones the full grid picks; the cell after the table checks, in the
default and full profiles, that the grid search picks exactly these.
"""))
add(code(r"""
double[] CLASSIC_GRID = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3};
double[] ADAPTIVE_GRID = {3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0};
double[] ADADELTA_GRID = {1, 3, 10, 30, 100};
double[] grid(String name) {
    return switch (name) {
        case "sgd", "momentum", "nesterov" -> CLASSIC_GRID;
        case "adadelta" -> ADADELTA_GRID;
        default -> ADAPTIVE_GRID;
    };
}

Map<String, double[]> tuned = new LinkedHashMap<>();       // optimizer -> lr for each of the 4 surfaces
long tuneStart = System.nanoTime();
for (String name : Optimizers.names()) {
    double[] candidates = Profile.current() == Profile.SMOKE
            ? Arrays.stream(PICKED.get(name)).distinct().sorted().toArray() : grid(name);
    double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    double[] lr = new double[4];
    for (double c : candidates) {
        Run r = runOf(name, c);
        for (int s = 0; s < 3; s++) {
            double g = gap(r, s, STEPS);
            if (g < best[s]) { best[s] = g; lr[s] = c; }
        }
    }
    lr[3] = lr[0];                                           // the saddle reuses the quadratic's rate
    tuned.put(name, lr);
}
printf("%d runs of %d steps in %.1f s%n", runs.size(), STEPS, (System.nanoTime() - tuneStart) / 1e9);

Table lrTable = Table.create("Learning rate per optimizer and surface (lowest f after 300 steps on the grid)",
        StringColumn.create("optimizer", Optimizers.names()),
        StringColumn.create("grid", Optimizers.names().stream().map(n -> String.join(", ", Arrays.stream(grid(n)).mapToObj(v -> lrText(v)).toList())).toList()));
String[] surfaceNames = {"quadratic (and saddle)", "Rosenbrock", "Beale"};
for (int s = 0; s < 3; s++) {
    final int k = s;
    lrTable.addColumns(DoubleColumn.create("lr " + surfaceNames[s], Optimizers.names().stream().mapToDouble(n -> tuned.get(n)[k])));
}
lrTable
""", tags=["expect-table"]))
add(code(r"""
if (Profile.current() == Profile.SMOKE) {
    System.out.println("smoke profile: ran only the PICKED rates (the default and full profiles check that the grid picks them)");
} else {
    StringBuilder actual = new StringBuilder();
    boolean mismatch = false;
    for (String name : Optimizers.names()) {
        mismatch |= !Arrays.equals(Arrays.copyOf(tuned.get(name), 3), PICKED.get(name));
        actual.append(String.format("PICKED.put(\"%s\", new double[] {%s, %s, %s});%n", name, tuned.get(name)[0], tuned.get(name)[1], tuned.get(name)[2]));
    }
    if (mismatch) throw new IllegalStateException("the grid search picks other rates than PICKED; the grid picks:\n" + actual);
    System.out.println("checked: the grid search picks exactly the PICKED rates for all 11 optimizers and 3 surfaces");
}
"""))
add(md(r"""
Two helpers draw what follows: `panel(name)` puts one optimizer's tuned path on each of the four surfaces;
`overlay(s)` puts all eleven on surface `s`. Each optimizer keeps one colour throughout. Paths are clipped at the
border of the picture; a legend entry says "left the plot" when the last iterate is outside it, and "diverged"
when the run stopped being finite.
"""))
add(code(r"""
Color[] COLORS = {new Color(0xd62728), new Color(0x1f56b4), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x000000), new Color(0x7f7f7f), new Color(0x393b79)};
Color colorOf(String name) { return COLORS[Optimizers.names().indexOf(name)]; }

PlotGrid panel(String name) {
    Object[] plots = new Object[surfaces.size()];
    for (int s = 0; s < surfaces.size(); s++) {
        double lr = tuned.get(name)[s];
        Run r = runOf(name, lr);
        plots[s] = contour(surfaces.get(s), surfaces.get(s).name() + ", lr = " + lrText(lr))
                .path(name, r.xs()[s], r.ys()[s], colorOf(name));
    }
    return PlotGrid.of(2, plots).title(name + ": " + STEPS + " steps from the open circle, tuned lr per surface");
}

ContourPlot overlay(int s) {
    Surface surface = surfaces.get(s);
    ContourPlot c = contour(surface, surface.name() + ": all optimizers, " + STEPS + " steps, tuned lr each").size(1000, 640);
    for (String name : Optimizers.names()) {
        double lr = tuned.get(name)[s];
        Run r = runOf(name, lr);
        c.path(name + " (lr " + lrText(lr) + ")", r.xs()[s], r.ys()[s], colorOf(name));
    }
    return c;
}
"""))

# --------------------------------------------------------------------------------------------- the rules
add(md(r"""
## 4. The update rules, one by one

### 4.1 SGD

$$\theta_t = \theta_{t-1} - \gamma\, g_t$$

The textbook rule, and PyTorch's `SGD(momentum=0)`. PyTorch has no default learning rate (it is required); ours
is 0.01. On a quadratic with curvatures $h_i$ (the Hessian's eigenvalues) the error along direction $i$ is
multiplied by $1 - \gamma h_i$ at every step, so SGD converges only if $\gamma < 2/h_{\max}$ — here
$2/4 = 0.5$ — and then the flat direction ($h = 0.2$) shrinks by only $1 - 0.2\gamma \ge 0.9$ per step. That is
the whole problem the other rules address.
"""))
add(md(java_block("Sgd", "no state")))
add(code(r"""
panel("sgd")
""", tags=["expect-image"]))
add(md(r"""
The stability bound, checked on the quadratic: with $\gamma = 0.49$ the steep coordinate $y$ shrinks
($|1 - 4\cdot0.49| = 0.96$ per step), with $\gamma = 0.51$ it grows ($1.04$ per step).
"""))
add(code(r"""
Run below = run(Optimizers.create("sgd", Map.of("lr", 0.49)), 100), above = run(Optimizers.create("sgd", Map.of("lr", 0.51)), 100);
double y0 = Math.abs(quadratic.start()[1]), yBelow = Math.abs(below.y(0, 100)), yAbove = Math.abs(above.y(0, 100));
printf("|y| after 100 steps: %.3g with lr 0.49, %.3g with lr 0.51 (start %.1f)%n", yBelow, yAbove, y0);
if (!(yBelow < y0 && yAbove > y0))
    throw new IllegalStateException("expected |y| to shrink with lr 0.49 and grow with lr 0.51");
System.out.println("checked: SGD on the quadratic converges with lr 0.49 and diverges with lr 0.51 (bound 2/h_max = 0.5)");
"""))

add(md(r"""
### 4.2 Momentum (heavy ball)

PyTorch's `SGD(momentum=μ)` (dampening 0, the default):

$$b_t = \mu\, b_{t-1} + g_t \quad (b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \gamma\, b_t$$

The buffer $b$ is a running sum of past gradients: directions in which the gradient keeps its sign build up speed
(up to $1/(1-\mu) = 10\times$ for $\mu = 0.9$), directions in which it flips cancel. **Differences from the
textbook:** the classical form (Polyak; Sutskever et al. 2013) keeps a velocity with the learning rate inside,
$v_t = \mu v_{t-1} - \gamma g_t$, $\theta_t = \theta_{t-1} + v_t$; it is the same sequence ($v = -\gamma b$) as long
as $\gamma$ is constant, but when a schedule changes $\gamma$, PyTorch applies the new rate to the whole buffer at
once. Some texts use an exponential average, $b_t = \mu b_{t-1} + (1-\mu) g_t$: that is PyTorch's
`dampening = μ`, which shrinks the step by $1-\mu$. PyTorch's default $\mu$ is 0; ours is 0.9.
"""))
add(md(java_block("Momentum", "the buffer `b` (created from the first gradient)")))
add(code(r"""
panel("momentum")
""", tags=["expect-image"]))
add(md(r"""
The claim of momentum, checked on Rosenbrock with the **same** learning rate $10^{-3}$ for both: momentum gets into
the region $f < 0.1$ around the minimum within 300 steps; plain SGD does not get there at all.
"""))
add(code(r"""
Run sgd3 = runOf("sgd", 1e-3), mom3 = runOf("momentum", 1e-3);
int sgdIn = firstStep(sgd3, t -> gap(sgd3, 1, t) < 0.1), momIn = firstStep(mom3, t -> gap(mom3, 1, t) < 0.1);
printf("Rosenbrock, lr 1e-3: f < 0.1 first at step %s with momentum, %s with SGD; f after 300 steps: %.3g (momentum), %.3g (SGD)%n",
        momIn < 0 ? "never" : momIn, sgdIn < 0 ? "never" : sgdIn, gap(mom3, 1, STEPS), gap(sgd3, 1, STEPS));
if (!(momIn >= 0 && (sgdIn < 0 || sgdIn > momIn)))
    throw new IllegalStateException("momentum did not reach f < 0.1 before SGD");
System.out.println("checked: with lr 1e-3 momentum reaches f < 0.1 on Rosenbrock within 300 steps, SGD does not");
"""))

add(md(r"""
### 4.3 Nesterov momentum

PyTorch's `SGD(momentum=μ, nesterov=True)`:

$$b_t = \mu\, b_{t-1} + g_t, \qquad \theta_t = \theta_{t-1} - \gamma\,(g_t + \mu\, b_t)$$

**As implemented by PyTorch this is not the textbook formula.** Nesterov's method (in Sutskever et al.'s form)
evaluates the gradient at a look-ahead point:

$$v_t = \mu v_{t-1} - \gamma \nabla f(\theta_{t-1} + \mu v_{t-1}), \qquad \theta_t = \theta_{t-1} + v_t .$$

PyTorch stores the look-ahead point itself, $\varphi_t = \theta_t + \mu v_t$, as the parameters (the
reformulation of Bengio et al. 2012): substituting $v = -\gamma b$ gives exactly the rule above, with the gradient taken at the stored
parameters. So PyTorch's iterates are the textbook's look-ahead points, not its $\theta_t$ — the next cell checks
this on Rosenbrock. ND4J's `Nesterovs` uses the same substitution with $\gamma$ inside the velocity
(see section 8).
"""))
add(md(java_block("Nesterov", "the buffer `b`")))
add(code(r"""
panel("nesterov")
""", tags=["expect-image"]))
add(code(r"""
// The textbook (Sutskever) form in plain doubles: gradient at the look-ahead point theta + mu v.
double lrN = 1e-3, muN = 0.9;
double[] theta = rosenbrock.start().clone(), v = {0, 0};
Run nes = runOf("nesterov", lrN);
double worstN = 0;
for (int t = 1; t <= STEPS; t++) {
    double[] g = rosenbrock.grad().at(theta[0] + muN * v[0], theta[1] + muN * v[1]);
    for (int k = 0; k < 2; k++) { v[k] = muN * v[k] - lrN * g[k]; theta[k] += v[k]; }
    double phiX = theta[0] + muN * v[0], phiY = theta[1] + muN * v[1];   // the look-ahead point
    worstN = Math.max(worstN, Math.max(Math.abs(phiX - nes.x(1, t)), Math.abs(phiY - nes.y(1, t))));
}
if (!(worstN < 1e-9)) throw new IllegalStateException("torch-style Nesterov != textbook look-ahead points: " + worstN);
printf("checked: for %d steps on Rosenbrock (lr 1e-3, mu 0.9) our Nesterov iterates equal the textbook's look-ahead points theta_t + mu v_t, max difference %.1e < 1e-9%n", STEPS, worstN);
"""))

add(md(r"""
### 4.4 Adagrad

PyTorch's `Adagrad` (defaults: `lr_decay` 0, `initial_accumulator_value` 0, $\epsilon = 10^{-10}$):

$$s_t = s_{t-1} + g_t^2, \qquad \theta_t = \theta_{t-1} - \frac{\gamma}{1 + (t-1)\,\eta}\cdot\frac{g_t}{\sqrt{s_t} + \epsilon}$$

($\eta$ = `lr_decay`). Each coordinate gets its own rate, $\gamma/\sqrt{s_t}$: large for coordinates with small
gradients so far, small for those with large ones — which fixes the ill-conditioned quadratic. But $s_t$ only
grows, so the rate only shrinks, and on a long road (Rosenbrock's valley) Adagrad slows to a crawl.
**Differences:** Duchi et al. write it the same way; some texts (e.g. d2l) put $\epsilon$ inside the root,
$\sqrt{s_t + \epsilon}$; PyTorch adds it outside. ND4J starts $s$ at $10^{-6}$, not 0 (section 8).
"""))
add(md(java_block("Adagrad", "the step count `t` and the sum of squared gradients `s`")))
add(code(r"""
panel("adagrad")
""", tags=["expect-image"]))

add(md(r"""
### 4.5 RMSprop

PyTorch's `RMSprop` (not centered; $\alpha = 0.99$, $\epsilon = 10^{-8}$):

$$v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2, \qquad \theta_t = \theta_{t-1} - \gamma\, \frac{g_t}{\sqrt{v_t} + \epsilon}$$

Adagrad with a **forgetting** average in place of the sum, so the rate no longer decays to zero. (With
`momentum` > 0 PyTorch keeps $b_t = \mu b_{t-1} + g_t/(\sqrt{v_t} + \epsilon)$ and steps by $\gamma b_t$.)
**Differences:** Hinton's lecture, where RMSprop comes from, uses $\alpha = 0.9$ (PyTorch: 0.99); some libraries put
$\epsilon$ inside the root; ND4J starts $v$ at $\epsilon$ instead of 0 (section 8).

The claim about Adagrad's shrinking rate, checked with each one's tuned rate: on Rosenbrock, RMSprop ends lower than
Adagrad.
"""))
add(md(java_block("RMSprop", "the running average `v` (and a buffer when momentum > 0)")))
add(code(r"""
panel("rmsprop")
""", tags=["expect-image"]))
add(code(r"""
double adagradEnd = gap(runOf("adagrad", tuned.get("adagrad")[1]), 1, STEPS), rmspropEnd = gap(runOf("rmsprop", tuned.get("rmsprop")[1]), 1, STEPS);
printf("Rosenbrock after %d steps, tuned lr: Adagrad f = %.3g, RMSprop f = %.3g%n", STEPS, adagradEnd, rmspropEnd);
if (!(rmspropEnd < adagradEnd)) throw new IllegalStateException("RMSprop did not end below Adagrad on Rosenbrock");
System.out.println("checked: on Rosenbrock, tuned RMSprop ends lower than tuned Adagrad");
"""))

add(md(r"""
### 4.6 Adadelta

PyTorch's `Adadelta` ($\rho = 0.9$, $\epsilon = 10^{-6}$, $\gamma = 1$):

$$v_t = \rho v_{t-1} + (1-\rho) g_t^2, \qquad
\Delta_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t, \qquad
u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2, \qquad \theta_t = \theta_{t-1} - \gamma\,\Delta_t$$

Zeiler's idea: the ratio of two RMS values has the units of $\theta$, so no learning rate is needed. **Differences:**
Zeiler's paper has no $\gamma$ (PyTorch's `lr` multiplies $\Delta$, default 1, and $u$ accumulates the unscaled
$\Delta$); the paper's experiments use $\rho = 0.95$. Both $\epsilon$ sit inside the roots, and with $u_0 = 0$
the first step is about $\gamma\sqrt{\epsilon/(1-\rho)} = \gamma\cdot 3.16\cdot10^{-3}$ per coordinate, whatever the
gradient: Adadelta starts very slowly unless `lr` is raised — which is why the grid search picks rates well above 1
for it (section 3).
"""))
add(md(java_block("Adadelta", "the running averages `v` of squared gradients and `u` of squared updates")))
add(code(r"""
panel("adadelta")
""", tags=["expect-image"]))
add(code(r"""
double lrD = tuned.get("adadelta")[0];
Run ad = runOf("adadelta", lrD);
double expected = lrD * Math.sqrt(1e-6 / (1 - 0.9));
for (int k = 0; k < 2; k++) {
    double step = Math.abs(k == 0 ? ad.x(0, 1) - ad.x(0, 0) : ad.y(0, 1) - ad.y(0, 0));
    if (Math.abs(step / expected - 1) > 1e-4)
        throw new IllegalStateException("first Adadelta step " + step + " != lr*sqrt(eps/(1-rho)) = " + expected);
}
printf("checked: Adadelta's first step on the quadratic (gradient (-1, -8)) is lr*sqrt(eps/(1-rho)) = %.4g in both coordinates (to 1e-4)%n", expected);
"""))

add(md(r"""
### 4.7 Adam

PyTorch's `Adam` ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$):

$$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad
\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}, \quad
\theta_t = \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}$$

Momentum ($m$) plus RMSprop's per-coordinate scale ($v$), with **bias correction**: $m$ and $v$ start at 0, so
without the division by $1-\beta^t$ the first steps would be far too small. At $t = 1$, $\hat m_1/\sqrt{\hat v_1}
= g_1/|g_1|$: the first step is $\gamma$ long in every coordinate, whatever the gradient's size.
**$\epsilon$ placement:** PyTorch adds $\epsilon$ to the *bias-corrected* $\sqrt{\hat v_t}$, as Kingma & Ba's
Algorithm 1. Their "more efficient" rewriting, $\theta_t = \theta_{t-1} - \gamma\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}
\cdot\frac{m_t}{\sqrt{v_t} + \hat\epsilon}$, adds it to the *uncorrected* root — that is what ND4J (and TensorFlow)
implement, and it equals PyTorch's only for $\hat\epsilon = \epsilon\sqrt{1-\beta_2^t}$ (section 7).
"""))
add(md(java_block("Adam", "the step count `t` and the moments `m`, `v`")))
add(code(r"""
panel("adam")
""", tags=["expect-image"]))
add(code(r"""
// First step = lr * g/(|g| + eps) in every coordinate, i.e. lr up to a relative 1e-4 (the smallest |g| here is 2e-3, on the saddle).
for (String name : List.of("adam", "amsgrad", "adamax")) {
    for (int s = 0; s < 4; s++) {
        double lr = tuned.get(name)[s];
        Run r = runOf(name, lr);
        double dx = Math.abs(r.x(s, 1) - r.x(s, 0)), dy = Math.abs(r.y(s, 1) - r.y(s, 0));
        if (Math.abs(dx / lr - 1) > 1e-4 || Math.abs(dy / lr - 1) > 1e-4)
            throw new IllegalStateException(name + " on " + surfaces.get(s).name() + ": first step (" + dx + ", " + dy + ") is not lr = " + lr);
    }
}
System.out.println("checked: the first step of Adam, AMSGrad and Adamax is lr long in each coordinate (to 1e-4) on all four surfaces");
"""))

add(md(r"""
### 4.8 AMSGrad

PyTorch's `Adam(amsgrad=True)`: Adam with the running **maximum** of $v$ in the denominator,

$$v^{\max}_t = \max(v^{\max}_{t-1}, v_t), \qquad \theta_t = \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\cdot
\frac{m_t}{\sqrt{v^{\max}_t}/\sqrt{1-\beta_2^t} + \epsilon},$$

so a coordinate's effective rate can never grow again once large gradients have been seen (Reddi et al.'s fix
for Adam's non-convergence examples). **Differences:** Reddi et al.'s algorithm has no bias correction; PyTorch
keeps the maximum of the *uncorrected* $v_t$ and then divides by $\sqrt{1-\beta_2^t}$ as Adam does.
"""))
add(md(java_block("AMSGrad", "the step count `t`, `m`, `v` and `vmax`")))
add(code(r"""
panel("amsgrad")
""", tags=["expect-image"]))

add(md(r"""
### 4.9 AdamW

PyTorch's `AdamW` (default $\lambda = 0.01$): weight decay **decoupled** from the gradient,

$$\theta_{t-1}' = (1 - \gamma\lambda)\,\theta_{t-1}, \qquad \text{then Adam's step from } \theta_{t-1}' \text{ with the
unchanged gradient } g_t .$$

With Adam's coupled `weight_decay`, $\lambda\theta$ is added to $g$ and then divided by $\sqrt{\hat v}$, so
coordinates with large gradients are barely decayed; AdamW shrinks every coordinate by the same factor.
**Differences:** Loshchilov & Hutter multiply the decay by a schedule factor $\eta_t$ but not by the learning
rate, $\theta_t = \theta_{t-1} - \eta_t(\alpha\,\hat m_t/(\sqrt{\hat v_t}+\epsilon) + \lambda\theta_{t-1})$;
PyTorch ties it to `lr`. Here AdamW keeps its default $\lambda = 0.01$, so on these surfaces it minimises
$f + $ (a pull towards the origin) — the checks below show both sides: with $\lambda = 0$ it *is* Adam, and with
$\lambda = 0.01$ it stops farther from Beale's minimum $(3, 0.5)$ than Adam does.
"""))
add(md(java_block("AdamW", "the step count `t`, `m` and `v`")))
add(code(r"""
panel("adamw")
""", tags=["expect-image"]))
add(code(r"""
double lrA = tuned.get("adam")[1];
Run adamRun = runOf("adam", lrA), adamw0 = run(Optimizers.create("adamw", Map.of("lr", lrA, "weight_decay", 0.0)), STEPS);
double d0 = 0;
for (int s = 0; s < 4; s++)
    for (int t = 0; t <= STEPS; t++)
        if (Double.isFinite(adamRun.x(s, t)) || Double.isFinite(adamw0.x(s, t)))
            d0 = Math.max(d0, Math.max(Math.abs(adamRun.x(s, t) - adamw0.x(s, t)), Math.abs(adamRun.y(s, t) - adamw0.y(s, t))));
if (d0 != 0) throw new IllegalStateException("AdamW(weight_decay=0) differs from Adam by " + d0);
Run adamB = runOf("adam", tuned.get("adam")[2]), adamwB = runOf("adamw", tuned.get("adamw")[2]);
double distAdam = Math.hypot(adamB.x(2, STEPS) - 3, adamB.y(2, STEPS) - 0.5), distAdamW = Math.hypot(adamwB.x(2, STEPS) - 3, adamwB.y(2, STEPS) - 0.5);
printf("Beale, tuned lr: distance of the last iterate to (3, 0.5): Adam %.2e, AdamW (weight_decay 0.01) %.2e%n", distAdam, distAdamW);
if (!(distAdamW > distAdam)) throw new IllegalStateException("AdamW did not stop farther from Beale's minimum than Adam");
System.out.println("checked: AdamW with weight_decay 0 equals Adam exactly (all 4 surfaces, 300 steps); with 0.01 it ends farther from Beale's minimum");
"""))

add(md(r"""
### 4.10 Adamax

PyTorch's `Adamax` ($\gamma = 2\cdot10^{-3}$ by default): Adam with an infinity norm in place of $\sqrt{v}$,

$$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon), \qquad
\theta_t = \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\cdot\frac{m_t}{u_t}$$

$u$ needs no bias correction: after one step it already equals $|g_1| + \epsilon$. **Differences:** Kingma & Ba
write $u_t = \max(\beta_2 u_{t-1}, |g_t|)$ with no $\epsilon$; PyTorch adds $\epsilon$ inside the max; ND4J ignores
its `epsilon` option altogether (section 8).
"""))
add(md(java_block("Adamax", "the step count `t`, `m` and the weighted infinity norm `u`")))
add(code(r"""
panel("adamax")
""", tags=["expect-image"]))

add(md(r"""
### 4.11 NAdam

PyTorch's `NAdam` (Dozat 2016, with a momentum schedule; `momentum_decay` $\psi = 0.004$):

$$\mu_t = \beta_1\big(1 - \tfrac12\, 0.96^{t\psi}\big), \qquad
\theta_t = \theta_{t-1} - \gamma\,\frac{1-\mu_t}{1 - \prod_{i\le t}\mu_i}\cdot\frac{g_t}{\sqrt{\hat v_t} + \epsilon}
 - \gamma\,\frac{\mu_{t+1}}{1 - \prod_{i\le t+1}\mu_i}\cdot\frac{m_t}{\sqrt{\hat v_t} + \epsilon}$$

with $m_t$, $v_t$, $\hat v_t$ as in Adam. The Nesterov idea in Adam's language: the step uses the momentum of the
*next* step ($\mu_{t+1}$) plus the current gradient. Note how slowly $\mu_t$ warms up: $0.96^{t\psi}$ is still
close to 1 after hundreds of steps, so $\mu_t$ stays near $\beta_1/2 = 0.45$ for the whole 300-step runs here
(checked below). **Differences:** ND4J's `Nadam` has no schedule and no bias correction of $v$ (section 8).
PyTorch 1.13's default single-tensor code path has an extra factor $\mu_t$ in the second denominator (fixed in
PyTorch 2.0); our class follows the documented formula above, as PyTorch's `foreach=True` path and every version
from 2.0 on.
"""))
add(md(java_block("NAdam", "the step count `t`, the product of the $\\mu_i$, `m` and `v`")))
add(code(r"""
panel("nadam")
""", tags=["expect-image"]))
add(code(r"""
DoubleUnaryOperator muT = t -> 0.9 * (1 - 0.5 * Math.pow(0.96, t * 0.004));
int firstAboveHalf = 1;
while (muT.applyAsDouble(firstAboveHalf) <= 0.5) firstAboveHalf++;
printf("mu_1 = %.4f, mu_300 = %.4f; mu_t first exceeds 0.5 at t = %d and reaches 0.85 only at t = %d%n",
        muT.applyAsDouble(1), muT.applyAsDouble(STEPS), firstAboveHalf, (int) Math.ceil(Math.log(2 * (1 - 0.85 / 0.9)) / Math.log(0.96) / 0.004));
if (!(firstAboveHalf > STEPS)) throw new IllegalStateException("mu_t exceeds 0.5 within the run");
System.out.println("checked: NAdam's mu_t stays below 0.5 for all " + STEPS + " steps of these runs");
"""))

# --------------------------------------------------------------------------------------------- overlays
add(md(r"""
## 5. All eleven on each surface

Each optimizer with its own tuned learning rate for that surface (the table in section 3; the saddle uses the
quadratic's). A tuned rate sits close to the edge of stability, so several paths overshoot and oscillate before
they settle: that is what "fastest after 300 steps" looks like.
"""))
for s, name in enumerate(["quadratic", "Rosenbrock", "Beale", "saddle"]):
    add(code(f"overlay({s})", tags=["expect-image"]))
add(md(r"""
The numbers behind the pictures: $f - f^\star$ after 300 steps on the three surfaces with a minimum, and the first
step at which the saddle run has $|y| > 1$ (it has escaped the ridge).
"""))
add(code(r"""
Table endTable = Table.create("After " + STEPS + " steps with the tuned lr (f* = 0 for all three)",
        StringColumn.create("optimizer", Optimizers.names()));
for (int s = 0; s < 3; s++) {
    final int k = s;
    endTable.addColumns(StringColumn.create(surfaces.get(s).name() + ": f − f*", Optimizers.names().stream()
            .map(n -> { double g = gap(runOf(n, tuned.get(n)[k]), k, STEPS); return Double.isFinite(g) ? String.format("%.2e", g) : "diverged"; }).toList()));
}
int escape(String n) { Run r = runOf(n, tuned.get(n)[3]); return firstStep(r, t -> !(Math.abs(r.y(3, t)) <= 1)); }
endTable.addColumns(IntColumn.create("saddle: first step with |y| > 1", Optimizers.names().stream().mapToInt(n -> escape(n)).toArray()));
int divergedTuned = 0;
for (String n : Optimizers.names())
    for (int s = 0; s < 4; s++) {
        Run r = runOf(n, tuned.get(n)[s]);
        if (r.divergedAt()[s] >= 0) { divergedTuned++; System.out.println(n + " diverged on " + surfaces.get(s).name() + " at step " + r.divergedAt()[s]); }
    }
long divergedGrid = runs.values().stream().flatMapToInt(r -> Arrays.stream(r.divergedAt())).filter(t -> t >= 0).count();
System.out.println(divergedTuned + " of the 44 tuned runs diverged; " + divergedGrid + " surface runs diverged among the " + runs.size() + " four-surface runs made so far (grid rates too large for that surface)");
endTable
""", tags=["expect-table"]))
add(md(r"""
What the pictures and the table say, each checked by the next cell:

* **Quadratic:** every method except Adadelta ends within $10^{-6}$ of the minimum; Adadelta, whose first steps are
  $\sqrt{\epsilon}$-sized, is the only one still above it.
* **Rosenbrock:** plain SGD, held to $\gamma \le 10^{-3}$ by the steep walls, ends highest of all eleven.
* **Saddle:** every method escapes the ridge ($|y| > 1$) within 300 steps with these rates. How fast depends mostly
  on the rate, so the check also compares three methods at the **same** rate 0.01: SGD's $y$ grows by the factor
  $1 + 2\gamma = 1.02$ per step and needs $\ln(1000)/\ln(1.02) \approx 349$ steps to get from $10^{-3}$ to 1 — it
  does not escape in 300; momentum's buffer turns that into a faster exponential, and Adam, which divides by
  $\sqrt{v}$, moves $y$ by about $\gamma$ per step from the first step on, however tiny the gradient: both escape.
"""))
add(code(r"""
for (String n : Optimizers.names()) {
    double g = gap(runOf(n, tuned.get(n)[0]), 0, STEPS);
    if (n.equals("adadelta") ? !(g > 1e-6) : !(g < 1e-6))
        throw new IllegalStateException("quadratic: " + n + " ends at f = " + g);
}
double sgdRosen = gap(runOf("sgd", tuned.get("sgd")[1]), 1, STEPS);
for (String n : Optimizers.names())
    if (!n.equals("sgd") && !(gap(runOf(n, tuned.get(n)[1]), 1, STEPS) < sgdRosen))
        throw new IllegalStateException("Rosenbrock: " + n + " does not end below SGD");
if (Optimizers.names().stream().anyMatch(n -> escape(n) < 0)) throw new IllegalStateException("a method did not escape the saddle");
Map<String, Integer> sameRate = new LinkedHashMap<>();
for (String n : List.of("sgd", "momentum", "adam")) {
    Run r = runOf(n, 0.01);
    sameRate.put(n, firstStep(r, t -> !(Math.abs(r.y(3, t)) <= 1)));
}
System.out.println("saddle, lr 0.01 for all: first step with |y| > 1: " + sameRate + " (-1 = not within " + STEPS + ")");
if (!(sameRate.get("sgd") < 0 && sameRate.get("momentum") > 0 && sameRate.get("adam") > 0))
    throw new IllegalStateException("expected SGD not to escape and momentum and Adam to escape at lr 0.01: " + sameRate);
System.out.println("checked: quadratic: all but Adadelta below 1e-6, Adadelta above; Rosenbrock: SGD ends highest;");
System.out.println("checked: saddle: all escape with their rates; at lr 0.01 SGD does not escape within " + STEPS + " steps, momentum and Adam do");
"""))

# --------------------------------------------------------------------------------------------- network
add(md(r"""
## 6. A real comparison: a small network on spirals

2-D surfaces show the character of each rule; a network shows what it does on a real loss: hundreds of
parameters, stochastic mini-batch gradients, ReLU kinks. The data: three interleaved spirals
(`Synthetic.spirals`, 300 points, angle noise 0.2), the same for every run. The model, built with `descent.nn`:
a two-layer MLP $2 \to 64 \to 3$,

$$z_1 = X W_1^\top + b_1,\quad h = \mathrm{relu}(z_1),\quad z_2 = h W_2^\top + b_2,\quad L = \text{cross-entropy}(z_2, Y),$$

trained with mini-batches of 30 (10 steps per epoch). `Sequential` keeps **all parameters in one flat vector**
(`net.params()`) and all gradients in another of the same layout (`net.grads()`); the layers' $W$ and $b$ are
views into them. So one `opt.step(net.params(), net.grads())` per mini-batch updates the whole network: the
optimizer does not know it is a network. The loss and its gradient $\partial L/\partial z_2$ come from
`descent.loss` (already divided by the batch size); `net.backward` does the rest.
"""))
add(code(r"""
import descent.nn.Sequential;
import descent.nn.Linear;
import descent.nn.ReLU;

Synthetic.Classification spirals = Synthetic.spirals(300, 3, 0.2, 7);
Loss crossEntropy = Losses.create("cross_entropy");

Sequential mlp(long seed) {
    return Sequential.input(2).add(new Linear(2, 64)).add(new ReLU()).add(new Linear(64, 3))
            .dataType(DataType.DOUBLE).seed(seed).build();
}
Sequential probe = mlp(1);
System.out.println(probe.describe());
System.out.println("params() is one vector of " + probe.params().length() + " numbers; the first layer's weight is a view into it: "
        + ((Linear) probe.layers().get(0)).weight().isView());
"""))
add(md(r"""
The training loop. One epoch = a seeded shuffle of the 300 points, then one step per mini-batch of 30; after
each epoch the loss on the whole training set is recorded (the quantity the optimizers minimise). A run whose
loss or gradient stops being finite is stopped and reported as diverged.
"""))
add(code(r"""
record Training(String optimizer, double lr, long seed, double[] loss, int stepsToTarget, double seconds, boolean diverged) {
    double last() { return loss[loss.length - 1]; }
}
final int BATCH = 30, EPOCHS = Profile.pick(4, 25, 50);
final double TARGET = 0.3;                                  // "steps to reach": first epoch end with loss <= TARGET

/** One epoch's batches: the data shuffled by `order`, then cut into consecutive blocks of BATCH rows. */
List<INDArray[]> batches(Random order) {
    int n = spirals.size();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) idx.add(i);
    Collections.shuffle(idx, order);
    int[] perm = idx.stream().mapToInt(Integer::intValue).toArray();
    INDArray x = spirals.x().getRows(perm), y = spirals.oneHot().getRows(perm);
    List<INDArray[]> out = new ArrayList<>();
    for (int b = 0; b + BATCH <= n; b += BATCH)
        out.add(new INDArray[] {x.get(NDArrayIndex.interval(b, b + BATCH), NDArrayIndex.all()),
                                y.get(NDArrayIndex.interval(b, b + BATCH), NDArrayIndex.all())});
    return out;
}

/** Trains a fresh network (initial weights and batch order from `seed`) with one optimizer. */
Training train(Optimizer opt, long seed, int epochs, Sequential net) {
    Random order = new Random(seed);
    double[] loss = new double[epochs + 1];
    loss[0] = crossEntropy.value(net.forward(spirals.x(), false), spirals.oneHot());
    int toTarget = -1, steps = 0;
    long start = System.nanoTime();
    for (int e = 1; e <= epochs; e++) {
        for (INDArray[] b : batches(order)) {
            INDArray logits = net.forward(b[0], true);
            net.backward(crossEntropy.gradient(logits, b[1]));   // fills net.grads()
            if (!Double.isFinite(net.grads().sumNumber().doubleValue()))
                return new Training(opt.name(), opt.lr(), seed, Arrays.copyOf(loss, e), toTarget, (System.nanoTime() - start) / 1e9, true);
            opt.step(net.params(), net.grads());                  // the whole network in one step
            steps++;
        }
        double l;
        try { l = crossEntropy.value(net.forward(spirals.x(), false), spirals.oneHot()); }
        catch (IllegalArgumentException nonFinite) { l = Double.NaN; }  // the loss refuses non-finite logits
        if (!Double.isFinite(l))
            return new Training(opt.name(), opt.lr(), seed, Arrays.copyOf(loss, e), toTarget, (System.nanoTime() - start) / 1e9, true);
        loss[e] = l;
        if (toTarget < 0 && l <= TARGET) toTarget = steps;
    }
    return new Training(opt.name(), opt.lr(), seed, loss, toTarget, (System.nanoTime() - start) / 1e9, false);
}
Training fit(String name, double lr, long seed, int epochs) {
    return train(Optimizers.create(name, Map.of("lr", lr)), seed, epochs, mlp(seed));
}
Training t0 = fit("adam", 0.01, 0, 2);
printf("2 epochs of Adam: loss %.4f -> %.4f in %.2f s%n", t0.loss()[0], t0.last(), t0.seconds());
"""))
add(md(r"""
**Tuning.** Each optimizer gets the learning rate from a 4-point grid (placed where its family works) that gives
the lowest final training loss with seed 0; a diverged run counts as infinitely bad. (The smoke profile, 4 epochs,
tries only the two larger rates of each grid: short runs favour large rates.) **Evaluation** then uses
*other* seeds (1, 2, …: other initial weights and batch orders), so the reported numbers are not the ones the rate
was picked on. The number of epochs depends on the profile (`EPOCHS` above); the claims below are checked in the
profile that runs.
"""))
add(code(r"""
double[] netGrid(String n) {
    return switch (n) {
        case "sgd" -> new double[] {0.1, 0.3, 1.0, 3.0};
        case "momentum" -> new double[] {0.03, 0.1, 0.3, 1.0};
        case "nesterov" -> new double[] {0.1, 0.3, 1.0, 3.0};
        case "adagrad" -> new double[] {0.03, 0.1, 0.3, 1.0};
        case "adadelta" -> new double[] {1, 3, 10, 30};
        default -> new double[] {0.01, 0.03, 0.1, 0.3};
    };
}
Map<String, Double> netLr = new LinkedHashMap<>();
long netStart = System.nanoTime();
for (String n : Optimizers.names()) {
    double bestLoss = Double.POSITIVE_INFINITY, bestLr = Double.NaN;
    StringBuilder line = new StringBuilder();
    double[] candidates = Profile.current() == Profile.SMOKE ? Arrays.copyOfRange(netGrid(n), 2, 4) : netGrid(n);
    for (double lr : candidates) {
        Training t = fit(n, lr, 0, EPOCHS);
        double score = t.diverged() ? Double.POSITIVE_INFINITY : t.last();
        line.append(String.format("  lr %-6s %-8s", lrText(lr), t.diverged() ? "diverged" : String.format("%.4f", t.last())));
        if (score < bestLoss) { bestLoss = score; bestLr = lr; }
    }
    netLr.put(n, bestLr);
    printf("%-9s%s -> lr %s%n", n, line, lrText(bestLr));
}
printf("tuning: %d runs of %d epochs in %.1f s%n", Optimizers.names().stream().mapToInt(n -> Profile.current() == Profile.SMOKE ? 2 : 4).sum(), EPOCHS, (System.nanoTime() - netStart) / 1e9);
"""))
add(code(r"""
final int SEEDS = Profile.pick(1, 2, 3);
Map<String, List<Training>> evals = new LinkedHashMap<>();
for (String n : Optimizers.names()) {
    List<Training> ts = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS; seed++) ts.add(fit(n, netLr.get(n), seed, EPOCHS));
    evals.put(n, ts);
    for (Training t : ts) if (t.diverged()) System.out.println(n + " seed " + t.seed() + ": diverged at epoch " + t.loss().length);
}
double[] meanCurve(List<Training> ts) {
    double[] m = new double[EPOCHS + 1];
    for (int e = 0; e <= EPOCHS; e++) {
        double s = 0;
        for (Training t : ts) s += e < t.loss().length ? t.loss()[e] : Double.NaN;
        m[e] = s / ts.size();
    }
    return m;
}
double[] epochAxis = java.util.stream.IntStream.rangeClosed(0, EPOCHS).asDoubleStream().toArray();
LinePlot curves = Plots.line("Spirals MLP: training loss, mean of " + SEEDS + " seeds, tuned lr each", "epoch (10 steps each)",
        "cross-entropy on the training set").logY().legendOutside().size(900, 480);
for (String n : Optimizers.names()) curves.series(n + " (lr " + lrText(netLr.get(n)) + ")", epochAxis, meanCurve(evals.get(n)));
org.knowm.xchart.XYChart lossChart = curves.chart();
for (String n : Optimizers.names()) lossChart.getSeriesMap().get(n + " (lr " + lrText(netLr.get(n)) + ")").setLineColor(colorOf(n));  // same colours as the contour plots
lossChart
""", tags=["expect-image"]))
add(code(r"""
double mean(double[] v) { return v.length == 0 ? Double.NaN : Arrays.stream(v).average().getAsDouble(); }
double std(double[] v) { double m = mean(v); return v.length < 2 ? Double.NaN : Math.sqrt(Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / (v.length - 1)); }
double finalLoss(String n) { return mean(evals.get(n).stream().mapToDouble(t -> t.diverged() ? Double.NaN : t.last()).toArray()); }
int reached(String n) { return (int) evals.get(n).stream().filter(t -> t.stepsToTarget() >= 0).count(); }
List<String> names = Optimizers.names();
Table netTable = Table.create("Spirals MLP after " + EPOCHS + " epochs (" + (EPOCHS * 10) + " steps), seeds 1.." + SEEDS,
        StringColumn.create("optimizer", names),
        DoubleColumn.create("lr", names.stream().mapToDouble(n -> netLr.get(n))),
        DoubleColumn.create("final loss (mean)", names.stream().mapToDouble(n -> Math.round(finalLoss(n) * 1e4) / 1e4)),
        StringColumn.create("final loss (std over seeds)", names.stream().map(n -> {
            double sd = std(evals.get(n).stream().mapToDouble(Training::last).toArray());
            return Double.isNaN(sd) ? "— (1 seed)" : String.format("%.4f", sd); }).toList()),
        StringColumn.create("seeds reaching loss " + TARGET, names.stream().map(n -> reached(n) + " of " + SEEDS).toList()),
        StringColumn.create("steps to loss " + TARGET + " (mean of those)", names.stream().map(n -> reached(n) == 0 ? "not reached"
                : String.format("%.0f", mean(evals.get(n).stream().filter(t -> t.stepsToTarget() >= 0).mapToDouble(Training::stepsToTarget).toArray()))).toList()),
        DoubleColumn.create("wall time per run (s)", names.stream().mapToDouble(n -> Math.round(mean(evals.get(n).stream().mapToDouble(Training::seconds).toArray()) * 100) / 100.0)));
netTable.sortAscendingOn("final loss (mean)")
"""
, tags=["expect-table"]))
add(md(r"""
What the curves and the table say here, each checked by the next cell in the profile that runs (the smoke profile
trains only 4 epochs, the full one 50):

* every optimizer, with its tuned rate, trains: no run diverges, and every final loss is below the starting loss
  $\approx \ln 3 = 1.10$ (the network starts near uniform predictions);
* Adam ends below plain SGD **and** below SGD with momentum (mean over the evaluation seeds), and it reaches the
  target loss 0.3 on every seed, in fewer steps than SGD (which, in a short run, may not reach it at all).

Beyond that, the ranking depends on the budget (compare the smoke, default and full runs: the middle of the table
reshuffles), so we claim no more. The wall times are per run of `EPOCHS` epochs on a shared machine; the optimizer
step is a small part of each training step (forward and backward through the network dominate), so they say
little about the optimizers.
"""))
add(code(r"""
double start = Math.log(3);
for (String n : names)
    for (Training t : evals.get(n)) {
        if (t.diverged()) throw new IllegalStateException(n + " seed " + t.seed() + " diverged");
        if (!(t.last() < t.loss()[0])) throw new IllegalStateException(n + " seed " + t.seed() + " did not lower the loss: " + t.loss()[0] + " -> " + t.last());
    }
double adamL = finalLoss("adam"), sgdL = finalLoss("sgd"), momL = finalLoss("momentum");
printf("final loss (mean): adam %.4f, sgd %.4f, momentum %.4f%n", adamL, sgdL, momL);
if (!(adamL < sgdL && adamL < momL)) throw new IllegalStateException("Adam does not end below SGD and momentum");
double adamSteps = mean(evals.get("adam").stream().mapToDouble(Training::stepsToTarget).toArray());
boolean sgdNever = reached("sgd") == 0;
double sgdSteps = sgdNever ? Double.POSITIVE_INFINITY : mean(evals.get("sgd").stream().mapToDouble(t -> t.stepsToTarget() < 0 ? Double.POSITIVE_INFINITY : t.stepsToTarget()).toArray());
printf("steps to loss %.1f: adam %.0f (all %d seeds), sgd %s%n", TARGET, adamSteps, SEEDS, sgdNever ? "never" : String.format("%.0f", sgdSteps));
if (!(reached("adam") == SEEDS && adamSteps < sgdSteps)) throw new IllegalStateException("Adam did not reach the target on every seed before SGD");
printf("checked: no run diverged and all %d runs end below their start; Adam ends below SGD and momentum and reaches %.1f first, on every seed%n", names.size() * SEEDS, TARGET);
"""))

# --------------------------------------------------------------------------------------------- nd4j adam
add(md(r"""
## 7. Our Adam and ND4J's Adam on the same training run

`Optimizers.nd4j("adam", ...)` runs ND4J's own `org.nd4j.linalg.learning.config.Adam` (the updater DL4J networks
use) behind the same `Optimizer` interface (`descent.optim.Nd4jUpdater`). As section 4.7 says, ND4J adds $\epsilon$
to the uncorrected $\sqrt{v_t}$: it equals PyTorch's Adam with $\epsilon_t = \epsilon/\sqrt{1-\beta_2^t}$
(31.6 $\epsilon$ at $t = 1$), which no constant $\epsilon$ reproduces. So we compare with **$\epsilon = 0$ for both**,
where the two formulas are algebraically equal.

With $\epsilon = 0$ a gradient entry that has been exactly 0 so far gives $0/0$ in both, and ReLU produces such
entries (a unit inactive on a whole batch). So this run uses the same MLP with **tanh** in place of ReLU. `descent.nn`
has no `Tanh` layer; a layer is four methods, so we write one here — $y = \tanh x$, and backward
$\partial L/\partial x = \partial L/\partial y \odot (1 - y^2)$ — and check its backward against finite differences.
Both optimizers then train the same network from the same initial weights on the same batches for the same number
of steps as above, and we compare all parameters at the end.
"""))
add(code(r"""
/** y = tanh(x); backward: dL/dx = dL/dy * (1 - y^2). No parameters. */
class Tanh extends descent.nn.Layer {
    private INDArray y;
    public String describe() { return "Tanh"; }
    public long[] outputShape(long[] s) { return s.clone(); }
    public INDArray forward(INDArray x, boolean training) { y = Transforms.tanh(x, true); return y; }
    public INDArray backward(INDArray gradOut) { return gradOut.mul(y.mul(y).rsubi(1.0)); }
}
Sequential tanhMlp(long seed, int hidden) {
    return Sequential.input(2).add(new Linear(2, hidden)).add(new Tanh()).add(new Linear(hidden, 3))
            .dataType(DataType.DOUBLE).seed(seed).build();
}
// gradient check of a small tanh network (8 hidden units) on 20 points, through its flat parameter vector
Sequential gc = tanhMlp(3, 8);
INDArray xb = spirals.x().get(NDArrayIndex.interval(0, 20), NDArrayIndex.all()), yb = spirals.oneHot().get(NDArrayIndex.interval(0, 20), NDArrayIndex.all());
gc.backward(crossEntropy.gradient(gc.forward(xb, true), yb));
INDArray analytic = gc.grads().dup();
var check = descent.check.GradientCheck.check(p -> {
    INDArray keep = gc.params().dup();
    gc.params().assign(p);
    double l = crossEntropy.value(gc.forward(xb, true), yb);
    gc.params().assign(keep);
    return l;
}, gc.params().dup(), analytic);
System.out.println(check);
if (!(check.maxRelativeError() < 1e-6)) throw new IllegalStateException("Tanh backward is wrong: " + check);
System.out.println("checked: the tanh network's gradient agrees with central differences (relative error < 1e-6)");
"""))
add(code(r"""
INDArray trainWith(Optimizer opt) {
    Sequential net = tanhMlp(11, 64);
    Training t = train(opt, 11, EPOCHS, net);
    printf("%-10s final training loss %.6f%n", opt.name(), t.last());
    return net.params().dup();
}
Map<String, Double> adamOptions = Map.of("lr", 0.01, "beta1", 0.9, "beta2", 0.999, "eps", 0.0);
INDArray ours = trainWith(Optimizers.create("adam", adamOptions));
INDArray theirs = trainWith(Optimizers.nd4j("adam", adamOptions));
double adamDiff = ours.sub(theirs).amaxNumber().doubleValue();
printf("max |our params - ND4J params| after %d steps: %.2e%n", EPOCHS * 10, adamDiff);
if (!(adamDiff < 1e-9)) throw new IllegalStateException("our Adam and ND4J's Adam (eps = 0) differ by " + adamDiff);
printf("checked: with eps = 0, our Adam and ND4J's Adam give the same parameters to %.1e < 1e-9 after %d training steps%n", adamDiff, EPOCHS * 10);
"""))
add(md(r"""
With the default $\epsilon = 10^{-8}$ on both sides they are *different* optimizers; the next cell measures by how
much on the same run (no claim beyond "not identical": how much depends on the gradient sizes, since $\epsilon$
matters only where $\sqrt{v}$ is small).
"""))
add(code(r"""
Map<String, Double> adamDefaults = Map.of("lr", 0.01, "eps", 1e-8);
double epsDiff = trainWith(Optimizers.create("adam", adamDefaults)).sub(trainWith(Optimizers.nd4j("adam", adamDefaults))).amaxNumber().doubleValue();
printf("with eps = 1e-8 on both sides: max parameter difference %.2e%n", epsDiff);
if (!(epsDiff > 1e-9)) throw new IllegalStateException("expected a difference above 1e-9 with eps = 1e-8, got " + epsDiff);
System.out.println("checked: with eps = 1e-8 the two differ by more than 1e-9 (eps placement); with eps = 0 they agree");
"""))

# --------------------------------------------------------------------------------------------- nd4j table
add(md(r"""
## 8. ND4J's built-in updaters vs PyTorch, row by row

From the Javadoc of `descent.optim.Nd4jUpdater` (ND4J 1.0.0-M2.1 against `torch.optim` 1.13; update
$\theta \leftarrow \theta - u$):

| ND4J | what it computes | equals PyTorch's … | ND4J defaults (PyTorch's) |
|---|---|---|---|
| `Sgd` | $u = \gamma g$ | `SGD` | lr $10^{-3}$ (required) |
| `Nesterovs` | $v \leftarrow \mu v - \gamma g$, $u = \mu v_{\text{prev}} - (1+\mu) v$ | `SGD(nesterov=True)` while lr is constant; after an lr change ND4J's velocity still carries the old lr | lr 0.1, $\mu$ 0.9 |
| `AdaGrad` | $s$ starts at $10^{-6}$ (a constant of ND4J's updater, not its eps); $s \leftarrow s + g^2$, $u = \gamma g/(\sqrt{s} + \epsilon)$ | `Adagrad(initial_accumulator_value=1e-6)`; no lr_decay | lr 0.1, eps $10^{-6}$ (0.01, $10^{-10}$) |
| `RmsProp` | $v$ starts at $\epsilon$; $v \leftarrow \alpha v + (1-\alpha) g^2$, $u = \gamma g/(\sqrt{v} + \epsilon)$ | `RMSprop` only when eps = 0 (else differs, the difference decays like $\alpha^t$) | lr 0.1, $\alpha$ 0.95 (0.01, 0.99) |
| `AdaDelta` | no learning rate (fixed 1) | `Adadelta(lr=1)` | $\rho$ 0.95 (0.9) |
| `Adam` | $u = \gamma\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}\cdot\frac{m}{\sqrt{v}+\epsilon}$ | `Adam` with $\epsilon_t = \epsilon/\sqrt{1-\beta_2^t}$; equal when eps = 0 | same |
| `AMSGrad` | as Adam with $v^{\max}$ | `Adam(amsgrad=True)` when eps = 0 | same |
| `AdaMax` | $n \leftarrow \max(\beta_2 n, |g|) + 10^{-32}$, $u = \frac{\gamma}{1-\beta_1^t}\cdot\frac{m}{n}$; the eps option is ignored | `Adamax(eps=0)` | lr $10^{-3}$ ($2\cdot10^{-3}$) |
| `Nadam` | $u = \gamma\,\frac{\beta_1 m + (1-\beta_1) g}{1-\beta_1^t}\cdot\frac{1}{\sqrt{v}+\epsilon}$: constant $\mu = \beta_1$, no bias correction of $v$ | not PyTorch's `NAdam` for any settings | lr $10^{-3}$ ($2\cdot10^{-3}$) |

The defaults in the last column are checked first (`Optimizers.nd4j(name).options()` against
`Optimizers.defaults(name)`). Then each row is checked on 20 steps of the same random parameters and gradients (a $3\times4$ array, gradients
drawn from a seeded normal distribution and fed identically to both sides), comparing ND4J's updater with ours
configured as the "equals" column says.
"""))
add(code(r"""
// The defaults column: ND4J's (through Nd4jUpdater) and ours (PyTorch's, except SGD's lr and momentum, see Optimizers)
record Defaults(String name, Map<String, Double> nd4j, Map<String, Double> torch) {}
List<Defaults> expectedDefaults = List.of(
        new Defaults("sgd", Map.of("lr", 1e-3), Map.of()),
        new Defaults("nesterov", Map.of("lr", 0.1, "momentum", 0.9), Map.of()),
        new Defaults("adagrad", Map.of("lr", 0.1, "eps", 1e-6), Map.of("lr", 0.01, "eps", 1e-10)),
        new Defaults("rmsprop", Map.of("lr", 0.1, "alpha", 0.95), Map.of("lr", 0.01, "alpha", 0.99)),
        new Defaults("adadelta", Map.of("rho", 0.95), Map.of("rho", 0.9)),
        new Defaults("adam", Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8), Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8)),
        new Defaults("amsgrad", Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8), Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8)),
        new Defaults("adamax", Map.of("lr", 1e-3), Map.of("lr", 2e-3)),
        new Defaults("nadam", Map.of("lr", 1e-3), Map.of("lr", 2e-3)));
for (Defaults d : expectedDefaults) {
    Map<String, Double> nd = Optimizers.nd4j(d.name()).options(), ours = Optimizers.defaults(d.name());
    d.nd4j().forEach((k, v) -> { if (!v.equals(nd.get(k))) throw new IllegalStateException("ND4J " + d.name() + " default " + k + " = " + nd.get(k) + ", table says " + v); });
    d.torch().forEach((k, v) -> { if (!v.equals(ours.get(k))) throw new IllegalStateException("torch " + d.name() + " default " + k + " = " + ours.get(k) + ", table says " + v); });
}
System.out.println("checked: the defaults column (ND4J's and PyTorch's) for all " + expectedDefaults.size() + " rows");

/** Max |a - b| over 20 steps of both optimizers fed the same gradients; lrAt10 > 0 changes lr at step 10. */
double compare(Optimizer a, Optimizer b, double lrAt10) {
    Nd4j.getRandom().setSeed(99);
    INDArray pa = Nd4j.randn(DataType.DOUBLE, 3, 4), pb = pa.dup();
    double worst = 0;
    for (int t = 1; t <= 20; t++) {
        if (t == 10 && lrAt10 > 0) { a.setLr(lrAt10); b.setLr(lrAt10); }
        INDArray g = Nd4j.randn(DataType.DOUBLE, 3, 4);
        a.step(pa, g);
        b.step(pb, g);
        worst = Math.max(worst, pa.sub(pb).amaxNumber().doubleValue());
    }
    return worst;
}
Optimizer nd4j(String n, Object... kv) { return Optimizers.nd4j(n, options(kv)); }
Optimizer ours(String n, Object... kv) { return Optimizers.create(n, options(kv)); }
Map<String, Double> options(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    return m;
}
List<String[]> rows = new ArrayList<>();
void same(String row, double diff) {
    if (!(diff < 1e-12)) throw new IllegalStateException(row + ": expected equal, max difference " + diff);
    rows.add(new String[] {row, "equal", String.format("%.1e", diff)});
}
void differ(String row, double diff) {
    if (!(diff > 1e-9)) throw new IllegalStateException(row + ": expected a difference, got " + diff);
    rows.add(new String[] {row, "differ", String.format("%.1e", diff)});
}
same("Sgd = SGD", compare(nd4j("sgd", "lr", 0.1), ours("sgd", "lr", 0.1), 0));
same("Nesterovs = SGD(nesterov) at constant lr", compare(nd4j("nesterov", "lr", 0.1, "momentum", 0.9), ours("nesterov", "lr", 0.1, "momentum", 0.9), 0));
differ("Nesterovs vs SGD(nesterov) after an lr change", compare(nd4j("nesterov", "lr", 0.1, "momentum", 0.9), ours("nesterov", "lr", 0.1, "momentum", 0.9), 0.01));
same("AdaGrad = Adagrad(initial_accumulator_value=1e-6)", compare(nd4j("adagrad", "lr", 0.1, "eps", 1e-6), ours("adagrad", "lr", 0.1, "eps", 1e-6, "initial_accumulator_value", 1e-6), 0));
differ("AdaGrad vs Adagrad(initial_accumulator_value=0)", compare(nd4j("adagrad", "lr", 0.1, "eps", 1e-6), ours("adagrad", "lr", 0.1, "eps", 1e-6), 0));
same("RmsProp = RMSprop when eps = 0", compare(nd4j("rmsprop", "lr", 0.01, "alpha", 0.95, "eps", 0), ours("rmsprop", "lr", 0.01, "alpha", 0.95, "eps", 0), 0));
differ("RmsProp vs RMSprop with eps = 1e-4", compare(nd4j("rmsprop", "lr", 0.01, "alpha", 0.95, "eps", 1e-4), ours("rmsprop", "lr", 0.01, "alpha", 0.95, "eps", 1e-4), 0));
same("AdaDelta = Adadelta(lr=1)", compare(nd4j("adadelta", "rho", 0.95, "eps", 1e-6), ours("adadelta", "lr", 1, "rho", 0.95, "eps", 1e-6), 0));
same("Adam = Adam when eps = 0", compare(nd4j("adam", "lr", 0.01, "eps", 0), ours("adam", "lr", 0.01, "eps", 0), 0));
differ("Adam vs Adam with eps = 1e-3", compare(nd4j("adam", "lr", 0.01, "eps", 1e-3), ours("adam", "lr", 0.01, "eps", 1e-3), 0));
same("AMSGrad = Adam(amsgrad) when eps = 0", compare(nd4j("amsgrad", "lr", 0.01, "eps", 0), ours("amsgrad", "lr", 0.01, "eps", 0), 0));
same("AdaMax(eps=0.1) = Adamax(eps=0): eps ignored", compare(nd4j("adamax", "lr", 0.01, "eps", 0.1), ours("adamax", "lr", 0.01, "eps", 0), 0));
differ("Nadam vs NAdam (defaults of both but lr 0.01)", compare(nd4j("nadam", "lr", 0.01), ours("nadam", "lr", 0.01), 0));
System.out.println("checked: " + rows.size() + " rows");
Table.create("ND4J updater vs our (PyTorch) rule, 20 steps, 3x4 parameters",
        StringColumn.create("row", rows.stream().map(r -> r[0]).toList()),
        StringColumn.create("expected", rows.stream().map(r -> r[1]).toList()),
        StringColumn.create("max |difference| of parameters", rows.stream().map(r -> r[2]).toList()))
""", tags=["expect-table"]))
add(md(r"""
Two rows need a formula rather than our class: ND4J's Adam at $t = 1$ with $\epsilon > 0$ equals PyTorch's with
$\epsilon_1 = \epsilon/\sqrt{1-\beta_2}$, and ND4J's Nadam follows the formula in the table (computed here by hand
in plain doubles, for one coordinate and 20 steps).
"""))
add(code(r"""
double compareOneStep(Optimizer a, Optimizer b) {
    Nd4j.getRandom().setSeed(5);
    INDArray pa = Nd4j.randn(DataType.DOUBLE, 3, 4), pb = pa.dup(), g = Nd4j.randn(DataType.DOUBLE, 3, 4);
    a.step(pa, g); b.step(pb, g);
    return pa.sub(pb).amaxNumber().doubleValue();
}
double eps1 = 1e-3;
same("Adam at t = 1 = Adam(eps = eps/sqrt(1 - beta2)) at t = 1", compareOneStep(nd4j("adam", "lr", 0.01, "eps", eps1), ours("adam", "lr", 0.01, "eps", eps1 / Math.sqrt(1 - 0.999))));
// ND4J Nadam by its documented formula: m, v as in Adam; u = lr (b1 m + (1 - b1) g) / (1 - b1^t) / (sqrt(v) + eps)
Optimizer nadam4j = nd4j("nadam", "lr", 0.01, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8);
INDArray pn = Nd4j.createFromArray(0.5);
double p = 0.5, m = 0, vv = 0, worstNadam = 0;
Random gr = new Random(8);
for (int t = 1; t <= 20; t++) {
    double g = gr.nextGaussian();
    nadam4j.step(pn, Nd4j.createFromArray(g));
    m = 0.9 * m + 0.1 * g;
    vv = 0.999 * vv + 0.001 * g * g;
    p -= 0.01 * (0.9 * m + 0.1 * g) / (1 - Math.pow(0.9, t)) / (Math.sqrt(vv) + 1e-8);
    worstNadam = Math.max(worstNadam, Math.abs(p - pn.getDouble(0)));
}
same("Nadam = the table's formula", worstNadam);
System.out.println("checked: all " + rows.size() + " rows of the ND4J table hold");
"""))

add(md(r"""
## Summary

* Eleven rules, each one class of `descent.optim` written as PyTorch writes it; where PyTorch departs from the
  textbook (Nesterov's stored look-ahead point, Adam's $\epsilon$ after bias correction, Adadelta's added `lr`,
  AdamW's decay tied to `lr`, NAdam's momentum schedule) the notebook says so, and checks what it can.
* On 2-D surfaces, SGD is held back by the steepest curvature; momentum and Nesterov accelerate along valleys;
  dividing by $\sqrt{v}$ (Adagrad, RMSprop, Adam and friends) equalises the coordinates and escapes saddles fast.
* On a real network, each with a tuned rate, Adam beats plain SGD and SGD with momentum here; the rest of the
  ranking moves with the training budget — the table in section 6 is a comparison for this problem, not a general
  ranking.
* ND4J's built-in updaters are *not* drop-in equivalents of PyTorch's: section 8 lists every difference, each
  checked.

Next: **05 — schedules and clipping**, where the learning rate itself changes during training.
"""))

write("notebooks/04-optimizers.ipynb", cells)
