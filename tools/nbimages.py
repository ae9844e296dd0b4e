"""Dump the PNG outputs of an executed notebook so they can be looked at.

    /usr/bin/python3 tools/nbimages.py target/notebooks/smoke/04-optimizers.ipynb /tmp/img
writes /tmp/img/04-optimizers-cell07-1.png, ... (cell number as in the notebook, 1-based).
"""
import base64
import sys
from pathlib import Path

import nbformat

nb_path, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
nb = nbformat.read(nb_path, as_version=4)
for i, cell in enumerate(nb.cells, 1):
    k = 0
    for o in cell.get("outputs", []):
        png = o.get("data", {}).get("image/png")
        if png:
            k += 1
            p = out / f"{nb_path.stem}-cell{i:02d}-{k}.png"
            p.write_bytes(base64.b64decode(png))
            print(p)
