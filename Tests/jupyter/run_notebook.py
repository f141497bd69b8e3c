"""Executes a notebook with nbclient on AlphaLab's kernel, as Jupyter would, and checks it.

usage: run_notebook.py NOTEBOOK OUTPUT_FOLDER

Every cell must run without an error; the outputs must hold the rich forms the kernel
promises (the Phase 1 table and decision matrix as HTML, equity curves as SVG, the factor
tear sheet, the progress display updated in place). Writes the executed notebook and its
HTML rendering (nbconvert) to OUTPUT_FOLDER, and prints "all checks passed".
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter


def outputs(cell, kind=None):
    return [o for o in cell.get("outputs", []) if kind is None or o["output_type"] == kind]


def main(path, folder):
    notebook = nbformat.read(path, as_version=4)
    os.makedirs(folder, exist_ok=True)
    client = NotebookClient(notebook, timeout=600, kernel_name="alphalab", resources={"metadata": {"path": folder}})
    client.execute()
    name = os.path.splitext(os.path.basename(path))[0]
    nbformat.write(notebook, os.path.join(folder, name + ".ipynb"))
    html, _ = HTMLExporter().from_notebook_node(notebook)
    with open(os.path.join(folder, name + ".html"), "w") as out:
        out.write(html)

    code = [c for c in notebook.cells if c.cell_type == "code"]
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    for i, cell in enumerate(code):
        check(not outputs(cell, "error"), f"cell {i + 1} ran without an error")
    data, run_all, table, single, factor, drawn = code
    check("2005-01-03 .. 2025-12-31" in "".join(o["data"]["text/plain"] for o in outputs(data, "execute_result")), "the dataset shows as text")
    progress = [o for o in outputs(run_all, "display_data") if "text/html" in o["data"]]
    check(len(progress) == 1 and "<progress" in progress[0]["data"]["text/html"] and "52/52" in progress[0]["data"]["text/plain"],
          "one progress display, updated in place to its last week")
    result = outputs(table, "execute_result")[0]["data"]
    check("<table" in result["text/html"] and "1_Signal_Inversion" in result["text/html"], "the results show as the Phase 1 table")
    check("Decision matrix" in result["text/html"] and "stop_loss" in result["text/html"], "with the decision matrix")
    check(result["image/svg+xml"].startswith("<svg") and "SPY" in result["image/svg+xml"], "and their equity curves against SPY as SVG")
    one = outputs(single, "execute_result")[0]["data"]
    check("0_Baseline_Current" in one["text/html"] and one["image/svg+xml"].startswith("<svg"), "one result: its table and its curve")
    sheet = outputs(factor, "display_data")
    check(len(sheet) == 1 and "Factor tear sheet: MOM_12_1" in sheet[0]["data"]["text/html"] and "<svg" in sheet[0]["data"]["text/html"],
          "the factor shows as its tear sheet")
    kinds = [k for o in outputs(drawn, "display_data") for k in o["data"]]
    check("text/html" in kinds and "image/svg+xml" in kinds, "display.html and display.svg draw")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
