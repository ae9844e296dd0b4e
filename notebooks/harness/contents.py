#!/usr/bin/env python3
"""The contents table of the notebooks: one line per notebook with what it teaches and, per profile, the wall time
and the kernel's peak memory of a measured run. One source, notebooks/contents.json; two copies, written by this
script: the roadmap in 00-welcome.ipynb and the table of README.md (each between the markers
<!-- contents:begin --> and <!-- contents:end -->).

  contents.py record [--shared] REPORT...
                                 merge the notebooks that ran ok in these nbrun.py reports
                                 (target/notebooks/<profile>/report.json) into contents.json, with the date and CPU;
                                 --shared: other jobs ran on the machine meanwhile (the time is an upper bound, the
                                 table marks it with *)
  contents.py write              rewrite both tables from contents.json
  contents.py check              exit 1 if a notebook in notebooks/ has no entry or no run in some profile, an entry
                                 names no notebook, a table is not what `write` would write, or a smoke or default
                                 run peaked above BINDER_LIMIT_MB (what Binder's kernel may use)

A run not measured yet is written in contents.json as {"pending": "why"}; the tables show "not measured yet" and
`check` accepts it only with a reason, so the gap stays visible.

Plain json and text: no Jupyter needed.
"""
import datetime
import json
import os
import re
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent
ROOT = NOTEBOOKS.parent
CONTENTS = NOTEBOOKS / "contents.json"
PROFILES = ("smoke", "default", "full")
BEGIN, END = "<!-- contents:begin -->", "<!-- contents:end -->"
# The kernel's memory guard on Binder's 2 GB container: 2 GB less 512 MB for the server (descent.kernel.MemoryGuard).
# A smoke or default run above it would be stopped there, so `check` refuses such a recorded run.
BINDER_LIMIT_MB = 1536
WELCOME = NOTEBOOKS / "00-welcome.ipynb"
README = ROOT / "README.md"


def load():
    with open(CONTENTS, encoding="utf-8") as f:
        return json.load(f)


def save(contents):
    with open(CONTENTS, "w", encoding="utf-8") as f:
        json.dump(contents, f, indent=1, ensure_ascii=False)
        f.write("\n")


def cpu_model():
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return re.sub(r"\s+", " ", line.split(":", 1)[1]).strip()
    except OSError:
        pass
    return "unknown CPU"


def record(reports, shared=False):
    contents = load()
    entries = {e["notebook"]: e for e in contents["notebooks"]}
    today = datetime.date.today().isoformat()
    cpu = f"{cpu_model()}, {os.cpu_count()} cores"
    recorded = 0
    for report in reports:
        profile = Path(report).parent.name
        if profile not in PROFILES:
            sys.exit(f"{report}: the report's folder must be the profile ({', '.join(PROFILES)}), got '{profile}'")
        with open(report, encoding="utf-8") as f:
            results = json.load(f)
        for r in results:
            name = r["notebook"].removesuffix(".ipynb")
            if name not in entries:
                print(f"  {name}: not in contents.json (add its title and summary first); skipped")
                continue
            if r.get("status") != "ok" or r.get("peak_rss_mb") is None:
                print(f"  {name} ({profile}): status {r.get('status')}; not recorded")
                continue
            entries[name].setdefault("runs", {})[profile] = {
                "seconds": round(r["seconds"], 1), "peak_mb": round(r["peak_rss_mb"]), "date": today, "cpu": cpu}
            if shared:
                entries[name]["runs"][profile]["shared"] = True
            recorded += 1
            print(f"  {name} ({profile}): {r['seconds']:.1f} s, {r['peak_rss_mb']:.0f} MB")
    save(contents)
    print(f"recorded {recorded} run(s) in {CONTENTS.relative_to(ROOT)}")


def duration(seconds):
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds >= 600 else f"{seconds / 60:.1f} min"


def run_cell(entry, profile):
    run = entry.get("runs", {}).get(profile)
    if run is None:
        return "—"
    if "pending" in run:
        return "not measured yet"
    return f"{duration(run['seconds'])}{'*' if run.get('shared') else ''}<br>{run['peak_mb']:,} MB"


