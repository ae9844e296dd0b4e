package descent.optim;

import static descent.optim.BadInputTest.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Ema: an exponential moving average of the weights. */
class EmaTest {

    private static final double[][] PS = {{1, 2}, {3, -2}, {-1, 0.5}, {2, 2}};

    @Test
    void averagesByHand() {
        // decay 0.5: exact in binary; (1, 2) -> (2, 0) -> (0.5, 0.25) -> (1.25, 1.125)
        Ema half = new Ema(0.5);
        INDArray w = Nd4j.createFromArray(0.0, 0.0);
        double[][] expected = {{1, 2}, {2, 0}, {0.5, 0.25}, {1.25, 1.125}};
        for (int t = 0; t < PS.length; t++) {
            w.assign(Nd4j.createFromArray(PS[t]));
            half.update(w);
            assertArrayEquals(expected[t], half.average().toDoubleVector(), 0, "decay 0.5, update " + (t + 1));
        }
        assertEquals(4, half.count());

        // decay 0.9, computed independently in plain doubles
        Ema ema = new Ema(0.9);
        double[] avg = PS[0].clone();
        ema.update(Nd4j.createFromArray(PS[0]));
        for (int t = 1; t < PS.length; t++) {
            for (int i = 0; i < 2; i++) {
                avg[i] = 0.9 * avg[i] + 0.1 * PS[t][i];
            }
            ema.update(Nd4j.createFromArray(PS[t]));
            assertArrayEquals(avg, ema.average().toDoubleVector(), 1e-12, "decay 0.9, update " + (t + 1));
        }
    }

    @Test
    void warmupUsesMinOfDecayAndOnePlusTOverTenPlusT() {
        Ema ema = new Ema(0.999, true);
        assertEquals(0.1, ema.nextDecay(), 1e-15);       // the first update copies anyway
        double[] avg = PS[0].clone();
        ema.update(Nd4j.createFromArray(PS[0]));
        for (int t = 1; t < PS.length; t++) {
            double d = (1.0 + t) / (10.0 + t);       // 2/11, 3/12, 4/13: all below 0.999
            assertEquals(d, ema.nextDecay(), 1e-15);
            for (int i = 0; i < 2; i++) {
                avg[i] = d * avg[i] + (1 - d) * PS[t][i];
            }
            ema.update(Nd4j.createFromArray(PS[t]));
            assertArrayEquals(avg, ema.average().toDoubleVector(), 1e-12, "warmup, update " + (t + 1));
        }
        Ema capped = new Ema(0.5, true);
        for (int t = 0; t < 30; t++) {
            capped.update(Nd4j.createFromArray(PS[t % PS.length]));
        }
        assertEquals(0.5, capped.nextDecay(), "capped at decay");
    }

    @Test
    void swapIntoTwiceRestores() {
        Ema ema = new Ema(0.5);
        INDArray w = Nd4j.createFromArray(PS[0]).reshape(1, 2);
        ema.update(w);
        w.assign(Nd4j.createFromArray(PS[1]).reshape(1, 2));
        ema.update(w);                                       // avg = (2, 0), w = (3, -2)
        INDArray avg = ema.average();
        ema.swapInto(w);
        assertTrue(ema.swapped());
        assertArrayEquals(new double[] {2, 0}, w.toDoubleVector(), 0, "w holds the average");
        assertThrows(IllegalStateException.class, () -> ema.update(w));
        assertThrows(IllegalStateException.class, ema::average);
        assertThrows(IllegalStateException.class, ema::stateDict);
        rejects(() -> ema.swapInto(w.dup()), "swapped into another array");
        ema.swapInto(w);
        assertArrayEquals(new double[] {3, -2}, w.toDoubleVector(), 0, "w restored");
        assertSame(avg, ema.average(), "the average is the same array, not reallocated");
        assertArrayEquals(new double[] {2, 0}, ema.average().toDoubleVector(), 0, "average restored");
    }

    @Test
    void resumedEmaContinuesBitForBit() {
        Ema straight = new Ema(0.9, true);
        Ema first = new Ema(0.9, true);
        assertEquals(Map.of(), first.stateDict());
        for (int t = 0; t < 3; t++) {
            straight.update(Nd4j.createFromArray(PS[t]));
            first.update(Nd4j.createFromArray(PS[t]));
        }
        Map<String, INDArray> saved = first.stateDict();
        assertEquals(java.util.List.of("avg", "n_averaged"), java.util.List.copyOf(saved.keySet()));
        assertEquals(3.0, saved.get("n_averaged").getDouble(0));
        Ema second = new Ema(0.9, true);
        second.loadStateDict(saved);
        saved.get("avg").assign(123);       // a copy both ways
        for (int t = 3; t < 6; t++) {
            straight.update(Nd4j.createFromArray(PS[t % PS.length]));
            second.update(Nd4j.createFromArray(PS[t % PS.length]));
        }
        assertArrayEquals(straight.average().toDoubleVector(), second.average().toDoubleVector(), 0);
        assertEquals(straight.count(), second.count());
        second.loadStateDict(Map.of());
        assertEquals(0, second.count());
        assertThrows(IllegalStateException.class, second::average);
    }

    @Test
    void badArguments() {
        for (double d : new double[] {1, 1.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            rejects(() -> new Ema(d), "Ema", "decay", String.valueOf(d));
        }
        new Ema(0);      // decay 0: the average is the last weights
        Ema ema = new Ema(0.9);
        assertThrows(IllegalStateException.class, ema::average);
        assertThrows(IllegalStateException.class, () -> ema.swapInto(Nd4j.createFromArray(1.0, 2.0)));
        rejects(() -> ema.update(null), "params");
        rejects(() -> ema.update(Nd4j.createFromArray(1, 2)), "floating point");
        ema.update(Nd4j.createFromArray(1.0, 2.0));
        rejects(() -> ema.update(Nd4j.createFromArray(1.0, 2.0, 3.0)), "shape");
        rejects(() -> ema.update(Nd4j.createFromArray(1.0f, 2.0f)), "FLOAT", "DOUBLE");
        rejects(() -> ema.swapInto(Nd4j.createFromArray(1.0, 2.0, 3.0)), "shape");

        Map<String, INDArray> good = ema.stateDict();
        Map<String, INDArray> unknown = new LinkedHashMap<>(good);
        unknown.put("step", Nd4j.createFromArray(1.0));
        rejects(() -> ema.loadStateDict(unknown), "'step'");
        Map<String, INDArray> missing = new LinkedHashMap<>(good);
        missing.remove("n_averaged");
        rejects(() -> ema.loadStateDict(missing), "lacks state 'n_averaged'");
        Map<String, INDArray> zero = new LinkedHashMap<>(good);
        zero.put("n_averaged", Nd4j.createFromArray(0.0));
        rejects(() -> ema.loadStateDict(zero), "'n_averaged'");
        Map<String, INDArray> ints = new LinkedHashMap<>(good);
        ints.put("avg", Nd4j.createFromArray(1, 2));
        rejects(() -> ema.loadStateDict(ints), "'avg'", "floating point");
        assertArrayEquals(new double[] {1, 2}, ema.average().toDoubleVector(), 0, "nothing changed");
        assertEquals(DataType.DOUBLE, ema.average().dataType());
    }
}
