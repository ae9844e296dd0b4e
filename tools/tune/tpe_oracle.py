#!/usr/bin/python3
"""Reference values for descent.tune.ParzenEstimator and TpeSampler, from Optuna 3.1's TPE.

Run with Debian's interpreter (the `python3` on PATH lacks optuna):

    /usr/bin/python3 tools/tune/tpe_oracle.py

Writes lib/src/test/resources/descent/tune/tpe_parzen.json with

  estimators  one case per Parzen estimator: the dimensions (as descent.tune.Space would declare them), the
              observations and query points (external values: floats, ints, category names), and what Optuna's
              _ParzenEstimator (consider_prior, prior_weight 1.0, magic clip, consider_endpoints=False,
              default_weights) computes from them: the component weights, and per dimension the mus and sigmas or the
              categorical weights, and the log-density Optuna gives every query point.
  splits      trials in every state (pruned ones with and without intermediate values) and, for every size k of the
              good group, which trials Optuna's _get_observation_pairs / _split_observation_pairs put "below" (the
              group of l(x), in trial order); the rest are "above" (g(x)). Minimizing and maximizing.

Units. Optuna works on each dimension's internal scale (log x for log dimensions, [lo - 1/2, hi + 1/2] for integers);
descent works on [0, 1] (the same affine map of Optuna's [low, high]). So the script writes
    mu_unit = (mu - low) / (high - low),  sigma_unit = sigma / (high - low).
The log-densities need no conversion: Optuna 3.1 scores a continuous component by log phi(z) - log(Phi(b) - Phi(a))
with z = (x - mu) / sigma, a = (low - mu) / sigma, b = (high - mu) / sigma, all unchanged by an affine map. (It
leaves out the -log(sigma) of a scaled density, Optuna issue #5109, changed in Optuna 3.5; descent keeps Optuna 3.1's
form.) Integer cells and categories give probabilities, which no map changes.
"""
import json
import os

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import (
    _get_observation_pairs,
    _split_observation_pairs,
    default_gamma,
    default_weights,
)
from optuna.trial import TrialState, create_trial

assert optuna.__version__.startswith("3.1"), optuna.__version__

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "lib", "src", "test", "resources", "descent", "tune", "tpe_parzen.json")


def distribution(dim):
    """The Optuna distribution of a descent dimension {"name", "kind", "lo", "hi", "categories"}."""
    kind = dim["kind"]
    if kind == "UNIFORM":
        return FloatDistribution(dim["lo"], dim["hi"])
    if kind == "LOG_UNIFORM":
        return FloatDistribution(dim["lo"], dim["hi"], log=True)
    if kind == "INTEGER":
        return IntDistribution(dim["lo"], dim["hi"])
    if kind == "LOG_INTEGER":
        return IntDistribution(dim["lo"], dim["hi"], log=True)
    return CategoricalDistribution(dim["categories"])


def uniform(name, lo, hi):
    return {"name": name, "kind": "UNIFORM", "lo": lo, "hi": hi}


def log_uniform(name, lo, hi):
    return {"name": name, "kind": "LOG_UNIFORM", "lo": lo, "hi": hi}


def integer(name, lo, hi):
    return {"name": name, "kind": "INTEGER", "lo": lo, "hi": hi}


def log_integer(name, lo, hi):
    return {"name": name, "kind": "LOG_INTEGER", "lo": lo, "hi": hi}


def categorical(name, *categories):
    return {"name": name, "kind": "CATEGORICAL", "categories": list(categories)}


def internal(dist, values):
    dtype = int if isinstance(dist, CategoricalDistribution) else float
    return np.asarray([dist.to_internal_repr(v) for v in values], dtype=dtype)


def estimator(label, space, observations, queries, multivariate=False):
    dists = {d["name"]: distribution(d) for d in space}
    params = _ParzenEstimatorParameters(
        consider_prior=True,
        prior_weight=1.0,
        consider_magic_clip=True,
        consider_endpoints=False,
        weights=default_weights,
        multivariate=multivariate,
    )
    obs = {name: internal(dists[name], observations[name]) for name in dists}
    pe = _ParzenEstimator(obs, dists, params)
    query_internal = {name: internal(dists[name], queries[name]) for name in dists}
    dims = []
    for d in space:
        name, dist = d["name"], dists[d["name"]]
        if isinstance(dist, CategoricalDistribution):
            dims.append({"categorical_weights": pe._categorical_weights[name].tolist()})
            continue
        low, high = pe._low[name], pe._high[name]
        dims.append({
            "low": low,
            "high": high,
            "mus": pe._mus[name].tolist(),
            "sigmas": pe._sigmas[name].tolist(),
            "mus_unit": ((pe._mus[name] - low) / (high - low)).tolist(),
            "sigmas_unit": (pe._sigmas[name] / (high - low)).tolist(),
        })
    return {
        "label": label,
        "multivariate": multivariate,
        "space": space,
        "observations": observations,
        "queries": queries,
        "weights": pe._weights.tolist(),
        "dimensions": dims,
        "log_pdf": pe.log_pdf(query_internal).tolist(),
    }


