#!/usr/bin/python3
"""Reference vectors for descent.optim, produced by torch.optim (torch 1.13, float64).

Run with Debian's interpreter (the pyenv `python3` on PATH does not see python3-torch):

    /usr/bin/python3 tools/torch/optim_vectors.py

Writes, under lib/src/test/resources/descent/optim/:
  optimizers.json  one trajectory per (optimizer, options) case
  schedules.json   learning rates from torch.optim.lr_scheduler
  clip.json        torch.nn.utils.clip_grad_value_ / clip_grad_norm_

Optimizer cases. The parameter is a 2x3 float64 tensor p. At every step the gradient is a fixed
nonlinear function of the current p,

    grad(p) = A @ vec(p) - b + 0.5 * sin(3 * vec(p))      (reshaped back to 2x3)

computed by torch and RECORDED: the Java tests feed exactly these recorded gradients to their
optimizer and compare the parameters after every step. So the Java side needs no copy of A, b or
the nonlinearity, and any difference is the optimizer's alone. Each case records
  p0        initial parameters (2x3)
  grads[t]  the gradient passed to step t (t = 0..steps-1), as torch computed it from params[t-1]
  params[t] parameters after step t
Options use PyTorch's argument names, with betas split into beta1/beta2.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "lib", "src", "test", "resources", "descent", "optim")
STEPS = 40

# Fixed problem: A symmetric positive definite 6x6, b, p0, all written out (no RNG).
_M = torch.tensor([
    [1.0, 0.2, -0.3, 0.0, 0.1, 0.4],
    [0.0, 1.5, 0.1, -0.2, 0.3, 0.0],
    [0.3, -0.1, 0.8, 0.2, 0.0, -0.2],
    [0.1, 0.0, 0.4, 1.2, -0.5, 0.1],
    [-0.2, 0.3, 0.0, 0.1, 0.9, 0.2],
    [0.0, 0.1, -0.1, 0.3, 0.2, 0.7],
])
A = _M @ _M.T + 0.1 * torch.eye(6)
B = torch.tensor([0.5, -1.0, 0.25, 2.0, -0.75, 1.5])
P0 = torch.tensor([[1.5, -2.0, 0.5], [3.0, -0.25, -1.0]])


def grad_of(p):
    v = p.detach().reshape(-1)
    return (A @ v - B + 0.5 * torch.sin(3.0 * v)).reshape(p.shape)


def make(name, o, params, foreach=True):
    """Build the torch optimizer for one of descent.optim's names and option maps."""
    o = dict(o)
    betas = None
    if "beta1" in o or "beta2" in o:
        betas = (o.pop("beta1", 0.9), o.pop("beta2", 0.999))
    if betas is not None:
        o["betas"] = betas
    if name == "sgd":
        o.setdefault("lr", 0.01)  # torch.optim.SGD has no default lr; descent uses 0.01
        return torch.optim.SGD(params, **o)
    if name == "momentum":
        o.setdefault("lr", 0.01)
        o.setdefault("momentum", 0.9)  # descent's default; torch's is 0
        return torch.optim.SGD(params, **o)
    if name == "nesterov":
        o.setdefault("lr", 0.01)
        o.setdefault("momentum", 0.9)
        return torch.optim.SGD(params, nesterov=True, **o)
    if name == "adagrad":
        return torch.optim.Adagrad(params, **o)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, **o)
    if name == "adadelta":
        return torch.optim.Adadelta(params, **o)
    if name == "adam":
        return torch.optim.Adam(params, amsgrad=False, **o)
    if name == "amsgrad":
        return torch.optim.Adam(params, amsgrad=True, **o)
    if name == "adamw":
        return torch.optim.AdamW(params, **o)
    if name == "adamax":
        return torch.optim.Adamax(params, **o)
    if name == "nadam":
        # foreach=True: in torch 1.13 the default single-tensor NAdam path multiplies the
        # mu-product by an extra mu_t (mu_product * mu * mu_next); the foreach path, the
        # docstring's algorithm and torch >= 2.0 use mu_product * mu_next. descent follows the
        # latter; see NAdam's Javadoc.
        return torch.optim.NAdam(params, foreach=foreach, **o)
    raise ValueError(name)


