#!/usr/bin/env python3
"""Regenerates the calibration table of docs/validation.md: the shipped baseline against every
target of scenarios/targets/guangzhou-baseline.yaml, and the held-out reform figures beside what
the documented strategies give, at population scale 1 (`govsim calibrate --evaluate`).

Usage: scripts/calibration_table.py [--govsim BIN] [--scale S]   (standard library only)
"""
import argparse
import pathlib
import subprocess

import docblock

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--govsim", default=str(ROOT / "build/release/app/govsim"))
    ap.add_argument("--scale", default="1")
    a = ap.parse_args()
    out = subprocess.run([a.govsim, "calibrate", "scenarios/targets/guangzhou-baseline.yaml",
                          "--evaluate", "--scale", a.scale], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    block = docblock.replace(ROOT / "docs/validation.md", "calibration",
                             "(`/usr/bin/python3 scripts/calibration_table.py`)\n\n" + out.strip())
    print(block)


if __name__ == "__main__":
    main()
