/**
 * Regularization: weight penalties coupled to the loss ({@link descent.regularize.L1Penalty},
 * {@link descent.regularize.L2Penalty}), decoupled weight decay ({@link descent.regularize.DecoupledWeightDecay}),
 * inverted {@link descent.regularize.Dropout}, {@link descent.regularize.EarlyStopping}, and seeded image
 * augmentations ({@link descent.regularize.RandomCrop}, {@link descent.regularize.HorizontalFlip},
 * {@link descent.regularize.GaussianNoise}, composed by {@link descent.regularize.AugmentationPipeline}).
 */
package descent.regularize;
