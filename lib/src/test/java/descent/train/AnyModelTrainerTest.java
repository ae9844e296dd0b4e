package descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Dataset;
import descent.data.Synthetic;
import descent.loss.Losses;
import descent.nn.norm.BatchNorm;
import descent.nn.Dropout;
import descent.nn.Linear;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.optim.Optimizers;
import descent.optim.schedule.CosineAnnealingLR;
import descent.regularize.EarlyStopping;
import descent.regularize.L2Penalty;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** The Trainer on data that is not CIFAR: an MLP on three spirals, with descent.optim, a schedule and a loss. */
class AnyModelTrainerTest {

    @TempDir
    Path tmp;

    static final Synthetic.Classification TRAIN = Synthetic.spirals(600, 3, 0.1, 1);
    static final Synthetic.Classification VAL = Synthetic.spirals(300, 3, 0.1, 2);

    static Sequential mlp(long seed) {
        return Sequential.input(2)
                .add(new Linear(2, 64)).add(new BatchNorm(64)).add(new ReLU()).add(new Dropout(0.1))
                .add(new Linear(64, 64)).add(new BatchNorm(64)).add(new ReLU())
                .add(new Linear(64, 3))
                .dataType(DataType.FLOAT).seed(seed).build();
    }

    static Dataset data(Synthetic.Classification c) {
        return Dataset.of(c.x().castTo(DataType.FLOAT), c.oneHot().castTo(DataType.FLOAT));
    }

    @Test
    void theIssueSnippetTrainsAThreeClassMlpToNinetyFivePercent() {
        Sequential model = mlp(3);
        int epochs = 15;
        int steps = epochs * (600 / 32 + 1);
        Trainer t = Trainer.builder(model)
                .train(data(TRAIN)).validation(data(VAL))
                .optimizer(Optimizers.create("adamw", Map.of("lr", 0.01)))
                .schedule(new CosineAnnealingLR(0.01, steps, 0.0))
                .loss(Losses.create("cross_entropy"))
                .batchSize(32).epochs(epochs).seed(1).build();
        Trainer.Result r = t.fit();
        assertEquals(Trainer.StopReason.COMPLETED, r.reason());
        assertEquals(steps, r.steps());
        Table h = r.history();
        double acc = h.doubleColumn("val_acc").get(epochs - 1);
        System.out.println("the issue snippet: 3-class MLP validation accuracy " + acc + " after " + epochs + " epochs");
        assertTrue(acc >= 0.95, "validation accuracy " + acc);
        // the schedule ran per batch: the last epoch ended at the cosine's last step
        assertEquals(new CosineAnnealingLR(0.01, steps, 0.0).lr(steps - 1), h.doubleColumn("lr").get(epochs - 1), 1e-15);
        assertEquals(acc, Evaluation.of(model, data(VAL), 100).accuracy(), 1e-12, "history = Evaluation");
    }

    @Test
    void resumesExactlyWithAdamStateInTheCheckpoint() {
        Path ckpt = tmp.resolve("mlp.ckpt");
        Sequential straight = mlp(4);
        recipe(straight, 4).build().fit();
        recipe(mlp(4), 2).checkpoint(ckpt).build().fit();
        Sequential resumed = mlp(99);
        Trainer.Result r = recipe(resumed, 4).checkpoint(ckpt).resume(true).build().fit();
        assertEquals(4, r.epochsDone());
        assertEquals(straight.params(), resumed.params(), "bit for bit: parameters, buffers and Adam's moments restored");
        assertEquals(straight.buffers(), resumed.buffers());
    }

    private static Trainer.Builder recipe(Sequential m, int epochs) {
        return Trainer.builder(m).train(data(TRAIN)).validation(data(VAL))
                .optimizer(Optimizers.create("adam", Map.of("lr", 0.01)))
                .schedule(new CosineAnnealingLR(0.01, 4 * 19, 0.0))
                .penalty(new L2Penalty(1e-4)).clipGradNorm(5)
                .batchSize(32).epochs(epochs).seed(2);
    }

    @Test
    void regressionTargetsGiveLossButNoAccuracy() {
        INDArray x = Nd4j.linspace(-1, 1, 64, DataType.FLOAT).reshape(64, 1);
        INDArray y = x.mul(3).addi(1);
        Sequential lin = Sequential.input(1).add(new Linear(1, 1)).seed(0).build();
        Trainer.Result r = Trainer.builder(lin).train(Dataset.of(x, y)).validation(Dataset.of(x, y))
                .optimizer(Optimizers.create("sgd", Map.of("lr", 0.1))).loss(Losses.create("mse"))
                .batchSize(16).epochs(40).build().fit();
        Table h = r.history();
        assertTrue(Double.isNaN(h.doubleColumn("train_acc").getDouble(39)) && Double.isNaN(h.doubleColumn("val_acc").getDouble(39)));
        assertTrue(h.doubleColumn("val_loss").get(39) < 1e-4, "mse " + h.doubleColumn("val_loss").get(39));
        assertEquals(3.0, lin.params().getDouble(0), 1e-2);
    }

    @Test
    void earlyStoppingRestoresTheBestEpoch() {
        Sequential m = mlp(5);
        EarlyStopping stop = EarlyStopping.minimize("val_loss").patience(2);
        Trainer.Result r = Trainer.builder(m).train(data(TRAIN)).validation(data(VAL))
                .optimizer(Optimizers.create("sgd", Map.of("lr", 3.0))).earlyStopping(stop)     // far too large: noisy
                .batchSize(32).epochs(60).seed(1).build().fit();
        assertEquals(Trainer.StopReason.EARLY_STOPPED, r.reason());
        assertEquals(stop.bestEpoch() + 2, r.epochsDone(), "two epochs without improvement, then stop");
        double best = r.history().doubleColumn("val_loss").get(stop.bestEpoch() - 1);
        assertEquals(best, Evaluation.of(m, data(VAL), 300).loss(), 1e-6, "the best epoch's parameters are back");
    }

    @Test
    void clearErrorsForMismatchedDataAndBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(mlp(1)).train(Dataset.of(Nd4j.zeros(DataType.FLOAT, 10, 5),
                        Nd4j.zeros(DataType.FLOAT, 10, 3))).optimizer(Optimizers.create("sgd")).build());
        assertTrue(e.getMessage().contains("features [5]") && e.getMessage().contains("maps [2] to [3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(Nd4j.zeros(10, 2), Nd4j.zeros(9, 3)));
        assertTrue(e.getMessage().contains("10 feature rows but 9 target rows"), e.getMessage());
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 4, 2);
        nan.putScalar(1, 1, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(nan, Nd4j.zeros(DataType.FLOAT, 4, 1)));
        assertTrue(e.getMessage().contains("features hold NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(mlp(1)).train(data(TRAIN))
                .optimizer(Optimizers.create("sgd")).clipGradNorm(Double.NaN).build());
        assertTrue(e.getMessage().contains("clipGradNorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(mlp(1)).train(data(TRAIN))
                .optimizer(Optimizers.create("sgd")).earlyStopping(EarlyStopping.minimize("val_los")).build());
        assertTrue(e.getMessage().contains("'val_los'") && e.getMessage().contains("val_loss"), e.getMessage());
    }
}
