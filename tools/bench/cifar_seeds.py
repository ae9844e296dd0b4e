#!/usr/bin/python3
"""Runs `./descent bench cifar` once per seed and summarizes ours vs PyTorch over the seeds.

    /usr/bin/python3 tools/bench/cifar_seeds.py --seeds 1-8 -- --epochs 2 --data ../shared/data/cifar-10 --threads 2
    /usr/bin/python3 tools/bench/cifar_seeds.py --seeds 1-3 -- --model fast --epochs 10 --data DIR --threads 2 --no-torch

Everything after `--` goes to the bench unchanged (do not pass --seed). One run's accuracy at 2 epochs moves by a
point or two with the seed on either side, so "within 1 point of PyTorch" is judged on the mean over seeds,
with its standard error. Prints one line per seed, then the summary; the last line is one JSON object. With
`--log DIR` each seed's whole output (per-epoch lines, its JSON) is kept in DIR/seed-N.log; `--from-logs DIR`
summarizes such logs without running anything. When the runs used `--compare-tta`, the summary adds each test-time
augmentation's accuracy and the paired gains between them (same weights, so the seed's noise cancels).

    /usr/bin/python3 tools/bench/cifar_seeds.py --seeds 1-3 --from-logs target/seeds [--untimed 2]

`--untimed SEEDS` names runs whose time is not clean (the CPU was shared for part of it): their accuracy counts,
their minutes and throughput are left out of the time summary, which says how many runs it is over.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seed_list(text):
    seeds = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        seeds.extend(range(int(a), int(b or a) + 1))
    return seeds


def mean_se(values):
    m = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else float("nan")
    return m, se


def main():
    argv = sys.argv[1:]
    bench_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1-4", help="e.g. 1-8 or 1,3,5")
    ap.add_argument("--log", help="a folder: each seed's whole bench output goes to seed-N.log in it, as it ends")
    ap.add_argument("--from-logs", help="a folder of seed-N.log files (from --log): summarize them, run nothing")
    ap.add_argument("--untimed", default="", help="seeds whose time is not clean (shared CPU): accuracy only, e.g. 2")
    args = ap.parse_args(own)
    if "--seed" in bench_args:
        sys.exit("cifar_seeds.py: pass seeds with --seeds, not --seed after --")
    runs = []
    for i, seed in enumerate(seed_list(args.seeds)):
        if args.from_logs:
            log = Path(args.from_logs) / f"seed-{seed}.log"
            if not log.exists():
                sys.exit(f"seed {seed}: no log {log}")
            text = log.read_text()
            last = text.strip().splitlines()[-1] if text.strip() else ""
            if not last.startswith("{"):
                sys.exit(f"seed {seed}: {log} does not end with the bench's JSON line (unfinished or failed run)")
        else:
            env = dict(os.environ, DESCENT_SKIP_SETUP="1" if i else os.environ.get("DESCENT_SKIP_SETUP", ""))
            out = subprocess.run([str(ROOT / "descent"), "bench", "cifar", *bench_args, "--seed", str(seed)],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if args.log:
                Path(args.log).mkdir(parents=True, exist_ok=True)
                (Path(args.log) / f"seed-{seed}.log").write_text(out.stdout)
            last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
            if out.returncode != 0 or not last.startswith("{"):
                sys.exit(f"seed {seed}: bench failed (exit {out.returncode}):\n{out.stdout[-3000:]}")
        r = json.loads(last)
        r["seed"] = seed
        runs.append(r)
        line = (f"seed {seed}: ours {r['train_img_per_s']:7.1f} img/s, test acc {100 * r['test_acc']:.2f}%, "
                f"{r['train_seconds'] / 60:.1f} min of training, peak RSS {r['peak_rss_mb']:.0f} MB")
        if "torch_test_acc" in r:
            line += (f" | torch {r['torch_train_img_per_s']:7.1f} img/s, test acc {100 * r['torch_test_acc']:.2f}%"
                     f" | ratio {r['throughput_ratio']:.3f}, acc diff {100 * r['acc_diff']:+.2f} pts")
        print(line, flush=True)
    summary = {"seeds": [r["seed"] for r in runs], "epochs": runs[0]["epochs"]}
    m, se = mean_se([100 * r["test_acc"] for r in runs])
    summary.update(test_acc_pct_mean=round(m, 3), test_acc_pct_se=round(se, 3))
    # test_acc is under the recipe's own test-time augmentation, which older runs may not share
    ttas = sorted({str(r["recipe"].get("tta", "?")) for r in runs if "recipe" in r})
    with_tta = f", the recipe's {ttas[0]} TTA" if len(ttas) == 1 else ""
    print(f"ours : test acc {m:.2f}% ± {se:.2f} (mean ± standard error over {len(runs)} seeds{with_tta})")
    if len(ttas) > 1:
        print(f"ours : the runs' recipes used different test-time augmentations ({', '.join(ttas)}): "
              "compare them by level (--compare-tta)")
    untimed = set(seed_list(args.untimed)) if args.untimed else set()
    unknown = untimed - {r["seed"] for r in runs}
    if unknown:
        sys.exit(f"cifar_seeds.py: --untimed names seeds that are not among --seeds: {sorted(unknown)}")
    timed = [r for r in runs if r["seed"] not in untimed]
    rss = max(r["peak_rss_mb"] for r in runs)
    summary.update(test_acc_pct=[round(100 * r["test_acc"], 2) for r in runs], peak_rss_mb_max=round(rss),
                   timed_seeds=[r["seed"] for r in timed])
    if timed:
        minutes = [r["train_seconds"] / 60 for r in timed]
        mm, mse = mean_se(minutes)
        note = f" over the {len(timed)} timed seeds" if untimed else ""
        print(f"ours : {mm:.1f} ± {mse:.1f} min of training{note} (longest {max(minutes):.1f}), "
              f"peak RSS at most {rss:.0f} MB")
        summary.update(train_minutes_mean=round(mm, 2), train_minutes_se=round(mse, 3),
                       train_minutes_max=round(max(minutes), 2))
    else:
        print(f"ours : no timed seed; peak RSS at most {rss:.0f} MB")
    if all("test_acc_by_tta" in r for r in runs):
        levels = list(runs[0]["test_acc_by_tta"])
        by = {}
        for level in levels:
            lm, lse = mean_se([100 * r["test_acc_by_tta"][level] for r in runs])
            by[level] = {"mean": round(lm, 3), "se": round(lse, 3)}
            print(f"ours : {level:14s} TTA: test acc {lm:.2f}% ± {lse:.2f}")
        for a, b in zip(levels, levels[1:]):
            gm, gse = mean_se([100 * (r["test_acc_by_tta"][b] - r["test_acc_by_tta"][a]) for r in runs])
            by[f"{b}_minus_{a}_pts"] = {"mean": round(gm, 3), "se": round(gse, 3)}
            print(f"ours : {b} - {a}: {gm:+.2f} ± {gse:.2f} points (paired, same weights)")
        summary["test_acc_pct_by_tta"] = by
    if all("torch_test_acc" in r for r in runs):
        tm, tse = mean_se([100 * r["torch_test_acc"] for r in runs])
        dm, dse = mean_se([100 * r["acc_diff"] for r in runs])
        rm, rse = mean_se([r["throughput_ratio"] for r in runs])
        print(f"torch: test acc {tm:.2f}% ± {tse:.2f}")
        print(f"accuracy difference ours - torch: {dm:+.2f} ± {dse:.2f} points; "
              f"throughput ratio ours/torch: {rm:.3f} ± {rse:.3f} (min {min(r['throughput_ratio'] for r in runs):.3f})")
        summary.update(torch_test_acc_pct_mean=round(tm, 3), acc_diff_pts_mean=round(dm, 3), acc_diff_pts_se=round(dse, 3),
                       throughput_ratio_mean=round(rm, 4), throughput_ratio_se=round(rse, 4),
                       throughput_ratio_min=min(r["throughput_ratio"] for r in runs))
    print(json.dumps(summary).replace("NaN", "null"))


if __name__ == "__main__":
    main()
