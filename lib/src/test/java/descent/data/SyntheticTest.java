package descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Synthetic.Classification;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SyntheticTest {

    /** Shapes, types, and that labels and oneHot say the same thing. */
    static void assertWellFormed(Classification data, int n, int classes) {
        assertArrayEquals(new long[] {n, 2}, data.x().shape());
        assertArrayEquals(new long[] {n, 1}, data.labels().shape());
        assertArrayEquals(new long[] {n, classes}, data.oneHot().shape());
        assertEquals(DataType.DOUBLE, data.x().dataType());
        assertEquals(DataType.DOUBLE, data.labels().dataType());
        assertEquals(DataType.DOUBLE, data.oneHot().dataType());
        assertEquals(n, data.size());
        assertEquals(classes, data.numClasses());
        for (int i = 0; i < n; i++) {
            double label = data.labels().getDouble(i, 0);
            assertEquals(Math.rint(label), label);
            for (int k = 0; k < classes; k++) {
                assertEquals(k == label ? 1.0 : 0.0, data.oneHot().getDouble(i, k));
            }
        }
    }

    static void assertSame(Classification a, Classification b) {
        assertArrayEquals(a.x().data().asDouble(), b.x().data().asDouble(), 0.0);
        assertArrayEquals(a.labels().data().asDouble(), b.labels().data().asDouble(), 0.0);
        assertArrayEquals(a.oneHot().data().asDouble(), b.oneHot().data().asDouble(), 0.0);
    }

    @Test
    void twoMoonsShapesCountsAndReproducibility() {
        Classification moons = Synthetic.twoMoons(101, 0.1, 42);
        assertWellFormed(moons, 101, 2);
        assertArrayEquals(new long[] {50, 51}, moons.classCounts()); // n / 2 rounded down, then the rest
        assertSame(moons, Synthetic.twoMoons(101, 0.1, 42));
        assertFalse(java.util.Arrays.equals(moons.x().data().asDouble(),
                Synthetic.twoMoons(101, 0.1, 43).x().data().asDouble()));
    }

    @Test
    void twoMoonsWithoutNoiseLieOnTheirArcs() {
        Classification moons = Synthetic.twoMoons(40, 0.0, 1);
        for (int i = 0; i < 40; i++) {
            double a = moons.x().getDouble(i, 0);
            double b = moons.x().getDouble(i, 1);
            if (moons.labels().getDouble(i, 0) == 0) { // upper arc: unit circle around (0, 0), b >= 0
                assertEquals(1.0, a * a + b * b, 1e-12);
                assertTrue(b >= -1e-12);
            } else { // lower arc: unit circle around (1, 0.5), b <= 0.5
                assertEquals(1.0, (a - 1) * (a - 1) + (b - 0.5) * (b - 0.5), 1e-12);
                assertTrue(b <= 0.5 + 1e-12);
            }
        }
    }

    @Test
    void twoMoonsAreShuffled() {
        Classification moons = Synthetic.twoMoons(200, 0.1, 7);
        int changes = 0;
        for (int i = 1; i < 200; i++) {
            if (moons.labels().getDouble(i, 0) != moons.labels().getDouble(i - 1, 0)) {
                changes++;
            }
        }
        // unshuffled there would be 1 change; a random order has about 100
        assertTrue(changes > 50, "label changes: " + changes);
    }

    @Test
    void spiralsShapesCountsAndReproducibility() {
        Classification spirals = Synthetic.spirals(301, 3, 0.2, 5);
        assertWellFormed(spirals, 301, 3);
        assertArrayEquals(new long[] {101, 100, 100}, spirals.classCounts());
        assertSame(spirals, Synthetic.spirals(301, 3, 0.2, 5));
        assertArrayEquals(new long[] {10, 10, 10, 10, 10}, Synthetic.spirals(50, 5, 0.2, 5).classCounts());
    }

    @Test
    void spiralsWithoutNoiseFollowTheirArms() {
        // arm k: radius r in [0, 1], angle 2 pi k / C + 4 r, point (r sin t, r cos t)
        int classes = 4;
        Classification spirals = Synthetic.spirals(80, classes, 0.0, 3);
        for (int i = 0; i < 80; i++) {
            double a = spirals.x().getDouble(i, 0);
            double b = spirals.x().getDouble(i, 1);
            double r = Math.hypot(a, b);
            assertTrue(r <= 1 + 1e-12);
            if (r > 1e-9) {
                double t = 2 * Math.PI * spirals.labels().getDouble(i, 0) / classes + 4 * r;
                assertEquals(r * Math.sin(t), a, 1e-12);
                assertEquals(r * Math.cos(t), b, 1e-12);
            }
        }
    }

    @Test
    void imbalancedCountsAndCentres() {
        Classification data = Synthetic.imbalanced(1900, 100, 3.0, 11);
        assertWellFormed(data, 2000, 2);
        assertArrayEquals(new long[] {1900, 100}, data.classCounts());
        assertSame(data, Synthetic.imbalanced(1900, 100, 3.0, 11));
        // class means of unit-variance blobs: (-1.5, 0) and (1.5, 0); standard errors 1/sqrt(1900) = 0.023 and
        // 1/sqrt(100) = 0.1, so 0.5 is 5 standard errors for the minority
        double[] sumX = new double[2];
        double[] sumY = new double[2];
        for (int i = 0; i < 2000; i++) {
            int k = (int) data.labels().getDouble(i, 0);
            sumX[k] += data.x().getDouble(i, 0);
            sumY[k] += data.x().getDouble(i, 1);
        }
        assertEquals(-1.5, sumX[0] / 1900, 0.12);
        assertEquals(0.0, sumY[0] / 1900, 0.12);
        assertEquals(1.5, sumX[1] / 100, 0.5);
        assertEquals(0.0, sumY[1] / 100, 0.5);
    }

    @Test
    void badArguments() {
        assertMessage(() -> Synthetic.twoMoons(1, 0.1, 0), "n", ">= 2", "1");
        assertMessage(() -> Synthetic.twoMoons(10, -0.1, 0), "noise", "-0.1");
        assertMessage(() -> Synthetic.twoMoons(10, Double.NaN, 0), "noise", "NaN");
        assertMessage(() -> Synthetic.spirals(10, 1, 0.1, 0), "classes", ">= 2");
        assertMessage(() -> Synthetic.spirals(2, 3, 0.1, 0), "n", ">= 3");
        assertMessage(() -> Synthetic.spirals(30, 3, -1, 0), "noise");
        assertMessage(() -> Synthetic.imbalanced(0, 5, 1.0, 0), "nMajority");
        assertMessage(() -> Synthetic.imbalanced(5, 0, 1.0, 0), "nMinority");
        assertMessage(() -> Synthetic.imbalanced(5, 5, -1.0, 0), "separation");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message '" + message + "' lacks '" + fragment + "'");
        }
    }
}
