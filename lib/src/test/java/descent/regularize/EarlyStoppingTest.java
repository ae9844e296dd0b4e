package descent.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EarlyStoppingTest {

    /** Live "model" weights that a fake training loop overwrites in place every epoch. */
    private static Map<String, INDArray> liveWeights() {
        Map<String, INDArray> w = new LinkedHashMap<>();
        w.put("W", Nd4j.zeros(DataType.DOUBLE, 2, 3));
        w.put("b", Nd4j.zeros(DataType.DOUBLE, 3));
        return w;
    }

    /** The weights the fake training loop holds after {@code epoch}: distinct for every epoch. */
    private static void train(Map<String, INDArray> w, int epoch) {
        w.get("W").assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(epoch), 2, 3));
        w.get("b").assign(epoch * 0.5);
    }

    @Test
    void restoresExactlyTheBestEpochsWeightsAndReportsThatEpoch() {
        List<Double> valLoss = List.of(1.0, 0.8, 0.6, 0.65, 0.7, 0.9, 0.95);
        EarlyStopping stop = EarlyStopping.minimize("val_loss").patience(3);
        Map<String, INDArray> w = liveWeights();
        Map<String, INDArray> atEpoch3 = null;
        int epoch = 0;
        while (!stop.shouldStop()) {
            epoch++;
            train(w, epoch);
            if (epoch == 3) {
                atEpoch3 = Map.of("W", w.get("W").dup(), "b", w.get("b").dup());
            }
            stop.update(epoch, valLoss.get(epoch - 1), w);
        }
        // best 0.6 at epoch 3; epochs 4, 5, 6 do not improve -> stop after epoch 6
        assertEquals(6, epoch);
        assertEquals(3, stop.bestEpoch());
        assertEquals(0.6, stop.bestValue());
        assertNotEquals(atEpoch3.get("W"), w.get("W"), "live weights moved on after epoch 3");

        INDArray liveW = w.get("W");
        assertEquals(3, stop.restoreBest(w));
        assertEquals(atEpoch3.get("W"), w.get("W"));
        assertEquals(atEpoch3.get("b"), w.get("b"));
        assertTrue(liveW == w.get("W"), "restored in place, into the same arrays");
    }

    @Test
    void savedCopiesAreNotAliasesOfTheLiveWeights() {
        EarlyStopping stop = EarlyStopping.minimize("loss");
        Map<String, INDArray> w = liveWeights();
        train(w, 1);
        stop.update(1, 0.5, w);
        INDArray saved = w.get("b").dup();
        w.get("b").addi(100); // training continues in place
        assertEquals(saved, stop.bestWeights().get("b"));
    }

    @Test
    void patienceCountsConsecutiveEpochsWithoutImprovementAndResetsOnImprovement() {
        EarlyStopping stop = EarlyStopping.minimize("loss").patience(2);
        Map<String, INDArray> w = liveWeights();
        assertTrue(stop.update(1, 1.0, w));
        assertFalse(stop.update(2, 1.1, w));
        assertFalse(stop.shouldStop(), "1 bad epoch < patience 2");
        assertTrue(stop.update(3, 0.9, w), "improvement resets the counter");
        assertEquals(0, stop.epochsWithoutImprovement());
        assertFalse(stop.update(4, 0.95, w));
        assertFalse(stop.shouldStop());
        assertFalse(stop.update(5, 0.9, w), "equal to best is no improvement");
        assertTrue(stop.shouldStop(), "2 bad epochs == patience 2");
        assertEquals(3, stop.bestEpoch());
    }

    @Test
    void minDeltaRequiresImprovementsLargerThanIt() {
        EarlyStopping stop = EarlyStopping.minimize("loss").patience(5).minDelta(0.1);
        Map<String, INDArray> w = liveWeights();
        stop.update(1, 1.0, w);
        assertFalse(stop.update(2, 0.95, w), "1.0 - 0.95 = 0.05 < minDelta 0.1");
        assertFalse(stop.update(3, 0.9, w), "1.0 - 0.9 = 0.1 is not > 0.1 (strict, as Keras)");
        assertTrue(stop.update(4, 0.85, w), "1.0 - 0.85 = 0.15 > 0.1");
        assertEquals(4, stop.bestEpoch());
        assertEquals(0.85, stop.bestValue());
    }

    @Test
    void maxModeForAccuracyPicksTheLargestValueByName() {
        EarlyStopping stop = EarlyStopping.maximize("val_acc").patience(2);
        Map<String, INDArray> w = liveWeights();
        double[] acc = {0.5, 0.7, 0.65, 0.72, 0.71, 0.70};
        int epoch = 0;
        while (!stop.shouldStop()) {
            epoch++;
            train(w, epoch);
            stop.update(epoch, Map.of("val_loss", 1.0 / epoch, "val_acc", acc[epoch - 1]), w);
        }
        assertEquals(6, epoch);
        assertEquals(4, stop.restoreBest(w));
        assertEquals(2.0, w.get("b").getDouble(0), "b = 4 * 0.5 at epoch 4");
    }

    @Test
    void nanNeverImproves() {
        EarlyStopping stop = EarlyStopping.minimize("loss").patience(1);
        Map<String, INDArray> w = liveWeights();
        stop.update(1, 2.0, w);
        assertFalse(stop.update(2, Double.NaN, w));
        assertTrue(stop.shouldStop());
        assertEquals(1, stop.bestEpoch());
    }

    @Test
    void badInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EarlyStopping.minimize("loss").patience(0));
        assertTrue(e.getMessage().contains("patience"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.minimize("loss").minDelta(-0.1));
        assertTrue(e.getMessage().contains("minDelta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.minimize("loss").minDelta(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());

        EarlyStopping stop = EarlyStopping.minimize("val_loss");
        e = assertThrows(IllegalArgumentException.class,
                () -> stop.update(1, Map.of("loss", 1.0), liveWeights()));
        assertTrue(e.getMessage().contains("val_loss") && e.getMessage().contains("[loss]"), e.getMessage());

        assertThrows(IllegalStateException.class, () -> stop.restoreBest(liveWeights()));
        stop.update(1, 1.0, liveWeights());
        Map<String, INDArray> other = Map.of("W", Nd4j.zeros(DataType.DOUBLE, 2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> stop.restoreBest(other));
        assertTrue(e.getMessage().contains("keys"), e.getMessage());
        Map<String, INDArray> wrongShape = liveWeights();
        wrongShape.get("W").assign(7);                      // "W" comes first and fits ...
        wrongShape.put("b", Nd4j.zeros(DataType.DOUBLE, 4)); // ... "b" does not
        e = assertThrows(IllegalArgumentException.class, () -> stop.restoreBest(wrongShape));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
        assertEquals(7.0, wrongShape.get("W").getDouble(0), "nothing restored when any shape is wrong");
    }
}
