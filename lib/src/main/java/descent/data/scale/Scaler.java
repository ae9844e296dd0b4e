package descent.data.scale;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-feature input scaling learned from the TRAINING data only, then applied unchanged to
 * validation and test data (fitting on test data would leak its statistics into the model).
 *
 * <p>Features are the entries of axis 1: columns of {@code [N, F]} data, channels of
 * {@code [N, C, H, W]} images (statistics then pool over N, H, W: per-channel scaling). To scale every
 * pixel separately, reshape images to {@code [N, C*H*W]} first.
 *
 * <pre>{@code
 * StandardScaler scaler = new StandardScaler().fit(xTrain);
 * INDArray zTrain = scaler.transform(xTrain);
 * INDArray zTest  = scaler.transform(xTest);      // train's mean and std, not test's
 * }</pre>
 */
public interface Scaler {

    /** Learns the statistics of {@code train} (rank >= 2, N >= 1, no NaN/infinite values); returns this. */
    Scaler fit(INDArray train);

    /** Scales {@code x} with the fitted statistics (a new DOUBLE array). */
    INDArray transform(INDArray x);

    /** Undoes {@link #transform}: {@code inverseTransform(transform(x)) == x} up to rounding. */
    INDArray inverseTransform(INDArray z);

    /** {@code fit(train)} then {@code transform(train)}. */
    default INDArray fitTransform(INDArray train) {
        return fit(train).transform(train);
    }

    boolean isFitted();

    /** Number of features (size of axis 1) seen by {@link #fit}. */
    long numFeatures();
}
