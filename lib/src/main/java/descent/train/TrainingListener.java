package descent.train;

import tech.tablesaw.api.Table;

/**
 * Callbacks from {@link Trainer#fit()}, on the training thread. A notebook can redraw a chart in
 * {@link #onEpoch} and a progress line in {@link #onBatch}; keep them quick, they run between steps.
 */
public interface TrainingListener {

    /** After every training step. */
    default void onBatch(Progress progress) {
    }

    /** After every epoch (and its evaluation and checkpoint); {@code history} has one row per epoch so far. */
    default void onEpoch(Progress progress, Table history) {
    }

    /** A listener that only cares about batches. */
    static TrainingListener everyBatch(java.util.function.Consumer<Progress> action) {
        return new TrainingListener() {
            @Override
            public void onBatch(Progress progress) {
                action.accept(progress);
            }
        };
    }

    /** A listener that only cares about epochs. */
    static TrainingListener everyEpoch(java.util.function.BiConsumer<Progress, Table> action) {
        return new TrainingListener() {
            @Override
            public void onEpoch(Progress progress, Table history) {
                action.accept(progress, history);
            }
        };
    }
}
