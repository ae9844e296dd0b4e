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

The model is a small multilayer perceptron with a hand-written backward pass, trained on seeded 2-D data; every
claim below is checked by a cell that throws if it is false.
"""),
code(r"""
import descent.*;
import descent.check.GradientCheck;
import descent.data.Synthetic;
import descent.loss.Loss;
import descent.loss.Losses;
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
## 2. A small network, with its backward pass written out

A multilayer perceptron: layer $l$ maps its input $a_l$ to $z_l = a_l W_l + b_l$, then $a_{l+1} = \mathrm{relu}(z_l)$,
except the last layer, whose $z$ are the logits. The loss is the mean cross-entropy of the softmax of the logits
(`descent.loss`, which also gives $\partial L/\partial z$ of the last layer). Backpropagation, from the last layer to the first:

$$\frac{\partial L}{\partial W_l} = a_l^\top \delta_l,\qquad \frac{\partial L}{\partial b_l} = \sum_{\text{rows}} \delta_l,\qquad
\delta_{l-1} = \big(\delta_l W_l^\top\big) \odot [a_l > 0],$$

where $\delta_l = \partial L / \partial z_l$ and $[a_l > 0]$ is the derivative of relu. The weights start as
$W_l \sim \mathcal N(0, g^2/\text{fan-in})$ with a **gain** $g$; $g = \sqrt 2$ (He initialisation) keeps the size of the
activations constant from layer to layer in a relu network. All parameters live in one list, `params`, with the
gradients in `grads` in the same order, which is exactly what `Optimizer.step(params, grads)` takes.
"""),
code(r"""
Loss crossEntropy = Losses.create("cross_entropy");

/** Linear -> relu -> ... -> Linear; params = [W_0, b_0, W_1, b_1, ...], grads in the same order. */
class Mlp {
    final List<INDArray> params = new ArrayList<>(), grads = new ArrayList<>();
    private final List<INDArray> inputs = new ArrayList<>();      // a_l, the input of each layer, kept by forward for backward

    Mlp(int[] sizes, double gain, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (int l = 0; l + 1 < sizes.length; l++) {
            params.add(Nd4j.randn(DataType.DOUBLE, sizes[l], sizes[l + 1]).muli(gain / Math.sqrt(sizes[l])));  // W ~ N(0, g^2/fan_in)
            params.add(Nd4j.zeros(DataType.DOUBLE, 1, sizes[l + 1]));                                         // b = 0
            grads.add(Nd4j.zeros(DataType.DOUBLE, sizes[l], sizes[l + 1]));
            grads.add(Nd4j.zeros(DataType.DOUBLE, 1, sizes[l + 1]));
        }
    }
    int layers() { return params.size() / 2; }
    INDArray W(int l) { return params.get(2 * l); }
    INDArray b(int l) { return params.get(2 * l + 1); }

