#!/usr/bin/python3
"""Plot one summary metric of a govsim results file: each policy's paired difference from the baseline.

An example of reading results (layout: docs/output-format.md) with h5py, pandas and matplotlib.

Command line:
    /usr/bin/python3 analysis/plot_policies.py results/exp.h5 --metric resolution_rate --out r.png

As a library:
    from plot_policies import load_summary, paired_differences, plot_metric
    runs = load_summary("results/exp.h5")                # one row per run
    table = paired_differences(runs, "resolution_rate")  # n, diff, ci_low, ci_high per policy
    plot_metric(runs, "resolution_rate", "r.png")

Policies share their random numbers replicate by replicate (common random numbers), so the
difference from the baseline is taken run by run (same sample and replicate) and its Student-t
interval is the one `govsim compare` prints: narrower than comparing two means, and the figure
agrees with the table. `policy_intervals` gives each policy's own mean and interval.
"""
import argparse
import math
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import pandas as pd  # noqa: E402


def _text(value):
    """HDF5 attributes arrive as str, bytes or numpy scalars; return plain Python values."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value.item() if hasattr(value, "item") else value


def load_summary(path):
    """One row per successful run: its attributes and one column per summary scalar.

    The units of each metric are in ``df.attrs["units"]``.
    """
    rows, units, long_names = [], {}, {}
    with h5py.File(path, "r") as f:
        if _text(f.attrs.get("format", "")) != "govsim-results":
            raise ValueError(f"{path}: not a govsim results file")
        for name, run in f["runs"].items():
            row = {"run": name}
            row.update({key: _text(value) for key, value in run.attrs.items()})
            row.setdefault("policy", name.split(".")[0])
            for metric, dataset in run["summary"].items():
                row[metric] = float(dataset[()])
                units.setdefault(metric, _text(dataset.attrs.get("units", "")))
                long_names.setdefault(metric, _text(dataset.attrs.get("long_name",
                                                    dataset.attrs.get("description", ""))))
            rows.append(row)
    df = pd.DataFrame(rows)
    for column in ("replicate", "sample"):
        if column in df:
            df[column] = pd.to_numeric(df[column], errors="coerce")
    df.attrs["units"] = units
    df.attrs["long_names"] = long_names
    df.attrs["metrics"] = list(units)
    return df


def _two_sided_t_mass(t, df):
    """P(|T| < t) for Student's t with integer df (Abramowitz & Stegun 26.7.3 and 26.7.4)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 1:
        if df == 1:
            return 2.0 / math.pi * theta
        term = total = math.cos(theta)
        for j in range(1, (df - 3) // 2 + 1):
            term *= 2.0 * j / (2.0 * j + 1.0) * c2
            total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * total)
    term = total = 1.0
    for j in range(1, (df - 2) // 2 + 1):
        term *= (2.0 * j - 1.0) / (2.0 * j) * c2
        total += term
    return math.sin(theta) * total


def t_quantile_two_sided(level, df):
    """t such that P(|T| < t) = level, e.g. 2.228 for level 0.95 and df 10 (bisection)."""
    lo, hi = 0.0, 1.0
    while _two_sided_t_mass(hi, df) < level:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _two_sided_t_mass(mid, df) < level:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _group_label(row):
    sample = row.get("sample")
    if sample is None or (isinstance(sample, float) and math.isnan(sample)):
        return row["policy"]
    return f"{row['policy']}.s{int(sample):03d}"


def policy_intervals(df, metric, level=0.95):
    """n, mean, sd and the Student-t interval of the mean per policy (and sample), file order."""
    if metric not in df:
        raise KeyError(f"unknown metric {metric!r}; available: {', '.join(df.attrs['metrics'])}")
    labels = df.apply(_group_label, axis=1)
    out = []
    for label in dict.fromkeys(labels):  # keeps the order of first appearance
        values = df.loc[labels == label, metric].dropna()
        n, mean = len(values), float(values.mean())
        sd = float(values.std(ddof=1)) if n > 1 else math.nan
        half = t_quantile_two_sided(level, n - 1) * sd / math.sqrt(n) if n > 1 else math.nan
        out.append({"policy": label, "n": n, "mean": mean, "sd": sd,
                    "ci_low": mean - half, "ci_high": mean + half})
    return pd.DataFrame(out).set_index("policy")


def paired_differences(df, metric, baseline="baseline", level=0.95):
    """Per policy (and sample): the mean of its runs' differences from the baseline run with the
    same sample and replicate, and the Student-t interval of that mean, in file order."""
    if metric not in df:
        raise KeyError(f"unknown metric {metric!r}; available: {', '.join(df.attrs['metrics'])}")
    if baseline not in set(df["policy"]):
        raise KeyError(f"no policy {baseline!r}; policies: {', '.join(dict.fromkeys(df['policy']))}")
    keys = [c for c in ("sample", "replicate") if c in df]
    base = df.loc[df["policy"] == baseline, keys + [metric]].rename(columns={metric: "base"})
    others = df.loc[df["policy"] != baseline]
    merged = others.merge(base, on=keys, how="inner")
    merged["diff"] = merged[metric] - merged["base"]
    merged["label"] = merged.apply(_group_label, axis=1)
    out = []
    for label in dict.fromkeys(merged["label"]):
        rows = merged.loc[merged["label"] == label, ["diff", "base"]].dropna()
        n, diff = len(rows), float(rows["diff"].mean())
        sd = float(rows["diff"].std(ddof=1)) if n > 1 else math.nan
        half = t_quantile_two_sided(level, n - 1) * sd / math.sqrt(n) if n > 1 else math.nan
        base_mean = float(rows["base"].mean()) if n else math.nan
        out.append({"policy": label, "n": n, "diff": diff, "ci_low": diff - half,
                    "ci_high": diff + half,
                    "change_pct": 100.0 * diff / base_mean if base_mean else math.nan})
    return pd.DataFrame(out).set_index("policy")


def plot_metric(df, metric, out_path, baseline="baseline"):
    """Saves a PNG of each policy's paired difference from the baseline with its 95% interval
    (a filled dot: the interval excludes zero); returns the table."""
    table = paired_differences(df, metric, baseline)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.38 * len(table)))
    y = list(range(len(table)))[::-1]  # first policy on top
    has_ci = table["n"] >= 2
    excludes = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    ax.axvline(0.0, color="grey", linestyle="--", linewidth=0.8)
    ax.errorbar(table["diff"], y, xerr=[table["diff"] - table["ci_low"].where(has_ci, table["diff"]),
                                        table["ci_high"].where(has_ci, table["diff"]) - table["diff"]],
                fmt="none", ecolor="tab:blue", capsize=3)
    ax.scatter(table["diff"], y, s=36, zorder=3, edgecolors="tab:blue",
               facecolors=["tab:blue" if e else "white" for e in excludes])
    ax.set_yticks(y)
    ax.set_yticklabels([f"{p} (n={n}, {c:+.1f} %)" for p, n, c in
                        zip(table.index, table["n"], table["change_pct"])])
    unit = df.attrs["units"].get(metric, "")
    long_name = df.attrs.get("long_names", {}).get(metric, "")
    ax.set_xlabel(f"difference from {baseline}" + (f" [{unit}]" if unit and unit != "1" else ""))
    ax.set_title(f"{metric}" + (f": {long_name}" if long_name else ""), fontsize="medium",
                 loc="left", wrap=True)
    fig.tight_layout()
    fig.savefig(out_path, dpi=150)
    plt.close(fig)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="govsim results file (.h5)")
    parser.add_argument("--metric", help="summary scalar to plot (default: the first one)")
    parser.add_argument("--out", help="PNG to write (default: FILE_METRIC.png)")
    parser.add_argument("--baseline", default="baseline", help="reference policy")
    args = parser.parse_args(argv)
    try:
        df = load_summary(args.file)
    except (OSError, ValueError) as err:
        parser.error(str(err))
    metric = args.metric or df.attrs["metrics"][0]
    if metric not in df:
        parser.error(f"unknown metric {metric!r}; available: {', '.join(df.attrs['metrics'])}")
    out = args.out or f"{args.file.rsplit('.', 1)[0]}_{metric}.png"
    try:
        table = plot_metric(df, metric, out, args.baseline)
    except KeyError as err:
        parser.error(str(err.args[0]))
    print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
