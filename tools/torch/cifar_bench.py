#!/usr/bin/python3
"""PyTorch side of descent.bench.CifarBench: the seed CNN and recipe, one epoch per command.

Reads the CIFAR-10 binary batch files (data_batch_1..5.bin, test_batch.bin, each possibly .bin.gz, in DIR or
DIR/cifar-10-batches-bin), trains the same network with the same recipe as the Java side, and talks over
stdin/stdout so the two can alternate epoch by epoch:

    stdout "ready {json}"     after loading
    stdin  "epoch"            -> trains one epoch, evaluates, prints one JSON line
    stdin  "quit"             -> exits

Recipe (as descent.nn.CifarNets.seed + descent.train.Trainer):
    conv 3->32 3x3 pad 1, ReLU, max-pool 2; conv 32->64 3x3 pad 1, ReLU, max-pool 2; flatten;
    linear 4096->128, ReLU, linear 128->10; PyTorch default init (kaiming_uniform a=sqrt(5), the scheme the
    Java side uses too); SGD lr 0.01 momentum 0.9; batch 128 (last batch smaller); cross-entropy;
    random crop 32 from the image zero-padded by 4 (black, before normalization), then horizontal flip with
    probability 1/2; normalization mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010).

Timing: the training loop of an epoch, batch preparation and augmentation included, evaluation excluded.
Logs go to stderr. Run with /usr/bin/python3 (Debian's python3-torch).
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2023, 0.1994, 0.2010)
TRAIN_FILES = ["data_batch_%d.bin" % i for i in range(1, 6)]
TEST_FILE = "test_batch.bin"


def find(folder, name):
    for d in (folder, os.path.join(folder, "cifar-10-batches-bin")):
        for candidate in (os.path.join(d, name), os.path.join(d, name + ".gz")):
            if os.path.isfile(candidate):
                return candidate
    sys.exit("cifar_bench.py: %s(.gz) not found in %s" % (name, folder))


def read_batches(folder, names):
    parts = []
    for name in names:
        path = find(folder, name)
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = np.frombuffer(f.read(), dtype=np.uint8)
        if raw.size % 3073 != 0:
            sys.exit("cifar_bench.py: %s is not a whole number of 3073-byte records" % path)
        parts.append(raw.reshape(-1, 3073))
    records = np.concatenate(parts)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].copy()).reshape(-1, 3, 32, 32)   # uint8, NCHW
    return images, labels


def seed_net():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 8 * 8, 128), nn.ReLU(),
        nn.Linear(128, 10))


def fast_net(widths=(64, 256, 256)):
    """descent.nn.CifarNets.fast: airbench94's network with ReLU (see that class)."""
    layers = [nn.Conv2d(3, 24, 2, padding=0, bias=True), nn.ReLU()]
    c, size = 24, 31
    for w in widths:
        layers += [nn.Conv2d(c, w, 3, padding=1, bias=False), nn.MaxPool2d(2),
                   nn.BatchNorm2d(w, eps=1e-12, momentum=0.4), nn.ReLU(),
                   nn.Conv2d(w, w, 3, padding=1, bias=False),
                   nn.BatchNorm2d(w, eps=1e-12, momentum=0.4), nn.ReLU()]
        c, size = w, size // 2
    layers += [nn.MaxPool2d(size), nn.Flatten(), nn.Linear(c, 10), Scale(1 / 9)]
    return nn.Sequential(*layers)


