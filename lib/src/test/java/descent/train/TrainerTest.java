package descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Augmentation;
import descent.data.Cifar10;
import descent.data.Synthetic;
import descent.nn.Backend;
import descent.nn.norm.BatchNorm;
import descent.nn.Conv2d;
import descent.nn.Flatten;
import descent.nn.Linear;
import descent.nn.MaxPool2d;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.optim.Optimizer;
import descent.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

class TrainerTest {

    static final Cifar10 TRAIN = Synthetic.cifar10(200, 1, Cifar10.Split.TRAIN);
    static final Cifar10 TEST = Synthetic.cifar10(100, 2, Cifar10.Split.TEST);

    @TempDir
    Path tmp;

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);   // tiny ops: threads only add waiting, and results stay reproducible
    }

    static Optimizer sgd(double lr, double momentum) {
        return Optimizers.create("momentum", java.util.Map.of("lr", lr, "momentum", momentum));
    }

    static Sequential tinyNet() {
        return Sequential.input(32, 32, 3)
                .add(new Conv2d(3, 4, 3, 1)).add(new MaxPool2d(4)).add(new ReLU())
                .add(new Flatten()).add(new Linear(8 * 8 * 4, 10))
                .dataType(DataType.FLOAT).seed(7).build();
    }

    static Trainer.Builder recipe(Sequential net) {
        return Trainer.builder(net).train(TRAIN).validation(TEST)
                .optimizer(sgd(0.02, 0.9))
                .batchSize(32).epochs(3).augmentation(Augmentation.cropAndFlip(4)).seed(11);
    }

    @Test
    void learnsTheSyntheticClassesAndRecordsHistory() {
        Sequential net = tinyNet();
        double before = Evaluation.of(net, TEST, 50).accuracy();
        Trainer.Result r = recipe(net).epochs(6).build().fit();
        assertEquals(Trainer.StopReason.COMPLETED, r.reason());
        assertEquals(6, r.epochsDone());
        assertEquals(6 * 7, r.steps(), "200 images in batches of 32: 7 steps per epoch");
        Table h = r.history();
        assertEquals(Trainer.COLUMNS, h.columnNames());
        assertEquals(6, h.rowCount());
        double after = h.doubleColumn("val_acc").get(5);
        assertTrue(after > 0.8 && after > before + 0.5, "test accuracy " + before + " -> " + after);
        assertTrue(h.doubleColumn("train_loss").get(5) < h.doubleColumn("train_loss").get(0));
        assertTrue(h.doubleColumn("examples_per_s").get(5) > 0);
        Evaluation ev = Evaluation.of(net, TEST, 64);
        assertEquals(after, ev.accuracy(), 1e-12, "history's test accuracy is Evaluation's");
    }

    @Test
    void sameSeedGivesTheSameLossCurveExactly() {
        Trainer.Result a = recipe(tinyNet()).build().fit();
        Sequential netB = tinyNet();
        Trainer.Result b = recipe(netB).build().fit();
        Sequential netC = tinyNet();
        Trainer.Result c = recipe(netC).seed(12).build().fit();
        // Tolerance zero: same seed, same thread count, same machine give bit-identical results.
        assertEquals(a.history().doubleColumn("train_loss").asList(), b.history().doubleColumn("train_loss").asList());
        assertEquals(a.history().doubleColumn("val_loss").asList(), b.history().doubleColumn("val_loss").asList());
        assertNotEquals(a.history().doubleColumn("train_loss").asList(),
                c.history().doubleColumn("train_loss").asList());
    }

    @Test
    void resumingFromACheckpointEqualsUninterruptedTraining() throws IOException {
        Sequential straight = tinyNet();
        Trainer.Result full = recipe(straight).build().fit();

        Path ckpt = tmp.resolve("run.ckpt");
        recipe(tinyNet()).epochs(2).checkpoint(ckpt).build().fit();
        assertTrue(Files.exists(ckpt));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("run.ckpt"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left");
        }
        // "After a JVM restart": a new network (same init seed, it gets overwritten), a new optimizer, a new trainer.
        Sequential resumed = tinyNet();
        resumed.initialize(999);
        Trainer t = recipe(resumed).checkpoint(ckpt).resume(true).build();
        Trainer.Result rest = t.fit();
        assertEquals(3, rest.epochsDone());
        assertEquals(full.steps(), rest.steps());
        assertEquals(straight.params(), resumed.params(), "same parameters, bit for bit");
        assertEquals(full.history().doubleColumn("train_loss").asList(),
                rest.history().doubleColumn("train_loss").asList());
        assertEquals(full.history().doubleColumn("val_acc").asList(),
                rest.history().doubleColumn("val_acc").asList());

        // A checkpoint from another configuration is refused, with the differences listed.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recipe(tinyNet()).seed(5).batchSize(16).checkpoint(ckpt).resume(true).build().fit());
        assertTrue(e.getMessage().contains("seed") && e.getMessage().contains("batchSize"), e.getMessage());
    }

    @Test
    void divergenceGuardStopsOnAHugeLearningRate() {
        Sequential net = Sequential.input(32, 32, 3)
                .add(new Conv2d(3, 4, 3, 1)).add(new BatchNorm(4)).add(new MaxPool2d(4)).add(new ReLU())
                .add(new Flatten()).add(new Linear(8 * 8 * 4, 10))
                .dataType(DataType.FLOAT).seed(7).build();
        AtomicReference<INDArray> lastGood = new AtomicReference<>(net.params().dup());
        AtomicReference<INDArray> lastStats = new AtomicReference<>(net.buffers().dup());
        Trainer t = recipe(net).optimizer(sgd(1e4, 0.9))
                .listener(TrainingListener.everyBatch(p -> {
                    lastGood.set(net.params().dup());
                    lastStats.set(net.buffers().dup());
                })).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit);
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("lr 10000.0"), e.getMessage());
        assertEquals(1, e.epoch());
        assertTrue(e.batch() > 1, "the first steps are fine, batch " + e.batch());
        assertEquals(lastGood.get(), net.params(), "the failing step was not applied");
        assertEquals(lastStats.get(), net.buffers(), "BatchNorm statistics as before the failing step");
        assertTrue(Double.isFinite(net.params().sumNumber().doubleValue()));
    }

    @Test
    void interruptStopsAtABatchBoundaryAndFitContinuesExactly() {
        Sequential reference = tinyNet();
        recipe(reference).build().fit();

        Sequential net = tinyNet();
        Trainer t = recipe(net).listener(TrainingListener.everyBatch(p -> {
            if (p.epoch() == 2 && p.batch() == 3) {
                Thread.currentThread().interrupt();
            }
        })).build();
        Trainer.Result r = t.fit();
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertEquals(Trainer.StopReason.INTERRUPTED, r.reason());
        assertEquals(7 + 3, r.steps(), "stopped right after batch 3 of epoch 2");
        assertEquals(1, r.epochsDone());
        // The model is intact and usable...
        double acc = Evaluation.of(net, TEST, 50).accuracy();
        assertTrue(acc > 0.1, "accuracy " + acc);
        // ...and fit() continues from batch 4 of epoch 2 to the same end point as an uninterrupted run.
        Trainer.Result rest = t.fit();
        assertEquals(Trainer.StopReason.COMPLETED, rest.reason());
        assertEquals(reference.params(), net.params());
    }

    @Test
    void stopAndInterruptFromAnotherThread() throws Exception {
        for (boolean useInterrupt : new boolean[] {false, true}) {
            Sequential net = tinyNet();
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Trainer t = recipe(net).epochs(1000).listener(TrainingListener.everyBatch(p -> {
                if (p.epoch() == 1 && p.batch() == 2) {
                    reached.countDown();
                    try {
                        go.await(10, TimeUnit.SECONDS);   // keep the step count predictable
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            })).build();
            AtomicReference<Trainer.Result> result = new AtomicReference<>();
            Thread worker = new Thread(() -> result.set(t.fit()));
            worker.start();
            assertTrue(reached.await(30, TimeUnit.SECONDS));
            if (useInterrupt) {
                worker.interrupt();
            } else {
                t.stop();
            }
            go.countDown();
            worker.join(30_000);
            Trainer.Result r = result.get();
            assertEquals(useInterrupt ? Trainer.StopReason.INTERRUPTED : Trainer.StopReason.STOPPED, r.reason());
            assertEquals(2, r.steps());
            // Same parameters as a run that took exactly 2 steps.
            Sequential two = tinyNet();
            Trainer t2 = recipe(two).listener(TrainingListener.everyBatch(p -> {
                if (p.batch() == 2) {
                    Thread.currentThread().interrupt();
                }
            })).build();
            t2.fit();
            Thread.interrupted();
            assertEquals(two.params(), net.params());
        }
    }

    @Test
    void evaluationTables() {
        Sequential net = tinyNet();
        recipe(net).epochs(2).build().fit();
        Evaluation ev = Evaluation.of(net, TEST, 30);
        int[][] m = ev.confusion();
        int total = 0;
        int diagonal = 0;
        for (int t = 0; t < 10; t++) {
            int row = 0;
            for (int p = 0; p < 10; p++) {
                row += m[t][p];
            }
            assertEquals(TEST.classCounts()[t], row, "row " + t + " sums to the class count");
            total += row;
            diagonal += m[t][t];
        }
        assertEquals(100, total);
        assertEquals(diagonal / 100.0, ev.accuracy(), 1e-12);
        Table pc = ev.perClass();
        assertEquals(10, pc.rowCount());
        assertEquals(diagonal, pc.intColumn("correct").sum(), 1e-9);
        Table wrong = ev.misclassified();
        assertEquals(100 - diagonal, wrong.rowCount());
        int[] pred = ev.predictions();
        for (int i = 0; i < wrong.rowCount(); i++) {
            int idx = wrong.intColumn("index").get(i);
            assertEquals(TEST.label(idx), wrong.intColumn("true").get(i));
            assertEquals(pred[idx], wrong.intColumn("predicted").get(i));
            assertNotEquals(TEST.label(idx), pred[idx]);
        }
    }

    @Test
    void builderRejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(tinyNet()).train(TRAIN).build());
        assertThrows(IllegalArgumentException.class,
                () -> recipe(tinyNet()).batchSize(0).build());
        Sequential wrong = Sequential.input(4).add(new Linear(4, 10)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(wrong).train(TRAIN).optimizer(sgd(0.1, 0)).build());
        assertTrue(e.getMessage().contains("[32, 32, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void progressLine() {
        Progress p = new Progress(3, 10, 120, 391, 1.23456, 0.551, 2345.4, 245, 0.01);
        assertEquals("epoch 3/10  batch 120/391  loss 1.2346  acc 55.1%  2345 img/s  ETA 4:05", p.line());
        assertEquals("1:01:01", Progress.duration(3661));
    }
}
