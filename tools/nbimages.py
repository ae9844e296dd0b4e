"""Dump the PNG (and GIF) outputs of an executed notebook so they can be looked at.

    /usr/bin/python3 tools/nbimages.py target/notebooks/smoke/04-optimizers.ipynb /tmp/img
writes /tmp/img/04-optimizers-cell07-1.png, ... (cell number as in the notebook, 1-based); an animation (image/gif)
is written as .gif.
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
        for mime, ext in (("image/png", "png"), ("image/gif", "gif")):
            data = o.get("data", {}).get(mime)
            if data:
                k += 1
                p = out / f"{nb_path.stem}-cell{i:02d}-{k}.{ext}"
                p.write_bytes(base64.b64decode(data))
                print(p)
