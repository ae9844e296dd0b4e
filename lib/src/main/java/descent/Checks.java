package descent;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The library's argument checks, in one place: every failure is an {@link IllegalArgumentException} whose message
 * starts with the owner (the class or call that refused), names the argument and shows the value.
 */
public final class Checks {

    private Checks() {
    }

    /** A coefficient such as lambda or a learning rate: a number, finite and >= 0. Returns it. */
    public static double nonNegative(String owner, String what, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be a number, got NaN");
        }
        if (Double.isInfinite(value) || value < 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** A number, finite and > 0. Returns it. */
    public static double positive(String owner, String what, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be a number, got NaN");
        }
        if (Double.isInfinite(value) || value <= 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /** A count: >= 1. Returns it. */
    public static int atLeastOne(String owner, String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(owner + ": " + what + " must be >= 1, got " + value);
        }
        return value;
    }

    /** A step index: >= 0. */
    public static int step(String owner, int step) {
        if (step < 0) {
            throw new IllegalArgumentException(owner + ": step must be >= 0, got " + step);
        }
        return step;
    }

    /** A fraction in [0, 1]. Returns it. */
    public static double unit(String owner, String what, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1], got " + value);
        }
        return value;
    }

    /** Not null. Returns it. */
    public static <T> T notNull(String owner, String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(owner + ": " + what + " must not be null");
        }
        return value;
    }

    /** Two arrays of the same shape. */
    public static void sameShape(String owner, String whatA, INDArray a, String whatB, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(owner + ": " + whatA + " shape " + Arrays.toString(a.shape())
                    + " does not match " + whatB + " shape " + Arrays.toString(b.shape()));
        }
    }

    /** Two maps with exactly the same keys. */
    public static void sameKeys(String owner, String whatA, Map<String, ?> a, String whatB, Map<String, ?> b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(owner + ": " + (a == null ? whatA : whatB) + " must not be null");
        }
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException(owner + ": " + whatA + " keys " + a.keySet() + " do not match "
                    + whatB + " keys " + b.keySet());
        }
    }

    /** Every entry finite; otherwise names the first bad entry, its flat index and the shape. */
    public static void finite(String owner, String what, INDArray a) {
        if (a.isEmpty() || Double.isFinite(a.sumNumber().doubleValue())) {
            return; // a finite sum implies finite entries (NaN or +-inf would propagate)
        }
        INDArray bad = a.isInfinite().castTo(DataType.INT32).addi(a.isNaN().castTo(DataType.INT32));
        if (bad.maxNumber().intValue() > 0) { // else: finite entries whose sum overflowed
            long first = Nd4j.argMax(bad.reshape(-1)).getLong(0);
            double v = a.reshape(-1).getDouble(first);
            throw new IllegalArgumentException(owner + ": " + what + " has a non-finite entry " + v
                    + " at flat index " + first + " (shape " + Arrays.toString(a.shape()) + ")");
        }
    }
}
