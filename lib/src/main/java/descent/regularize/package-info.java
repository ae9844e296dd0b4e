/**
 * Regularization that acts on parameters or on training: weight penalties coupled to the loss
 * ({@link descent.regularize.L1Penalty}, {@link descent.regularize.L2Penalty}), decoupled weight decay
 * ({@link descent.regularize.DecoupledWeightDecay}) and {@link descent.regularize.EarlyStopping}; the
 * {@link descent.train.Trainer} applies each of them (penalty, decoupledWeightDecay, earlyStopping). Dropout is a
 * layer ({@link descent.nn.Dropout}); augmentation is a batch transform of the data
 * ({@link descent.data.Augmentation}).
 */
package descent.regularize;
