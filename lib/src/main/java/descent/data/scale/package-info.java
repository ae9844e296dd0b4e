/**
 * Input scalers fitted on the training data only: {@link descent.data.scale.StandardScaler} (z-score) and
 * {@link descent.data.scale.MinMaxScaler}, both with explicit handling of constant features.
 */
package descent.data.scale;
