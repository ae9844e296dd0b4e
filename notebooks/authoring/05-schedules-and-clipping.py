import sys; sys.path.insert(0, "tools")
from nbtools import md, code, write

write("notebooks/05-schedules-and-clipping.ipynb", [
md(r"""
# 05 — Learning-rate schedules and gradient clipping

Notebook 03 ended with two facts about a constant learning rate $\eta$: with noisy (mini-batch) gradients it stalls
on a **noise floor** whose height grows with $\eta$, and above a threshold it **diverges**. This notebook adds the two
standard tools that deal with them:

1. **learning-rate schedules**, which change $\eta$ during training (large early to make progress, small late to get
   under the noise floor): step decay, exponential decay, cosine annealing, linear warm-up then cosine, one-cycle;
2. **gradient clipping**, which caps the size of a step when the gradient explodes: by value, and by global norm.

The model is a small multilayer perceptron (`descent.nn`), trained on seeded 2-D data; every claim below is checked
by a cell that throws if it is false.
"""),
code(r"""
import descent.*;
import descent.check.GradientCheck;
import descent.data.Synthetic;
import descent.loss.Loss;
import descent.loss.Losses;
import descent.nn.Layer;
import descent.nn.Linear;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.optim.Clip;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import descent.optim.schedule.*;
import descent.plot.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.*;
import java.util.*;
import java.util.function.*;

// printf that returns nothing (System.out.printf returns the stream, which a notebook would display)
void printf(String format, Object... args) { System.out.print(String.format(Locale.ROOT, format, args)); }
System.out.println("profile: " + Profile.current().id());
"""),
md(r"""
## 1. Five schedules

A schedule is a function $\eta(t)$ of the step $t = 0, 1, \dots, T-1$. With base (or peak) rate $\eta_0$:

| schedule | $\eta(t)$ | here |
|---|---|---|
| constant | $\eta_0$ | the baseline |
| step decay | $\eta_0\,\gamma^{\lfloor t/s\rfloor}$ | $\gamma = 0.1$ every $s = T/3$ steps |
| exponential | $\eta_0\,\gamma^{t}$ | $\gamma = 0.01^{1/T}$: down to 1% at the end |
| cosine annealing | $\eta_{\min} + (\eta_0-\eta_{\min})\,\frac{1 + \cos(\pi t/T)}{2}$ | $\eta_{\min} = 0$ |
| linear warm-up, then cosine | $\eta_0\big(f + (1-f)\,t/w\big)$ for $t < w$, then cosine over the remaining $T - w$ steps | $w = T/10$, $f = 0.01$ |
| one-cycle | up from $\eta_0/25$ to $\eta_0$ over the first 30% of the steps, then down to $\eta_0/(25\cdot 10^4)$, both halves along a cosine | PyTorch's defaults |

Decay lets the early steps be large and the late ones small. Warm-up starts small because the first gradients of a
freshly initialised network can be large and misleading (and, for Adam, its running averages are not yet
meaningful); one-cycle combines a warm-up with a long decay.

The library (`descent.optim.schedule.LrSchedule`, matched against PyTorch's `lr_scheduler` in its tests) provides all
of them. Here each formula from the table is also written out in Java, and the next cell checks that the library
computes exactly these formulas.
"""),
code(r"""
double baseLr = 0.2;
int epochs = 30, batch = 30, trainSize = 300;
int stepsPerEpoch = (trainSize + batch - 1) / batch, T = epochs * stepsPerEpoch;     // T = 300 steps of training
int warmup = T / 10;

Map<String, LrSchedule> schedules = new LinkedHashMap<>();
schedules.put("constant", LrSchedule.constant(baseLr));
schedules.put("step (×0.1 every T/3)", LrSchedule.step(baseLr, T / 3, 0.1));
schedules.put("exponential (to 1%)", LrSchedule.exponential(baseLr, Math.pow(0.01, 1.0 / T)));
schedules.put("cosine", LrSchedule.cosine(baseLr, T, 0.0));
schedules.put("warm-up + cosine", LrSchedule.warmup(warmup, 0.01, LrSchedule.cosine(baseLr, T - warmup, 0.0)));
schedules.put("one-cycle", LrSchedule.oneCycle(baseLr, T));

// The same formulas, written out:
double cosineFrom(double from, double to, double pct) { return to + (from - to) * (1 + Math.cos(Math.PI * pct)) / 2; }
double oneCycleFormula(int t) {
    double initial = baseLr / 25, last = initial / 1e4, peakAt = 0.3 * T - 1;
    return t <= peakAt ? cosineFrom(initial, baseLr, t / peakAt) : cosineFrom(baseLr, last, (t - peakAt) / (T - 1 - peakAt));
}
Map<String, IntToDoubleFunction> formulas = new LinkedHashMap<>();
formulas.put("constant", t -> baseLr);
formulas.put("step (×0.1 every T/3)", t -> baseLr * Math.pow(0.1, Math.floor(t / (T / 3))));
formulas.put("exponential (to 1%)", t -> baseLr * Math.pow(Math.pow(0.01, 1.0 / T), t));
formulas.put("cosine", t -> cosineFrom(baseLr, 0.0, (double) t / T));
formulas.put("warm-up + cosine", t -> t < warmup ? baseLr * (0.01 + 0.99 * t / warmup) : cosineFrom(baseLr, 0.0, (double) (t - warmup) / (T - warmup)));
formulas.put("one-cycle", t -> oneCycleFormula(t));

double worst = 0;
for (String name : schedules.keySet())
    for (int t = 0; t < T; t++) worst = Math.max(worst, Math.abs(schedules.get(name).lr(t) - formulas.get(name).applyAsDouble(t)));
if (!(worst < 1e-12)) throw new IllegalStateException("a library schedule differs from its formula by " + worst);
printf("checked: all %d library schedules equal the formulas above at every step t < %d (largest difference %.1e < 1e-12)%n",
        schedules.size(), T, worst);
"""),
code(r"""
double[] stepAxis = new double[T];
for (int t = 0; t < T; t++) stepAxis[t] = t;
LinePlot scheduleChart = Plots.line("Learning-rate schedules (base / peak lr 0.2, T = " + T + " steps)", "step t", "learning rate η(t)");
for (var e : schedules.entrySet()) scheduleChart.series(e.getKey(), stepAxis, e.getValue().values(T));
scheduleChart.legendOutside().size(900, 420)
""", tags=["expect-image"]),
md(r"""
On a log axis the small values late in training are visible too: exponential decay is a straight line, step decay a
staircase, and one-cycle ends four orders of magnitude below its start.
"""),
code(r"""
LinePlot scheduleLog = Plots.line("The same schedules, log scale", "step t", "learning rate η(t) (log)");
for (var e : schedules.entrySet()) scheduleLog.series(e.getKey(), stepAxis, e.getValue().values(T));
scheduleLog.logY().legendOutside().size(900, 420)
""", tags=["expect-image"]),
md(r"""
## 2. The network

`descent.nn.Sequential` stacks layers with hand-written forward and backward passes (`Linear`: $z = aW^\top + b$;
`ReLU`) and keeps **all parameters in one flat vector** `net.params()`, and all gradients, in the same layout, in
`net.grads()`. One optimizer step is therefore `optimizer.step(net.params(), net.grads())`, and "all gradients
together" (which clipping by global norm needs) is literally one vector.

The loss is the mean cross-entropy of the softmax of the logits; `descent.loss` gives its value and its gradient
with respect to the logits, which `net.backward` propagates through the layers.

Initialisation matters in this notebook, so we set it explicitly: every weight matrix $W \sim \mathcal N(0, g^2/\text{fan-in})$
with a **gain** $g$, biases 0. $g = \sqrt 2$ is He initialisation, which keeps the size of the activations
constant from layer to layer in a relu network.
"""),
code(r"""
Loss crossEntropy = Losses.create("cross_entropy");

/** Linear -> ReLU -> ... -> Linear, in double precision, weights N(0, gain^2 / fan_in), biases 0. */
Sequential mlp(int[] sizes, double gain, long seed) {
    Sequential.Builder builder = Sequential.input(sizes[0]);
    for (int l = 0; l + 1 < sizes.length; l++) {
        builder.add(new Linear(sizes[l], sizes[l + 1]));
        if (l + 2 < sizes.length) builder.add(new ReLU());                 // no relu after the last layer: logits
    }
    Sequential net = builder.dataType(DataType.DOUBLE).seed(seed).build();
    Nd4j.getRandom().setSeed(seed);
    for (Layer layer : net.layers())
        if (layer instanceof Linear linear) {
            INDArray w = linear.weight();                                   // [out, in], a view into net.params()
            w.assign(Nd4j.randn(DataType.DOUBLE, w.shape()).muli(gain / Math.sqrt(w.size(1))));
            linear.bias().assign(0.0);
        }
    return net;
}
double lossAndGradients(Sequential net, INDArray x, INDArray oneHot) {     // forward, loss, backward: fills net.grads()
    INDArray logits = net.forward(x, true);
    double loss = crossEntropy.value(logits, oneHot);
    net.backward(crossEntropy.gradient(logits, oneHot));
    return loss;
}
double loss(Sequential net, INDArray x, INDArray oneHot) { return crossEntropy.value(net.predict(x), oneHot); }
double accuracy(Sequential net, INDArray x, INDArray labels) {
    INDArray predicted = net.predict(x).argMax(1).castTo(DataType.DOUBLE).reshape(labels.shape());
    return predicted.eq(labels).castTo(DataType.DOUBLE).meanNumber().doubleValue();
}
mlp(new int[] {2, 32, 32, 3}, Math.sqrt(2), 1).summary()
""", tags=["expect-table"]),
md(r"""
Before training with it, one check that the pieces fit together (forward, our loss's gradient, the library's
backward): `GradientCheck` compares `net.grads()` with central finite differences
$\big(L(\theta + \epsilon e_i) - L(\theta - \epsilon e_i)\big)/2\epsilon$ for every parameter of a small network. (The probe
data are two noisy moons rather than spirals: every spiral starts exactly at the origin, where with zero biases the
pre-activations are exactly 0, the kink of relu, and a finite difference across a kink is meaningless.)
"""),
code(r"""
Synthetic.Classification probe = Synthetic.twoMoons(20, 0.1, 99);
Sequential small = mlp(new int[] {2, 6, 5, 2}, Math.sqrt(2), 1);
lossAndGradients(small, probe.x(), probe.oneHot());
INDArray analytic = small.grads().dup(), theta = small.params().dup();
Function<INDArray, Double> lossAt = p -> {                  // the loss as a function of the flat parameter vector
    small.params().assign(p);
    double v = loss(small, probe.x(), probe.oneHot());
    small.params().assign(theta);
    return v;
};
GradientCheck.Result check = GradientCheck.check(lossAt, theta, analytic);
if (!(check.maxRelativeError() < 1e-6)) throw new IllegalStateException("gradients disagree with finite differences: " + check);
printf("checked: all %d gradients match finite differences (largest relative error %.1e < 1e-6)%n", small.numParams(), check.maxRelativeError());
"""),
md(r"""
## 3. The same training run under each schedule

Three interleaved spirals (`Synthetic.spirals`, 300 training points, a separate seeded test set of 600), a
$2 \to 32 \to 32 \to 3$ relu network with He initialisation, mini-batches of 30, SGD with momentum 0.9
(`Optimizers.create("momentum", ...)`), 30 epochs = 300 steps. Only the learning-rate schedule changes: before every
step, `schedule.applyTo(optimizer, t)` sets $\eta(t)$. Same data, same initial weights, same batch order.
"""),
code(r"""
Synthetic.Classification spirals = Synthetic.spirals(trainSize, 3, 0.2, 1);
Synthetic.Classification spiralsTest = Synthetic.spirals(600, 3, 0.2, 2);

record Training(String schedule, long seed, double[] epochLoss, double finalLoss, double trainAccuracy, double testAccuracy, int divergedAt) {}

Training train(String name, LrSchedule schedule, long seed) {
    Sequential net = mlp(new int[] {2, 32, 32, 3}, Math.sqrt(2), seed);
    Optimizer optimizer = Optimizers.create("momentum", Map.of("lr", baseLr, "momentum", 0.9));
    Random rng = new Random(seed);
    int n = spirals.size();
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    double[] epochLoss = new double[epochs + 1];
    epochLoss[0] = loss(net, spirals.x(), spirals.oneHot());
    int t = 0;
    for (int e = 1; e <= epochs; e++) {
        for (int i = n - 1; i > 0; i--) { int j = rng.nextInt(i + 1), tmp = order[i]; order[i] = order[j]; order[j] = tmp; }
        INDArray xs = Nd4j.pullRows(spirals.x(), 1, order), ys = Nd4j.pullRows(spirals.oneHot(), 1, order);
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(from + batch, n);
            schedule.applyTo(optimizer, t);                                          // lr <- eta(t)
            lossAndGradients(net, xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                                  ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            optimizer.step(net.params(), net.grads());
            t++;
        }
        epochLoss[e] = loss(net, spirals.x(), spirals.oneHot());                    // full training loss after the epoch
        if (!(epochLoss[e] <= 1e6))                                                  // NaN or > 1e6: report, keep the finite prefix
            return new Training(name, seed, Arrays.stream(epochLoss, 0, e).toArray(), Double.NaN, Double.NaN, Double.NaN, e);
    }
    return new Training(name, seed, epochLoss, epochLoss[epochs], accuracy(net, spirals.x(), spirals.labels()),
                        accuracy(net, spiralsTest.x(), spiralsTest.labels()), -1);
}

List<Long> seeds = Profile.pick(List.of(1L), List.of(1L, 2L), List.of(1L, 2L, 3L));
// the smoke profile (what CI runs) trains three of the six schedules; the others train all six
List<String> trained = Profile.pick(List.of("constant", "cosine", "warm-up + cosine"), List.copyOf(schedules.keySet()), List.copyOf(schedules.keySet()));
List<Training> runs = new ArrayList<>();
for (long seed : seeds)
    for (String name : trained) runs.add(train(name, schedules.get(name), seed));
for (Training r : runs) if (r.divergedAt() >= 0) System.out.println(r.schedule() + ", seed " + r.seed() + ": diverged in epoch " + r.divergedAt() + " (loss > 1e6 or NaN)");
printf("%d runs: %d schedules × %d seed(s) %s%n", runs.size(), trained.size(), seeds.size(), seeds);
"""),
code(r"""
// one row per schedule: the mean over the seeds run in this profile
double mean(String schedule, ToDoubleFunction<Training> field) {
    return runs.stream().filter(r -> r.schedule().equals(schedule)).mapToDouble(field).average().getAsDouble();
}
String[] names = trained.toArray(String[]::new);
Table scheduleTable = Table.create("Spirals, 300 steps of SGD + momentum, mean over " + seeds.size() + " seed(s)",
        StringColumn.create("schedule", names),
        DoubleColumn.create("final training loss (cross-entropy)", Arrays.stream(names).mapToDouble(s -> mean(s, Training::finalLoss)).toArray()),
        DoubleColumn.create("training accuracy (fraction)", Arrays.stream(names).mapToDouble(s -> mean(s, Training::trainAccuracy)).toArray()),
        DoubleColumn.create("test accuracy (fraction)", Arrays.stream(names).mapToDouble(s -> mean(s, Training::testAccuracy)).toArray()),
        DoubleColumn.create("lr at the last step", Arrays.stream(names).mapToDouble(s -> schedules.get(s).lr(T - 1)).toArray()));
scheduleTable
""", tags=["expect-table"]),
code(r"""
double[] epochAxis = java.util.stream.IntStream.rangeClosed(0, epochs).asDoubleStream().toArray();
LinePlot lossChart = Plots.line("Training loss under each schedule (seed " + seeds.get(0) + ")", "epoch", "training loss (cross-entropy, log)");
for (Training r : runs) if (r.seed() == seeds.get(0))
    lossChart.series(r.schedule(), Arrays.copyOf(epochAxis, r.epochLoss().length), r.epochLoss());
lossChart.logY().legendOutside().size(900, 420)
""", tags=["expect-image"]),
md(r"""
With the constant rate the loss keeps jumping around until the end: the steps stay large, so the parameters rattle
around the bottom of the valley (notebook 03's noise floor). Every decaying schedule lowers $\eta$ towards the end and
calms down. The three schedules that decay smoothly to (almost) zero at the end, cosine, warm-up + cosine and
one-cycle, also end with a lower training loss than the constant rate. Warm-up and one-cycle start slowly (their first
steps are tiny: after one epoch they are behind plain cosine annealing). Step and exponential decay cut the rate
early (to a tenth after a third of the run, or steadily from the first step), which makes them more sensitive to that
choice: compare them in the table. Checked for every seed and schedule trained in this profile:
"""),
code(r"""
double lastTenRatio(Training r) {                    // max / min of the training loss over the last ten epochs
    double[] tail = Arrays.copyOfRange(r.epochLoss(), r.epochLoss().length - 10, r.epochLoss().length);
    return Arrays.stream(tail).max().getAsDouble() / Arrays.stream(tail).min().getAsDouble();
}
for (long seed : seeds) {
    Map<String, Training> bySchedule = new HashMap<>();
    runs.stream().filter(r -> r.seed() == seed).forEach(r -> bySchedule.put(r.schedule(), r));
    Training constant = bySchedule.get("constant");
    if (constant.divergedAt() >= 0 || !(lastTenRatio(constant) > 2))
        throw new IllegalStateException("seed " + seed + ": the constant lr's loss does not vary by 2x over the last ten epochs: " + lastTenRatio(constant));
    for (Training r : bySchedule.values()) {
        if (r == constant) continue;
        if (r.divergedAt() >= 0 || !(lastTenRatio(r) < lastTenRatio(constant)))
            throw new IllegalStateException("seed " + seed + ": " + r.schedule() + " is not calmer than the constant lr at the end: " + lastTenRatio(r));
        boolean smooth = List.of("cosine", "warm-up + cosine", "one-cycle").contains(r.schedule());
        if (smooth && !(r.finalLoss() < constant.finalLoss()))
            throw new IllegalStateException("seed " + seed + ": " + r.schedule() + " does not end below the constant lr: " + r.finalLoss() + " vs " + constant.finalLoss());
    }
    for (String slowStart : List.of("warm-up + cosine", "one-cycle"))
        if (bySchedule.containsKey(slowStart) && !(bySchedule.get(slowStart).epochLoss()[1] > bySchedule.get("cosine").epochLoss()[1]))
            throw new IllegalStateException("seed " + seed + ": " + slowStart + " is not behind cosine after one epoch");
    printf("checked: seed %d: over the last ten epochs the constant lr's loss varies by %.1fx, each of the %d decaying schedules' by less; cosine-shaped schedules end below the constant lr's loss %.4f; warm-up schedules are behind cosine after one epoch%n",
            seed, lastTenRatio(constant), bySchedule.size() - 1, constant.finalLoss());
}
"""),
md(r"""
Which decaying schedule is best depends on the problem, the initialisation and the budget. What the good ones share
is the late small learning rate. The schedule is a hyper-parameter like any other
(notebook 08).

## 4. Exploding gradients, and clipping

Now a network that is hard to train: **ten** hidden relu layers of width 16 on the two-moons data, initialised with gain
$g = 2.5$ instead of He's $\sqrt 2 \approx 1.41$. Each layer then multiplies the size of the activations by about
$g/\sqrt 2 \approx 1.8$, so after ten layers the logits, and the gradients, are hundreds to thousands of times too large.
Plain SGD with $\eta = 0.2$, full batch, 200 steps.

We track the **global gradient norm**, the norm of all gradients together as if they were one long vector,

$$\lVert g\rVert = \sqrt{\textstyle\sum_i \lVert g_i\rVert^2},$$

which for `net.grads()` (already one long vector) is simply its 2-norm. We compare three ways of handling it before the step (PyTorch's `clip_grad_value_` and `clip_grad_norm_`):

* **no clipping**;
* **clip by value** $c$: every entry is clamped to $[-c, c]$ (`Clip.byValue(grads, 0.1)`). This changes the direction of the step;
* **clip by global norm** $m$: if $\lVert g\rVert > m$, every gradient is scaled by $m/\lVert g\rVert$ (`Clip.byGlobalNorm(1.0, grads)`). The
  direction is kept and only the length is capped, so a step can never be longer than $\eta\, m$.

A fourth run fixes the cause instead: He initialisation, no clipping.
"""),
code(r"""
Synthetic.Classification moons = Synthetic.twoMoons(200, 0.1, 1);
int depth = 10, width = 16, deepSteps = 200;
int[] deepSizes = new int[depth + 2];
Arrays.fill(deepSizes, width); deepSizes[0] = 2; deepSizes[depth + 1] = 2;

double globalNorm(INDArray grads) { return grads.norm2Number().doubleValue(); }     // NaN or infinity if a gradient is

record ClipRun(String name, long seed, double[] loss, double[] gradNorm, int divergedAt, double accuracy) {}

ClipRun trainDeep(String name, double gain, String clip, long seed) {
    Sequential net = mlp(deepSizes, gain, seed);
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.2));
    List<Double> losses = new ArrayList<>(), norms = new ArrayList<>();
    for (int t = 0; t < deepSteps; t++) {
        double loss = lossAndGradients(net, moons.x(), moons.oneHot());
        double norm = globalNorm(net.grads());                       // before clipping
        boolean diverged = !(loss <= 1e6) || !Double.isFinite(norm);  // NaN, infinite or > 1e6
        if (Double.isFinite(loss) && Double.isFinite(norm)) { losses.add(loss); norms.add(norm); }
        if (diverged)
            return new ClipRun(name, seed, losses.stream().mapToDouble(v -> v).toArray(), norms.stream().mapToDouble(v -> v).toArray(), t, Double.NaN);
        if (clip.equals("value")) Clip.byValue(net.grads(), 0.1);
        if (clip.equals("norm")) Clip.byGlobalNorm(1.0, net.grads());
        sgd.step(net.params(), net.grads());
    }
    losses.add(loss(net, moons.x(), moons.oneHot()));
    return new ClipRun(name, seed, losses.stream().mapToDouble(v -> v).toArray(), norms.stream().mapToDouble(v -> v).toArray(), -1,
                       accuracy(net, moons.x(), moons.labels()));
}

List<Long> deepSeeds = Profile.pick(List.of(5L), List.of(5L, 6L, 7L), List.of(5L, 6L, 7L));
List<ClipRun> clipRuns = new ArrayList<>();
for (long seed : deepSeeds) {
    clipRuns.add(trainDeep("gain 2.5, no clipping", 2.5, "none", seed));
    clipRuns.add(trainDeep("gain 2.5, clip by value 0.1", 2.5, "value", seed));
    clipRuns.add(trainDeep("gain 2.5, clip by global norm 1.0", 2.5, "norm", seed));
    clipRuns.add(trainDeep("He init (gain √2), no clipping", Math.sqrt(2), "none", seed));
}
double lateLoss(ClipRun r) {                                // mean loss over the last 20 steps: one spike does not decide
    double[] l = r.loss();
    return Arrays.stream(l, Math.max(0, l.length - 20), l.length).average().getAsDouble();
}
String outcome(ClipRun r) {
    return r.divergedAt() >= 0 ? "diverged at step " + r.divergedAt() + " (loss > 1e6 or NaN)"
                               : String.format(Locale.ROOT, "trained %d steps", deepSteps);
}
Table clipTable = Table.create("Ten-layer relu network on two moons, SGD lr 0.2, " + deepSteps + " steps",
        StringColumn.create("run", clipRuns.stream().map(ClipRun::name).toArray(String[]::new)),
        IntColumn.create("seed", clipRuns.stream().mapToInt(r -> (int) r.seed()).toArray()),
        StringColumn.create("outcome", clipRuns.stream().map(r -> outcome(r)).toArray(String[]::new)),
        DoubleColumn.create("gradient norm at step 0", clipRuns.stream().mapToDouble(r -> r.gradNorm()[0]).toArray()),
        DoubleColumn.create("largest gradient norm", clipRuns.stream().mapToDouble(r -> Arrays.stream(r.gradNorm()).max().getAsDouble()).toArray()),
        DoubleColumn.create("last finite loss (cross-entropy)", clipRuns.stream().mapToDouble(r -> r.loss()[r.loss().length - 1]).toArray()),
        DoubleColumn.create("mean loss, last 20 steps", clipRuns.stream().mapToDouble(r -> r.divergedAt() >= 0 ? Double.NaN : lateLoss(r)).toArray()),
        DoubleColumn.create("accuracy (fraction)", clipRuns.stream().mapToDouble(ClipRun::accuracy).toArray()));
clipTable
""", tags=["expect-table"]),
md(r"""
The global gradient norm at every step, before clipping (first seed; log axis). The run without clipping
stops where it diverged: only its finite prefix is drawn.
"""),
code(r"""
LinePlot normChart = Plots.line("Global gradient norm per step (before clipping), seed " + deepSeeds.get(0), "step t", "‖g‖ (log)");
for (ClipRun r : clipRuns) if (r.seed() == deepSeeds.get(0))
    normChart.series(r.name() + (r.divergedAt() >= 0 ? " — diverged at step " + r.divergedAt() : ""),
                     java.util.stream.IntStream.range(0, r.gradNorm().length).asDoubleStream().toArray(), r.gradNorm());
normChart.logY().legendOutside().size(960, 420)
""", tags=["expect-image"]),
code(r"""
LinePlot clipLoss = Plots.line("Training loss per step, seed " + deepSeeds.get(0), "step t", "training loss (cross-entropy, log)");
for (ClipRun r : clipRuns) if (r.seed() == deepSeeds.get(0))
    clipLoss.series(r.name() + (r.divergedAt() >= 0 ? " — diverged at step " + r.divergedAt() : ""),
                    java.util.stream.IntStream.range(0, r.loss().length).asDoubleStream().toArray(), r.loss());
clipLoss.logY().legendOutside().size(960, 420)
""", tags=["expect-image"]),
md(r"""
What happened, checked below for every seed run in this profile:

* with gain 2.5 the very first gradient is more than 100 times larger than with He initialisation;
* without clipping, the first step is so large that the loss explodes past $10^6$ (or to NaN) within five steps;
* both kinds of clipping survive those first steps and train the network: over the last 20 steps the training loss
  averages below 0.25, from a first loss above 10 (a network that knows nothing, predicting ½–½, has $\log 2 \approx 0.69$);
* He initialisation gets there too (below 0.25) without any clipping: clipping is a safety net, a good initialisation (or
  normalisation, notebook 07) removes the cause.
"""),
code(r"""
for (long seed : deepSeeds) {
    List<ClipRun> mine = clipRuns.stream().filter(r -> r.seed() == seed).toList();
    ClipRun none = mine.get(0), byValue = mine.get(1), byNorm = mine.get(2), he = mine.get(3);
    if (!(none.gradNorm()[0] > 100 * he.gradNorm()[0]))
        throw new IllegalStateException("seed " + seed + ": first gradient norm " + none.gradNorm()[0] + " is not 100x He's " + he.gradNorm()[0]);
    if (!(none.divergedAt() >= 0 && none.divergedAt() <= 5))
        throw new IllegalStateException("seed " + seed + ": the unclipped run did not diverge within 5 steps: " + outcome(none));
    for (ClipRun r : List.of(byValue, byNorm, he))
        if (r.divergedAt() >= 0 || !(lateLoss(r) < 0.25))
            throw new IllegalStateException("seed " + seed + ": " + r.name() + " did not train below 0.25: " + outcome(r) + ", late loss " + lateLoss(r));
    if (!(byValue.loss()[0] > 10 && byNorm.loss()[0] > 10))
        throw new IllegalStateException("seed " + seed + ": the gain-2.5 network's first loss is not above 10: " + byValue.loss()[0]);
    printf("checked: seed %d: first gradient norm %.0f > 100 × He's %.2f; no clipping diverged at step %d; mean loss over the last 20 steps: by value %.4f, by norm %.4f, He init %.4f, all < 0.25 (start: %.0f)%n",
            seed, none.gradNorm()[0], he.gradNorm()[0], none.divergedAt(), lateLoss(byValue), lateLoss(byNorm), lateLoss(he), byNorm.loss()[0]);
}
"""),
md(r"""
### Value or norm?

Both rescue this run, but they do different things to the gradient. Take the very first gradient of the gain-2.5
network and clip a copy each way; compare their directions with the cosine similarity
$\cos(g, g') = \langle g, g'\rangle / (\lVert g\rVert\,\lVert g'\rVert)$ of the concatenated gradients:
"""),
code(r"""
Sequential fresh = mlp(deepSizes, 2.5, deepSeeds.get(0));
lossAndGradients(fresh, moons.x(), moons.oneHot());
INDArray original = fresh.grads().dup(), byValueGrads = fresh.grads().dup(), byNormGrads = fresh.grads().dup();
Clip.byValue(byValueGrads, 0.1);
double normBefore = Clip.byGlobalNorm(1.0, byNormGrads);      // returns the norm before clipping

double cosine(INDArray a, INDArray b) { return a.mul(b).sumNumber().doubleValue() / (globalNorm(a) * globalNorm(b)); }
double cosValue = cosine(original, byValueGrads), cosNorm = cosine(original, byNormGrads);
printf("norm before: %.1f (our formula: %.1f); after clipping by value: %.3f, by global norm: %.6f%n",
        normBefore, globalNorm(original), globalNorm(byValueGrads), globalNorm(byNormGrads));
printf("cosine with the original direction: by value %.4f, by global norm %.12f%n", cosValue, cosNorm);
if (!(Math.abs(normBefore - globalNorm(original)) < 1e-9 * normBefore))
    throw new IllegalStateException("Clip.byGlobalNorm's norm differs from the formula");
if (!(Math.abs(globalNorm(byNormGrads) - 1.0) < 1e-6) || !(Math.abs(cosNorm - 1) < 1e-12))
    throw new IllegalStateException("clipping by global norm did not keep the direction with norm 1: " + cosNorm);
if (!(cosValue < 0.99)) throw new IllegalStateException("clipping by value kept the direction: cosine " + cosValue);
printf("checked: Clip.byGlobalNorm returns the norm of the formula above; it rescales to norm 1 keeping the direction (|cos - 1| < 1e-12); clipping by value turns it (cosine %.3f < 0.99)%n", cosValue);
"""),
md(r"""
Clipping by value treats every coordinate separately: the large entries are cut, the small ones are kept, so the step
points somewhere else (mostly towards the sign of the gradient). Clipping by global norm only shortens the step; that
is why it is the usual choice (PyTorch's `clip_grad_norm_`, a standard part of training recurrent networks and
transformers). A common recipe combines both parts of this notebook: warm-up + cosine decay, and clipping at global
norm 1.

## Summary

* A schedule changes $\eta$ during training; here every decaying schedule beat the constant rate, because the late
  small steps get under the noise floor.
* Warm-up and one-cycle start with small steps, for networks whose first gradients are unreliable.
* Exploding gradients make a single step destroy a network. Clipping by global norm caps the step length and keeps its
  direction; clipping by value caps each coordinate and changes the direction; both rescued the deep network here, and a
  proper initialisation made clipping unnecessary.
"""),
])