def splits():
    """Trials in every state, and Optuna's below/above groups (minimizing and maximizing)."""
    x = FloatDistribution(0.0, 1.0)
    specs = [  # (state, value, intermediate values)
        ("COMPLETE", 3.0, {}),
        ("PRUNED", None, {1: 0.5, 2: 0.7}),
        ("COMPLETE", 1.0, {0: 9.0}),
        ("FAIL", None, {}),
        ("PRUNED", None, {1: 0.2}),
        ("COMPLETE", 2.0, {}),
        ("RUNNING", None, {}),
        ("PRUNED", None, {}),
        ("COMPLETE", 5.0, {}),
        ("PRUNED", None, {2: 0.1}),
        ("COMPLETE", 0.5, {}),
        ("COMPLETE", 4.0, {}),
    ] + [("COMPLETE", float(v), {}) for v in (7, 6, 8, 9, 0.25, 11, 12, 13, 10)]
    cases = []
    for direction in ("minimize", "maximize"):
        study = optuna.create_study(direction=direction)
        trials = []
        for number, (state, value, inter) in enumerate(specs):
            study.add_trial(create_trial(
                state=TrialState[state],
                value=value,
                params={"x": number / 100},
                distributions={"x": x},
                intermediate_values=inter,
            ))
            trials.append({"number": number, "state": "FAILED" if state == "FAIL" else state, "value": value,
                           "intermediate": {str(k): v for k, v in inter.items()}})
        values, scores, _ = _get_observation_pairs(study, ["x"])
        numbers = [round(v * 100) for v in values["x"]]
        n = len(scores)
        below_by_size = []
        for k in range(n + 1):
            below, _ = _split_observation_pairs(scores, k, None)
            below_by_size.append([numbers[i] for i in below])
        cases.append({
            "direction": direction,
            "trials": trials,
            "n": n,
            "gamma": default_gamma(n),
            "below_by_size": below_by_size,
        })
    return cases


def main():
    rng = np.random.RandomState(0)
    estimators = [
        estimator("uniform, 6 observations", [uniform("x", -2.0, 3.0)],
                  {"x": [-1.5, 0.25, 0.3, 2.9, 1.0, -2.0]},
                  {"x": [-2.0, -1.0, 0.0, 0.27, 1.7, 3.0]}),
        estimator("uniform, 1 observation (the endpoints rule needs two)", [uniform("x", 0.0, 1.0)],
                  {"x": [0.9]}, {"x": [0.1, 0.5, 0.95]}),
        estimator("uniform, no observation (the prior alone)", [uniform("x", 0.0, 10.0)],
                  {"x": []}, {"x": [0.0, 5.0, 9.0]}),
        estimator("uniform, 40 observations (ramped weights, magic clip)", [uniform("x", 0.0, 1.0)],
                  {"x": rng.uniform(0, 1, 40).tolist()}, {"x": [0.0, 0.123, 0.5, 0.77, 1.0]}),
        estimator("log-uniform", [log_uniform("lr", 1e-4, 1e-1)],
                  {"lr": [1e-3, 3e-3, 2e-2, 1.5e-4, 5e-2]}, {"lr": [1e-4, 5e-4, 1e-2, 0.09]}),
        estimator("integer", [integer("n", 1, 10)],
                  {"n": [2, 3, 3, 9, 10]}, {"n": [1, 2, 3, 5, 8, 10]}),
        estimator("log-integer", [log_integer("batch", 8, 256)],
                  {"batch": [8, 32, 64, 200]}, {"batch": [8, 16, 100, 256]}),
        estimator("categorical", [categorical("opt", "sgd", "adam", "rmsprop")],
                  {"opt": ["adam", "adam", "sgd", "adam"]}, {"opt": ["sgd", "adam", "rmsprop"]}),
        estimator("multivariate, every kind", [
            uniform("x", -1.0, 1.0), log_uniform("lr", 1e-4, 1e-1), integer("n", 0, 4),
            log_integer("batch", 8, 256), categorical("opt", "sgd", "adam")],
            {"x": [-0.5, 0.1, 0.8], "lr": [1e-3, 2e-2, 1e-4], "n": [0, 2, 4], "batch": [16, 8, 128],
             "opt": ["adam", "sgd", "adam"]},
            {"x": [-0.4, 0.0, 0.9], "lr": [1e-3, 5e-3, 0.1], "n": [0, 1, 4], "batch": [8, 20, 256],
             "opt": ["sgd", "adam", "adam"]},
            multivariate=True),
        estimator("multivariate, discrete only", [integer("n", 0, 4), categorical("opt", "sgd", "adam")],
                  {"n": [1, 1, 3], "opt": ["sgd", "adam", "adam"]}, {"n": [0, 1, 3], "opt": ["adam", "sgd", "adam"]},
                  multivariate=True),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"optuna": optuna.__version__, "estimators": estimators, "splits": splits()}, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
