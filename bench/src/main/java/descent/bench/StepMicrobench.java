package descent.bench;

import descent.nn.Backend;
import descent.nn.Conv2d;
import descent.nn.Flatten;
import descent.nn.Layer;
import descent.nn.Linear;
import descent.nn.MaxPool2d;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.loss.CrossEntropyLoss;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Times one training step (forward, loss, backward, SGD-momentum update; batch 128, float32, data already in
 * memory) of the seed CNN built several ways, to choose the implementation:
 * <ul>
 *   <li>{@code samediff}: SameDiff graph, NCHW, {@code sd.fit(DataSet)} with a Nesterov-momentum updater;</li>
 *   <li>{@code direct-nchw}, {@code direct-nhwc}: libnd4j ops called directly (conv2d/conv2d_bp,
 *   maxpool2d/_bp, relu/_bp, gemm), conv, ReLU, pool in PyTorch's order, every conv through oneDNN;</li>
 *   <li>{@code descent-relu-pool}: {@code descent.nn} layers in the same order, first conv without lowering;</li>
 *   <li>{@code descent-no-lowering}: pool before ReLU, first conv through oneDNN {@code conv2d_bp};</li>
 *   <li>{@code descent}: {@link descent.nn.CifarNets#seed} as used (pool before ReLU, first conv lowered to
 *   im2col + gemm, no input gradient);</li>
 *   <li>{@code strong}: {@link descent.nn.CifarNets#strong} (not in the default list).</li>
 * </ul>
 * Prints best and median milliseconds per step over several repetitions, and images per second. Arguments:
 * {@code [--threads T] [--reps R] [--steps K] [--variants a,b,...] [--torch]}. All variants are timed round-robin
 * (repetition 1 of each, then repetition 2 of each, ...), so a busy machine affects them alike; {@code --torch}
 * adds PyTorch's step ({@code tools/torch/step_bench.py --serve}, NCHW and channels_last) to each round and
 * prints each variant's throughput relative to PyTorch NCHW as the median of the paired repetitions.
 * {@code --variants profile} prints the median
 * time of each layer of the seed CNN instead ({@code profile-strong}: of the strong CNN; {@code profile-fast}: of
 * the speedrun's network at the recipe's batch size).
 */
public final class StepMicrobench {

    static final int B = 128;

    private static final CrossEntropyLoss CE = new CrossEntropyLoss();

    /** One-hot rows for class labels (10 classes), FLOAT. */
    static INDArray oneHot(int[] labels) {
        return ONE_HOT.computeIfAbsent(labels, StepMicrobench::makeOneHot);
    }

    private static final java.util.Map<int[], INDArray> ONE_HOT = new java.util.IdentityHashMap<>();

    private static INDArray makeOneHot(int[] labels) {
        INDArray t = Nd4j.zeros(DataType.FLOAT, labels.length, 10);
        for (int i = 0; i < labels.length; i++) {
            t.putScalar(i, labels[i], 1.0);
        }
        return t;
    }

    private StepMicrobench() {
    }

    public static void main(String[] args) {
        int threads = 2;
        int reps = 7;
        int steps = 5;
        List<String> variants = List.of("samediff", "direct-nchw", "direct-nhwc", "descent-relu-pool",
                "descent-no-lowering", "descent");
        boolean withTorch = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--torch")) {
                withTorch = true;
                i--;
                continue;
            }
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--variants" -> variants = Arrays.asList(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; valid: --threads, --reps, --steps, --variants, --torch");
            }
        }
        Backend.setThreads(threads);
        System.out.println(Backend.describe());
        if (variants.contains("profile")) {
            profile(descent.nn.CifarNets.seed(DataType.FLOAT, 1), B, reps * steps);
            return;
        }
        if (variants.contains("profile-strong")) {
            profile(descent.nn.CifarNets.strong(DataType.FLOAT, 1), B, reps * steps);
            return;
        }
        if (variants.contains("profile-fast")) {   // the speedrun's network at its batch size
            profile(descent.nn.CifarNets.fast(descent.nn.CifarNets.FAST_WIDTHS, true, DataType.FLOAT, 1),
                    descent.train.Speedrun.recipe().batchSize(), reps * steps);
            return;
        }
        // All variants are built first and timed round-robin, repetition by repetition, so that on a busy
        // machine they share the same conditions (and PyTorch's steps too, with --torch).
        Map<String, Runnable> built = new LinkedHashMap<>();
        for (String v : variants) {
            Runnable step = switch (v) {
                case "samediff" -> sameDiff();
                case "direct-nchw" -> direct(false);
                case "direct-nhwc" -> direct(true);
                case "descent-relu-pool" -> descent(true, false);
                case "descent-no-lowering" -> descent(false, false);
                case "descent" -> descent(false, true);
                case "strong" -> model(descent.nn.CifarNets.strong(DataType.FLOAT, 1));
                default -> throw new IllegalArgumentException("unknown variant " + v);
            };
            for (int i = 0; i < 3; i++) {
                step.run();
            }
            built.put(v, step);
        }
        TorchSteps torch = withTorch ? TorchSteps.start(threads) : null;
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String v : built.keySet()) {
            times.put(v, new double[reps]);
        }
        if (torch != null) {
            times.put("torch-nchw", new double[reps]);
            times.put("torch-channels-last", new double[reps]);
        }
        for (int r = 0; r < reps; r++) {
            for (Map.Entry<String, Runnable> e : built.entrySet()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    e.getValue().run();
                }
                times.get(e.getKey())[r] = (System.nanoTime() - t0) / 1e6 / steps;
            }
            if (torch != null) {
                times.get("torch-nchw")[r] = torch.run("nchw", steps);
                times.get("torch-channels-last")[r] = torch.run("channels-last", steps);
            }
        }
        if (torch != null) {
            torch.close();
        }
        for (Map.Entry<String, double[]> e : times.entrySet()) {
            double[] t = e.getValue();
            double best = Arrays.stream(t).min().orElse(Double.NaN);
            double med = median(t);
            String line = String.format(Locale.ROOT,
                    "%-22s best %7.2f ms  median %7.2f ms  -> %6.0f img/s (best), %6.0f (median)",
                    e.getKey(), best, med, B * 1000 / best, B * 1000 / med);
            if (torch != null && !e.getKey().startsWith("torch")) {
                double[] ratio = new double[reps];
                for (int r = 0; r < reps; r++) {
                    ratio[r] = times.get("torch-nchw")[r] / t[r];
                }
                line += String.format(Locale.ROOT, "  | vs torch-nchw: %.2fx (median of paired reps)", median(ratio));
            }
            System.out.println(line);
        }
    }

    /** PyTorch's step, run by tools/torch/step_bench.py --serve. */
    static final class TorchSteps implements AutoCloseable {
        private final Process p;
        private final java.io.BufferedReader in;
        private final java.io.PrintWriter out;

        private TorchSteps(Process p) {
            this.p = p;
            this.in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            this.out = new java.io.PrintWriter(p.getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
        }

        static TorchSteps start(int threads) {
            java.nio.file.Path script = CifarBench.TorchSide.findScript(null);
            if (script == null) {
                throw new IllegalStateException("tools/torch/step_bench.py not found: run from the repository root");
            }
            script = script.resolveSibling("step_bench.py");
            try {
                ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--serve",
                        "--threads", String.valueOf(threads)).redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
                TorchSteps t = new TorchSteps(pb.start());
                System.out.println(t.in.readLine());
                return t;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot start " + script, e);
            }
        }

        double run(String format, int steps) {
            out.println(format + " " + steps);
            try {
                return Double.parseDouble(in.readLine());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            out.close();
            try {
                p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroy();
        }
    }

    /** Median milliseconds of each layer's forward and backward pass over {@code n} steps of {@code batch} images. */
    static void profile(Sequential net, int batch, int n) {
        List<Layer> layers = net.layers();
        double[][] fwd = new double[layers.size()][n];
        double[][] bwd = new double[layers.size()][n];
        double[] total = new double[n];
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 32, 32, 3);
        INDArray g = Nd4j.create(DataType.FLOAT, batch, 10);
        Optimizer sgd = Optimizers.create("momentum", java.util.Map.of("lr", 0.01, "momentum", 0.9));
        int[] y = labels(batch);
        for (int it = -3; it < n; it++) {
            long start = System.nanoTime();
            INDArray a = x;
            for (int i = 0; i < layers.size(); i++) {
                long t = System.nanoTime();
                a = layers.get(i).forward(a, true);
                if (it >= 0) {
                    fwd[i][it] = (System.nanoTime() - t) / 1e6;
                }
            }
            g.assign(CE.gradient(a, oneHot(y)));
            INDArray d = g;
            for (int i = layers.size() - 1; i >= 0; i--) {
                long t = System.nanoTime();
                d = layers.get(i).backward(d);
                if (it >= 0) {
                    bwd[i][it] = (System.nanoTime() - t) / 1e6;
                }
            }
            sgd.step(net.params(), net.grads());
            if (it >= 0) {
                total[it] = (System.nanoTime() - start) / 1e6;
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            System.out.printf(Locale.ROOT, "%-32s forward %6.2f ms  backward %6.2f ms%n", layers.get(i).describe(),
                    median(fwd[i]), median(bwd[i]));
        }
        System.out.printf(Locale.ROOT, "step (median) %.2f ms -> %.0f img/s%n", median(total), batch * 1000 / median(total));
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static int[] labels() {
        return labels(B);
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    // ------------------------------------------------------------------------------------------------ SameDiff

    static Runnable sameDiff() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, 32, 32);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 10);
        Conv2DConfig c = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat("NCHW")
                .weightsFormat(WeightsFormat.YXIO).build();   // OIYX breaks SameDiff's conv2d_bp in 1.0.0-M2.1
        Pooling2DConfig p = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build();
        SDVariable h = sd.cnn().conv2d(x, sd.var("w1", uniform(27, 3, 3, 3, 32)), sd.var("b1", uniform(27, 32)), c);
        h = sd.cnn().maxPooling2d(sd.nn().relu(h, 0), p);
        h = sd.cnn().conv2d(h, sd.var("w2", uniform(288, 3, 3, 32, 64)), sd.var("b2", uniform(288, 64)), c);
        h = sd.cnn().maxPooling2d(sd.nn().relu(h, 0), p);
        h = h.reshape(-1, 4096);
        h = sd.nn().relu(h.mmul(sd.var("w3", uniform(4096, 4096, 128))).add(sd.var("b3", uniform(4096, 128))), 0);
        SDVariable logits = h.mmul(sd.var("w4", uniform(128, 128, 10))).add(sd.var("b4", uniform(128, 10)));
        SDVariable loss = sd.loss().softmaxCrossEntropy("loss", y, logits, null);
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Nesterovs(0.01, 0.9))
                .dataSetFeatureMapping("x").dataSetLabelMapping("y").build());
        INDArray features = Nd4j.rand(DataType.FLOAT, B, 3, 32, 32);
        INDArray oneHot = Nd4j.create(DataType.FLOAT, B, 10);
        int[] l = labels();
        for (int i = 0; i < B; i++) {
            oneHot.putScalar(i, l[i], 1.0);
        }
        DataSet ds = new DataSet(features, oneHot);
        return () -> sd.fit(ds);
    }

    static INDArray uniform(long fanIn, long... shape) {
        double bound = 1 / Math.sqrt(fanIn);
        return Nd4j.rand(DataType.FLOAT, shape).muli(2 * bound).subi(bound);
    }

    // ------------------------------------------------------------------------------------------------ direct ops

    private static void exec(String op, INDArray[] in, INDArray[] out, int... iArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(iArgs).build());
    }

    private static void relu(INDArray x) {
        Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(x).addFloatingPointArguments(0.0).build());
    }

    /** Conv, ReLU, pool as PyTorch orders them, every op a libnd4j custom op, buffers allocated once. */
    static Runnable direct(boolean nhwc) {
        int f = nhwc ? 1 : 0;
        DataType t = DataType.FLOAT;
        INDArray x = nhwc ? Nd4j.rand(t, B, 32, 32, 3) : Nd4j.rand(t, B, 3, 32, 32);
        INDArray w1 = uniform(27, 32, 3, 3, 3);
        INDArray b1 = uniform(27, 32);
        INDArray w2 = uniform(288, 64, 32, 3, 3);
        INDArray b2 = uniform(288, 64);
        INDArray w3 = uniform(4096, 128, 4096);
        INDArray b3 = uniform(4096, 1, 128);
        INDArray w4 = uniform(128, 10, 128);
        INDArray b4 = uniform(128, 1, 10);
        INDArray[] params = {w1, b1, w2, b2, w3, b3, w4, b4};
        INDArray[] grads = new INDArray[params.length];
        INDArray[] vel = new INDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            grads[i] = params[i].ulike();
            vel[i] = Nd4j.zeros(t, params[i].shape());
        }
        INDArray y1 = nhwc ? Nd4j.create(t, B, 32, 32, 32) : Nd4j.create(t, B, 32, 32, 32);
        INDArray p1 = nhwc ? Nd4j.create(t, B, 16, 16, 32) : Nd4j.create(t, B, 32, 16, 16);
        INDArray y2 = nhwc ? Nd4j.create(t, B, 16, 16, 64) : Nd4j.create(t, B, 64, 16, 16);
        INDArray p2 = nhwc ? Nd4j.create(t, B, 8, 8, 64) : Nd4j.create(t, B, 64, 8, 8);
        INDArray h = Nd4j.create(t, B, 128);
        INDArray z = Nd4j.create(t, B, 10);
        INDArray gz = z.ulike();
        INDArray gh = h.ulike();
        INDArray gflat = Nd4j.create(t, B, 4096);
        INDArray gy2 = y2.ulike();
        INDArray gp1 = p1.ulike();
        INDArray gy1 = y1.ulike();
        INDArray gx = x.ulike();
        INDArray ones = Nd4j.ones(t, 1, B);
        int[] labels = labels();
        return () -> {
            exec("conv2d", new INDArray[] {x, w1, b1}, new INDArray[] {y1}, 3, 3, 1, 1, 1, 1, 1, 1, 0, f, 1);
            relu(y1);
            exec("maxpool2d", new INDArray[] {y1}, new INDArray[] {p1}, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0, f);
            exec("conv2d", new INDArray[] {p1, w2, b2}, new INDArray[] {y2}, 3, 3, 1, 1, 1, 1, 1, 1, 0, f, 1);
            relu(y2);
            exec("maxpool2d", new INDArray[] {y2}, new INDArray[] {p2}, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0, f);
            INDArray flat = p2.reshape(B, 4096);
            Nd4j.gemm(flat, w3, h, false, true, 1.0, 0.0);
            h.addiRowVector(b3);
            relu(h);
            Nd4j.gemm(h, w4, z, false, true, 1.0, 0.0);
            z.addiRowVector(b4);
            gz.assign(CE.gradient(z, oneHot(labels)));
            Nd4j.gemm(gz, h, grads[6], true, false, 1.0, 0.0);
            Nd4j.gemm(ones, gz, grads[7], false, false, 1.0, 0.0);
            Nd4j.gemm(gz, w4, gh, false, false, 1.0, 0.0);
            exec("relu_bp", new INDArray[] {h, gh}, new INDArray[] {gh});
            Nd4j.gemm(gh, flat, grads[4], true, false, 1.0, 0.0);
            Nd4j.gemm(ones, gh, grads[5], false, false, 1.0, 0.0);
            Nd4j.gemm(gh, w3, gflat, false, false, 1.0, 0.0);
            exec("maxpool2d_bp", new INDArray[] {y2, gflat.reshape(p2.shape())}, new INDArray[] {gy2},
                    2, 2, 2, 2, 0, 0, 1, 1, 0, 0, f);
            exec("relu_bp", new INDArray[] {y2, gy2}, new INDArray[] {gy2});
            exec("conv2d_bp", new INDArray[] {p1, w2, b2, gy2}, new INDArray[] {gp1, grads[2], grads[3]},
                    3, 3, 1, 1, 1, 1, 1, 1, 0, f, 1);
            exec("maxpool2d_bp", new INDArray[] {y1, gp1}, new INDArray[] {gy1}, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0, f);
            exec("relu_bp", new INDArray[] {y1, gy1}, new INDArray[] {gy1});
            exec("conv2d_bp", new INDArray[] {x, w1, b1, gy1}, new INDArray[] {gx, grads[0], grads[1]},
                    3, 3, 1, 1, 1, 1, 1, 1, 0, f, 1);
            for (int i = 0; i < params.length; i++) {
                vel[i].muli(0.9).addi(grads[i].reshape(vel[i].shape()));
                params[i].subi(vel[i].mul(0.01));
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ descent.nn

    /** A do-nothing first layer: the conv after it is no longer first, so it is not lowered. */
    static final class Identity extends Layer {
        @Override
        public String describe() {
            return "Identity";
        }

        @Override
        public long[] outputShape(long[] s) {
            return s.clone();
        }

        @Override
        public INDArray forward(INDArray x, boolean training) {
            return x;
        }

        @Override
        public INDArray backward(INDArray g) {
            return null;
        }
    }

    static Runnable descent(boolean reluFirst, boolean lowering) {
        Sequential.Builder b = Sequential.input(32, 32, 3);
        if (!lowering) {
            b.add(new Identity());
        }
        b.add(new Conv2d(3, 32, 3, 1));
        if (reluFirst) {
            b.add(new ReLU()).add(new MaxPool2d(2));
        } else {
            b.add(new MaxPool2d(2)).add(new ReLU());
        }
        b.add(new Conv2d(32, 64, 3, 1));
        if (reluFirst) {
            b.add(new ReLU()).add(new MaxPool2d(2));
        } else {
            b.add(new MaxPool2d(2)).add(new ReLU());
        }
        return model(b.add(new Flatten()).add(new Linear(4096, 128)).add(new ReLU()).add(new Linear(128, 10))
                .dataType(DataType.FLOAT).seed(1).build());
    }

    static Runnable model(Sequential net) {
        Optimizer sgd = Optimizers.create("momentum", java.util.Map.of("lr", 0.01, "momentum", 0.9));
        INDArray x = Nd4j.rand(DataType.FLOAT, B, 32, 32, 3);
        INDArray g = Nd4j.create(DataType.FLOAT, B, 10);
        int[] labels = labels();
        return () -> {
            INDArray out = net.forward(x, true);
            g.assign(CE.gradient(out, oneHot(labels)));
            net.backward(g);
            sgd.step(net.params(), net.grads());
        };
    }
}
