package descent.testing;

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

/**
 * Reads the reference vectors that the scripts in tools/torch wrote with PyTorch (committed as test resources): the
 * one reader of every torch-vector test. Arrays come in two forms: {@code {"shape": [...], "data": [...]}}
 * (regularize_vectors.py) or nested lists (optim_vectors.py, loss_vectors.py).
 */
public final class TorchVectors {

    private TorchVectors() {
    }

    /** The JSON document at {@code resource}, e.g. {@code /descent/optim/optimizers.json}. */
    public static JsonNode load(String resource) {
        try (InputStream in = TorchVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + " (written by a script in tools/torch, run with /usr/bin/python3)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An array as a DOUBLE INDArray: {@code {"shape", "data"}}, a nested list (its shape), or a number (rank 0). */
    public static INDArray array(JsonNode node) {
        if (node.isObject()) {
            JsonNode shapeNode = node.get("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            return Nd4j.create(doubles(node.get("data")), shape, DataType.DOUBLE);
        }
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = node; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        List<Double> flat = new ArrayList<>();
        flatten(node, flat);
        double[] data = flat.stream().mapToDouble(Double::doubleValue).toArray();
        return Nd4j.create(data, shape.stream().mapToLong(Long::longValue).toArray(), DataType.DOUBLE);
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(c -> flatten(c, out));
        } else {
            out.add(node.asDouble());
        }
    }

    /** A flat JSON list of numbers. */
    public static double[] doubles(JsonNode node) {
        double[] d = new double[node.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = node.get(i).asDouble();
        }
        return d;
    }
}
