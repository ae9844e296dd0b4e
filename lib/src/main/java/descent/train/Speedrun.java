package descent.train;

import descent.data.Augmentation;
import descent.data.Dataset;
import descent.loss.Losses;
import descent.nn.CifarNets;
import descent.nn.Conv2d;
import descent.nn.Layer;
import descent.nn.Parameter;
import descent.nn.Sequential;
import descent.nn.norm.BatchNorm;
import descent.optim.Lookahead;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import descent.optim.schedule.OneCycleLR;
import descent.regularize.L2Penalty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CIFAR-10 speedrun recipe of notebook 10 and {@code ./descent bench cifar --model fast}: airbench94's network
 * and training (Keller Jordan, 2024, "94% on CIFAR-10 in 3.29 seconds on a single GPU"), built from descent's
 * library pieces, with every trick a switch so that an ablation can turn them on one at a time.
 *
 * <pre>{@code
 * Speedrun run = Speedrun.recipe().epochs(8).seed(1);          // every trick on
 * Sequential net = run.model(train);                           // whitens the first layer from the data
 * Trainer t = run.trainer(net, train, test).log(System.out).build();
 * t.fit();
 * double acc = run.finish(t, test).accuracy();                 // slow (Lookahead) weights, flip + translation TTA
 * }</pre>
 *
 * <table>
 *   <caption>The tricks (all on in {@link #recipe()}, all off in {@link #baseline()})</caption>
 *   <tr><th>switch</th><th>on</th><th>off</th><th>library piece</th></tr>
 *   <tr><td>{@link #whiten}</td><td>first layer = patch whitening of 2x2 patches, frozen</td><td>default init,
 *   trained</td><td>{@link Conv2d#whiten}, {@link Trainer.Builder#freeze}</td></tr>
 *   <tr><td>{@link #identityInit}</td><td>3x3 convs start as identity filters</td><td>torch's default
 *   init</td><td>{@link Conv2d#identityInit}</td></tr>
 *   <tr><td>{@link #batchNormTweaks}</td><td>BatchNorm scales frozen at 1, biases at 64x the learning rate</td>
 *   <td>scales and biases trained at the common rate</td><td>{@link Trainer.Builder#freeze},
 *   {@link Trainer.Builder#lrMultiplier}</td></tr>
 *   <tr><td>{@link #labelSmoothing}</td><td>0.2</td><td>0</td><td>{@code cross_entropy} option
 *   {@code label_smoothing}</td></tr>
 *   <tr><td>{@link #oneCycle}</td><td>learning rate 0.2 -> 1 -> 0.07 of the peak, linear, peak at 23 %</td>
 *   <td>the peak, constant</td><td>{@link OneCycleLR}</td></tr>
 *   <tr><td>{@link #lookahead}</td><td>Lookahead every 5 steps of 1,024 images ({@link #lookaheadK}), alpha = 1 -
 *   0.95^5 (t/T)^3; the run ends on the slow weights</td><td>plain Nesterov SGD</td><td>{@link Lookahead}</td></tr>
 *   <tr><td>{@link #flipTta}</td><td>test predictions average the logits of each image and its mirror</td>
 *   <td>the image only</td><td>{@link Trainer.Builder#testTimeFlip}, {@link Evaluation}</td></tr>
 *   <tr><td>{@link #tta}</td><td>{@code FLIP_TRANSLATE} (the recipe's): the final evaluation adds the flip averages
 *   of two 1-pixel shifts (airbench94's default {@code tta_level=2}, six forward passes per image); {@code FLIP}: the
 *   flip only (as {@link #flipTta})</td><td>{@code NONE}</td><td>{@link Evaluation.Tta}</td></tr>
 * </table>
 *
 * <p>Always on: Nesterov SGD with momentum 0.85, weight decay on every trained tensor, random crops (translation by up
 * to 2 pixels, zero padding) and horizontal flips, batch 256 (airbench: 1024; on two cores 256 was faster per image than 512 and
 * needs 1 GB less memory) with each epoch's last partial batch dropped (one batch shape: less memory).
 *
 * <p><b>Hyper-parameters in airbench's units.</b> airbench sums the loss over a batch and gives rates "per 1024
 * examples": {@code lr = 11.5}, {@code weight_decay = 0.0153}, with {@code kilostep = 1024 (1 + 1 / (1 - momentum))}.
 * descent's losses are means, so the step's learning rate is {@code lr / kilostep * batch} (0.375 at batch 256) and the
 * shrinking of every weight per step is {@code weight_decay * batch / kilostep}; as an L2 penalty (torch's coupled
 * {@code weight_decay}) that is {@code lambda = shrink / step_lr} (1.33e-3, whatever the batch).
 */
public final class Speedrun {

    /** Images the whitening statistics are taken from (airbench94: 5000). */
    public static final int WHITEN_IMAGES = 5000;

    /** Images per evaluation batch: small, since evaluation keeps its own activation buffers (divides 10,000 and 2,000). */
    public static final int EVAL_BATCH = 100;

    private int[] widths = CifarNets.FAST_WIDTHS.clone();
    private int epochs = 8;
    private int batchSize = 256;
    private long seed = 1;
    private double lr = 11.5;
    private double momentum = 0.85;
    private double weightDecay = 0.0153;
    private double labelSmoothing = 0.2;
    private boolean whiten = true;
    private boolean identityInit = true;
    private boolean batchNormTweaks = true;
    private boolean oneCycle = true;
    private boolean lookahead = true;
    private Evaluation.Tta tta = Evaluation.Tta.FLIP_TRANSLATE;
    private int translate = 2;

    private Speedrun() {
    }

    /** Every trick on: the recipe of the 90 % run. */
    public static Speedrun recipe() {
        return new Speedrun();
    }

    /** Every trick off: the same network and optimizer, default init, no smoothing, constant rate, no TTA. */
    public static Speedrun baseline() {
        return new Speedrun().whiten(false).identityInit(false).batchNormTweaks(false).labelSmoothing(0)
                .oneCycle(false).lookahead(false).flipTta(false);
    }

    public Speedrun widths(int... w) {
        if (w.length == 0 || java.util.Arrays.stream(w).anyMatch(x -> x < 1)) {
            throw new IllegalArgumentException("Speedrun.widths: one or more positive widths, got "
                    + java.util.Arrays.toString(w));
        }
        this.widths = w.clone();
        return this;
    }

    public Speedrun epochs(int n) {
        descent.Checks.atLeastOne("Speedrun", "epochs", n);
        this.epochs = n;
        return this;
    }

    public Speedrun batchSize(int n) {
        descent.Checks.atLeastOne("Speedrun", "batchSize", n);
        this.batchSize = n;
        return this;
    }

    public Speedrun seed(long s) {
        this.seed = s;
        return this;
    }

    /** Peak learning rate in airbench's units (per 1024 examples of a summed loss; default 11.5). */
    public Speedrun lr(double v) {
        descent.Checks.positive("Speedrun", "lr", v);
        this.lr = v;
        return this;
    }

    /** Weight decay in airbench's units (default 0.0153). */
    public Speedrun weightDecay(double v) {
        descent.Checks.nonNegative("Speedrun", "weightDecay", v);
        this.weightDecay = v;
        return this;
    }

    public Speedrun labelSmoothing(double eps) {
        descent.Checks.unit("Speedrun", "labelSmoothing", eps);
        this.labelSmoothing = eps;
        return this;
    }

    public Speedrun whiten(boolean on) {
        this.whiten = on;
        return this;
    }

    public Speedrun identityInit(boolean on) {
        this.identityInit = on;
        return this;
    }

    public Speedrun batchNormTweaks(boolean on) {
        this.batchNormTweaks = on;
        return this;
    }

    public Speedrun oneCycle(boolean on) {
        this.oneCycle = on;
        return this;
    }

    public Speedrun lookahead(boolean on) {
        this.lookahead = on;
        return this;
    }

    /** Flip test-time augmentation on or off: {@code tta(Tta.FLIP)} or {@code tta(Tta.NONE)}. */
    public Speedrun flipTta(boolean on) {
        return tta(Evaluation.Tta.flip(on));
    }

    /**
     * The test-time augmentation of the final evaluation ({@link #finish}); the per-epoch evaluations of
     * {@link #trainer} use the flip whenever this is not {@link Evaluation.Tta#NONE} (six forward passes per image
     * every epoch would cost more than they show).
     */
    public Speedrun tta(Evaluation.Tta t) {
        if (t == null) {
            throw new IllegalArgumentException("Speedrun.tta: one of " + java.util.Arrays.toString(
                    Evaluation.Tta.values()) + ", got null");
        }
        this.tta = t;
        return this;
    }

    /** Largest random translation of the training images in pixels (default 2; 0 = flips only). */
    public Speedrun translate(int pixels) {
        descent.Checks.nonNegative("Speedrun", "translate", pixels);
        this.translate = pixels;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    /** The test-time augmentation of {@link #finish(Trainer, Dataset)}. */
    public Evaluation.Tta tta() {
        return tta;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The switches and hyper-parameters, for tables and logs. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("widths", java.util.Arrays.toString(widths));
        m.put("epochs", epochs);
        m.put("batch", batchSize);
        m.put("seed", seed);
        m.put("step_lr", stepLr());
        m.put("l2", l2());
        m.put("whiten", whiten);
        m.put("identity_init", identityInit);
        m.put("batchnorm_tweaks", batchNormTweaks);
        m.put("label_smoothing", labelSmoothing);
        m.put("one_cycle", oneCycle);
        m.put("lookahead", lookahead);
        m.put("lookahead_k", lookaheadK());
        m.put("batchnorm_momentum", batchNormMomentum());
        m.put("tta", tta.label());
        m.put("translate", translate);
        return m;
    }

    private double kilostep() {
        return 1024 * (1 + 1 / (1 - momentum));
    }

    /** The peak learning rate of one step of the mean loss: {@code lr / kilostep * batch}. */
    public double stepLr() {
        return lr / kilostep() * batchSize;
    }

    /** The coupled L2 coefficient (torch's {@code weight_decay}) that shrinks weights as airbench does. */
    public double l2() {
        return weightDecay * batchSize / kilostep() / stepLr();
    }

    /**
     * Lookahead's k: airbench syncs every 5 steps of 1,024 images; the same number of images between syncs at this
     * batch size (20 steps at 256), so that the slow weights are pulled as often per image.
     */
    public int lookaheadK() {
        return Math.max(1, (int) Math.round(5 * 1024.0 / batchSize));
    }

    /**
     * BatchNorm's momentum (torch's convention): airbench's 0.4 per step of 1,024 images, at this batch size
     * {@code 1 - 0.6^(batch / 1024)} (0.12 at 256), so the running statistics average over as many images.
     */
    public double batchNormMomentum() {
        return 1 - Math.pow(0.6, batchSize / 1024.0);
    }

    /** Training steps of the whole run on {@code n} examples (each epoch's last partial batch is dropped). */
    public int steps(int n) {
        return epochs * Math.max(1, n / batchSize);
    }

    /** The network, its first layer whitened from the first {@value #WHITEN_IMAGES} training images (if on). */
    public Sequential model(Dataset train) {
        Sequential net = CifarNets.fast(widths, identityInit, DataType.FLOAT, seed);
        for (Layer l : net.layers()) {
            if (l instanceof BatchNorm bn) {
                bn.momentum(batchNormMomentum());
            }
        }
        if (whiten) {
            int n = Math.min(WHITEN_IMAGES, train.size());
            INDArray x = Nd4j.create(DataType.FLOAT, train.featureBatchShape(n));
            INDArray y = Nd4j.create(DataType.FLOAT, train.targetBatchShape(n));
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            train.fill(order, 0, n, Augmentation.NONE, new SplittableRandom(seed), x, y);
            ((Conv2d) net.layers().get(0)).whiten(x, 5e-4);
        }
        return net;
    }

    /** A trainer with every switched-on trick; add listeners, a log or a checkpoint, then {@code build()}. */
    public Trainer.Builder trainer(Sequential net, Dataset train, Dataset validation) {
        int steps = steps(train.size());
        Optimizer nesterov = Optimizers.create("nesterov", Map.of("lr", stepLr(), "momentum", momentum));
        Optimizer opt = nesterov;
        if (lookahead) {
            double total = steps;
            // a run shorter than a few syncs (smoke tests) syncs at least 5 times, or it would end on its initial weights
            int k = Math.min(lookaheadK(), Math.max(1, steps / 5));
            opt = new Lookahead(nesterov, k, t -> 1 - Math.pow(0.95, 5) * Math.pow(Math.min(t, total) / total, 3));
        }
        List<Parameter> frozen = new ArrayList<>();
        List<Parameter> normBiases = new ArrayList<>();
        List<Parameter> all = net.parameters();
        for (Parameter p : all) {
            int layer = Integer.parseInt(p.name().substring(0, p.name().indexOf('.')));
            Layer l = net.layers().get(layer);
            if (whiten && layer == 0 && p.name().endsWith(".weight")) {
                frozen.add(p);
            }
            if (batchNormTweaks && l instanceof BatchNorm) {
                (p.name().endsWith(".weight") ? frozen : normBiases).add(p);
            }
        }
        Trainer.Builder b = Trainer.builder(net).train(train).validation(validation)
                .optimizer(opt)
                .loss(Losses.create("cross_entropy", Map.of("label_smoothing", labelSmoothing)))
                .penalty(new L2Penalty(l2()), all)
                .batchSize(batchSize).dropLast(true).evalBatchSize(EVAL_BATCH).epochs(epochs).seed(seed)
                .augmentation(translate > 0 ? Augmentation.cropAndFlip(translate) : Augmentation.horizontalFlip())
                .testTimeFlip(tta != Evaluation.Tta.NONE);
        if (!frozen.isEmpty()) {
            b.freeze(frozen);
        }
        if (!normBiases.isEmpty()) {
            b.lrMultiplier(normBiases, 64);
        }
        if (oneCycle) {
            b.schedule(new OneCycleLR(stepLr(), steps, 0.23, "linear", 5.0, 0.2 / 0.07, false));
        }
        return b;
    }

    /**
     * Ends a run: with Lookahead, the model takes its slow weights (as airbench's last {@code update(decay=1)});
     * then {@code test} is evaluated once (cross-entropy, with this recipe's {@link #tta}), in batches of
     * {@link #EVAL_BATCH}.
     */
    public Evaluation finish(Trainer t, Dataset test) {
        return finish(t, test, tta);
    }

    /** As {@link #finish(Trainer, Dataset)} with another test-time augmentation (e.g. to compare them on one model). */
    public Evaluation finish(Trainer t, Dataset test, Evaluation.Tta tta) {
        if (t.optimizer() instanceof Lookahead la) {
            la.syncSlow(t.model().params());
        }
        return Evaluation.of(t.model(), test, EVAL_BATCH, Losses.create("cross_entropy"), tta);
    }
}