def table(contents, link_prefix):
    lines = ["| # | notebook | what it teaches | smoke | default | full |", "|---|---|---|---:|---:|---:|"]
    for e in contents["notebooks"]:
        number = e["notebook"][:2]
        lines.append(f"| {number} | [{e['title']}]({link_prefix}{e['notebook']}.ipynb) | {e['teaches']} | "
                     + " | ".join(run_cell(e, p) for p in PROFILES) + " |")
    measured = [r for e in contents["notebooks"] for r in e.get("runs", {}).values() if "pending" not in r]
    cpus = sorted({r["cpu"] for r in measured})
    dates = sorted({r["date"] for r in measured})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "never"
    lines.append("")
    lines.append(f"Each run: wall time of the whole notebook and the kernel's peak resident memory (what a container "
                 f"counts), from `./descent execute NN --profile P`; measured on {', '.join(cpus) or 'no machine yet'} "
                 f"({when}), recorded with `notebooks/harness/contents.py record`."
                 + (" \\* Measured while other jobs shared the machine: the time is an upper bound (the memory is "
                    "the notebook's own)." if any(r.get("shared") for e in contents["notebooks"]
                                                  for r in e.get("runs", {}).values()) else ""))
    return "\n".join(lines)


def replace_between(text, new, where):
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{where}: no {BEGIN} ... {END} markers")
    return text[:start + len(BEGIN)] + "\n" + new + "\n" + text[end:]


def welcome_cell(nb):
    for cell in nb["cells"]:
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if BEGIN in src:
            return cell, src
    raise SystemExit(f"{WELCOME.name}: no markdown cell with the {BEGIN} marker")


def expected():
    contents = load()
    readme = replace_between(README.read_text(encoding="utf-8"), table(contents, "notebooks/"), "README.md")
    with open(WELCOME, encoding="utf-8") as f:
        nb = json.load(f)
    cell, src = welcome_cell(nb)
    return contents, readme, nb, cell, replace_between(src, table(contents, ""), WELCOME.name)


def write():
    _, readme, nb, cell, src = expected()
    README.write_text(readme, encoding="utf-8")
    cell["source"] = src.splitlines(keepends=True)
    with open(WELCOME, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print("wrote the contents table in README.md and 00-welcome.ipynb")


def check():
    contents, readme, _, cell, src = expected()
    problems = []
    names = [e["notebook"] for e in contents["notebooks"]]
    on_disk = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    problems += [f"{n}.ipynb has no entry in contents.json" for n in on_disk if n not in names]
    problems += [f"contents.json lists {n}, which is not a notebook in notebooks/" for n in names if n not in on_disk]
    if names != sorted(names):
        problems.append("contents.json lists the notebooks out of order")
    for e in contents["notebooks"]:
        missing = [p for p in PROFILES if p not in e.get("runs", {})]
        if missing:
            problems.append(f"{e['notebook']} has no recorded run in {', '.join(missing)}: run "
                            f"./descent execute {e['notebook'][:2]} --profile P, then contents.py record")
        for p, r in e.get("runs", {}).items():
            if "pending" in r and not str(r["pending"]).strip():
                problems.append(f"{e['notebook']}: the pending {p} run needs a reason")
            if p != "full" and r.get("peak_mb", 0) > BINDER_LIMIT_MB:
                problems.append(f"{e['notebook']}: its {p} run peaked at {r['peak_mb']:,} MB, above the "
                                f"{BINDER_LIMIT_MB:,} MB that Binder's kernel may use (descent.kernel.MemoryGuard)")
    if readme != README.read_text(encoding="utf-8"):
        problems.append("README.md's table is not contents.json's: run notebooks/harness/contents.py write")
    old = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    if src != old:
        problems.append("00-welcome.ipynb's roadmap is not contents.json's: run notebooks/harness/contents.py write")
    for p in problems:
        print("    " + p)
    print(f"contents: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "record" and len(argv) > 2:
        shared = "--shared" in argv[2:]
        record([a for a in argv[2:] if a != "--shared"], shared)
    elif argv[1:] == ["write"]:
        write()
    elif argv[1:] == ["check"]:
        sys.exit(check())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
