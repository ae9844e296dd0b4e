"""Replays made-up training curves through Optuna 3.1's pruners and records every should_prune answer.

Run with Debian's interpreter (it has optuna 3.1):

    /usr/bin/python3 tools/tune/pruner_oracle.py

writes lib/src/test/resources/descent/tune/pruners.json, read by descent.tune.PrunersTest.

Each case runs `workers` trials at a time through Optuna's ask/tell interface: the workers take turns, each
reporting its trial's next step and asking should_prune; a pruned trial is told PRUNED, a trial at its last step
COMPLETE (with its last value), and a few trials FAIL midway. Every event is recorded in order, so Java can replay
the same histories and must give the same answers.

Hyperband: Optuna assigns a trial to a bracket by crc32 of "<study name>_<trial number>"; Descent assigns trial n
to the bracket holding position n mod (sum of bracket budgets) when the budgets are laid end to end. The
HyperbandPruner below is Optuna's with only that rule (_get_bracket_id) replaced.
"""
import inspect
import json
import math
import os
import random

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


class CycleHyperband(optuna.pruners.HyperbandPruner):
    def _get_bracket_id(self, study, trial):
        if len(self._pruners) == 0:
            return 0
        n = trial.number % self._total_trial_allocation_budget
        for bracket_id in range(self._n_brackets):
            n -= self._trial_allocation_budgets[bracket_id]
            if n < 0:
                return bracket_id
        raise AssertionError("unreachable")


def make_pruner(kind, options):
    if kind == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=options["startupTrials"],
                                           n_warmup_steps=options["warmupSteps"])
    if kind == "successive_halving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=options["minResource"],
                                                      reduction_factor=options["reductionFactor"],
                                                      min_early_stopping_rate=options["minEarlyStoppingRate"])
    if kind == "hyperband":
        return CycleHyperband(min_resource=options["minResource"], max_resource=options["maxResource"],
                              reduction_factor=options["reductionFactor"])
    raise ValueError(kind)


def curve(rng, minimize, digits):
    """A noisy learning curve: a loss falling to a floor, or an accuracy rising to a ceiling, rounded to `digits`
    decimals (2 makes ties, which the rules break in a stated direction)."""
    floor, drop, speed = rng.uniform(0.05, 1.0), rng.uniform(0.5, 2.0), rng.uniform(0.05, 0.5)
    noise = rng.uniform(0.0, 0.05)

    def value(step):
        loss = floor + drop * math.exp(-speed * step) + rng.gauss(0.0, noise)
        return round(loss if minimize else 1.0 / (1.0 + loss), digits)
    return value


def run_case(name, kind, options, minimize, n_trials, steps, workers, fail_rate, seed, digits=6):
    rng = random.Random(seed)
    study = optuna.create_study(direction="minimize" if minimize else "maximize",
                                pruner=make_pruner(kind, options),
                                sampler=optuna.samplers.RandomSampler(seed=seed))
    events, running, started = [], [], 0
    while running or started < n_trials:
        while len(running) < workers and started < n_trials:
            trial = study.ask()
            fails_at = rng.randrange(len(steps)) if rng.random() < fail_rate else None
            running.append({"trial": trial, "value": curve(rng, minimize, digits), "next": 0, "fails_at": fails_at})
            events.append({"op": "ask", "trial": trial.number})
            started += 1
        w = running[rng.randrange(len(running))]
        trial, k = w["trial"], w["next"]
        if w["fails_at"] == k:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            events.append({"op": "tell", "trial": trial.number, "state": "FAILED"})
            running.remove(w)
            continue
        step = steps[k]
        v = w["value"](step)
        trial.report(v, step)
        prune = trial.should_prune()
        events.append({"op": "report", "trial": trial.number, "step": step, "value": v, "prune": bool(prune)})
        w["next"] += 1
        if prune:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            events.append({"op": "tell", "trial": trial.number, "state": "PRUNED"})
            running.remove(w)
        elif w["next"] == len(steps):
            study.tell(trial, v)
            events.append({"op": "tell", "trial": trial.number, "state": "COMPLETE", "value": v})
            running.remove(w)
    pruned = sum(1 for e in events if e["op"] == "tell" and e["state"] == "PRUNED")
    print(f"{name}: {n_trials} trials, {sum(e['op'] == 'report' for e in events)} reports, {pruned} pruned")
    return {"name": name, "pruner": kind, "options": options, "minimize": minimize, "events": events}


