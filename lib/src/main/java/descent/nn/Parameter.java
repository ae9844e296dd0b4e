package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable tensor of a network as an optimizer sees it: its value and its gradient, both views into the
 * network's flat vectors (so updating {@code value} in place updates the network). Names follow torch's
 * {@code named_parameters()}: {@code "0.weight"}, {@code "0.bias"}, {@code "3.weight"} (layer index, then the
 * tensor's name).
 *
 * @param name layer index and tensor name, e.g. {@code "2.weight"}
 * @param value the parameter values (a view)
 * @param grad the gradient of the last backward pass (a view, same shape)
 */
public record Parameter(String name, INDArray value, INDArray grad) {

    /**
     * Whether the tensor is named {@code weight}: a matrix or kernel, the tensors L1/L2 penalties usually cover, and
     * also a normalization layer's scale γ (named {@code weight}, as in torch).
     */
    public boolean isWeight() {
        return name.endsWith(".weight");
    }
}
