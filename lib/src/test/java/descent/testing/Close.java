package descent.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise closeness: |actual - expected| <= tol * (1 + |expected|), shapes equal. */
public final class Close {

    private Close() {
    }

    public static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double worst = 0;
        long worstAt = -1;
        for (long i = 0; i < expected.length(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            double excess = Math.abs(a - e) / (1 + Math.abs(e));
            if (!(excess <= worst) || Double.isNaN(a)) {
                worst = Double.isNaN(a) ? Double.POSITIVE_INFINITY : excess;
                worstAt = i;
            }
        }
        if (worst > tol) {
            fail(what + ": element " + worstAt + " expected " + expected.getDouble(worstAt) + " got "
                    + actual.getDouble(worstAt) + " (scaled error " + worst + " > " + tol + ")");
        }
    }

    /** Largest |actual - expected|, for reporting measured differences. */
    public static double maxAbsDiff(INDArray expected, INDArray actual) {
        return expected.sub(actual).amaxNumber().doubleValue();
    }

    /** {@code |actual - expected| <= rel * |expected| + abs} elementwise, with equal shapes. */
    public static void assertClose(INDArray expected, INDArray actual, double rel, double abs, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.dup().data().asDouble();
        double[] a = actual.dup().data().asDouble();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= rel * Math.abs(e[i]) + abs)) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + " (diff " + (a[i] - e[i]) + ")");
            }
        }
    }

    /** {@code |actual - expected| <= rel * |expected| + abs}. */
    public static void assertClose(double expected, double actual, double rel, double abs, String what) {
        if (!(Math.abs(actual - expected) <= rel * Math.abs(expected) + abs)) {
            fail(what + ": expected " + expected + " but was " + actual + " (diff " + (actual - expected) + ")");
        }
    }
}