def defaults():
    """Optuna's default settings of each pruner, under Descent's names."""
    names = {"n_startup_trials": "startupTrials", "n_warmup_steps": "warmupSteps", "min_resource": "minResource",
             "max_resource": "maxResource", "reduction_factor": "reductionFactor",
             "min_early_stopping_rate": "minEarlyStoppingRate"}
    classes = {"median": optuna.pruners.MedianPruner, "successive_halving": optuna.pruners.SuccessiveHalvingPruner,
               "hyperband": optuna.pruners.HyperbandPruner}
    return {kind: {names[p.name]: p.default for p in inspect.signature(cls).parameters.values() if p.name in names}
            for kind, cls in classes.items()}


def main():
    cases = [
        run_case("median defaults, sequential", "median", {"startupTrials": 5, "warmupSteps": 0}, True,
                 30, list(range(10)), 1, 0.0, 1),
        run_case("median 3/2, maximize, 3 workers, gaps", "median", {"startupTrials": 3, "warmupSteps": 2}, False,
                 40, [0, 1, 2, 4, 6, 9, 12], 3, 0.1, 2),
        run_case("median 2/0, 2 workers, failures", "median", {"startupTrials": 2, "warmupSteps": 0}, True,
                 30, [1, 3, 5, 7, 9], 2, 0.2, 3),
        run_case("median defaults, ties (2 decimals)", "median", {"startupTrials": 5, "warmupSteps": 0}, True,
                 40, list(range(8)), 2, 0.0, 10, digits=2),
        run_case("successive halving defaults (minResource auto), sequential", "successive_halving",
                 {"minResource": "auto", "reductionFactor": 4, "minEarlyStoppingRate": 0}, True,
                 30, list(range(0, 501, 25)), 1, 0.0, 4),
        run_case("successive halving 5/4/0, 3 workers, reports crossing two rungs", "successive_halving",
                 {"minResource": 5, "reductionFactor": 4, "minEarlyStoppingRate": 0}, True,
                 40, list(range(0, 501, 25)), 3, 0.1, 12),
        run_case("successive halving auto/3/0, maximize, 2 workers", "successive_halving",
                 {"minResource": "auto", "reductionFactor": 3, "minEarlyStoppingRate": 0}, False,
                 40, list(range(0, 301, 10)), 2, 0.1, 13),
        run_case("successive halving 1/3/0, maximize, 4 workers", "successive_halving",
                 {"minResource": 1, "reductionFactor": 3, "minEarlyStoppingRate": 0}, False,
                 50, list(range(1, 28)), 4, 0.1, 5),
        run_case("successive halving 2/2/1, 2 workers, gaps", "successive_halving",
                 {"minResource": 2, "reductionFactor": 2, "minEarlyStoppingRate": 1}, True,
                 40, [1, 3, 4, 7, 8, 15, 16, 30, 33], 2, 0.1, 6),
        run_case("successive halving 1/2/0, maximize, ties (2 decimals)", "successive_halving",
                 {"minResource": 1, "reductionFactor": 2, "minEarlyStoppingRate": 0}, False,
                 40, list(range(1, 17)), 2, 0.0, 11, digits=2),
        run_case("hyperband defaults (maxResource auto), sequential", "hyperband",
                 {"minResource": 1, "maxResource": "auto", "reductionFactor": 3}, True,
                 60, list(range(0, 28)), 1, 0.0, 7),
        run_case("hyperband 1/9/3, maximize, 3 workers", "hyperband",
                 {"minResource": 1, "maxResource": 9, "reductionFactor": 3}, False,
                 60, list(range(1, 10)), 3, 0.1, 8),
        run_case("hyperband 2/32/2, 2 workers, gaps", "hyperband",
                 {"minResource": 2, "maxResource": 32, "reductionFactor": 2}, True,
                 50, [1, 2, 3, 5, 8, 13, 21, 32], 2, 0.05, 9),
        run_case("hyperband 1/auto/3, maximize, 3 workers", "hyperband",
                 {"minResource": 1, "maxResource": "auto", "reductionFactor": 3}, False,
                 60, list(range(0, 30, 2)), 3, 0.1, 14),
    ]
    out = os.path.join(os.path.dirname(__file__), "..", "..", "lib", "src", "test", "resources", "descent", "tune",
                       "pruners.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"optuna": optuna.__version__, "defaults": defaults(), "cases": cases}, f,
                  separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
