#!/usr/bin/env python3
"""What carries each strategy's effect: runs scenarios/ablation/*.yaml and writes the table.

Each ablation experiment has the arms `baseline`, `strategy` and, for every assumption the
strategy's effect relies on, `baseline--V` and `strategy--V` with that assumption changed in both.
The table gives the strategy's paired effect (strategy - baseline, same seeds) with the shipped
assumptions and under each variant, for the primary metrics, and replaces the block between the
ablation markers in docs/mechanisms.md.

Usage: scripts/ablation.py [--govsim BIN] [--scale S] [--days D] [--only NAME] [--no-run]
Standard library only; it calls `govsim run` and `govsim compare --format csv`.
"""
import argparse
import csv
import io
import pathlib
import re
import subprocess
import sys

import docblock

ROOT = pathlib.Path(__file__).resolve().parent.parent
METRICS = [
    ("resolution_rate", "resolved", 100, "pt"),
    ("satisfaction_rate", "satisfied", 100, "pt"),
    ("time_to_resolution_mean_h", "report→resolved", 1, "h"),
    ("time_from_arising_to_resolution_mean_h", "arising→resolved", 1, "h"),
    ("open_issues_end", "open at end", 1, ""),
    ("staff_hours_per_resolved", "staff-h per resolved", 1, "h"),
]


def compare(govsim, h5, baseline):
    out = subprocess.run([govsim, "compare", str(h5), "--baseline", baseline, "--format", "csv"]
                         + sum([["--metric", m] for m, *_ in METRICS], []),
                         check=True, capture_output=True, text=True).stdout
    rows = {}
    for r in csv.DictReader(io.StringIO(out)):
        rows[(r["metric"], r["policy"])] = r
    return rows


def cell(row, factor, unit):
    if row is None or row["diff"] == "":
        return "n/a"
    d, lo, hi = (float(row[k]) * factor for k in ("diff", "diff_ci_low", "diff_ci_high"))
    star = "*" if row["significant"] in ("1", "true") else ""
    return f"{d:+.2f}{star} [{lo:+.2f}, {hi:+.2f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--govsim", default=str(ROOT / "build/release/app/govsim"))
    ap.add_argument("--scale", type=float, help="override population_scale (default: the files' 1.0)")
    ap.add_argument("--days", type=int, help="override the files' days (default 90)")
    ap.add_argument("--only", help="one ablation file name, e.g. whistle")
    ap.add_argument("--no-run", action="store_true", help="reuse results/ablation/*.h5")
    ap.add_argument("--results", default=str(ROOT / "results/ablation"))
    a = ap.parse_args()
    files = sorted((ROOT / "scenarios/ablation").glob("*.yaml"))
    if a.only:
        files = [f for f in files if f.stem == a.only]
        if not files:
            sys.exit(f"ablation.py: no scenarios/ablation/{a.only}.yaml")
    results = pathlib.Path(a.results)
    results.mkdir(parents=True, exist_ok=True)
    lines = [
        "| strategy | variant (in both arms) | " + " | ".join(
            f"{label} ({unit})" if unit else label for _, label, _, unit in METRICS) + " |",
        "|---|---|" + "---|" * len(METRICS),
    ]
    for f in files:
        h5 = results / f"{f.stem}.h5"
        if not a.no_run:
            cmd = [a.govsim, "run", str(f), "-o", str(h5), "--overwrite", "--no-progress"]
            if a.scale:
                cmd += ["--scale", str(a.scale)]
            if a.days:
                cmd += ["--days", str(a.days)]
            print("ablation.py:", " ".join(cmd), file=sys.stderr, flush=True)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        variants = re.findall(r"^    strategy--([A-Za-z0-9_-]+):", f.read_text(), re.M)
        title = re.search(r"^# Ablation of (.*?) \(", f.read_text(), re.M).group(1)
        for v in [None] + variants:
            base, strat = ("baseline", "strategy") if v is None else (f"baseline--{v}",
                                                                      f"strategy--{v}")
            rows = compare(a.govsim, h5, base)
            cells = [cell(rows.get((m, strat)), k, u) for m, _, k, u in METRICS]
            lines.append(f"| {title if v is None else ''} | {v or 'as shipped'} | "
                         + " | ".join(cells) + " |")
    scale = a.scale or 1.0
    body = "\n".join([f"Paired effect of each strategy (strategy − baseline, same seeds), mean over "
                      f"3 replicates with its 95 % interval, at population scale {scale:g}, {a.days or 90} days "
                      f"(`/usr/bin/python3 scripts/ablation.py`). `*`: the interval excludes zero. "
                      f"Rates in percentage points, times in hours.",
                      "", *lines])
    if a.only:
        print(docblock.block("ablation", body))
    else:
        docblock.replace(ROOT / "docs/mechanisms.md", "ablation", body)
        print(f"ablation.py: table written to {ROOT / 'docs/mechanisms.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
