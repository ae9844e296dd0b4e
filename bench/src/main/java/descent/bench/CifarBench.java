package descent.bench;

import descent.data.Augmentation;
import descent.data.Cifar10;
import descent.nn.Backend;
import descent.nn.CifarNets;
import descent.nn.Sequential;
import descent.train.Evaluation;
import descent.train.Speedrun;
import descent.train.Trainer;
import descent.train.TrainingListener;
import descent.optim.Optimizers;
import descent.optim.schedule.CosineAnnealingLR;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import tech.tablesaw.api.Table;

/**
 * Trains a CIFAR-10 network and reports training throughput, test accuracy per epoch and peak memory.
 * {@code --model fast} is the speedrun recipe of notebook 10, {@link Speedrun} (every trick on, batch 256 by
 * default): the JSON then also holds the recipe, {@code train_seconds}, the forward MFLOP per image, the achieved
 * training GFLOP/s ({@code 3 x forward FLOPs x images / training seconds}) and its fraction of the sgemm peak
 * measured right after ({@link GemmBench}); the final {@code test_acc} is that of Lookahead's slow weights with the recipe's
 * test-time augmentation, and {@code per_epoch} holds each epoch's accuracy (fast weights) and cumulative training
 * time. {@code --model seed} (the default) trains the seed CNN with the seed recipe (SGD lr 0.01 momentum 0.9, batch 128, random crop with padding 4 and
 * horizontal flip) and reports training throughput, test accuracy per epoch and peak memory. If Debian's PyTorch
 * is installed ({@code /usr/bin/python3 -c 'import torch'}), it runs the same network and recipe in PyTorch
 * ({@code tools/torch/cifar_bench.py}) with the same thread count, alternating epoch by epoch (ours, then
 * PyTorch's), and prints the throughput ratio and the accuracy difference.
 *
 * <pre>
 *   java descent.bench.CifarBench --epochs N --data DIR --threads T [--limit N] [--batch B] [--lr LR]
 *        [--seed S] [--model seed|strong|fast] [--no-torch] [--torch-script PATH] [--channels-last]
 *        [--checkpoint FILE] [--compare-tta]
 * </pre>
 *
 * The last line of output is one JSON object with {@code epochs, train_img_per_s, test_acc, peak_rss_mb} and,
 * when PyTorch ran, {@code torch_train_img_per_s, torch_test_acc, throughput_ratio, acc_diff}. Throughput is
 * training images per second of training time (batch preparation and augmentation included, evaluation
 * excluded), over all epochs. Set {@code OMP_NUM_THREADS=T} before starting the JVM as well. With
 * {@code --checkpoint FILE} our side writes a checkpoint after every epoch and, if the file exists, resumes from
 * it (PyTorch's side always starts from scratch, so use it with {@code --no-torch}); a checkpoint that already holds
 * every epoch is only evaluated. With {@code --compare-tta} ({@code --model fast}) the final slow weights are also
 * evaluated under every {@link Evaluation.Tta} and the JSON holds {@code test_acc_by_tta}.
 */
public final class CifarBench {

    static final List<String> OPTIONS = List.of("--epochs", "--data", "--threads", "--limit", "--batch", "--lr",
            "--seed", "--model", "--no-torch", "--torch-script", "--channels-last", "--checkpoint", "--compare-tta");

