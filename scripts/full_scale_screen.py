#!/usr/bin/env python3
"""Delayed acceptance at full scale: runs every particle of a `govsim calibrate` posterior at
population scale 1 and keeps those that meet every target there.

ABC-SMC runs at a reduced scale to be affordable (thousands of runs); a particle accepted there
can miss a target at scale 1 (small districts' volumes and grid finds are noisy at small
scales). Each particle is written into a temporary copy of the calibration's scenario (in a
temporary directory, its data paths made absolute; nothing is written into the source tree),
evaluated with `govsim calibrate --evaluate --scale 1` against the
targets (held-out figures left out), and reported with its full-scale distance (root mean square
of (model - published) / tolerance) and the targets it meets. The CSV has one row per particle.

Usage: /usr/bin/python3 scripts/full_scale_screen.py RESULTS.h5 CALIBRATION.yaml OUT.csv
           [--govsim BIN] [--scale S] [--only I,J,...]
(needs h5py, numpy and PyYAML: Debian's python3-h5py, python3-yaml)
"""
import argparse
import csv
import math
import os
import pathlib
import re
import subprocess
import tempfile

import h5py
import numpy as np
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| (?P<name>[a-z0-9-]+) \| .* \| (?P<value>[-+0-9.e]+) \| (?P<tol>[-+0-9.e]+) "
                 r"\| (?P<model>[-+0-9.e]+|nan) \| (?P<met>yes|no) \|")


def set_key(node, path, value, multiply):
    """Sets `a.b[*].c` in a loaded scenario; `[*]` means every element of the list."""
    head, _, rest = path.partition(".")
    m = re.fullmatch(r"(\w+)\[\*\]", head)
    if m:
        for item in node[m.group(1)]:
            set_key(item, rest, value, multiply)
    elif rest:
        set_key(node[head], rest, value, multiply)
    elif multiply:
        node[head] = node[head] * value
    else:
        node[head] = value


def absolute_paths(node, base_dir):
    """Makes the scenario's relative file names (data files) absolute, for a copy kept elsewhere."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) \
        else []
    for key, value in items:
        if isinstance(value, (dict, list)):
            absolute_paths(value, base_dir)
        elif isinstance(value, str) and (base_dir / value).is_file():
            node[key] = str(base_dir / value)


def evaluate(govsim, targets_file, scale):
    out = subprocess.run([govsim, "calibrate", str(targets_file), "--evaluate", "--scale", scale],
                         check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if m:
            rows[m["name"]] = (float(m["model"]), float(m["value"]), float(m["tol"]),
                               m["met"] == "yes")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("calibration")
    ap.add_argument("out")
    ap.add_argument("--govsim", default=str(ROOT / "build/release/app/govsim"))
    ap.add_argument("--scale", default="1")
    ap.add_argument("--only", default="", help="particle indices to run (default all)")
    a = ap.parse_args()
    cal_path = pathlib.Path(a.calibration).resolve()
    with open(cal_path, encoding="utf-8") as f:
        cal = yaml.safe_load(f)
    spec = cal["calibration"]
    scenario_path = (cal_path.parent / spec["scenario"]).resolve()
    with open(scenario_path, encoding="utf-8") as f:
        base = yaml.safe_load(f)
    with h5py.File(a.results, "r") as f:
        run = f["runs/abc-smc"]
        values = np.asarray(run["posterior_value"])
        weights = np.asarray(run["posterior_weight"])
        reduced = np.asarray(run["posterior_distance"])
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in run["parameter"][()]]
    params = spec["parameters"]
    if names != [p["key"] for p in params]:
        raise SystemExit(f"{a.results}: parameters {names} are not those of {a.calibration}")
    order = [int(i) for i in a.only.split(",")] if a.only else list(np.argsort(reduced))
    fields = ["particle", "weight", "distance_reduced_scale", "distance_full_scale", "targets_met",
              "targets"] + names
    partial = a.out + ".partial"  # renamed when every particle has run
    with tempfile.TemporaryDirectory() as tmp, open(partial, "w", newline="",
                                                    encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(fields)
        scenario_copy = pathlib.Path(tmp) / scenario_path.name
        targets_copy = pathlib.Path(tmp) / "targets.yaml"
        absolute_paths(base, scenario_path.parent)
        for i in order:
            scenario = yaml.safe_load(yaml.safe_dump(base))
            for k, p in enumerate(params):
                set_key(scenario, p["key"], float(values[i, k]), p.get("multiply", False))
            scenario_copy.write_text(yaml.safe_dump(scenario, allow_unicode=True),
                                     encoding="utf-8")
            screen = {**spec, "scenario": str(scenario_copy)}
            # Only the targets are evaluated here. A multiplier's prior bounds times the
            # (already multiplied) values must stay in range, so its prior is set to (0, 1].
            screen.pop("held_out", None)
            screen["parameters"] = [
                {**p, "low": 0.01, "high": 1.0} if p.get("multiply") else p for p in params
            ]
            targets_copy.write_text(yaml.safe_dump({"calibration": screen},
                                                   allow_unicode=True), encoding="utf-8")
            rows = evaluate(a.govsim, targets_copy, a.scale)
            if not rows:
                raise SystemExit(f"particle {i}: no target rows in the output of govsim calibrate")
            dist = math.sqrt(sum(((m - v) / t) ** 2 for m, v, t, _ in rows.values()) / len(rows))
            met = sum(ok for *_, ok in rows.values())
            writer.writerow([i, f"{weights[i]:.6g}", f"{reduced[i]:.4f}", f"{dist:.4f}", met,
                             len(rows)] + [f"{x:.6g}" for x in values[i]])
            out.flush()
            print(f"particle {i}: distance {reduced[i]:.3f} at reduced scale, {dist:.3f} at "
                  f"scale {a.scale}; {met}/{len(rows)} targets met", flush=True)
    os.replace(partial, a.out)


if __name__ == "__main__":
    main()
