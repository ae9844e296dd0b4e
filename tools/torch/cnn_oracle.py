#!/usr/bin/python3
"""Reference values for descent.nn: loss and gradients of two tiny CNNs in PyTorch, float64.

Writes lib/src/test/resources/descent/nn/cnn_oracle.json. Run from the repository root with /usr/bin/python3.

Network "plain" (the seed CNN's structure, small):
    conv 3->4 3x3 pad 1, ReLU, max-pool 2, conv 4->6 3x3 pad 1, ReLU, max-pool 2, flatten (C,H,W order),
    linear 24->5, ReLU, linear 5->3
Network "bn" (the strong CNN's building blocks):
    conv 3->4 3x3 pad 1 no bias, BatchNorm2d(4), ReLU, max-pool 2, flatten, linear 64->3
    (training mode; also the running statistics after the one forward pass)

Everything is stored in PyTorch's layouts: input NCHW, conv weight [out, in, kh, kw], linear weight [out, in].
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2024)
torch.set_default_dtype(torch.float64)


def flat(t):
    return t.detach().reshape(-1).tolist()


def case(net, x, y):
    net.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    out = {"input_shape": list(x.shape), "input": flat(x), "labels": y.tolist(), "loss": loss.item(),
           "params": {}, "grads": {}}
    for name, p in net.named_parameters():
        out["params"][name] = {"shape": list(p.shape), "values": flat(p)}
        out["grads"][name] = flat(p.grad)
    for name, b in net.named_buffers():
        if b.dtype == torch.float64:
            out.setdefault("buffers", {})[name] = flat(b)
    return out


plain = nn.Sequential(
    nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(6 * 2 * 2, 5), nn.ReLU(), nn.Linear(5, 3))
x1 = torch.randn(2, 3, 8, 8)
y1 = torch.tensor([2, 0])

bn = nn.Sequential(
    nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
with torch.no_grad():
    bn[1].weight.uniform_(0.5, 1.5)      # gamma and beta away from their 1, 0 defaults
    bn[1].bias.uniform_(-0.5, 0.5)
x2 = torch.randn(3, 3, 8, 8)
y2 = torch.tensor([1, 2, 0])

result = {"torch": torch.__version__, "plain": case(plain, x1, y1), "bn": case(bn.train(), x2, y2)}
path = os.path.join("lib", "src", "test", "resources", "descent", "nn", "cnn_oracle.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(result, f, indent=1)
print("wrote", path)