OPTIMIZER_CASES = [
    ("sgd", {}),
    ("sgd", {"lr": 0.05, "weight_decay": 0.1}),
    ("momentum", {}),
    ("momentum", {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.05}),
    ("nesterov", {}),
    ("nesterov", {"lr": 0.03, "momentum": 0.7, "weight_decay": 0.02}),
    ("adagrad", {}),
    ("adagrad", {"lr": 0.3, "lr_decay": 0.01, "eps": 1e-6, "weight_decay": 0.1,
                 "initial_accumulator_value": 0.5}),
    ("rmsprop", {}),
    ("rmsprop", {"lr": 0.005, "alpha": 0.9, "eps": 1e-4, "weight_decay": 0.1, "momentum": 0.5}),
    ("adadelta", {}),
    ("adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-3, "weight_decay": 0.1}),
    ("adam", {}),
    ("adam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1}),
    ("amsgrad", {}),
    ("amsgrad", {"lr": 0.05, "beta1": 0.5, "beta2": 0.95, "eps": 1e-4, "weight_decay": 0.05}),
    ("adamw", {}),
    ("adamw", {"lr": 0.05, "beta1": 0.85, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.2}),
    ("adamax", {}),
    ("adamax", {"lr": 0.05, "beta1": 0.7, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1}),
    ("nadam", {}),
    ("nadam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.95, "eps": 1e-4, "weight_decay": 0.1,
               "momentum_decay": 0.01}),
]


def rows(t):
    return t.detach().tolist()


def trajectory(name, options, foreach=True):
    p = P0.clone().requires_grad_(True)
    opt = make(name, options, [p], foreach)
    grads, params = [], []
    for _ in range(STEPS):
        g = grad_of(p)
        p.grad = g.clone()
        opt.step()
        grads.append(rows(g))
        params.append(rows(p))
    return {"name": name, "options": options, "p0": rows(P0), "grads": grads, "params": params}


def optimizer_vectors():
    cases = [trajectory(name, options) for name, options in OPTIMIZER_CASES]
    # torch 1.13's default (single-tensor, foreach=False) NAdam path, recorded to pin its
    # extra mu_t factor; descent does NOT follow it.
    quirk = [trajectory("nadam", options, foreach=False)
             for name, options in OPTIMIZER_CASES if name == "nadam"]
    return {"torch": torch.__version__, "steps": STEPS, "cases": cases,
            "nadam_single_tensor_1_13": quirk}


def lrs(scheduler_factory, base_lr, n, opt_cls=torch.optim.SGD):
    """lr used by optimizer step t = 0..n-1: read before each scheduler.step()."""
    p = torch.zeros(1, requires_grad=True)
    opt = opt_cls([p], lr=base_lr)
    sched = scheduler_factory(opt)
    out = []
    for t in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if t < n - 1:
            sched.step()
    return out


def schedule_vectors():
    S = torch.optim.lr_scheduler
    cases = []

    def add(kind, params, values):
        cases.append({"kind": kind, "params": params, "lrs": values})

    add("step", {"base_lr": 0.1, "step_size": 7, "gamma": 0.5},
        lrs(lambda o: S.StepLR(o, step_size=7, gamma=0.5), 0.1, 40))
    add("exponential", {"base_lr": 0.2, "gamma": 0.93},
        lrs(lambda o: S.ExponentialLR(o, gamma=0.93), 0.2, 40))
    add("cosine", {"base_lr": 0.1, "T_max": 25, "eta_min": 0.001},
        lrs(lambda o: S.CosineAnnealingLR(o, T_max=25, eta_min=0.001), 0.1, 60))
    add("cosine", {"base_lr": 0.05, "T_max": 10, "eta_min": 0.0},
        lrs(lambda o: S.CosineAnnealingLR(o, T_max=10), 0.05, 10))
    add("linear", {"base_lr": 0.1, "start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5},
        lrs(lambda o: S.LinearLR(o), 0.1, 12))
    add("linear", {"base_lr": 0.3, "start_factor": 1.0, "end_factor": 0.1, "total_iters": 20},
        lrs(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=20), 0.3, 30))
    # Linear warm-up for 5 steps, then cosine annealing: SequentialLR semantics.
    add("warmup_cosine",
        {"base_lr": 0.1, "warmup_steps": 5, "start_factor": 0.1, "T_max": 30, "eta_min": 1e-4},
        lrs(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5),
                                         S.CosineAnnealingLR(o, T_max=30, eta_min=1e-4)],
                                     milestones=[5]), 0.1, 40))
    add("warmup_exponential",
        {"base_lr": 0.2, "warmup_steps": 3, "start_factor": 0.5, "gamma": 0.9},
        lrs(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, end_factor=1.0, total_iters=3),
                                         S.ExponentialLR(o, gamma=0.9)],
                                     milestones=[3]), 0.2, 20))
    # OneCycleLR ignores the optimizer's lr. cycle_momentum=False: descent's schedules drive lr
    # only (the lrs are the same either way).
    add("one_cycle", {"max_lr": 0.1, "total_steps": 50, "pct_start": 0.3, "anneal_strategy": "cos",
                      "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": False},
        lrs(lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=50, cycle_momentum=False), 0.1, 51))
    add("one_cycle", {"max_lr": 0.5, "total_steps": 40, "pct_start": 0.25, "anneal_strategy": "linear",
                      "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True},
        lrs(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=40, pct_start=0.25,
                                   anneal_strategy="linear", div_factor=10.0,
                                   final_div_factor=100.0, three_phase=True,
                                   cycle_momentum=False), 0.5, 41))
    add("one_cycle", {"max_lr": 0.01, "total_steps": 33, "pct_start": 0.4, "anneal_strategy": "cos",
                      "div_factor": 5.0, "final_div_factor": 50.0, "three_phase": True},
        lrs(lambda o: S.OneCycleLR(o, max_lr=0.01, total_steps=33, pct_start=0.4,
                                   div_factor=5.0, final_div_factor=50.0, three_phase=True,
                                   cycle_momentum=False), 0.01, 34))
    return {"torch": torch.__version__, "cases": cases}


