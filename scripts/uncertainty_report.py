#!/usr/bin/env python3
"""Regenerates the results block of docs/uncertainty.md: runs the shipped uncertainty experiment
(scenarios/uncertainty/guangzhou-uncertainty.yaml, 220 full-scale runs, about 25 minutes on 2
cores) unless --results names its results file, then writes `govsim compare --format markdown`
between the markers.

Usage: scripts/uncertainty_report.py [--govsim BIN] [--results FILE.h5]   (standard library only)
"""
import argparse
import pathlib
import subprocess

import docblock

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXPERIMENT = "scenarios/uncertainty/guangzhou-uncertainty.yaml"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--govsim", default=str(ROOT / "build/release/app/govsim"))
    ap.add_argument("--results", help="an existing results file of the experiment")
    a = ap.parse_args()
    # The default is relative to ROOT, the cwd of both runs, so the page does not name this machine.
    results = "results/guangzhou-uncertainty.h5"
    if a.results:
        results = str(pathlib.Path(a.results).resolve())
    if not a.results:
        subprocess.run([a.govsim, "run", EXPERIMENT, "-o", results, "--overwrite", "--no-progress"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([a.govsim, "compare", results, "--format", "markdown"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    block = docblock.replace(ROOT / "docs/uncertainty.md", "uncertainty",
                             f"(`/usr/bin/python3 scripts/uncertainty_report.py`; {EXPERIMENT})\n\n"
                             + out.strip())
    print(block)


if __name__ == "__main__":
    main()
