#!/usr/bin/env python3
"""Execute Descent notebooks headless with the real Jupyter stack (nbclient) and the real Java kernel.

For each notebook: runs every cell in order, checks the tagged expectations, writes the executed copy and
an HTML rendering, and prints one line: name, status, wall seconds. Exit code 1 if any notebook failed.

Cell tags checked after execution:
  expect-image   the cell shows an image/png output
  expect-gif     the cell shows an image/gif output (an animation, descent.plot.AnimatedGif)
  expect-table   the cell shows a text/html output holding a <table>
  expect-error   the cell is expected to raise (its error is shown, not a failure)

Exercises (descent.check.Exercise). A lecture notebook's starter cells are tagged exercise; its solution notebook
(notebooks/solutions/NN-name.ipynb) holds the solved cells, tagged solution. A cell tagged check belongs to the
nearest exercise or solution cell above it and:
  after an exercise cell   must raise Exercise.NotYet: the check rejects the untouched starter (shown, not a failure)
  after a solution cell    must print "<id> correct": the check accepts the solution
Any other outcome (a check that accepts the starter, rejects the solution or raises anything else) fails the run.

A JSON report (one object per notebook) is written with --report.
"""
import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

TAGS = ("expect-image", "expect-table", "expect-error", "exercise", "solution", "check")
NOT_YET = "descent.check.Exercise$NotYet"
KERNEL_START_SECONDS = 30
KERNEL_START_ATTEMPTS = 3


class KernelStartTimeout(Exception):
    """The kernel process started but never answered kernel_info: no cell has run."""


MEMORY_CELL = "System.out.println(descent.kernel.MemoryWatch.json());"


def execute_cells(client, nb, result, memory=False):
    """Starts the kernel and runs every cell in order; raises nbclient's errors as they come. With memory, one
    more cell (not saved in the notebook) asks the kernel for its heap and off-heap peaks (descent.kernel.MemoryWatch,
    which the kernel samples when DESCENT_MEMORY_WATCH is set)."""
    started = False
    try:
        with client.setup_kernel():
            started = True
            try:
                kernel_pid = client.km.provisioner.pid
            except Exception:
                kernel_pid = None
            for index, cell in enumerate(nb.cells):
                tags = set(cell.get("metadata", {}).get("tags", []))
                client.allow_errors = "expect-error" in tags or "check" in tags  # judged by check_exercises
                client.execute_cell(cell, index)
                if kernel_pid:
                    result["peak_rss_mb"] = peak_rss_mb(kernel_pid) or result["peak_rss_mb"]
            if memory:
                probe = nbformat.v4.new_code_cell(MEMORY_CELL)
                client.allow_errors = False
                nb.cells.append(probe)          # nbclient addresses cells by index; removed again below
                try:
                    client.execute_cell(probe, len(nb.cells) - 1)
                finally:
                    nb.cells.pop()
                text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
                result.update(json.loads(text.strip().splitlines()[-1]))
    except RuntimeError as e:
        if not started and "didn't respond" in str(e):
            raise KernelStartTimeout(str(e)) from e
        raise


def cell_label(nb, index):
    """'cell 7 (code cell 4: first line of source)'."""
    cell = nb.cells[index]
    code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    first = next((l for l in cell.source.splitlines() if l.strip()), "").strip()
    if len(first) > 60:
        first = first[:57] + "..."
    return f"cell {index + 1} (code cell {code_number}: {first})"


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def check_expectations(nb):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        outputs = cell.get("outputs", [])
        if "expect-image" in tags and not any("image/png" in o.get("data", {}) for o in outputs):
            problems.append(f"{cell_label(nb, i)} is tagged expect-image but shows no image/png output")
        if "expect-gif" in tags and not any("image/gif" in o.get("data", {}) for o in outputs):
            problems.append(f"{cell_label(nb, i)} is tagged expect-gif but shows no image/gif output")
        if "expect-table" in tags and not any(
            "<table" in "".join(o.get("data", {}).get("text/html", "")) for o in outputs
        ):
            problems.append(f"{cell_label(nb, i)} is tagged expect-table but shows no HTML table")
        if "expect-error" in tags and not any(o.get("output_type") == "error" for o in outputs):
            problems.append(f"{cell_label(nb, i)} is tagged expect-error but raised nothing")
        for o in outputs:
            text = "".join(o.get("data", {}).get("text/plain", "")) if o.get("output_type") == "execute_result" else ""
            if re.fullmatch(r"java\.io\.PrintStream@[0-9a-f]+", text.strip()):
                problems.append(f"{cell_label(nb, i)} shows 'java.io.PrintStream@...' as its value: end it with a "
                                f"statement (System.out.println), not System.out.printf/format")
    return problems


