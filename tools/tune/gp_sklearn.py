#!/usr/bin/python3
"""Reference values for descent.tune.GaussianProcess, produced by scikit-learn 1.2.1.

Run with Debian's interpreter (the pyenv `python3` on PATH does not see sklearn):

    /usr/bin/python3 tools/tune/gp_sklearn.py

Writes lib/src/test/resources/descent/tune/gp_sklearn.json: a list of cases. Each case is a random data
set in the unit cube (2-D and 5-D, 15 to 30 points) and FIXED kernel hyper-parameters,

    k(a, b) = signal * Matern(a, b; length_scale = [l_1, ..., l_d], nu = 2.5) + noise * [a == b]

i.e. ConstantKernel(signal) * Matern(length_scale, nu=2.5) + WhiteKernel(noise), fitted by
GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=0.0): no hyper-parameter search,
no extra jitter, targets standardized (mean 0, population standard deviation 1) as descent.tune does.
Each case records
  x, y            the training data (n x d, n)
  length_scales, signal_variance, noise_variance
  x_test          test points (m x d)
  mean, sd        posterior mean and standard deviation of the latent function f at x_test (original
                  units; sd without the noise: predicted with the fitted model's kernel_.k1, the
                  Constant * Matern part, which reuses the Cholesky factor of the full kernel)
  sd_noisy        sklearn's own return_std (f plus the white noise)
  lml             log_marginal_likelihood_value_ (of the standardized targets)
  lml_gradient    d lml / d theta, theta = log of (signal_variance, length_scales..., noise_variance),
                  sklearn's kernel.theta order
"""
import json
import os

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "lib", "src", "test", "resources", "descent", "tune", "gp_sklearn.json")

# (dimensions, training points, noise variance, seed)
CASES = [(2, 15, 1e-2, 0), (2, 25, 1e-4, 1), (5, 20, 1e-3, 2), (5, 30, 5e-2, 3)]


def case(d, n, noise, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, d))
    w = rng.normal(size=d)
    y = np.sin(3.0 * x @ w) + (x ** 2).sum(axis=1) + 10.0 + 0.05 * rng.normal(size=n)
    length_scales = rng.uniform(0.2, 1.5, size=d)
    signal = float(rng.uniform(0.5, 2.0))
    kernel = (ConstantKernel(signal) * Matern(length_scale=length_scales, nu=2.5)
              + WhiteKernel(noise_level=noise))
    gp = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=0.0).fit(x, y)
    x_test = np.vstack([rng.uniform(size=(8, d)), x[:2]])  # two training points among the tests
    _, sd_noisy = gp.predict(x_test, return_std=True)
    lml, grad = gp.log_marginal_likelihood(gp.kernel_.theta, eval_gradient=True)
    assert abs(lml - gp.log_marginal_likelihood_value_) < 1e-12
    gp.kernel_ = gp.kernel_.k1  # the latent f: same L_ and alpha_, no white noise in the test variance
    mean, sd = gp.predict(x_test, return_std=True)
    return {
        "x": x.tolist(), "y": y.tolist(),
        "length_scales": length_scales.tolist(), "signal_variance": signal, "noise_variance": noise,
        "x_test": x_test.tolist(), "mean": mean.tolist(), "sd": sd.tolist(), "sd_noisy": sd_noisy.tolist(),
        "lml": float(lml), "lml_gradient": grad.tolist(),
    }


def main():
    cases = [case(*c) for c in CASES]
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1)
    print("wrote", OUT, [len(c["y"]) for c in cases])


if __name__ == "__main__":
    main()