def clip_vectors():
    from torch.nn.utils import clip_grad_norm_, clip_grad_value_
    g1 = torch.tensor([[0.5, -3.0, 1.25], [2.0, -0.1, 0.0]])
    g2 = torch.tensor([4.0, -1.5, 0.3, -0.7])
    g3 = torch.tensor([[[0.01]]])
    cases = []
    for c in [0.5, 1.0, 10.0]:
        ps = [torch.zeros_like(g, requires_grad=True) for g in (g1, g2, g3)]
        for p, g in zip(ps, (g1, g2, g3)):
            p.grad = g.clone()
        clip_grad_value_(ps, c)
        cases.append({"kind": "value", "clip_value": c, "grads": [rows(g) for g in (g1, g2, g3)],
                      "clipped": [rows(p.grad) for p in ps]})
    total = math.sqrt(sum(float((g * g).sum()) for g in (g1, g2, g3)))
    # below, far above, and just under the total norm (inside torch's 1e-6 margin)
    for m in [1.0, 3.0, 100.0, total - 5e-7]:
        ps = [torch.zeros_like(g, requires_grad=True) for g in (g1, g2, g3)]
        for p, g in zip(ps, (g1, g2, g3)):
            p.grad = g.clone()
        n = clip_grad_norm_(ps, m)
        cases.append({"kind": "norm", "max_norm": m, "grads": [rows(g) for g in (g1, g2, g3)],
                      "total_norm": float(n), "clipped": [rows(p.grad) for p in ps]})
    return {"torch": torch.__version__, "cases": cases}


def dump(obj, name):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dump(optimizer_vectors(), "optimizers.json")
    dump(schedule_vectors(), "schedules.json")
    dump(clip_vectors(), "clip.json")
