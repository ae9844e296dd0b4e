package descent.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the {@link Trainer} needs from an optimizer: one in-place update of a flat parameter vector from its
 * gradient, and a learning rate it can read and set (for schedules).
 *
 * <p>The methods are exactly those of {@code descent.optim.Optimizer}, so that interface can replace this one
 * without other changes. An optimizer with internal state (momentum buffers) should also implement
 * {@link HasState} so checkpoints can save and restore it.
 */
public interface UpdateRule {

    /** Updates {@code params} in place from {@code grad} (same shape). */
    void step(INDArray params, INDArray grad);

    /** Current learning rate. */
    double lr();

    /** Sets the learning rate for the next steps. */
    void setLr(double lr);

    /** Short name with hyper-parameters, e.g. {@code SGD(lr=0.01, momentum=0.9)}. */
    String name();

    /** Forgets all internal state (momentum buffers, step counts). */
    void reset();

    /**
     * Any {@code descent.optim} optimizer as an update rule, so the trainer runs with every rule of notebook 04:
     * {@code UpdateRule.of(Optimizers.create("adam", Map.of("lr", 1e-3)))}. Its internal state (moments) is not
     * part of checkpoints: a resumed run restarts those moments; use {@link SgdMomentum} for exact resumes.
     */
    static UpdateRule of(descent.optim.Optimizer optimizer) {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        return new UpdateRule() {
            @Override
            public void step(INDArray params, INDArray grad) {
                optimizer.step(params, grad);
            }

            @Override
            public double lr() {
                return optimizer.lr();
            }

            @Override
            public void setLr(double lr) {
                optimizer.setLr(lr);
            }

            @Override
            public String name() {
                return optimizer.name() + optimizer.options();
            }

            @Override
            public void reset() {
                optimizer.reset();
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    /** Optimizer state that a checkpoint must hold for an exact resume. */
    interface HasState {
        /**
         * The state arrays for a parameter vector of the given length and type (created if needed). A checkpoint
         * saves them and, on resume, assigns saved values into them.
         */
        java.util.List<INDArray> state(long length, org.nd4j.linalg.api.buffer.DataType type);
    }
}