    private CifarBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        PrintStream out = System.out;
        int epochs = Integer.parseInt(opt.getOrDefault("--epochs", "1"));
        int threads = Integer.parseInt(opt.getOrDefault("--threads", "2"));
        int limit = Integer.parseInt(opt.getOrDefault("--limit", "0"));
        String modelName = opt.getOrDefault("--model", "seed");
        int batch = Integer.parseInt(opt.getOrDefault("--batch", modelName.equals("fast") ? "256" : "128"));
        double lr = Double.parseDouble(opt.getOrDefault("--lr", modelName.equals("strong") ? "0.05" : "0.01"));
        long seed = Long.parseLong(opt.getOrDefault("--seed", "1"));
        if (!opt.containsKey("--data")) {
            throw new IllegalArgumentException("--data DIR is required (a folder with the CIFAR-10 batch files, or "
                    + "the cifar-10-binary.tar.gz archive)");
        }
        if (!List.of("seed", "strong", "fast").contains(modelName)) {
            throw new IllegalArgumentException("--model must be seed, strong or fast, got " + modelName);
        }
        Path data = Path.of(opt.get("--data"));
        Backend.setThreads(threads);
        out.println("backend: " + Backend.describe() + "; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));

        Cifar10 train = Cifar10.train(data);
        Cifar10 test = Cifar10.test(data);
        if (limit > 0) {
            train = train.first(Math.min(limit, train.size()));
        }
        out.printf(Locale.ROOT, "data: %d training, %d test images from %s%n", train.size(), test.size(), data);

        Speedrun speedrun = modelName.equals("fast")
                ? Speedrun.recipe().epochs(Math.max(1, epochs)).batchSize(batch).seed(seed) : null;
        TorchSide torch = null;
        if (!opt.containsKey("--no-torch") && !modelName.equals("strong")) {
            List<String> extra = speedrun == null ? List.of() : List.of("--model", "fast", "--epochs",
                    String.valueOf(epochs), "--l2", String.valueOf(speedrun.l2()));
            torch = TorchSide.start(opt.get("--torch-script"), data, threads, limit, batch,
                    speedrun == null ? lr : speedrun.stepLr(), seed, opt.containsKey("--channels-last"), extra, out);
        }

        Sequential net = switch (modelName) {
            case "seed" -> CifarNets.seed(DataType.FLOAT, seed);
            case "strong" -> CifarNets.strong(DataType.FLOAT, seed);
            default -> speedrun.model(train);
        };
        Trainer.Builder recipe = speedrun != null ? speedrun.trainer(net, train, test)
                : Trainer.builder(net).train(train).validation(test)
                .batchSize(batch).epochs(epochs).augmentation(Augmentation.cropAndFlip(4)).seed(seed);
        if (speedrun != null) {
            out.println("recipe: " + speedrun.describe());
            out.printf(Locale.ROOT, "model: %d parameters, %.1f MFLOP per image forward%n", net.numParams(),
                    net.forwardFlops() / 1e6);
        } else if (modelName.equals("seed")) {
            recipe.optimizer(Optimizers.create("momentum", Map.of("lr", lr, "momentum", 0.9)));
        } else {
            // The strong recipe: weight decay 5e-4 and cosine annealing of the learning rate over the run's steps.
            int steps = epochs * ((train.size() + batch - 1) / batch);
            recipe.optimizer(Optimizers.create("momentum", Map.of("lr", lr, "momentum", 0.9, "weight_decay", 5e-4)))
                    .schedule(new CosineAnnealingLR(lr, Math.max(1, steps), 0));
        }
        if (opt.containsKey("--checkpoint")) {
            recipe.checkpoint(Path.of(opt.get("--checkpoint"))).resume(true).log(out);
        }
        // One epoch per fit(): a listener counts each trained epoch and asks the trainer to stop, and the next fit()
        // continues. Epochs restored from a checkpoint are reported as such, with the seconds they took when trained.
        java.util.concurrent.atomic.AtomicReference<Trainer> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger trained = new java.util.concurrent.atomic.AtomicInteger();
        recipe.listener(TrainingListener.everyEpoch((p, history) -> {
            trained.incrementAndGet();
            self.get().stop();
        }));
        Trainer trainer = recipe.build();
        self.set(trainer);

        double ourSeconds = 0;
        double torchSeconds = 0;
        double torchAcc = Double.NaN;
        double torchPeak = Double.NaN;
        List<Map<String, Object>> perEpoch = new ArrayList<>();
        int reported = 0;
        while (true) {
            int before = trained.get();
            trainer.fit();                    // the first call restores a checkpoint, if any; then trains one epoch
            boolean trainedOne = trained.get() > before;
            Table h = trainer.history();
            for (int row = reported; row < h.rowCount(); row++) {
                boolean restored = !trainedOne || row < h.rowCount() - 1;
                int e = h.intColumn("epoch").get(row);
                double secs = h.doubleColumn("seconds").get(row);
                double ips = h.doubleColumn("examples_per_s").get(row);
                double acc = h.doubleColumn("val_acc").get(row);
                ourSeconds += secs;
                Map<String, Object> ep = new LinkedHashMap<>();
                ep.put("epoch", e);
                if (restored) {
                    ep.put("restored", true);
                }
                ep.put("img_per_s", round(ips));
                ep.put("train_loss", round(h.doubleColumn("train_loss").get(row)));
                ep.put("test_acc", round(acc));
                ep.put("seconds", round(secs));
                ep.put("train_seconds_so_far", round(ourSeconds));
                String line = String.format(Locale.ROOT, "epoch %d%s  ours: %7.1f img/s  train loss %.4f  test acc %.2f%%",
                        e, restored ? " (restored)" : "", ips, h.doubleColumn("train_loss").get(row), 100 * acc);
                if (torch != null && !restored) {
                    Map<String, Object> t = torch.epoch();
                    double tips = ((Number) t.get("img_per_s")).doubleValue();
                    torchSeconds += ((Number) t.get("seconds")).doubleValue();
                    torchAcc = ((Number) t.get("test_acc")).doubleValue();
                    torchPeak = ((Number) t.get("peak_rss_mb")).doubleValue();
                    ep.put("torch_img_per_s", round(tips));
                    ep.put("torch_train_loss", round(((Number) t.get("train_loss")).doubleValue()));
                    ep.put("torch_test_acc", round(torchAcc));
                    line += String.format(Locale.ROOT, "  |  torch: %7.1f img/s  train loss %.4f  test acc %.2f%%  |  "
                                    + "ratio %.2f  acc diff %+.2f pts", tips, ((Number) t.get("train_loss")).doubleValue(),
                            100 * torchAcc, ips / tips, 100 * (acc - torchAcc));
                }
                perEpoch.add(ep);
                out.println(line);
            }
            reported = h.rowCount();
            if (!trainedOne || trainer.epochsDone() >= epochs) {
                break;                        // done, or the checkpoint already held every epoch
            }
        }
        if (torch != null) {
            torch.close();
        }
        Table h = trainer.history();
        int ran = perEpoch.size();
        // images trained per epoch: the fast recipe drops each epoch's last partial batch
        long perEpochImages = speedrun != null && train.size() >= batch ? (long) (train.size() / batch) * batch
                : train.size();
        double ours = ran * (double) perEpochImages / ourSeconds;
        double acc = h.rowCount() > 0 ? h.doubleColumn("val_acc").get(h.rowCount() - 1) : Double.NaN;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("epochs", epochs);
        result.put("model", modelName);
        if (speedrun != null) {
            double lastEpochAcc = acc;
            acc = speedrun.finish(trainer, test).accuracy();      // slow (Lookahead) weights, the recipe's TTA
            out.printf(Locale.ROOT, "final (Lookahead's slow weights, %s TTA): test acc %.2f%% (last epoch's "
                    + "fast weights: %.2f%%)%n", speedrun.tta().label(), 100 * acc, 100 * lastEpochAcc);
            result.put("recipe", speedrun.describe());
            if (opt.containsKey("--compare-tta")) {
                // the same slow weights under every test-time augmentation (the recipe's own is acc)
                Map<String, Object> byTta = new LinkedHashMap<>();
                for (Evaluation.Tta t : Evaluation.Tta.values()) {
                    double a = t == speedrun.tta() ? acc : speedrun.finish(trainer, test, t).accuracy();
                    byTta.put(t.label(), round(a));
                    out.printf(Locale.ROOT, "  slow weights, %-14s TTA (%d forward passes per image): test acc %.2f%%%n",
                            t.label(), t.views(), 100 * a);
                }
                result.put("test_acc_by_tta", byTta);
            }
            long flops = net.forwardFlops();
            result.put("forward_mflop_per_image", round(flops / 1e6));
            double achieved = 3.0 * flops * ran * perEpochImages / ourSeconds / 1e9;
            result.put("train_gflop_per_s", round(achieved));
            double peak = GemmBench.peak(List.of(1024, 2048), 2);
            result.put("gemm_peak_gflop_per_s", round(peak));
            result.put("fraction_of_gemm_peak", round(achieved / peak));
            out.printf(Locale.ROOT, "FLOPs: %.1f MFLOP per image forward, x3 per training image; achieved %.1f GFLOP/s "
                    + "= %.0f%% of this machine's sgemm peak %.1f GFLOP/s%n", flops / 1e6, achieved, 100 * achieved / peak,
                    peak);
        }
        result.put("train_seconds", round(ourSeconds));
        result.put("threads", threads);
        result.put("train_images", train.size());
        result.put("batch", batch);
        result.put("train_img_per_s", round(ours));
        result.put("test_acc", round(acc));
        result.put("peak_rss_mb", round(descent.Environment.peakRssMb()));
        if (torch != null) {
            double theirs = ran * (double) perEpochImages / torchSeconds;
            result.put("torch_train_img_per_s", round(theirs));
            result.put("torch_test_acc", round(torchAcc));
            result.put("torch_peak_rss_mb", round(torchPeak));
            result.put("throughput_ratio", round(ours / theirs));
            result.put("acc_diff", round(acc - torchAcc));
        }
        result.put("per_epoch", perEpoch);
        out.println(new ObjectMapper().writeValueAsString(result));
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!OPTIONS.contains(a)) {
                throw new IllegalArgumentException("unknown option " + a + "; valid options: " + OPTIONS);
            }
            if (a.equals("--no-torch") || a.equals("--channels-last") || a.equals("--compare-tta")) {
                opt.put(a, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                opt.put(a, args[++i]);
            }
        }
        return opt;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }

    /** The PyTorch subprocess: one JSON line per "epoch" command. */
    static final class TorchSide implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final Writer cmd;
        private final ObjectMapper json = new ObjectMapper();

        private TorchSide(Process p) {
            this.process = p;
            this.in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            this.cmd = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        static TorchSide start(String scriptOption, Path data, int threads, int limit, int batch, double lr, long seed,
                               boolean channelsLast, List<String> extra, PrintStream out) throws IOException, InterruptedException {
            Path python = Path.of("/usr/bin/python3");
            if (!Files.isExecutable(python)) {
                out.println("torch: /usr/bin/python3 not found, running ours only");
                return null;
            }
            Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true)
                    .start();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(120, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                out.println("torch: /usr/bin/python3 cannot import torch, running ours only");
                return null;
            }
            Path script = findScript(scriptOption);
            if (script == null) {
                out.println("torch: tools/torch/cifar_bench.py not found (run from the repository root or pass "
                        + "--torch-script), running ours only");
                return null;
            }
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
                    "--data", data.toString(), "--threads", String.valueOf(threads), "--limit", String.valueOf(limit),
                    "--batch", String.valueOf(batch), "--lr", String.valueOf(lr), "--seed", String.valueOf(seed)));
            if (channelsLast) {
                command.add("--channels-last");
            }
            command.addAll(extra);
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            TorchSide t = new TorchSide(pb.start());
            String ready = t.in.readLine();
            if (ready == null || !ready.startsWith("ready ")) {
                throw new IOException("torch side failed to start: " + ready);
            }
            out.println("torch: " + ready.substring(6));
            return t;
        }

        static Path findScript(String option) {
            if (option != null) {
                return Path.of(option);
            }
            Path dir = Path.of("").toAbsolutePath();
            for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
                Path p = dir.resolve("tools/torch/cifar_bench.py");
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            return null;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> epoch() throws IOException {
            cmd.write("epoch\n");
            cmd.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("torch side ended unexpectedly");
            }
            return json.readValue(line, Map.class);
        }

        @Override
        public void close() throws IOException {
            try {
                cmd.write("quit\n");
                cmd.flush();
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.destroy();
            }
        }
    }
}
