"""Oracle vectors for descent.regularize and descent.nn.norm (PyTorch, float64).

Run with Debian's interpreter:  /usr/bin/python3 tools/torch/regularize_vectors.py
Writes lib/src/test/resources/descent/nn/norm/norm_torch.json and
       lib/src/test/resources/descent/regularize/penalty_torch.json.
Every array is stored as {"shape": [...], "data": [flat, row-major]}; inputs are stored too,
so the Java tests never need torch's random generator.
"""
import json
import os

import torch

torch.manual_seed(20240611)
D = torch.float64
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "src", "test", "resources", "descent")


def arr(t):
    t = t.detach().to(D).contiguous()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def affine(c):
    return 0.5 + torch.rand(c, dtype=D), torch.randn(c, dtype=D)


def batchnorm_case(module_cls, shape, steps, momentum=0.1, eps=1e-5):
    """Train-mode steps (forward+backward, running statistics), then one eval-mode step."""
    c = shape[1]
    bn = module_cls(c, eps=eps, momentum=momentum).to(D)
    gamma, beta = affine(c)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    case = {"eps": eps, "momentum": momentum, "gamma": arr(gamma), "beta": arr(beta), "train": [], "eval": None}
    bn.train()
    for _ in range(steps):
        x = (3.0 * torch.randn(*shape, dtype=D) + 1.5).requires_grad_(True)
        up = torch.randn(*shape, dtype=D)
        bn.zero_grad()
        y = bn(x)
        y.backward(up)
        case["train"].append({"x": arr(x), "upstream": arr(up), "y": arr(y), "dx": arr(x.grad),
                              "dgamma": arr(bn.weight.grad), "dbeta": arr(bn.bias.grad),
                              "running_mean": arr(bn.running_mean), "running_var": arr(bn.running_var)})
    bn.eval()
    x = (3.0 * torch.randn(*shape, dtype=D) + 1.5).requires_grad_(True)
    up = torch.randn(*shape, dtype=D)
    bn.zero_grad()
    y = bn(x)
    y.backward(up)
    case["eval"] = {"x": arr(x), "upstream": arr(up), "y": arr(y), "dx": arr(x.grad),
                    "dgamma": arr(bn.weight.grad), "dbeta": arr(bn.bias.grad)}
    return case


def layernorm_case(shape, normalized_shape, eps=1e-5):
    ln = torch.nn.LayerNorm(normalized_shape, eps=eps).to(D)
    with torch.no_grad():
        ln.weight.copy_(0.5 + torch.rand(*normalized_shape, dtype=D))
        ln.bias.copy_(torch.randn(*normalized_shape, dtype=D))
    x = (2.0 * torch.randn(*shape, dtype=D) - 0.7).requires_grad_(True)
    up = torch.randn(*shape, dtype=D)
    y = ln(x)
    y.backward(up)
    return {"eps": eps, "normalized_shape": list(normalized_shape), "gamma": arr(ln.weight), "beta": arr(ln.bias),
            "x": arr(x), "upstream": arr(up), "y": arr(y), "dx": arr(x.grad),
            "dgamma": arr(ln.weight.grad), "dbeta": arr(ln.bias.grad)}


def instancenorm_case(shape, eps=1e-5):
    c = shape[1]
    # affine=True: a learnable per-channel gamma/beta; no running statistics (torch's default).
    inorm = torch.nn.InstanceNorm2d(c, eps=eps, affine=True).to(D)
    gamma, beta = affine(c)
    with torch.no_grad():
        inorm.weight.copy_(gamma)
        inorm.bias.copy_(beta)
    x = (2.0 * torch.randn(*shape, dtype=D) + 0.3).requires_grad_(True)
    up = torch.randn(*shape, dtype=D)
    y = inorm(x)
    y.backward(up)
    return {"eps": eps, "gamma": arr(gamma), "beta": arr(beta), "x": arr(x), "upstream": arr(up), "y": arr(y),
            "dx": arr(x.grad), "dgamma": arr(inorm.weight.grad), "dbeta": arr(inorm.bias.grad)}


def penalty_cases():
    w = torch.randn(3, 4, dtype=D)
    w[0, 1] = 0.0  # sign(0) = 0: torch's subgradient of |w| at 0
    w[2, 3] = 0.0
    grad = torch.randn(3, 4, dtype=D)
    lam, lr = 0.03, 0.1

    # L1 and L2 through autograd: value and gradient of lam*sum|w| and lam/2*||w||^2
    wl = w.clone().requires_grad_(True)
    l1 = lam * wl.abs().sum()
    l1.backward()
    l1_grad = wl.grad.clone()
    wl.grad = None
    l2 = lam / 2 * (wl * wl).sum()
    l2.backward()
    l2_grad = wl.grad.clone()

    # SGD with weight_decay=lam: p <- p - lr*(g + lam*p)
    p = torch.nn.Parameter(w.clone())
    sgd = torch.optim.SGD([p], lr=lr, weight_decay=lam)
    p.grad = grad.clone()
    sgd.step()

    # AdamW with a zero gradient: Adam's step is 0/(0+eps) = 0, so only the decoupled decay acts:
    # p <- p*(1 - lr*lam)
    q = torch.nn.Parameter(w.clone())
    adamw = torch.optim.AdamW([q], lr=lr, weight_decay=lam)
    q.grad = torch.zeros_like(w)
    adamw.step()

    return {"lambda": lam, "lr": lr, "w": arr(w), "grad": arr(grad),
            "l1_value": l1.item(), "l1_grad": arr(l1_grad), "l2_value": l2.item(), "l2_grad": arr(l2_grad),
            "sgd_weight_decay_step": arr(p), "adamw_zero_grad_step": arr(q)}


def main():
    norm = {
        "torch_version": torch.__version__,
        "batchnorm2d": batchnorm_case(torch.nn.BatchNorm2d, (4, 3, 3, 2), steps=3),
        "batchnorm1d": batchnorm_case(torch.nn.BatchNorm1d, (6, 4), steps=2, momentum=0.25, eps=1e-3),
        "layernorm2d": layernorm_case((5, 6), (6,)),
        "layernorm4d": layernorm_case((3, 2, 3, 4), (2, 3, 4)),
        "instancenorm2d": instancenorm_case((2, 3, 4, 5)),
    }
    pen = {"torch_version": torch.__version__, "penalty": penalty_cases()}
    for rel, obj in (("nn/norm/norm_torch.json", norm), ("regularize/penalty_torch.json", pen)):
        path = os.path.normpath(os.path.join(ROOT, rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
        print("wrote", path)


if __name__ == "__main__":
    main()
