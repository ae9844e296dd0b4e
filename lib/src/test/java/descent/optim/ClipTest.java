package descent.optim;

import descent.testing.Close;
import descent.testing.TorchVectors;

import static descent.testing.TorchVectors.array;
import static descent.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/** Gradient clipping against torch.nn.utils.clip_grad_value_ / clip_grad_norm_ and by hand. */
class ClipTest {

    private static final JsonNode VECTORS = TorchVectors.load("/descent/optim/clip.json");

    static List<INDArray> arrays(JsonNode list) {
        List<INDArray> out = new ArrayList<>();
        list.forEach(n -> out.add(array(n)));
        return out;
    }

    @Test
    void matchesTorch() {
        int value = 0;
        int norm = 0;
        for (JsonNode c : VECTORS.get("cases")) {
            List<INDArray> grads = arrays(c.get("grads"));
            List<INDArray> expected = arrays(c.get("clipped"));
            String kind = c.get("kind").asText();
            if (kind.equals("value")) {
                double v = c.get("clip_value").asDouble();
                Clip.byValue(grads, v);
                value++;
            } else {
                double m = c.get("max_norm").asDouble();
                double total = Clip.byGlobalNorm(grads, m);
                assertClose(c.get("total_norm").asDouble(), total, 1e-12, 0, "total norm");
                norm++;
            }
            for (int i = 0; i < grads.size(); i++) {
                assertClose(expected.get(i), grads.get(i), 1e-12, 0, kind + " case, grad " + i);
            }
        }
        assertEquals(3, value);
        assertEquals(4, norm);
    }

    @Test
    void byHand() {
        // (3, 4) has norm 5; maxNorm 1 -> coef = 1/(5 + 1e-6) -> (3, 4)/(5 + 1e-6)
        INDArray g = Nd4j.createFromArray(3.0, 4.0);
        assertEquals(5.0, Clip.byGlobalNorm(1.0, g), 0);
        assertEquals(3.0 / (5 + 1e-6), g.getDouble(0), 1e-16);
        assertEquals(4.0 / (5 + 1e-6), g.getDouble(1), 1e-16);
        // two arrays (3) and (4): the global norm is 5, not 3 + 4
        INDArray a = Nd4j.createFromArray(3.0);
        INDArray b = Nd4j.createFromArray(4.0);
        assertEquals(5.0, Clip.globalNorm(List.of(a, b)), 0);
        assertEquals(5.0, Clip.byGlobalNorm(10.0, a, b), 0);
        assertEquals(3.0, a.getDouble(0), 0);
        // by value: clamp each entry to [-1, 1]
        INDArray v = Nd4j.createFromArray(-2.5, 0.5, 7.0);
        assertSame(v, Clip.byValue(v, 1.0));
        assertEquals(Nd4j.createFromArray(-1.0, 0.5, 1.0), v);
    }

    @Test
    void badInput() {
        INDArray g = Nd4j.ones(DataType.DOUBLE, 3);
        assertThrows(IllegalArgumentException.class, () -> Clip.byValue(g, -1));
        assertThrows(IllegalArgumentException.class, () -> Clip.byValue(g, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Clip.byGlobalNorm(-1, g));
        assertThrows(IllegalArgumentException.class,
                () -> Clip.byGlobalNorm(Double.POSITIVE_INFINITY, g));
        INDArray bad = Nd4j.createFromArray(1.0, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clip.byGlobalNorm(1.0, g, bad));
        assertEquals(true, e.getMessage().contains("grads[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Clip.byValue(bad, 1.0));
    }
}
