package descent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads the vectors written by tools/torch/regularize_vectors.py ({"shape": [...], "data": [...]}), used by the
 * descent.regularize and descent.nn.norm tests.
 */
public final class TorchVectors {

    private TorchVectors() {
    }

    public static JsonNode load(String resource) {
        try (InputStream in = TorchVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static INDArray array(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode dataNode = node.get("data");
        double[] data = new double[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = dataNode.get(i).asDouble();
        }
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }
}
