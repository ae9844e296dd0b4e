package descent.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A random transformation of a batch of images {@code [N, C, H, W]}, applied to the training batches only.
 * Implementations return NEW arrays (the input is never modified) and are seeded, so a lecture re-run
 * draws the same transformations. Labels are never touched: {@link #apply(DataSet)} returns a batch
 * holding the transformed features and the very same labels object.
 *
 * <pre>{@code
 * Augmentation augment = new RandomCrop(4, 1)
 *         .then(new HorizontalFlip(0.5, 2))
 *         .then(new GaussianNoise(0.01, 3));
 * DataSet augmented = augment.apply(batch);   // features transformed, labels untouched
 * }</pre>
 */
public interface Augmentation {

    /** Transforms a batch of images {@code [N, C, H, W]} into a new array. */
    INDArray apply(INDArray images);

    /** Transforms the batch's features; the result holds the same labels (and masks) objects. */
    default DataSet apply(DataSet batch) {
        if (batch == null || batch.getFeatures() == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": batch and its features must not be null");
        }
        return new DataSet(apply(batch.getFeatures()), batch.getLabels(), batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray());
    }

    /** This augmentation, then {@code next}. */
    default AugmentationPipeline then(Augmentation next) {
        return AugmentationPipeline.of(this, next);
    }
}