    INDArray forward(INDArray x) {                                  // returns the logits
        inputs.clear();
        INDArray a = x;
        for (int l = 0; l < layers(); l++) {
            inputs.add(a);
            INDArray z = a.mmul(W(l)).addiRowVector(b(l));               // z_l = a_l W_l + b_l
            a = l < layers() - 1 ? Transforms.relu(z, false) : z;        // a_{l+1} = relu(z_l); the last layer stays linear
        }
        return a;
    }
    void backward(INDArray delta) {                                 // delta = dL/dlogits; fills grads
        for (int l = layers() - 1; l >= 0; l--) {
            grads.get(2 * l).assign(inputs.get(l).transpose().mmul(delta));          // dL/dW_l = a_l^T delta_l
            grads.get(2 * l + 1).assign(delta.sum(true, 0));                         // dL/db_l = column sums of delta_l
            if (l > 0) delta = delta.mmul(W(l).transpose()).muli(inputs.get(l).gt(0).castTo(DataType.DOUBLE));
        }
    }
    double lossAndGradients(INDArray x, INDArray oneHot) {          // one forward and backward pass
        INDArray logits = forward(x);
        backward(crossEntropy.gradient(logits, oneHot));
        return crossEntropy.value(logits, oneHot);
    }
    double loss(INDArray x, INDArray oneHot) { return crossEntropy.value(forward(x), oneHot); }
    double accuracy(INDArray x, INDArray labels) {
        INDArray predicted = forward(x).argMax(1).castTo(DataType.DOUBLE).reshape(labels.shape());
        return predicted.eq(labels).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }
}
"""),
md(r"""
A backward pass written by hand must be checked. `GradientCheck` compares each gradient with central finite
differences $\big(L(w + \epsilon e_i) - L(w - \epsilon e_i)\big)/2\epsilon$, one parameter array at a time. (The probe data
are two noisy moons rather than spirals: every spiral starts exactly at the origin, where with zero biases all
pre-activations are exactly 0, the kink of relu, and a finite difference straddling a kink is meaningless.)
"""),
code(r"""
Synthetic.Classification probe = Synthetic.twoMoons(20, 0.1, 99);
Mlp small = new Mlp(new int[] {2, 6, 5, 2}, Math.sqrt(2), 1);
small.lossAndGradients(probe.x(), probe.oneHot());
double worstRelativeError = 0;
for (int i = 0; i < small.params.size(); i++) {
    int k = i;
    INDArray original = small.params.get(k);
    Function<INDArray, Double> lossAt = p -> {                      // the loss as a function of parameter array k alone
        small.params.set(k, p);
        double v = small.loss(probe.x(), probe.oneHot());
        small.params.set(k, original);
        return v;
    };
    worstRelativeError = Math.max(worstRelativeError, GradientCheck.check(lossAt, original, small.grads.get(k)).maxRelativeError());
}
if (!(worstRelativeError < 1e-6)) throw new IllegalStateException("hand-written backward disagrees with finite differences: " + worstRelativeError);
printf("checked: every gradient of the hand-written backward matches finite differences (largest relative error %.1e < 1e-6)%n", worstRelativeError);
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
    Mlp net = new Mlp(new int[] {2, 32, 32, 3}, Math.sqrt(2), seed);
    Optimizer optimizer = Optimizers.create("momentum", Map.of("lr", baseLr, "momentum", 0.9));
    Random rng = new Random(seed);
    int n = spirals.size();
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    double[] epochLoss = new double[epochs + 1];
    epochLoss[0] = net.loss(spirals.x(), spirals.oneHot());
    int t = 0;
    for (int e = 1; e <= epochs; e++) {
        for (int i = n - 1; i > 0; i--) { int j = rng.nextInt(i + 1), tmp = order[i]; order[i] = order[j]; order[j] = tmp; }
        INDArray xs = Nd4j.pullRows(spirals.x(), 1, order), ys = Nd4j.pullRows(spirals.oneHot(), 1, order);
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(from + batch, n);
            schedule.applyTo(optimizer, t);                                          // lr <- eta(t)
            net.lossAndGradients(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                                 ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            optimizer.step(net.params, net.grads);
            t++;
        }
        epochLoss[e] = net.loss(spirals.x(), spirals.oneHot());                     // full training loss after the epoch
        if (!(epochLoss[e] <= 1e6))                                                  // NaN or > 1e6: report, keep the finite prefix
            return new Training(name, seed, Arrays.stream(epochLoss, 0, e).toArray(), Double.NaN, Double.NaN, Double.NaN, e);
    }
    return new Training(name, seed, epochLoss, epochLoss[epochs], net.accuracy(spirals.x(), spirals.labels()),
                        net.accuracy(spiralsTest.x(), spiralsTest.labels()), -1);
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
around the bottom of the valley (notebook 03's noise floor). Every decaying schedule lowers $\eta$ towards the end,
calms down and settles lower. Warm-up and one-cycle start slowly (their first steps are tiny: after one epoch they are
behind plain cosine annealing) and still end well below the constant rate. Checked for every seed and schedule
trained in this profile:
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
        if (r.divergedAt() >= 0 || !(r.finalLoss() < constant.finalLoss()) || !(r.trainAccuracy() > constant.trainAccuracy())
                || !(r.testAccuracy() > constant.testAccuracy()) || !(lastTenRatio(r) < lastTenRatio(constant)))
            throw new IllegalStateException("seed " + seed + ": " + r.schedule() + " does not beat the constant lr: " + r + " vs " + constant);
    }
    for (String slowStart : List.of("warm-up + cosine", "one-cycle"))
        if (bySchedule.containsKey(slowStart) && !(bySchedule.get(slowStart).epochLoss()[1] > bySchedule.get("cosine").epochLoss()[1]))
            throw new IllegalStateException("seed " + seed + ": " + slowStart + " is not behind cosine after one epoch");
    printf("checked: seed %d: the constant lr's loss varies by %.1fx over the last ten epochs; each of the %d decaying schedules varies less and ends with lower training loss and higher training and test accuracy (constant: loss %.3f, test accuracy %.3f); warm-up schedules are behind cosine after one epoch%n",
            seed, lastTenRatio(constant), bySchedule.size() - 1, constant.finalLoss(), constant.testAccuracy());
}
"""),
md(r"""
Which decaying schedule is best depends on the problem and the budget; on this one they end close together
(the table). What they share is the late small learning rate. The schedule is a hyper-parameter like any other
(notebook 08).