class Scale(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c

    def forward(self, x):
        return x * self.c


def one_cycle(peak, total):
    """descent's OneCycleLR(peak, total, 0.23, linear, div 5, final div 0.2/0.07): 0.2 -> 1 -> 0.07 of the peak."""
    e1 = 0.23 * total - 1
    e2 = total - 1

    def lr(t):
        if t <= e1:
            return peak * (0.2 + 0.8 * t / e1)
        return peak * (1.0 + (0.07 - 1.0) * (t - e1) / (e2 - e1))
    return lr


class Augment:
    """Random crop (zero padding p, black pixels) then random horizontal flip, on a uint8 NCHW batch."""

    def __init__(self, padding, generator):
        self.p = padding
        self.g = generator
        self.rows = torch.arange(32)

    def __call__(self, x):
        n = x.shape[0]
        p = self.p
        padded = F.pad(x, (p, p, p, p))                                  # zeros = black
        dy = torch.randint(0, 2 * p + 1, (n,), generator=self.g)
        dx = torch.randint(0, 2 * p + 1, (n,), generator=self.g)
        flip = torch.rand(n, generator=self.g) < 0.5
        rows = (dy[:, None] + self.rows[None, :])                          # [n, 32]
        cols = dx[:, None] + self.rows[None, :]
        cols = torch.where(flip[:, None], cols.flip(1), cols)             # flip after crop
        idx_n = torch.arange(n)[:, None, None, None]
        idx_c = torch.arange(3)[None, :, None, None]
        return padded[idx_n, idx_c, rows[:, None, :, None], cols[:, None, None, :]]


def normalize(x, mean, std):
    return (x.float().div_(255.0) - mean) / std


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="use the first N training images (0 = all)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--channels-last", action="store_true", help="use torch.channels_last memory format")
    ap.add_argument("--model", choices=["seed", "fast"], default="seed")
    ap.add_argument("--epochs", type=int, default=1, help="fast: epochs of the one-cycle schedule")
    ap.add_argument("--l2", type=float, default=0.0, help="fast: weight decay (coupled, every tensor)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    train_x, train_y = read_batches(args.data, TRAIN_FILES)
    test_x, test_y = read_batches(args.data, [TEST_FILE])
    if args.limit > 0:
        train_x, train_y = train_x[:args.limit], train_y[:args.limit]
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format

    n = train_x.shape[0]
    gen = torch.Generator().manual_seed(args.seed)
    if args.model == "seed":
        net = seed_net().to(memory_format=fmt)
        opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=args.momentum)
        augment = Augment(4, gen)
        schedule = None
        smoothing = 0.0
    else:
        # The speedrun's network and optimizer (Nesterov, momentum 0.85, label smoothing 0.2, the one-cycle rate);
        # its whitening, identity init, BatchNorm tweaks and Lookahead are left out: they cost no time per image.
        net = fast_net().to(memory_format=fmt)
        opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.85, nesterov=True, weight_decay=args.l2)
        augment = Augment(2, gen)
        schedule = one_cycle(args.lr, args.epochs * max(1, n // args.batch))
        smoothing = 0.2
    step = 0
    print("ready " + json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                                 "train": n, "test": int(test_x.shape[0]),
                                 "channels_last": args.channels_last, "model": args.model}), flush=True)
    epoch = 0
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            break
        if cmd != "epoch":
            print(json.dumps({"error": "unknown command %r" % cmd}), flush=True)
            continue
        epoch += 1
        net.train()
        order = torch.randperm(n, generator=gen)
        t0 = time.perf_counter()
        loss_sum, correct = 0.0, 0
        end = n - n % args.batch if args.model == "fast" and n >= args.batch else n    # fast: drop_last, as ours
        seen = 0
        for start in range(0, end, args.batch):
            idx = order[start:start + args.batch]
            seen += idx.shape[0]
            xb = normalize(augment(train_x[idx]), mean, std).contiguous(memory_format=fmt)
            yb = train_y[idx]
            if schedule is not None:
                for g in opt.param_groups:
                    g["lr"] = schedule(step)
            step += 1
            out = net(xb)
            loss = F.cross_entropy(out, yb, label_smoothing=smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * yb.shape[0]
            correct += (out.argmax(1) == yb).sum().item()
        seconds = time.perf_counter() - t0
        net.eval()
        test_loss, test_correct = 0.0, 0
        with torch.no_grad():
            for start in range(0, test_x.shape[0], args.batch):
                xb = normalize(test_x[start:start + args.batch], mean, std).contiguous(memory_format=fmt)
                yb = test_y[start:start + args.batch]
                out = net(xb)
                test_loss += F.cross_entropy(out, yb, reduction="sum").item()
                test_correct += (out.argmax(1) == yb).sum().item()
        m = test_x.shape[0]
        print(json.dumps({
            "epoch": epoch, "seconds": seconds, "img_per_s": seen / seconds,
            "train_loss": loss_sum / seen, "train_acc": correct / seen,
            "test_loss": test_loss / m, "test_acc": test_correct / m,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}), flush=True)


if __name__ == "__main__":
    main()
