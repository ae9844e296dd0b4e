package descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Cifar10;
import descent.data.Dataset;
import descent.data.Synthetic;
import descent.nn.Backend;
import descent.nn.Linear;
import descent.nn.Parameter;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.optim.Lookahead;
import descent.optim.Optimizers;
import descent.regularize.L2Penalty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer's parameter options (freeze, lrMultiplier, penalty on chosen tensors) and the speedrun recipe. */
class SpeedrunTest {

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);
    }

    static Dataset blobs() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 64, 4);
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 4; j++) {
                x.putScalar(i, j, r.nextDouble() - 0.5);
            }
        }
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 64, 3);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, i % 3, 1.0);
            x.putScalar(i, i % 3, x.getDouble(i, i % 3) + 1.0);
        }
        return Dataset.of(x, y);
    }

    static Sequential mlp() {
        return Sequential.input(4).add(new Linear(4, 8)).add(new ReLU()).add(new Linear(8, 3))
                .dataType(DataType.DOUBLE).seed(4).build();
    }

    static Parameter named(Sequential net, String name) {
        return net.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void frozenParametersKeepTheirValuesOthersTrain() {
        Sequential net = mlp();
        INDArray w0 = named(net, "0.weight").value().dup();
        INDArray b0 = named(net, "0.bias").value().dup();
        Trainer t = Trainer.builder(net).train(blobs()).batchSize(16).epochs(2).seed(1)
                .optimizer(Optimizers.create("momentum", Map.of("lr", 0.1, "momentum", 0.9)))
                .penalty(new L2Penalty(0.01), net.parameters())
                .freeze(List.of(named(net, "0.weight"))).build();
        t.fit();
        assertEquals(w0, named(net, "0.weight").value(), "a frozen tensor must not move, penalty or not");
        assertNotEquals(b0, named(net, "0.bias").value());
    }

    @Test
    void freezeRefusesTheOptimizersOwnWeightDecay() {
        Sequential net = mlp();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(net)
                .train(blobs()).optimizer(Optimizers.create("sgd", Map.of("lr", 0.1, "weight_decay", 1e-3)))
                .freeze(List.of(named(net, "0.weight"))).build());
        assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
        Sequential other = mlp();
        Parameter foreign = new Parameter("9.weight", other.params(), other.grads());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(net).freeze(List.of(foreign)));
    }

    @Test
    void lrMultiplierIsALargerLearningRateForThoseTensors() {
        // Plain SGD, one full batch: the step of "2.bias" with multiplier 4 at lr 0.05 equals the step at lr 0.2.
        Dataset data = blobs();
        Sequential a = mlp();
        Trainer.builder(a).train(data).batchSize(64).epochs(1).seed(1)
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.05)))
                .lrMultiplier(List.of(named(a, "2.bias")), 4).build().fit();
        Sequential b = mlp();
        Trainer.builder(b).train(data).batchSize(64).epochs(1).seed(1)
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.2))).build().fit();
        Sequential c = mlp();
        Trainer.builder(c).train(data).batchSize(64).epochs(1).seed(1)
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.05))).build().fit();
        assertEquals(named(b, "2.bias").value(), named(a, "2.bias").value());
        assertEquals(named(c, "0.weight").value(), named(a, "0.weight").value());
        Sequential d = mlp();
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(d).train(data)
                .optimizer(Optimizers.create("adam")).lrMultiplier(List.of(named(d, "2.bias")), 4).build());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(d).lrMultiplier(d.parameters(), -1));
    }

    @Test
    void dropLastSkipsThePartialBatchAndTestTimeFlipIsUsedForValidation() {
        Sequential net = mlp();
        Trainer t = Trainer.builder(net).train(blobs()).batchSize(24).epochs(3).seed(1).dropLast(true)
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.1))).build();
        Trainer.Result r = t.fit();
        assertEquals(3 * 2, r.steps(), "64 examples in batches of 24: 2 full batches per epoch, the 16 left over skipped");
        Sequential all = mlp();
        assertEquals(3 * 3, Trainer.builder(all).train(blobs()).batchSize(24).epochs(3).seed(1)
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.1))).build().fit().steps());
        // flip TTA needs image-shaped examples: the [4]-feature blobs are refused with a clear message
        Sequential flat = mlp();
        Trainer tta = Trainer.builder(flat).train(blobs()).validation(blobs()).batchSize(16).epochs(1).seed(1)
                .testTimeFlip(true).optimizer(Optimizers.create("sgd", Map.of("lr", 0.1))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tta::fit);
        assertTrue(e.getMessage().toLowerCase().contains("image"), e.getMessage());
    }

    @Test
    void recipeUnitsFollowAirbench() {
        Speedrun r = Speedrun.recipe().batchSize(512);
        double kilostep = 1024 * (1 + 1 / (1 - 0.85));
        assertEquals(11.5 / kilostep * 512, r.stepLr(), 1e-12);
        assertEquals(0.0153 * 512 / kilostep / r.stepLr(), r.l2(), 1e-15);
        assertEquals(8 * 1, Speedrun.recipe().epochs(8).batchSize(512).steps(1000));
        assertThrows(IllegalArgumentException.class, () -> Speedrun.recipe().labelSmoothing(1.5));
        assertThrows(IllegalArgumentException.class, () -> Speedrun.recipe().epochs(0));
    }

    @Test
    void aSmallSpeedrunTrainsAndEndsOnTheSlowWeights() {
        Cifar10 train = Synthetic.cifar10(1024, 1, Cifar10.Split.TRAIN);
        Cifar10 test = Synthetic.cifar10(128, 2, Cifar10.Split.TEST);
        // batch 256: BatchNorm's momentum scales with the batch (0.12 here), so its running statistics need steps
        Speedrun run = Speedrun.recipe().widths(8, 16).epochs(4).batchSize(256).seed(3);
        Sequential net = run.model(train);
        INDArray whitened = net.layers().get(0).parameters().get(0).value().dup();
        Trainer t = run.trainer(net, train, test).build();
        Trainer.Result r = t.fit();
        assertEquals(4, r.epochsDone());
        assertEquals(whitened, net.layers().get(0).parameters().get(0).value(), "the whitened layer is frozen");
        assertTrue(t.optimizer() instanceof Lookahead);
        Evaluation ev = run.finish(t, test);
        assertTrue(ev.accuracy() > 0.2, "synthetic classes are easy; got " + ev.accuracy());
        // the recipe's TTA is airbench94's default, flip + translations; finish(.., tta) evaluates the same slow
        // weights under another one
        assertEquals(Evaluation.Tta.FLIP_TRANSLATE, run.tta());
        assertEquals(ev.loss(), run.finish(t, test, Evaluation.Tta.FLIP_TRANSLATE).loss());
        assertEquals(Evaluation.of(net, test, Speedrun.EVAL_BATCH, descent.loss.Losses.create("cross_entropy"),
                Evaluation.Tta.FLIP_TRANSLATE).loss(), ev.loss(), "finish evaluates the slow weights it synced");
        Evaluation two = run.finish(t, test, Evaluation.Tta.FLIP);
        assertNotEquals(ev.loss(), two.loss());
        assertEquals("flip_translate", Speedrun.recipe().describe().get("tta"));
        assertEquals("flip", Speedrun.recipe().flipTta(true).describe().get("tta"));
        assertEquals(Evaluation.Tta.NONE, Speedrun.recipe().flipTta(false).tta());
        assertEquals(Evaluation.Tta.NONE, Speedrun.baseline().tta());
        assertThrows(IllegalArgumentException.class, () -> Speedrun.recipe().tta(null));
        Speedrun base = Speedrun.baseline().widths(8, 16).epochs(1).batchSize(64);
        Trainer tb = base.trainer(base.model(train), train, test).build();
        assertEquals("nesterov", tb.optimizer().name());
        tb.fit();
        assertArrayEquals(new int[] {1}, new int[] {tb.epochsDone()});
    }
}
