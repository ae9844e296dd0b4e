package descent.train;

import descent.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class UpdateRuleAdapterTest {
    @Test
    void descentOptimMomentumEqualsTheTrainersSgdMomentumStepForStep() {
        UpdateRule adapted = UpdateRule.of(Optimizers.create("momentum", Map.of("lr", 0.05, "momentum", 0.9)));
        UpdateRule builtIn = new SgdMomentum(0.05, 0.9);
        INDArray a = Nd4j.createFromArray(1.0, -2.0, 0.5);
        INDArray b = a.dup();
        for (int t = 0; t < 10; t++) {
            // the same deterministic gradient of f(p) = sum(p^4)/4 + sum(p^2), computed from each side's params
            adapted.step(a, a.mul(a).mul(a).add(a.mul(2)));
            builtIn.step(b, b.mul(b).mul(b).add(b.mul(2)));
        }
        assertArrayEquals(b.toDoubleVector(), a.toDoubleVector(), 1e-12);
        assertEquals(DataType.DOUBLE, a.dataType());
    }

    @Test
    void learningRateIsReadAndSetThroughTheAdapter() {
        var opt = Optimizers.create("adam", Map.of("lr", 0.01));
        UpdateRule rule = UpdateRule.of(opt);
        assertEquals(0.01, rule.lr());
        rule.setLr(0.002);
        assertEquals(0.002, opt.lr());
        assertTrue(rule.name().startsWith("adam"), rule.name());
        assertThrows(IllegalArgumentException.class, () -> rule.setLr(Double.NaN));
    }
}
