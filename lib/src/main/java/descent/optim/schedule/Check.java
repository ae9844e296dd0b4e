package descent.optim.schedule;

/** Argument checks for schedules (package-private). */
final class Check {

    private Check() {}

    static void step(String who, int step) {
        if (step < 0) {
            throw new IllegalArgumentException(who + ": step must be >= 0, got " + step);
        }
    }

    static void nonNegative(String who, String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(who + ": " + what + " must be finite and >= 0, got " + v);
        }
    }

    static void positive(String who, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(who + ": " + what + " must be finite and > 0, got " + v);
        }
    }

    static void positive(String who, String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(who + ": " + what + " must be >= 1, got " + v);
        }
    }

    static void unit(String who, String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(who + ": " + what + " must be in [0, 1], got " + v);
        }
    }
}
