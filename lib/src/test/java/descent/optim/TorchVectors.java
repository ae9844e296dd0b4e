package descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Loads the vectors written by tools/torch/optim_vectors.py, and compares arrays. */
public final class TorchVectors {

    private TorchVectors() {}

    public static JsonNode load(String file) {
        String path = "/descent/optim/" + file;
        try (InputStream in = TorchVectors.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path
                        + " (run /usr/bin/python3 tools/torch/optim_vectors.py)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested JSON list of numbers as a double INDArray of the same shape (a number: rank 0). */
    public static INDArray array(JsonNode node) {
        List<Long> shape = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            shape.add((long) n.size());
            n = n.get(0);
        }
        List<Double> flat = new ArrayList<>();
        flatten(node, flat);
        double[] data = flat.stream().mapToDouble(Double::doubleValue).toArray();
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        return Nd4j.create(data, s, DataType.DOUBLE);
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(c -> flatten(c, out));
        } else {
            out.add(node.asDouble());
        }
    }

    public static double[] doubles(JsonNode node) {
        double[] d = new double[node.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = node.get(i).asDouble();
        }
        return d;
    }

    /**
     * Asserts {@code |actual - expected| <= rel * |expected| + abs} elementwise, with equal
     * shapes.
     */
    public static void assertClose(INDArray expected, INDArray actual, double rel, double abs,
            String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.dup().data().asDouble();
        double[] a = actual.dup().data().asDouble();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= rel * Math.abs(e[i]) + abs)) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]
                        + " (diff " + (a[i] - e[i]) + ")");
            }
        }
    }

    public static void assertClose(double expected, double actual, double rel, double abs,
            String what) {
        if (!(Math.abs(actual - expected) <= rel * Math.abs(expected) + abs)) {
            fail(what + ": expected " + expected + " but was " + actual + " (diff "
                    + (actual - expected) + ")");
        }
    }
}
