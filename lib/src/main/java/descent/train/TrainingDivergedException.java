package descent.train;

/**
 * Training stopped because the loss (or a gradient) became NaN or infinite, or the loss exceeded the divergence
 * limit. The model keeps the parameters (and BatchNorm statistics) it had before the failing step.
 */
public class TrainingDivergedException extends IllegalStateException {

    private final int epoch;
    private final int batch;
    private final double loss;

    public TrainingDivergedException(int epoch, int batch, double loss, String message) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** Epoch (1-based) of the failing step. */
    public int epoch() {
        return epoch;
    }

    /** Batch (1-based, within the epoch) of the failing step. */
    public int batch() {
        return batch;
    }

    /** The offending loss value. */
    public double loss() {
        return loss;
    }
}
