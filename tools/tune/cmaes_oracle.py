#!/usr/bin/python3
"""Reference values for descent.tune.CmaEsSampler's update, from the `cmaes` package 0.9.1 (what Optuna 3.1's
CmaEsSampler runs).

Run with Debian's interpreter (the `python3` on PATH lacks cmaes):

    /usr/bin/python3 tools/tune/cmaes_oracle.py

Writes lib/src/test/resources/descent/tune/cmaes.json with, per case (a dimension n, Optuna's start on the unit cube:
mean 1/2 everywhere, sigma 1/6, bounds [0, 1]):

  constants    popsize, mu, weights (positive and negative, eq. 53 of Hansen's tutorial), mu_eff, c_sigma, d_sigma,
               cc, c1, cmu, chi_n
  generations  for each of a few generations: the popsize points cmaes asked for (x) and their values on a rotated
               ellipsoid, and the state after tell(): mean, sigma, C, p_sigma, pc

The Java test replays the same points and values through its own tell() and compares the state, so any difference
is the update rule's alone (sampling is not compared: the generators differ).
"""
import json
import math
import os

import cmaes
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "lib", "src", "test", "resources", "descent", "tune", "cmaes.json")


def ellipsoid(x):
    """A rotated, shifted ellipsoid with condition number 100 (so that C has to learn off-diagonal terms)."""
    n = len(x)
    angle = 0.5
    z = np.asarray(x, dtype=float) - 0.3
    z[0], z[1] = math.cos(angle) * z[0] - math.sin(angle) * z[1], math.sin(angle) * z[0] + math.cos(angle) * z[1]
    scales = [100 ** (i / (n - 1)) for i in range(n)]
    return float(sum(s * v * v for s, v in zip(scales, z)))


def case(n, generations, seed):
    cma = cmaes.CMA(mean=np.full(n, 0.5), sigma=1 / 6, bounds=np.tile([0.0, 1.0], (n, 1)), seed=seed,
                    n_max_resampling=10 * n)
    out = {
        "n": n,
        "mean0": [0.5] * n,
        "sigma0": 1 / 6,
        "constants": {
            "popsize": cma.population_size,
            "mu": cma._mu,
            "weights": cma._weights.tolist(),
            "mu_eff": cma._mu_eff,
            "c_sigma": cma._c_sigma,
            "d_sigma": cma._d_sigma,
            "cc": cma._cc,
            "c1": cma._c1,
            "cmu": cma._cmu,
            "chi_n": cma._chi_n,
        },
        "generations": [],
    }
    for _ in range(generations):
        xs = [cma.ask() for _ in range(cma.population_size)]
        values = [ellipsoid(x) for x in xs]
        cma.tell(list(zip(xs, values)))
        out["generations"].append({
            "x": [x.tolist() for x in xs],
            "values": values,
            "mean": cma._mean.tolist(),
            "sigma": cma._sigma,
            "C": cma._C.tolist(),
            "p_sigma": cma._p_sigma.tolist(),
            "pc": cma._pc.tolist(),
        })
    return out


def main():
    assert cmaes.__version__ == "0.9.1", cmaes.__version__
    cases = [case(4, 6, seed=1), case(2, 3, seed=2), case(7, 2, seed=3)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"cmaes": cmaes.__version__, "cases": cases}, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
