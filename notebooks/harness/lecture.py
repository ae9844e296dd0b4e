#!/usr/bin/env python3
"""Checks the lecture format of Descent notebooks, from the files alone (plain json: no Jupyter, no kernel).

  lecture.py format NB...         a lecture notebook (notebooks/NN-name.ipynb) is lecture-ready:
      - navigation: its first and its last cell are markdown cells linking the previous notebook, the contents
        (the first notebook, 00-welcome) and the next notebook, by number among its NN-*.ipynb siblings; every
        .ipynb it links exists;
      - '## Exercises', the last section but '## References', with at least 3 numbered items; at least one coding
        exercise: a starter cell tagged exercise followed, before the next one, by a cell tagged check that calls
        descent.check.Exercise.named("NN.k") with NN the notebook's number; its solutions in solutions/NN-name.ipynb;
      - '## References' with at least one link;
      - slides: every cell has metadata.slideshow.slide_type (slide, subslide, fragment, -, skip or notes; '-'
        continues the current slide), and at least one cell is a slide.
  lecture.py solution SOL...      a solution notebook (notebooks/solutions/NN-name.ipynb) matches its lecture:
      NN-name.ipynb exists one folder up; both have the same check cells (same exercise ids), each word for word
      the same, so the check a solution passes is the very check the learner runs; in the solution every check
      follows a cell tagged solution, and no cell is tagged exercise.

Whether a check accepts the solution and rejects the starter is decided by running them (nbrun.py). Prints one
line per notebook (ok or failed) and each problem under it; exit code 1 if any failed.
"""
import json
import re
import sys
from pathlib import Path

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
NUMBERED = re.compile(r"^\d+\. ")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)|<(https?://[^>]+)>")
EXERCISE_ID = re.compile(r'Exercise\.named\(\s*"([^"]*)"\s*\)')


def source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["cells"]


def sections(cells):
    """[(title, first cell index, text)] for each '## ' section: the markdown from its heading to the next '# ' or
    '## ' heading, or to the last cell, the navigation, which is no section's."""
    found = []
    for i, cell in enumerate(cells[:-1]):
        if cell.get("cell_type") != "markdown":
            continue
        for line in source(cell).splitlines():
            heading = re.match(r"^(#{1,2}) +(.+?)\s*$", line)
            if heading:
                found.append([heading.group(2) if heading.group(1) == "##" else None, i, ""])
            elif found:
                found[-1][2] += line + "\n"
    return [tuple(s) for s in found if s[0] is not None]


def navigation_problems(cells, path, which):
    """Problems of the first or the last cell as the navigation cell."""
    index = 0 if which == "first" else len(cells) - 1
    siblings = sorted(p.name for p in path.parent.glob("[0-9][0-9]-*.ipynb"))
    me = siblings.index(path.name)
    wanted = {}
    if me > 0:
        wanted["the previous notebook"] = siblings[me - 1]
        wanted["the contents"] = siblings[0]
    if me + 1 < len(siblings):
        wanted["the next notebook"] = siblings[me + 1]
    example = " · ".join(f"[{label}]({name})" for label, name in
                         zip(("← previous", "contents", "next →"),
                             (wanted.get("the previous notebook"), wanted.get("the contents"),
                              wanted.get("the next notebook"))) if name)
    cell = cells[index] if cells else {}
    targets = [m.group(2).split("#")[0] for m in LINK.finditer(source(cell)) if m.group(2)]
    targets = [t for t in targets if t.endswith(".ipynb")]
    if cell.get("cell_type") != "markdown" or not targets:
        return [f"the {which} cell is not a navigation cell: make it a markdown cell such as {example}"]
    problems = [f"the {which} cell links {t}, which does not exist" for t in targets
                if not (path.parent / t).is_file()]
    problems += [f"the {which} cell does not link {what}, {name}" for what, name in wanted.items()
                 if name not in targets]
    return problems


def format_problems(path):
    cells = load(path)
    number = re.match(r"^(\d\d)-.+\.ipynb$", path.name)
    if not number:
        return [f"the name must be NN-name.ipynb (a two-digit number first), got {path.name}"]
    number = number.group(1)
    problems = navigation_problems(cells, path, "first") + navigation_problems(cells, path, "last")

    found = sections(cells)
    titles = [t for t, _, _ in found]
    if "Exercises" not in titles:
        problems.append("no '## Exercises' section")
    else:
        at = titles.index("Exercises")
        text = found[at][2]
        items = [line for line in text.splitlines() if NUMBERED.match(line)]
        if len(items) < 3:
            problems.append(f"'## Exercises' has {len(items)} numbered items; at least 3 are needed "
                            f"(a quick one, one that changes code, an open question)")
        later = [t for t in titles[at + 1:] if t != "References"]
        if later:
            problems.append(f"'## Exercises' must be the last section but '## References'; after it: "
                            + ", ".join(f"'## {t}'" for t in later))
    if "References" not in titles:
        problems.append("no '## References' section")
    elif not LINK.search(found[titles.index("References")][2]):
        problems.append("'## References' has no links")

    missing, wrong = [], []
    for i, cell in enumerate(cells):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if kind is None:
            missing.append(str(i + 1))
        elif kind not in SLIDE_TYPES:
            wrong.append(f"cell {i + 1} has slide_type '{kind}'")
    if missing:
        problems.append(f"cell{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"{'have' if len(missing) > 1 else 'has'} no metadata.slideshow.slide_type")
    if wrong:
        problems.append("; ".join(wrong) + f" (valid: {', '.join(SLIDE_TYPES)})")
    if not any(c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide" for c in cells):
        problems.append("no cell is a slide (slide_type 'slide'): the deck would be one page")

    starter = None
    exercises = checks = 0
    for i, cell in enumerate(cells):
        if "solution" in tags(cell):
            problems.append(f"cell {i + 1} is tagged solution: solutions belong in solutions/{path.name}")
        if "exercise" in tags(cell):
            if starter is not None:
                problems.append(f"cell {starter + 1} is tagged exercise but no cell tagged check follows it")
            starter, exercises = i, exercises + 1
        if "check" in tags(cell):
            checks += 1
            starter = None
            ids = EXERCISE_ID.findall(source(cell))
            if len(ids) != 1:
                problems.append(f"cell {i + 1} is tagged check but calls Exercise.named(\"...\") {len(ids)} times "
                                f"(once is right)")
            elif not ids[0].startswith(number + "."):
                problems.append(f"cell {i + 1} checks exercise '{ids[0]}'; in {path.name} ids start with '{number}.'")
    if starter is not None:
        problems.append(f"cell {starter + 1} is tagged exercise but no cell tagged check follows it")
    if exercises == 0:
        problems.append("no cell is tagged exercise: at least one exercise changes code, with a starter cell "
                        "(tagged exercise) and a check cell (tagged check)")
    if checks and not (path.parent / "solutions" / path.name).is_file():
        problems.append(f"no solution notebook solutions/{path.name} for its {checks} check cell"
                        f"{'s' if checks > 1 else ''}")
    return problems


def check_cells(cells, name, problems):
    """{exercise id: (cell number, source)} of the cells tagged check."""
    found = {}
    for i, cell in enumerate(cells):
        if "check" in tags(cell):
            ids = EXERCISE_ID.findall(source(cell))
            if len(ids) != 1:
                problems.append(f"{name} cell {i + 1} is tagged check but calls Exercise.named(\"...\") "
                                f"{len(ids)} times (once is right)")
            else:
                found[ids[0]] = (i + 1, source(cell).rstrip())
    return found


def solution_problems(path):
    lecture = path.parent.parent / path.name
    if not lecture.is_file():
        return [f"no lecture notebook {lecture.name} in {lecture.parent} for this solution"]
    problems = []
    cells = load(path)
    mine = check_cells(cells, "the solution's", problems)
    theirs = check_cells(load(lecture), f"{lecture.name}'s", problems)
    for exercise in sorted(theirs.keys() - mine.keys()):
        problems.append(f"no check for exercise {exercise} ({lecture.name} checks it in cell {theirs[exercise][0]})")
    for exercise in sorted(mine.keys() - theirs.keys()):
        problems.append(f"cell {mine[exercise][0]} checks exercise {exercise}, which {lecture.name} does not check")
    for exercise in sorted(mine.keys() & theirs.keys()):
        if mine[exercise][1] != theirs[exercise][1]:
            problems.append(f"cell {mine[exercise][0]}, the check for {exercise}, differs from {lecture.name}'s "
                            f"(cell {theirs[exercise][0]}): a solution must pass the very check the learner runs")
    owner = None
    for i, cell in enumerate(cells):
        if "exercise" in tags(cell):
            problems.append(f"cell {i + 1} is tagged exercise: in a solution notebook the solved cell is tagged "
                            f"solution")
        if tags(cell) & {"exercise", "solution"}:
            owner = i
        elif "check" in tags(cell) and owner is None:
            problems.append(f"cell {i + 1} is a check with no cell tagged solution before it")
    return problems


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("format", "solution"):
        sys.exit(__doc__)
    sys.stdout.reconfigure(encoding="utf-8")  # the messages quote arrows and middle dots
    judge = format_problems if sys.argv[1] == "format" else solution_problems
    paths = [Path(p).resolve() for p in sys.argv[2:]]
    failed = 0
    for path in paths:
        problems = judge(path) if path.is_file() else [f"no such notebook: {path}"]
        failed += bool(problems)
        print(f"{path.name}  {'failed' if problems else 'ok'}")
        for problem in problems:
            print("    " + problem)
    print(f"lecture {sys.argv[1]}: {len(paths) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
