#!/usr/bin/python3
"""Optuna 3.1's and cmaes 0.9.1's behaviour on the problems that descent.tune's sampler tests use, for comparison
(the numbers quoted in TpeSamplerTest and CmaEsSamplerTest come from here; ./descent bench tune is the comparison itself).

    /usr/bin/python3 tools/tune/sampler_reference.py

Prints
  1. TPE on (x - 0.3)^2, x in [-1, 1], 60 trials: the mean |x - 0.3| of trials 10..59, seeds 0-7
  2. TPE maximizing StudyTest's mixed space (every 7th trial fails), 100 trials: how often the last 60 chose "adam"
  3. cmaes.CMA from mean 1/2, sigma 1/6 on [0, 1]^4: the best of 480 (sphere) and 640 (ellipsoid 1..1000) evaluations
  4. medians over seeds 0-9 of (best - optimum): Branin (30 trials), Hartmann-6 (60 trials)
"""
import math
import warnings

import cmaes
import numpy as np
import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def tpe(seed, multivariate):
    return optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)


def quadratic_1d():
    for mv in (False, True):
        out = []
        for seed in range(8):
            s = optuna.create_study(sampler=tpe(seed, mv))
            s.optimize(lambda t: (t.suggest_float("x", -1, 1) - 0.3) ** 2, 60)
            out.append(np.mean([abs(t.params["x"] - 0.3) for t in s.trials[10:]]))
        print(f"1. multivariate={mv}: mean |x - 0.3| per seed {np.round(out, 3).tolist()}")


def mixed():
    def objective(t):
        lr = t.suggest_float("lr", 1e-4, 1e-1, log=True)
        t.suggest_float("momentum", 0.5, 0.99)
        hidden = t.suggest_int("hidden", 16, 128)
        t.suggest_int("batch", 8, 256, log=True)
        opt = t.suggest_categorical("optimizer", ["sgd", "adam"])
        if t.number % 7 == 3:
            raise RuntimeError("out of memory")
        return -(math.log10(lr) + 2) ** 2 - abs(hidden - 100) / 50 + (1 if opt == "adam" else 0)

    for mv in (False, True):
        counts = []
        for seed in range(10):
            s = optuna.create_study(direction="maximize", sampler=tpe(seed, mv))
            s.optimize(objective, 100, catch=(RuntimeError,))
            counts.append(sum(t.params["optimizer"] == "adam" for t in s.trials[40:]))
        print(f"2. multivariate={mv}: adam in the last 60, per seed {counts}")


def cma_convergence():
    for scale, evals in (([1, 1, 1, 1], 480), ([1, 10, 100, 1000], 640)):
        best = []
        for seed in range(6):
            c = cmaes.CMA(mean=np.full(4, 0.5), sigma=1 / 6, bounds=np.tile([0.0, 1.0], (4, 1)), seed=seed,
                          n_max_resampling=40)
            b, n = math.inf, 0
            while n < evals:
                solutions = []
                for _ in range(c.population_size):
                    u = c.ask()
                    f = float(np.sum(np.array(scale) * (-1 + 2 * u - 0.3) ** 2))
                    b, n = min(b, f), n + 1
                    solutions.append((u, f))
                c.tell(solutions)
            best.append(b)
        print(f"3. scales {scale}, {evals} evaluations: best per seed {['%.1e' % v for v in best]}")


def branin(t):
    x1, x2 = t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)
    b, c, s = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - s) * math.cos(x1) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(t):
    x = [t.suggest_float(f"x{j}", 0, 1) for j in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def benchmarks():
    samplers = {
        "tpe": lambda s: tpe(s, False),
        "tpe-multivariate": lambda s: tpe(s, True),
        "cmaes": lambda s: optuna.samplers.CmaEsSampler(seed=s),
        "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    }
    for name, make in samplers.items():
        b, h = [], []
        for seed in range(10):
            study = optuna.create_study(sampler=make(seed))
            study.optimize(branin, 30)
            b.append(study.best_value - 0.397887)
            study = optuna.create_study(sampler=make(seed))
            study.optimize(hartmann6, 60)
            h.append(study.best_value + 3.32237)
        print(f"4. {name:17s} branin(30) median {np.median(b):.4f}   hartmann6(60) median {np.median(h):.4f}")


if __name__ == "__main__":
    quadratic_1d()
    mixed()
    cma_convergence()
    benchmarks()
