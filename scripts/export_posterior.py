#!/usr/bin/env python3
"""Exports the posterior sample of a `govsim calibrate` results file as the CSV an uncertainty
experiment draws from (sim/experiment/posterior_sample.hpp): a `weight` column, then one column per
parameter of the calibration file, in its order.

A multiplier parameter (`multiply: true`) is relative to the base it was fitted on. When the
posterior mean is baked into the shipped scenario, that base changes: --rebase divides each
multiplier by its posterior mean, so that the sample is relative to the new shipped values (and
the calibration file's prior for it must be divided by the same mean; the script prints it).
When one posterior particle is shipped instead of the mean, --rebase-particle I divides by that
particle's multiplier (I indexes the posterior sample, as scripts/full_scale_screen.py does).

Usage: /usr/bin/python3 scripts/export_posterior.py RESULTS.h5 CALIBRATION.yaml OUT.csv
           [--rebase | --rebase-particle I]
(needs h5py, numpy and PyYAML: Debian's python3-h5py, python3-yaml)
"""
import argparse
import os

import h5py
import numpy as np
import yaml


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("calibration")
    ap.add_argument("out")
    rebase = ap.add_mutually_exclusive_group()
    rebase.add_argument("--rebase", action="store_true", help="divide multipliers by their mean")
    rebase.add_argument("--rebase-particle", type=int, default=None, metavar="I",
                        help="divide multipliers by posterior particle I's")
    a = ap.parse_args()
    with open(a.calibration, encoding="utf-8") as f:
        parameters = yaml.safe_load(f)["calibration"]["parameters"]
    with h5py.File(a.results, "r") as f:
        run = f["runs/abc-smc"]
        values = np.asarray(run["posterior_value"])  # particle x parameter
        weights = np.asarray(run["posterior_weight"])
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in run["parameter"][()]]
    keys = [p["key"] for p in parameters]
    if names != keys:
        raise SystemExit(f"{a.results}: parameters {names} are not those of {a.calibration}: {keys}")
    weights = weights / weights.sum()
    mean = weights @ values
    sd = np.sqrt(weights @ (values - mean) ** 2)
    if a.rebase_particle is not None and not 0 <= a.rebase_particle < len(weights):
        raise SystemExit(f"{a.results}: --rebase-particle {a.rebase_particle}: the posterior "
                         f"has particles 0 to {len(weights) - 1}")
    base = mean if a.rebase_particle is None else values[a.rebase_particle].copy()
    if a.rebase_particle is not None:
        shipped = ", ".join(f"{key} {v:.6g}" for key, v in zip(keys, base))
        print(f"particle {a.rebase_particle}: {shipped}")
    for k, p in enumerate(parameters):
        note = ""
        if (a.rebase or a.rebase_particle is not None) and p.get("multiply"):
            values[:, k] /= base[k]
            note = (f"  (rebased: multiply the shipped values by {base[k]:.6g}; prior becomes "
                    f"[{p['low'] / base[k]:.3g}, {p['high'] / base[k]:.3g}])")
        print(f"{p['key']}: mean {mean[k]:.4g}, sd {sd[k]:.3g}{note}")
    partial = a.out + ".partial"  # renamed when complete: no half-written sample
    with open(partial, "w", encoding="utf-8") as f:
        f.write(",".join(["weight"] + keys) + "\n")
        for w, row in zip(weights, values):
            f.write(",".join(f"{x:.6g}" for x in [w, *row]) + "\n")
    os.replace(partial, a.out)
    print(f"wrote {a.out}: {len(weights)} particles")


if __name__ == "__main__":
    main()
