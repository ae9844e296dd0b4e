#!/usr/bin/python3
"""PyTorch counterpart of descent.bench.StepMicrobench: one training step of the seed CNN (forward,
cross-entropy, backward, SGD momentum 0.9; batch 128, float32, data already in memory), timed the same way:
3 warm-up steps, then REPS repetitions of STEPS steps; best and median milliseconds per step.

    /usr/bin/python3 tools/torch/step_bench.py [--threads T] [--reps R] [--steps K]
    /usr/bin/python3 tools/torch/step_bench.py --serve [--threads T]

Variants: NCHW (PyTorch's default memory format) and channels_last. With --serve, the script reads commands
"nchw K" / "channels-last K" on stdin, runs K steps and prints the milliseconds per step, so that
descent.bench.StepMicrobench --torch can alternate its own repetitions with PyTorch's on a busy machine.
"""
import argparse
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def seed_net():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4096, 128), nn.ReLU(), nn.Linear(128, 10))


def make_step(fmt, x, y):
    net = seed_net().to(memory_format=fmt)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    xx = x.contiguous(memory_format=fmt)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(xx), y).backward()
        opt.step()

    for _ in range(3):
        step()
    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    print("torch %s, threads %d" % (torch.__version__, torch.get_num_threads()), flush=True)
    x = torch.rand(128, 3, 32, 32)
    y = torch.arange(128) % 10
    steps = {}
    for name, fmt in (("torch-nchw", torch.contiguous_format), ("torch-channels-last", torch.channels_last)):
        steps[name] = make_step(fmt, x, y)
    if args.serve:
        for line in sys.stdin:
            name, k = line.split()
            step = steps["torch-" + name]
            t0 = time.perf_counter()
            for _ in range(int(k)):
                step()
            print("%.4f" % ((time.perf_counter() - t0) * 1000 / int(k)), flush=True)
        return
    for name, step in steps.items():
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            for _ in range(args.steps):
                step()
            times.append((time.perf_counter() - t0) * 1000 / args.steps)
        times.sort()
        best, median = times[0], times[len(times) // 2]
        print("%-22s best %7.2f ms  median %7.2f ms  -> %6.0f img/s (best), %6.0f (median)"
              % (name, best, median, 128000 / best, 128000 / median))


if __name__ == "__main__":
    main()
