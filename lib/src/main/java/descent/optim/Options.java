package descent.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Option maps and argument checks shared by the optimizers (package-private plumbing). */
final class Options {

    private Options() {}

    /**
     * Merges {@code given} over {@code defaults} (insertion order of defaults), rejecting unknown
     * keys, null values and values outside each key's range.
     */
    static Map<String, Double> merge(String name, Map<String, Double> defaults,
            Map<String, Double> given) {
        if (given == null) {
            throw new IllegalArgumentException(name + ": options map is null (use Map.of())");
        }
        Map<String, Double> merged = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Double> e : given.entrySet()) {
            String key = e.getKey();
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException(name + ": unknown option '" + key
                        + "'; valid options are " + defaults.keySet());
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(name + ": option '" + key + "' is null");
            }
            merged.put(key, e.getValue());
        }
        for (Map.Entry<String, Double> e : merged.entrySet()) {
            check(name, e.getKey(), e.getValue());
        }
        return merged;
    }

    /** Range check for one option by its (PyTorch) name. */
    static void check(String name, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": option '" + key + "' must be finite, got "
                    + value);
        }
        switch (key) {
            case "beta1", "beta2" -> {
                if (value < 0 || value >= 1) {
                    throw new IllegalArgumentException(name + ": option '" + key
                            + "' must be in [0, 1), got " + value);
                }
            }
            case "alpha", "rho" -> {
                if (value < 0 || value > 1) {
                    throw new IllegalArgumentException(name + ": option '" + key
                            + "' must be in [0, 1], got " + value);
                }
            }
            default -> {
                // lr, eps, weight_decay, momentum, lr_decay, initial_accumulator_value,
                // momentum_decay: torch requires >= 0 for all of them
                if (value < 0) {
                    throw new IllegalArgumentException(name + ": option '" + key
                            + "' must be >= 0, got " + value);
                }
            }
        }
    }

    static Map<String, Double> ordered(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], ((Number) keyValues[i + 1]).doubleValue());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Checks one (params, grad) pair before a step. */
    static void checkStep(String name, INDArray params, INDArray grad) {
        if (params == null || grad == null) {
            throw new IllegalArgumentException(name + ".step: params and grad must not be null");
        }
        if (!params.equalShapes(grad)) {
            throw new IllegalArgumentException(name + ".step: params shape "
                    + java.util.Arrays.toString(params.shape()) + " != grad shape "
                    + java.util.Arrays.toString(grad.shape()));
        }
        if (!params.dataType().isFPType() || params.dataType() != grad.dataType()) {
            throw new IllegalArgumentException(name + ".step: params (" + params.dataType()
                    + ") and grad (" + grad.dataType()
                    + ") must have the same floating-point data type");
        }
        checkFinite(name + ".step", "grad", grad);
    }

    /** Throws if {@code a} has a NaN or infinite entry, naming the first offending index. */
    static void checkFinite(String where, String what, INDArray a) {
        descent.Checks.finite(where, what, a);
    }
}
