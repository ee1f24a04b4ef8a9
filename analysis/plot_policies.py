#!/usr/bin/python3
"""Plot one summary metric of a govsim results file: the mean per policy with its 95% interval.

An example of reading results (layout: docs/output-format.md) with h5py, pandas and matplotlib.

Command line:
    /usr/bin/python3 analysis/plot_policies.py results/exp.h5 --metric mean_wait_h --out wait.png

As a library:
    from plot_policies import load_summary, policy_intervals, plot_metric
    runs = load_summary("results/exp.h5")          # one row per run
    table = policy_intervals(runs, "mean_wait_h")  # n, mean, sd, ci_low, ci_high per policy
    plot_metric(runs, "mean_wait_h", "wait.png")

The interval is the Student-t interval of each policy's mean over its replicates. It does not use
the pairing between policies that `govsim compare` uses for differences.
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
    rows, units = [], {}
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
            rows.append(row)
    df = pd.DataFrame(rows)
    for column in ("replicate", "sample"):
        if column in df:
            df[column] = pd.to_numeric(df[column], errors="coerce")
    df.attrs["units"] = units
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


def plot_metric(df, metric, out_path, baseline="baseline"):
    """Saves a PNG of each policy's mean with its 95% interval; returns the interval table."""
    table = policy_intervals(df, metric)
    fig, ax = plt.subplots(figsize=(max(4.0, 1.1 * len(table) + 2.0), 3.6))
    x = range(len(table))
    single = table["n"] < 2  # no interval: drawn as an open marker without error bar
    ax.errorbar([i for i, s in zip(x, single) if not s], table.loc[~single, "mean"],
                yerr=table.loc[~single, "ci_high"] - table.loc[~single, "mean"], fmt="o",
                capsize=5, color="tab:blue", label="mean, 95% interval")
    if single.any():
        ax.plot([i for i, s in zip(x, single) if s], table.loc[single, "mean"], "o",
                markerfacecolor="none", color="tab:blue", label="n=1: no interval")
    if baseline in table.index:
        ax.axhline(table.loc[baseline, "mean"], color="grey", linestyle="--", linewidth=0.8,
                   label=f"{baseline} mean")
    ax.legend(loc="best", fontsize="small")
    ax.set_xticks(list(x))
    ax.set_xticklabels([f"{p}\n(n={n})" for p, n in zip(table.index, table["n"])])
    unit = df.attrs["units"].get(metric, "")
    ax.set_ylabel(f"{metric} [{unit}]" if unit else metric)
    ax.set_title(f"{metric}: mean and 95% interval over replicates", fontsize="medium")
    fig.tight_layout()
    fig.savefig(out_path, dpi=150)
    plt.close(fig)
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="govsim results file (.h5)")
    parser.add_argument("--metric", help="summary scalar to plot (default: the first one)")
    parser.add_argument("--out", help="PNG to write (default: FILE_METRIC.png)")
    args = parser.parse_args(argv)
    try:
        df = load_summary(args.file)
    except (OSError, ValueError) as err:
        parser.error(str(err))
    metric = args.metric or df.attrs["metrics"][0]
    if metric not in df:
        parser.error(f"unknown metric {metric!r}; available: {', '.join(df.attrs['metrics'])}")
    out = args.out or f"{args.file.rsplit('.', 1)[0]}_{metric}.png"
    table = plot_metric(df, metric, out)
    print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