def check_exercises(nb):
    """Judges every check cell by the exercise or solution cell it follows (see the module doc). Returns the
    problems and one record per check: {"cell", "exercise" (the id it printed or raised, or None), "after", "verdict"}."""
    problems, checks, owner = [], [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"exercise", "solution"}:
            owner = i
            continue
        if "check" not in tags:
            continue
        if owner is None:
            problems.append(f"{cell_label(nb, i)} is tagged check but no cell tagged exercise or solution comes before it")
            continue
        after = "solution" if "solution" in nb.cells[owner].metadata.get("tags", []) else "exercise"
        error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        first = re.sub(r"\x1b\[[0-9;]*m", "", (error.get("traceback") or [""])[0]).strip() if error else ""
        not_yet = error is not None and first.startswith(NOT_YET + ":")
        printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("name") == "stdout")
        correct = re.findall(r"^(\S+) correct$", printed, re.M)
        raised = re.match(r"(\S+) not yet:", error.get("evalue", "")) if not_yet else None
        exercise = correct[0] if correct else raised.group(1) if raised else None
        owner_label = f"{'the untouched starter' if after == 'exercise' else 'the solution'} in cell {owner + 1}"
        if after == "exercise" and not_yet:
            verdict = "starter rejected"
        elif after == "solution" and error is None and correct:
            verdict = "correct"
        elif after == "exercise" and error is None:
            verdict = "accepted the starter"
            problems.append(f"{cell_label(nb, i)} accepted {owner_label}: a check must reject the starter with "
                            f"{NOT_YET} (printed: {printed.strip()[:200]!r})")
        elif after == "solution" and not_yet:
            verdict = "rejected the solution"
            problems.append(f"{cell_label(nb, i)} rejected {owner_label}:\n{error_text(nb, i)}")
        elif error is None:
            verdict = "printed no verdict"
            problems.append(f"{cell_label(nb, i)} checks {owner_label} but printed no '<id> correct' line "
                            f"(end a check with Exercise...verify())")
        else:
            verdict = "raised another error"
            problems.append(f"{cell_label(nb, i)} checks {owner_label} and raised an error other than "
                            f"{NOT_YET}:\n{error_text(nb, i)}")
        checks.append({"cell": i + 1, "exercise": exercise, "after": after, "verdict": verdict})
    return problems, checks


def error_text(nb, index):
    for o in nb.cells[index].get("outputs", []):
        if o.get("output_type") == "error":
            lines = [o.get("ename", ""), o.get("evalue", "")] + o.get("traceback", [])[:8]
            return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(l for l in lines if l)).strip()
    return ""