## 4. Exploding gradients, and clipping

Now a network that is hard to train: **ten** hidden relu layers of width 16 on the two-moons data, initialised with gain
$g = 2.5$ instead of He's $\sqrt 2 \approx 1.41$. Each layer then multiplies the size of the activations by about
$g/\sqrt 2 \approx 1.8$, so after ten layers the logits, and the gradients, are hundreds to thousands of times too large.
Plain SGD with $\eta = 0.2$, full batch, 200 steps (100 in the smoke profile).

We track the **global gradient norm**, the norm of all gradients together as if they were one long vector,

$$\lVert g\rVert = \sqrt{\textstyle\sum_i \lVert g_i\rVert^2},$$

and compare three ways of handling it before the step (PyTorch's `clip_grad_value_` and `clip_grad_norm_`):

* **no clipping**;
* **clip by value** $c$: every entry is clamped to $[-c, c]$ (`Clip.byValue(grads, 0.1)`). This changes the direction of the step;
* **clip by global norm** $m$: if $\lVert g\rVert > m$, every gradient is scaled by $m/\lVert g\rVert$ (`Clip.byGlobalNorm(grads, 1.0)`). The
  direction is kept and only the length is capped, so a step can never be longer than $\eta\, m$.

A fourth run fixes the cause instead: He initialisation, no clipping.
"""),
code(r"""
Synthetic.Classification moons = Synthetic.twoMoons(200, 0.1, 1);
int depth = 10, width = 16, deepSteps = Profile.pick(100, 200, 200);
int[] deepSizes = new int[depth + 2];
Arrays.fill(deepSizes, width); deepSizes[0] = 2; deepSizes[depth + 1] = 2;

double globalNorm(List<INDArray> grads) {                        // sqrt(sum_i ||g_i||^2); NaN or infinity if a gradient is
    double sumOfSquares = 0;
    for (INDArray g : grads) { double n = g.norm2Number().doubleValue(); sumOfSquares += n * n; }
    return Math.sqrt(sumOfSquares);
}

record ClipRun(String name, long seed, double[] loss, double[] gradNorm, int divergedAt, double accuracy) {}

ClipRun trainDeep(String name, double gain, String clip, long seed) {
    Mlp net = new Mlp(deepSizes, gain, seed);
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.2));
    List<Double> losses = new ArrayList<>(), norms = new ArrayList<>();
    for (int t = 0; t < deepSteps; t++) {
        double loss = net.lossAndGradients(moons.x(), moons.oneHot());
        double norm = globalNorm(net.grads);                         // before clipping
        boolean diverged = !(loss <= 1e6) || !Double.isFinite(norm);  // NaN, infinite or > 1e6
        if (Double.isFinite(loss) && Double.isFinite(norm)) { losses.add(loss); norms.add(norm); }
        if (diverged)
            return new ClipRun(name, seed, losses.stream().mapToDouble(v -> v).toArray(), norms.stream().mapToDouble(v -> v).toArray(), t, Double.NaN);
        if (clip.equals("value")) Clip.byValue(net.grads, 0.1);
        if (clip.equals("norm")) Clip.byGlobalNorm(net.grads, 1.0);
        sgd.step(net.params, net.grads);
    }
    losses.add(net.loss(moons.x(), moons.oneHot()));
    return new ClipRun(name, seed, losses.stream().mapToDouble(v -> v).toArray(), norms.stream().mapToDouble(v -> v).toArray(), -1,
                       net.accuracy(moons.x(), moons.labels()));
}

