/**
 * Normalization layers with hand-written forward and backward passes on ND4J arrays:
 * {@link descent.nn.norm.BatchNorm}, {@link descent.nn.norm.LayerNorm}, {@link descent.nn.norm.InstanceNorm}.
 * All follow PyTorch's conventions (biased variance to normalize; BatchNorm's running variance unbiased;
 * eps inside the square root; gamma = 1, beta = 0 at start). The shared formulas are on
 * {@link descent.nn.norm.NormLayer}.
 */
package descent.nn.norm;
