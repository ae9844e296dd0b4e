package descent.regularize;

import java.util.Arrays;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by this package; every failure names the offending value. */
final class Checks {

    private Checks() {
    }

    /** A coefficient such as lambda: finite and >= 0. */
    static double nonNegative(String owner, String what, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be a number, got NaN");
        }
        if (Double.isInfinite(value) || value < 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    static INDArray notNull(String owner, String what, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(owner + ": " + what + " must not be null");
        }
        return a;
    }

    static void sameShape(String owner, String whatA, INDArray a, String whatB, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(owner + ": " + whatA + " shape " + Arrays.toString(a.shape())
                    + " does not match " + whatB + " shape " + Arrays.toString(b.shape()));
        }
    }

    /** Both maps must hold exactly the same keys. */
    static void sameKeys(String owner, String whatA, Map<String, ?> a, String whatB, Map<String, ?> b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(owner + ": " + (a == null ? whatA : whatB) + " must not be null");
        }
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException(owner + ": " + whatA + " keys " + a.keySet() + " do not match "
                    + whatB + " keys " + b.keySet());
        }
    }

    /** A batch of images: rank 4, [N, C, H, W]. */
    static void images(String owner, INDArray images) {
        notNull(owner, "images", images);
        if (images.rank() != 4) {
            throw new IllegalArgumentException(owner + ": expected images [N, C, H, W], got shape "
                    + Arrays.toString(images.shape()));
        }
    }
}