List<Long> deepSeeds = Profile.pick(List.of(5L), List.of(5L, 6L, 7L), List.of(5L, 6L, 7L));
List<ClipRun> clipRuns = new ArrayList<>();
for (long seed : deepSeeds) {
    clipRuns.add(trainDeep("gain 2.5, no clipping", 2.5, "none", seed));
    clipRuns.add(trainDeep("gain 2.5, clip by value 0.1", 2.5, "value", seed));
    clipRuns.add(trainDeep("gain 2.5, clip by global norm 1.0", 2.5, "norm", seed));
    clipRuns.add(trainDeep("He init (gain √2), no clipping", Math.sqrt(2), "none", seed));
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
* both kinds of clipping survive those first steps and train the network to a training loss below 0.25;
* He initialisation trains to below 0.25 without any clipping: clipping is a safety net, a good initialisation (or
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
        if (r.divergedAt() >= 0 || !(r.loss()[r.loss().length - 1] < 0.25))
            throw new IllegalStateException("seed " + seed + ": " + r.name() + " did not train below 0.25: " + outcome(r) + ", loss " + r.loss()[r.loss().length - 1]);
    printf("checked: seed %d: first gradient norm %.0f > 100 × He's %.2f; no clipping diverged at step %d; by value, by norm and He init end at loss %.4f, %.4f, %.4f < 0.25%n",
            seed, none.gradNorm()[0], he.gradNorm()[0], none.divergedAt(), byValue.loss()[byValue.loss().length - 1],
            byNorm.loss()[byNorm.loss().length - 1], he.loss()[he.loss().length - 1]);
}
"""),
md(r"""
### Value or norm?

Both rescue this run, but they do different things to the gradient. Take the very first gradient of the gain-2.5
network and clip a copy each way; compare their directions with the cosine similarity
$\cos(g, g') = \langle g, g'\rangle / (\lVert g\rVert\,\lVert g'\rVert)$ of the concatenated gradients:
"""),
code(r"""
Mlp fresh = new Mlp(deepSizes, 2.5, deepSeeds.get(0));
fresh.lossAndGradients(moons.x(), moons.oneHot());
List<INDArray> byValueGrads = fresh.grads.stream().map(INDArray::dup).toList();
List<INDArray> byNormGrads = fresh.grads.stream().map(INDArray::dup).toList();
Clip.byValue(byValueGrads, 0.1);
double normBefore = Clip.byGlobalNorm(byNormGrads, 1.0);      // returns the norm before clipping

double cosine(List<INDArray> a, List<INDArray> b) {
    double dot = 0;
    for (int i = 0; i < a.size(); i++) dot += a.get(i).mul(b.get(i)).sumNumber().doubleValue();
    return dot / (globalNorm(a) * globalNorm(b));
}
double cosValue = cosine(fresh.grads, byValueGrads), cosNorm = cosine(fresh.grads, byNormGrads);
printf("norm before: %.1f (our formula: %.1f); after clipping by value: %.3f, by global norm: %.6f%n",
        normBefore, globalNorm(fresh.grads), globalNorm(byValueGrads), globalNorm(byNormGrads));
printf("cosine with the original direction: by value %.4f, by global norm %.12f%n", cosValue, cosNorm);
if (!(Math.abs(normBefore - globalNorm(fresh.grads)) < 1e-9 * normBefore))
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
