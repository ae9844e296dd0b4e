"""Small helpers for authoring notebooks with nbformat (used by the scripts that create a notebook's cells).

    from nbtools import md, code, write
    write("notebooks/00-welcome.ipynb", [md("# Title"), code("int x = 1;", tags=["expect-image"])])

Run with /usr/bin/python3 (Debian's nbformat). The notebook file is the source of truth afterwards.
"""
import nbformat

KERNELSPEC = {"name": "java", "display_name": "Java (Descent)", "language": "java"}
LANGUAGE_INFO = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}


def md(text):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text, tags=()):
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def write(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nb.cells = cells
    nbformat.validate(nb)
    nbformat.write(nb, path)
