#!/usr/bin/python3
"""The Optuna side of the sampler comparison (Optuna 3.1, Debian's python3-optuna; cmaes 0.9.1).

    nice /usr/bin/python3 tools/tune/optuna_compare.py      # all functions, samplers, seeds 0-9 (about 20 s)
    /usr/bin/python3 tools/tune/optuna_compare.py --descent # both sides: then runs ./descent bench tune, the table
    ./descent bench tune                                    # the Descent side alone; prints the comparison table
    ./descent bench tune --overhead                         # gp's time per sample() with 100 trials in 6-D

For every test function of tools/tune/functions.py (branin 30 trials, hartmann6 60, mixed 40), every Optuna sampler
below and every seed, minimizes the function with its budget and records the best value; writes
tools/tune/optuna_results.tsv (function, sampler, seed, best, regret = best - optimum) and prints the median regret
over the seeds per function and sampler. It also rewrites the points file the Java functions are tested against
(functions.py). The table with both sides comes from the Java side, which reads the TSV.

The samplers, each the twin of a Descent sampler:
  Random            RandomSampler(seed)                             -> random
  TPE               TPESampler(seed) (univariate, the default)      -> tpe
  TPE-multivariate  TPESampler(seed, multivariate=True)             -> gp (target: gp at most half of it)
  CmaEs             CmaEsSampler(seed)                              -> cmaes
  QMC-sobol         QMCSampler(qmc_type="sobol", scramble=True, seed=seed + 1)  -> sobol
CmaEs and QMC sample a categorical dimension (mixed's optimizer) independently, with a RandomSampler: Optuna's
CMA-ES and QMC samplers cover real and integer dimensions only. QMC is scrambled, or every seed would give the
same Sobol points; its seed is seed + 1 because Optuna 3.1 reads seed 0 as "no seed" (`seed or random`), which
would make seed 0 irreproducible.
"""
import argparse
import csv
import logging
import statistics
import sys
import time
import warnings

import optuna

from functions import PROBLEMS, write_points

SAMPLERS = {
    "Random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "TPE": lambda s: optuna.samplers.TPESampler(seed=s),
    "TPE-multivariate": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True),
    "CmaEs": lambda s: optuna.samplers.CmaEsSampler(seed=s, warn_independent_sampling=False),
    "QMC-sobol": lambda s: optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=s + 1,
                                                      warn_independent_sampling=False),
}


def objective(problem):
    def f(trial):
        p = {}
        for name, kind, *rest in problem.dims:
            if kind == "uniform":
                p[name] = trial.suggest_float(name, rest[0], rest[1])
            elif kind == "log_uniform":
                p[name] = trial.suggest_float(name, rest[0], rest[1], log=True)
            elif kind == "log_integer":
                p[name] = trial.suggest_int(name, rest[0], rest[1], log=True)
            else:
                p[name] = trial.suggest_categorical(name, rest[0])
        return problem.value(p)
    return f


def seed_list(text):
    a, _, b = text.partition("-")
    return list(range(int(a), int(b or a) + 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="0-9", help="a seed or a range, e.g. 0-9 (default)")
    ap.add_argument("--out", default=str(__import__("pathlib").Path(__file__).with_name("optuna_results.tsv")))
    ap.add_argument("--descent", action="store_true",
                    help="then run the Descent side (./descent bench tune), which prints the table of both sides")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    print("points for the Java test:", write_points(), file=sys.stderr)

    seeds = seed_list(args.seeds)
    rows = []
    for pr in PROBLEMS:
        for sname, make in SAMPLERS.items():
            t0 = time.time()
            for s in seeds:
                study = optuna.create_study(direction="minimize", sampler=make(s))
                study.optimize(objective(pr), n_trials=pr.budget)
                rows.append((pr.name, sname, s, study.best_value, study.best_value - pr.optimum))
            print(f"{pr.name:10s} {sname:17s} {len(seeds)} seeds in {time.time() - t0:6.1f} s", file=sys.stderr)

    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["function", "sampler", "seed", "best", "regret"])
        for fn, sname, s, best, regret in rows:
            w.writerow([fn, sname, s, repr(best), repr(regret)])
    print("wrote", args.out, file=sys.stderr)

    print(f"Optuna {optuna.__version__}: median regret (best - optimum) over seeds {args.seeds}")
    print(f"{'function':10s} " + " ".join(f"{s:>17s}" for s in SAMPLERS))
    for pr in PROBLEMS:
        meds = [statistics.median(r[4] for r in rows if r[0] == pr.name and r[1] == s) for s in SAMPLERS]
        print(f"{pr.name:10s} " + " ".join(f"{m:17.4g}" for m in meds))

    if args.descent:
        import pathlib
        import subprocess
        root = pathlib.Path(__file__).resolve().parents[2]
        sys.exit(subprocess.run([str(root / "descent"), "bench", "tune"], cwd=root).returncode)


if __name__ == "__main__":
    main()
