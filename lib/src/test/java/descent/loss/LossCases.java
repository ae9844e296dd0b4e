package descent.loss;

import descent.testing.TorchVectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/** The PyTorch reference vectors written by tools/torch/loss_vectors.py. */
final class LossCases {

    /** One case: a loss with options, its inputs, and torch's value and gradient. */
    record Case(String loss, Map<String, Double> options, String note, long[] shape, double[] prediction,
            double[] target, double value, double[] gradient) {

        INDArray predictionArray() {
            return Nd4j.create(prediction, shape, 'c');
        }

        INDArray targetArray() {
            return Nd4j.create(target, shape, 'c');
        }

        @Override
        public String toString() {
            return loss + options + " " + note;
        }
    }

    static final String RESOURCE = "/descent/loss/loss_vectors.json";

    private LossCases() {}

    static JsonNode document() {
        return TorchVectors.load(RESOURCE);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : document().get("cases")) {
            Map<String, Double> options = new LinkedHashMap<>();
            c.get("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asDouble()));
            long[] shape = new long[c.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = c.get("shape").get(i).asLong();
            }
            cases.add(new Case(c.get("loss").asText(), options, c.get("note").asText(), shape,
                    TorchVectors.doubles(c.get("prediction")), TorchVectors.doubles(c.get("target")), c.get("value").asDouble(),
                    TorchVectors.doubles(c.get("gradient"))));
        }
        return cases;
    }
}