def run_one(path, out_dir, kernel, cell_timeout, notebook_timeout, in_place, html, memory=False):
    nb = nbformat.read(path, as_version=4)
    state = {"cell": None, "start": time.monotonic()}

    def remaining(cell):
        left = notebook_timeout - (time.monotonic() - state["start"])
        return max(1, int(min(cell_timeout, left)))

    def on_cell_start(cell, cell_index):
        state["cell"] = cell_index

    result = {"notebook": path.name, "status": "ok", "problems": [], "seconds": 0.0, "peak_rss_mb": None,
              "kernel_start_attempts": 0}
    # rapaio-jupyter-kernel 3.0.1 sometimes never answers its first kernel_info_request (its shell channel stays
    # silent; seen in about 1 start in 6 on a loaded 2-core machine, see descent.kernel.KernelMain). No cell has
    # run at that point, so the harness starts a fresh kernel, at most KERNEL_START_ATTEMPTS times, and says so.
    first_start = state["start"]
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        result["kernel_start_attempts"] = attempt
        state["start"] = time.monotonic()  # the notebook's budget starts with its own kernel
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=int(cell_timeout),
            timeout_func=remaining,
            allow_errors=False,
            interrupt_on_timeout=False,
            record_timing=True,
            startup_timeout=KERNEL_START_SECONDS,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.on_cell_start = on_cell_start
        try:
            execute_cells(client, nb, result, memory)
            break
        except KernelStartTimeout as e:
            if attempt == KERNEL_START_ATTEMPTS:
                result["status"] = "failed"
                result["problems"].append(f"the kernel did not answer in {KERNEL_START_SECONDS} s, "
                                          f"{attempt} starts tried: {e}")
            else:
                print(f"  ({path.name}: kernel did not answer in {KERNEL_START_SECONDS} s; starting a fresh one)",
                      file=sys.stderr, flush=True)
        except CellTimeoutError:
            i = state["cell"]
            result["status"] = "failed"
            result["problems"].append(
                f"{cell_label(nb, i)} timed out: the notebook exceeded its {notebook_timeout:.0f} s budget "
                f"(or a cell its {cell_timeout:.0f} s)"
            )
            break
        except DeadKernelError as e:
            i = state["cell"]
            result["status"] = "failed"
            where = cell_label(nb, i) if i is not None else "start-up"
            result["problems"].append(
                f"the kernel died during {where} (out of memory, System.exit or a crash): {e}"
            )
            break
        except CellExecutionError:
            i = state["cell"]
            result["status"] = "failed"
            result["problems"].append(f"{cell_label(nb, i)} raised an error:\n{error_text(nb, i)}")
            break
        except Exception as e:  # kernel not found, start-up failure
            result["status"] = "failed"
            result["problems"].append(f"could not run: {type(e).__name__}: {e}")
            break
    result["seconds"] = round(time.monotonic() - first_start, 1)
    if result["status"] == "ok":
        problems, result["checks"] = check_exercises(nb)
        problems = check_expectations(nb) + problems
        if problems:
            result["status"] = "failed"
            result["problems"].extend(problems)

    if path.parent.name == "solutions":  # notebooks/solutions/NN-name.ipynb shares its name with its lecture's
        out_dir = out_dir / "solutions"
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    nbformat.write(nb, executed)
    if in_place and result["status"] == "ok":
        nbformat.write(nb, path)
    if html:
        try:
            from nbconvert import HTMLExporter

            body, _ = HTMLExporter().from_notebook_node(nb)
            (out_dir / (path.stem + ".html")).write_text(body, encoding="utf-8")
        except Exception as e:  # HTML is a convenience; say so but don't fail the run
            print(f"  (no HTML for {path.name}: {e})", file=sys.stderr)
    result["executed"] = str(executed)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True, help="folder for executed copies and HTML")
    p.add_argument("--kernel", default="java")
    p.add_argument("--cell-timeout", type=float, default=1800)
    p.add_argument("--notebook-timeout", type=float, default=3600)
    p.add_argument("--in-place", action="store_true", help="write outputs back into the notebook file")
    p.add_argument("--no-html", action="store_true")
    p.add_argument("--report", type=Path, help="write a JSON report here")
    p.add_argument("--memory", action="store_true",
                   help="also report the kernel's Java heap and ND4J off-heap peaks; last line JSON (./descent bench memory)")
    args = p.parse_args()
    if args.memory:
        os.environ["DESCENT_MEMORY_WATCH"] = "1"   # the kernel inherits it and samples (descent.kernel.MemoryWatch)
    if os.environ.get("DESCENT_PROFILE") == "smoke":
        # Smoke runs are tiny arrays, where ND4J's OpenMP threads cost more than they give, many times over
        # on a busy 2-core CI machine (measured: 05 in 60-88 s with 2 threads, 28-30 s with 1). The kernel
        # inherits this; default and full keep all cores.
        os.environ.setdefault("OMP_NUM_THREADS", "1")

    results = []
    width = max(len(n.name) for n in args.notebooks)
    for path in args.notebooks:
        r = run_one(path.resolve(), args.out, args.kernel, args.cell_timeout, args.notebook_timeout,
                    args.in_place, not args.no_html, args.memory)
        results.append(r)
        rss = f"  peak RSS {r['peak_rss_mb']:.0f} MB" if r["peak_rss_mb"] else ""
        if "heap_peak_mb" in r:
            rss += f"  (Java heap peak {r['heap_peak_mb']:.0f} MB, JavaCPP-counted peak {r['javacpp_peak_mb']:.0f} MB)"
        if r["kernel_start_attempts"] > 1:
            rss += f"  ({r['kernel_start_attempts']} kernel starts)"
        print(f"{r['notebook']:<{width}}  {r['status']:<6}  {r['seconds']:7.1f} s{rss}", flush=True)
        if r.get("checks"):
            print("    exercises: " + ", ".join(f"{c['exercise'] or 'cell ' + str(c['cell'])} {c['verdict']}"
                                            for c in r["checks"]), flush=True)
        for problem in r["problems"]:
            print("    " + problem.replace("\n", "\n    "), flush=True)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(results, indent=2))
    failed = [r for r in results if r["status"] != "ok"]
    print(f"notebooks: {len(results) - len(failed)} passed, {len(failed)} failed", flush=True)
    if args.memory:
        print("(peak RSS: the kernel process's VmHWM. ND4J's arrays live outside both the Java heap and the bytes "
              "JavaCPP counts, which is why the JavaCPP-counted peak stays small; see descent.kernel.MemoryWatch)",
              flush=True)
        keys = ("notebook", "status", "seconds", "peak_rss_mb", "heap_peak_mb", "javacpp_peak_mb", "physical_peak_mb")
        print(json.dumps({"profile": os.environ.get("DESCENT_PROFILE", "default"),
                          "notebooks": [{k: r.get(k) for k in keys} for r in results]}), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
