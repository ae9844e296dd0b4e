#!/usr/bin/python3
"""Reference vectors for descent.loss: values and gradients from PyTorch autograd, float64.

Run with Debian's interpreter and python3-torch (torch 1.13):

    /usr/bin/python3 tools/torch/loss_vectors.py

It writes lib/src/test/resources/descent/loss/loss_vectors.json, which LossTorchVectorsTest reads. The tests do
not need torch; rerun this only to change the cases. Each case: loss name, options, shape, prediction and target
(flat, row-major), value, and gradient d value / d prediction (flat, row-major).

How each loss is computed here (the oracle):
  mse            F.mse_loss(p, y)
  mae            F.l1_loss(p, y)
  huber          F.huber_loss(p, y, delta=delta)
  bce            F.binary_cross_entropy(p, y)
  cross_entropy  F.cross_entropy(z, y.argmax(1), label_smoothing=label_smoothing)   (y one-hot; default 0.0)
  hinge          torch.relu(1 - y * f).mean()               (y in {-1, +1})
  focal          logp_t = F.log_softmax(z, 1).gather(1, y.argmax(1)[:, None])
                 (-(-torch.expm1(logp_t)) ** gamma * logp_t).mean()
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240613)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "lib", "src", "test", "resources", "descent", "loss", "loss_vectors.json")


def focal(z, y, gamma):
    logp_t = F.log_softmax(z, dim=1).gather(1, y.argmax(1, keepdim=True))
    one_minus_p_t = -torch.expm1(logp_t)
    return (-(one_minus_p_t ** gamma) * logp_t).mean()


def oracle(name, options):
    if name == "mse":
        return lambda p, y: F.mse_loss(p, y)
    if name == "mae":
        return lambda p, y: F.l1_loss(p, y)
    if name == "huber":
        return lambda p, y: F.huber_loss(p, y, delta=options.get("delta", 1.0))
    if name == "bce":
        return lambda p, y: F.binary_cross_entropy(p, y)
    if name == "cross_entropy":
        return lambda z, y: F.cross_entropy(z, y.argmax(1), label_smoothing=options.get("label_smoothing", 0.0))
    if name == "hinge":
        return lambda f, y: torch.relu(1 - y * f).mean()
    if name == "focal":
        return lambda z, y: focal(z, y, options.get("gamma", 2.0))
    raise ValueError(name)


cases = []


def add(name, options, prediction, target, note):
    p = prediction.clone().detach().to(torch.float64).requires_grad_(True)
    y = target.clone().detach().to(torch.float64)
    value = oracle(name, options)(p, y)
    value.backward()
    cases.append({
        "loss": name,
        "options": options,
        "note": note,
        "shape": list(p.shape),
        "prediction": p.detach().flatten().tolist(),
        "target": y.flatten().tolist(),
        "value": value.item(),
        "gradient": p.grad.flatten().tolist(),
    })


def randn(*shape, scale=1.0):
    return torch.randn(*shape, generator=gen) * scale


def one_hot(n, c):
    return F.one_hot(torch.randint(0, c, (n,), generator=gen), c).to(torch.float64)


def signs(*shape):
    return torch.randint(0, 2, shape, generator=gen).to(torch.float64) * 2 - 1


# Regression losses: several shapes, including rank 1 and rank 3.
for name, options_list in [("mse", [{}]), ("mae", [{}]),
                           ("huber", [{}, {"delta": 0.5}, {"delta": 2.0}])]:
    for options in options_list:
        add(name, options, randn(4, 3, scale=2.0), randn(4, 3), "random [4, 3]")
        add(name, options, randn(7, scale=3.0), randn(7), "random rank 1 [7]")
        add(name, options, randn(2, 3, 2, scale=1.5), randn(2, 3, 2), "random rank 3 [2, 3, 2]")
add("mse", {}, torch.tensor([[1.5]]), torch.tensor([[-0.5]]), "single element")
add("mae", {}, torch.tensor([1.0, 2.0, -3.0, 0.25]), torch.tensor([1.0, 0.5, -3.0, 0.0]),
    "residual exactly 0 at two elements: gradient sign(0) = 0 there")
add("huber", {"delta": 0.5}, torch.tensor([10.0, -10.0, 0.1, -0.2]), torch.tensor([0.0, 0.0, 0.0, 0.0]),
    "large residuals in the linear part")

# bce: probabilities, hard and soft targets, edges.
for _ in range(3):
    add("bce", {}, torch.sigmoid(randn(5, 3, scale=2.0)), torch.randint(0, 2, (5, 3), generator=gen).to(torch.float64),
        "random probabilities, 0/1 targets")
add("bce", {}, torch.sigmoid(randn(6)), torch.rand(6, generator=gen), "soft targets in [0, 1]")
add("bce", {}, torch.tensor([1e-10, 1 - 1e-10, 1e-10, 1 - 1e-10, 1e-6, 1 - 1e-6]),
    torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]), "probabilities near 0 and 1")
add("bce", {}, torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5]), torch.tensor([0.0, 1.0, 1.0, 0.0, 0.5]),
    "probabilities exactly 0 and 1: log clamped at -100, gradient denominator floored at 1e-12")
add("bce", {}, torch.tensor([1e-50, 0.3]), torch.tensor([1.0, 1.0]),
    "log(1e-50) = -115 clamped at -100")

# cross_entropy and focal: logits [N, C], one-hot targets.
add("cross_entropy", {}, randn(5, 4, scale=2.0), one_hot(5, 4), "random [5, 4]")
add("cross_entropy", {}, randn(8, 3), one_hot(8, 3), "random [8, 3]")
add("cross_entropy", {}, randn(1, 6), one_hot(1, 6), "single row [1, 6]")
add("cross_entropy", {}, torch.tensor([[1000.0, 0.0, -1000.0], [-500.0, 500.0, 499.0]]),
    torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), "huge logits: needs log-sum-exp")
for gamma in [0.0, 0.5, 1.0, 2.0, 5.0]:
    options = {"gamma": gamma}
    add("focal", options, randn(6, 4, scale=2.0), one_hot(6, 4), "random [6, 4]")
    add("focal", options, randn(5, 2), one_hot(5, 2), "random [5, 2]")
add("focal", {}, randn(6, 3), one_hot(6, 3), "default gamma (2.0)")
for gamma in [0.5, 2.0]:
    add("focal", {"gamma": gamma}, torch.tensor([[12.0, 0.0, -3.0], [-20.0, 20.0, 0.0], [1.0, 1.0, 1.0]]),
        torch.tensor([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        "confident right (1 - p_t ~ 6e-6), confident wrong, uniform")

# hinge: scores, targets +-1, and the kink y * f = 1 exactly (torch.relu gives gradient 0 there).
add("hinge", {}, randn(5, 3, scale=1.5), signs(5, 3), "random [5, 3]")
add("hinge", {}, randn(9, scale=2.0), signs(9), "random rank 1 [9]")
add("hinge", {}, torch.tensor([1.0, -1.0, 0.5, 2.0, -0.3]), torch.tensor([1.0, -1.0, 1.0, 1.0, 1.0]),
    "first two exactly at the kink y * f = 1")

# cross_entropy with label smoothing (torch's label_smoothing=eps: (1 - eps) * onehot + eps / C as the target).
# Drawn after every case above, so those keep their random values.
for eps in [0.1, 0.3, 1.0]:
    add("cross_entropy", {"label_smoothing": eps}, randn(5, 4, scale=2.0), one_hot(5, 4), "random [5, 4]")
add("cross_entropy", {"label_smoothing": 0.1}, randn(3, 2, scale=3.0), one_hot(3, 2), "two classes [3, 2]")
add("cross_entropy", {"label_smoothing": 0.1}, torch.tensor([[1000.0, 0.0, -1000.0], [-500.0, 500.0, 499.0]]),
    torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), "huge logits: needs log-sum-exp")
add("cross_entropy", {"label_smoothing": 0.2}, torch.tensor([[8.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
    torch.tensor([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
    "logit gaps 8 and 1, either side of the optimum log((1 - eps + eps/C) / (eps/C)) = log 13 = 2.56")

document = {
    "generator": "tools/torch/loss_vectors.py",
    "torch_version": torch.__version__,
    "dtype": "float64",
    "cases": cases,
}
with open(OUT, "w") as out:  # one case per line, for readable diffs
    out.write("{\n")
    for key in ["generator", "torch_version", "dtype"]:
        out.write(" %s: %s,\n" % (json.dumps(key), json.dumps(document[key])))
    out.write(' "cases": [\n  ' + ",\n  ".join(json.dumps(case) for case in cases) + "\n ]\n}\n")
print("wrote", len(cases), "cases to", os.path.normpath(OUT))
