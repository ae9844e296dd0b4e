#!/usr/bin/python3
"""The three test functions of the sampler comparison, written exactly as in Java
(bench/src/main/java/descent/bench/TestFunctions.java): same constants, same formulas, same order of operations.

    /usr/bin/python3 tools/tune/functions.py     # writes the points the Java test checks against

- branin: x1 uniform in [-5, 10], x2 uniform in [0, 15]; minimum 0.397887357729738 at (-pi, 12.275), (pi, 2.275)
  and (9.42478, 2.475). Budget 30 trials.
- hartmann6: six dims uniform in [0, 1] with the standard A, P and alpha; minimum -3.32236801141551 near
  (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573). Budget 60 trials.
- mixed: a synthetic "training loss" over lr log-uniform [1e-5, 1], momentum uniform [0, 0.99], width log-integer
  [8, 512] and optimizer categorical (sgd, momentum, adam, rmsprop); minimum 0 at adam, lr 1e-3, momentum 0.9,
  width 64. Budget 40 trials. See mixed() for the formula.

The points file (a JSON list of {"function", "params", "value"}) goes to
lib/src/test/resources/descent/tune/test_functions.json.
"""
import json
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POINTS = ROOT / "lib/src/test/resources/descent/tune/test_functions.json"


def branin(x1, x2):
    """Branin-Hoo: a (x2 - b x1^2 + c x1 - r)^2 + s (1 - t) cos(x1) + s."""
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    u = x2 - b * x1 * x1 + c * x1 - 6
    return u * u + 10 * (1 - t) * math.cos(x1) + 10


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
HARTMANN_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(x):
    """Hartmann-6: -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)."""
    total = 0.0
    for i in range(4):
        s = 0.0
        for j in range(6):
            d = x[j] - HARTMANN_P[i][j]
            s += HARTMANN_A[i][j] * d * d
        total += HARTMANN_ALPHA[i] * math.exp(-s)
    return -total


# Per optimizer: (offset, best log10 of the effective learning rate, sgd-like, best momentum, momentum weight).
# sgd-like optimizers see the effective rate lr / (1 - momentum) (heavy ball's step in a steady slope), so their best
# lr falls as momentum rises; adam and rmsprop see lr itself, and momentum acts on them as beta1 (adam best at 0.9,
# rmsprop best at 0). Exactly one offset is 0 (adam), so the minimum is 0.
OPTIMIZERS = {
    "sgd": (0.3, -1.0, True, 0.0, 0.0),
    "momentum": (0.1, -1.5, True, 0.9, 0.5),
    "adam": (0.0, -3.0, False, 0.9, 1.0),
    "rmsprop": (0.05, -3.5, False, 0.0, 0.5),
}


def mixed(lr, momentum, width, optimizer):
    """A synthetic training loss, >= 0 everywhere, 0 only at (adam, lr 1e-3, momentum 0.9, width 64):

        w    = log2(width) - 6                          (0 at width 64)
        eff  = lr / (1 - momentum) if sgd-like else lr
        loss = 0.5 (log10(eff) - best_log_lr + 0.25 w)^2    (wider nets want a smaller rate)
             + momentum_weight (momentum - best_momentum)^2
             + 0.05 w^2
             + offset
    """
    offset, best_log_lr, sgd_like, best_momentum, momentum_weight = OPTIMIZERS[optimizer]
    w = math.log(width) / math.log(2) - 6
    eff = lr / (1 - momentum) if sgd_like else lr
    e = math.log10(eff) - best_log_lr + 0.25 * w
    m = momentum - best_momentum
    return 0.5 * e * e + momentum_weight * m * m + 0.05 * w * w + offset


class Problem:
    """A test function with its dimensions (name, kind, lo, hi | categories), budget and minimum."""

    def __init__(self, name, dims, budget, optimum, fn):
        self.name, self.dims, self.budget, self.optimum, self.fn = name, dims, budget, optimum, fn

    def value(self, params):
        return self.fn(params)


PROBLEMS = [
    Problem("branin", [("x1", "uniform", -5.0, 10.0), ("x2", "uniform", 0.0, 15.0)], 30, 0.397887357729738,
            lambda p: branin(p["x1"], p["x2"])),
    Problem("hartmann6", [(f"x{j + 1}", "uniform", 0.0, 1.0) for j in range(6)], 60, -3.32236801141551,
            lambda p: hartmann6([p[f"x{j + 1}"] for j in range(6)])),
    Problem("mixed", [("lr", "log_uniform", 1e-5, 1.0), ("momentum", "uniform", 0.0, 0.99),
                      ("width", "log_integer", 8, 512),
                      ("optimizer", "categorical", ["sgd", "momentum", "adam", "rmsprop"])], 40, 0.0,
            lambda p: mixed(p["lr"], p["momentum"], p["width"], p["optimizer"])),
]


def points():
    """A few points per function: the known minimizers and seeded random points of each space."""
    rng = random.Random(0)
    out = []
    for pr in PROBLEMS:
        fixed = {
            "branin": [{"x1": -math.pi, "x2": 12.275}, {"x1": 0.0, "x2": 0.0}, {"x1": 10.0, "x2": 15.0}],
            "hartmann6": [{f"x{j + 1}": v for j, v in enumerate([0.20169, 0.150011, 0.476874, 0.275332,
                                                                    0.311652, 0.6573])}],
            "mixed": [{"lr": 1e-3, "momentum": 0.9, "width": 64, "optimizer": "adam"},
                      {"lr": 0.01, "momentum": 0.9, "width": 64, "optimizer": "momentum"}],
        }[pr.name]
        drawn = []
        for _ in range(5):
            p = {}
            for name, kind, *rest in pr.dims:
                if kind == "uniform":
                    p[name] = rng.uniform(rest[0], rest[1])
                elif kind == "log_uniform":
                    p[name] = math.exp(rng.uniform(math.log(rest[0]), math.log(rest[1])))
                elif kind == "log_integer":
                    p[name] = round(math.exp(rng.uniform(math.log(rest[0]), math.log(rest[1]))))
                else:
                    p[name] = rng.choice(rest[0])
            drawn.append(p)
        for p in fixed + drawn:
            out.append({"function": pr.name, "params": p, "value": pr.value(p)})
    return out


def write_points(path=POINTS):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(points(), indent=1) + "\n")
    return path


if __name__ == "__main__":
    print("wrote", write_points())
