#!/usr/bin/python3
"""Checks a govsim results file the way researchers open it (docs/output-format.md).

    /usr/bin/python3 tests/python/check_results.py FILE [--expect-variable NAME:DIM,DIM:UNITS]...

- h5py: root metadata, run and failure counts, every variable float64 with a dimension scale on
  each axis, units and long_name as text, summary scalars 0-d float64, label coordinates (text
  over one dimension, such as district_pinyin) named by the `coordinates` of the variables over
  their dimension;
- xarray with the netCDF-4 engine: every run group opens, each variable has the same dimension
  names, shape and units as in h5py, coordinates match the scales, label coordinates are
  coordinates (not data variables); summary groups open;
- netCDF4 can open a copy of the file for appending (needs creation-order tracking);
- with --stacked-extract, `govsim export --format netcdf`'s file holds the same /summary and
  /series as the experiment file;
- analysis/plot_policies.py writes a PNG, and its paired differences equal `govsim compare`'s.
Exits 0 when everything holds, 1 with the first failed check otherwise.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import netCDF4
import numpy as np
import xarray as xr

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DS_ATTRIBUTES = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST"}


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def require(condition, message):
    if not condition:
        raise AssertionError(message)


def check_variable_h5py(run_name, ds):
    """Returns (dimension names, units) of a variable as h5py sees it."""
    where = f"runs/{run_name}/{ds.name.rsplit('/', 1)[-1]}"
    require(ds.dtype == np.float64, f"{where}: dtype {ds.dtype}, expected float64")
    dims = []
    for axis, dim in enumerate(ds.dims):
        require(len(dim) == 1, f"{where}: axis {axis} has {len(dim)} dimension scales, expected 1")
        scale = dim[0]
        require(scale.shape == (ds.shape[axis],), f"{where}: scale of axis {axis} has wrong length")
        dims.append(scale.name.rsplit("/", 1)[-1])
    for key in ("units", "long_name"):
        if key in ds.attrs:
            require(isinstance(text(ds.attrs[key]), str), f"{where}: {key} is not text")
    return dims, text(ds.attrs.get("units", ""))


def check_h5py(path):
    """Returns {run: {variable: (dims, units)}} for the xarray comparison."""
    found = {}
    with h5py.File(path, "r") as f:
        require(text(f.attrs.get("format")) == "govsim-results", "root attribute format missing")
        require(int(f.attrs["format_version"]) == 1, "format_version is not 1")
        runs = f["runs"]
        require(int(f.attrs["runs"]) == len(runs), "root attribute runs does not match /runs")
        failures = f["failures"] if "failures" in f else {}
        require(int(f.attrs["failed_runs"]) == len(failures), "failed_runs does not match")
        for name, failure in failures.items():
            require(isinstance(text(failure.attrs.get("message")), str),
                    f"failures/{name}: no message")
        for run_name, run in runs.items():
            variables, label_coordinates = {}, {}
            for key, ds in run.items():
                if isinstance(ds, h5py.Group):
                    require(key == "summary", f"runs/{run_name}/{key}: unexpected group")
                    continue
                if text(ds.attrs.get("CLASS")) == "DIMENSION_SCALE":
                    continue
                if h5py.check_string_dtype(ds.dtype) is not None:
                    require(ds.ndim == 1 and len(ds.dims[0]) == 1,
                            f"runs/{run_name}/{key}: text that is not over one dimension")
                    label_coordinates[key] = ds.dims[0][0].name.rsplit("/", 1)[-1]
                    continue
                variables[key] = check_variable_h5py(run_name, ds)
            for key, dim in label_coordinates.items():
                users = [v for v, (dims, _) in variables.items() if dim in dims]
                require(users, f"runs/{run_name}/{key}: no variable over {dim}")
                for v in users:
                    named = text(run[v].attrs.get("coordinates", "")).split()
                    require(key in named, f"runs/{run_name}/{v}: coordinates {named} lack {key}")
            require("summary" in run, f"runs/{run_name}: no summary group")
            for key, ds in run["summary"].items():
                require(ds.shape == () and ds.dtype == np.float64,
                        f"runs/{run_name}/summary/{key}: not a float64 scalar")
            found[run_name] = variables
    return found


def check_xarray(path, expected):
    for run_name, variables in expected.items():
        with xr.open_dataset(path, group=f"runs/{run_name}", engine="netcdf4") as ds:
            for name, (dims, units) in variables.items():
                require(name in ds, f"xarray: runs/{run_name} has no variable {name}")
                var = ds[name]
                require(list(var.dims) == dims,
                        f"xarray: runs/{run_name}/{name} dims {list(var.dims)}, h5py says {dims}")
                require(var.attrs.get("units", "") == units,
                        f"xarray: runs/{run_name}/{name} units {var.attrs.get('units')!r}")
                for dim in dims:
                    require(dim in ds.coords, f"xarray: {dim} is not a coordinate")
            for name in ds.data_vars:
                require(ds[name].dtype == np.float64,
                        f"xarray: runs/{run_name}/{name} is a {ds[name].dtype} data variable")
        with xr.open_dataset(path, group=f"runs/{run_name}/summary", engine="netcdf4") as s:
            require(all(v.ndim == 0 for v in s.data_vars.values()), "summary not scalar")
    with xr.open_dataset(path, engine="netcdf4") as root:
        require(root.attrs.get("format") == "govsim-results", "xarray: root attributes missing")


def check_netcdf_append(path):
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "copy.h5")
        shutil.copyfile(path, copy)
        with netCDF4.Dataset(copy, mode="a") as nc:
            nc.setncattr("checked_by", "check_results.py")


def check_expectations(path, first_run, expectations):
    with xr.open_dataset(path, group=f"runs/{first_run}", engine="netcdf4") as ds:
        for spec in expectations:
            name, dims, units = spec.split(":")
            require(name in ds, f"expected variable {name} is missing")
            require(list(ds[name].dims) == dims.split(","),
                    f"{name}: dims {list(ds[name].dims)}, expected {dims.split(',')}")
            require(ds[name].attrs.get("units") == units,
                    f"{name}: units {ds[name].attrs.get('units')!r}, expected {units!r}")


def check_coordinates(path, first_run, expectations):
    with xr.open_dataset(path, group=f"runs/{first_run}", engine="netcdf4") as ds:
        for spec in expectations:
            name, dim, first = spec.split(":")
            require(name in ds.coords, f"{name} is not a coordinate")
            require(list(ds[name].dims) == [dim], f"{name}: dims {list(ds[name].dims)}")
            values = [text(v) for v in ds[name].values]
            require(values[0] == first, f"{name}: first value {values[0]!r}, expected {first!r}")
            require(all(values), f"{name}: empty labels")
            require(len(set(values)) == len(values), f"{name}: repeated labels {values}")


def stacked_position(run, dims):
    """Where a run sits in the stacked arrays: its policy, [sample,] replicate."""
    at = {"policy": text(run.attrs["policy"]), "replicate": float(text(run.attrs["replicate"]))}
    if "sample" in dims:
        at["sample"] = float(text(run.attrs["sample"]))
    return at


def check_stacked(path, runs):
    """/summary, when the file has it: one xarray call gives every run's summary scalars over
    (policy, [sample,] replicate), equal to the runs' own values."""
    with h5py.File(path, "r") as f:
        if "summary" not in f:
            return 0
        runs_group = f["runs"]
        with xr.open_dataset(path, group="summary", engine="netcdf4") as s:
            require("policy" in s.dims and "replicate" in s.dims, "summary: dims " + str(s.dims))
            for run_name in runs:
                run = runs_group[run_name]
                at = stacked_position(run, s.dims)
                for key, ds in run["summary"].items():
                    got = float(s[key].sel(at))
                    want = float(ds[()])
                    require(got == want or (np.isnan(got) and np.isnan(want)),
                            f"summary/{key} at {at}: {got}, runs/{run_name} says {want}")
        if "series" in f:
            # /series: every run's daily series over (policy, [sample,] replicate, day).
            with xr.open_dataset(path, group="series", engine="netcdf4") as s:
                for run_name in runs:
                    run = runs_group[run_name]
                    at = stacked_position(run, s.dims)
                    for key in s.data_vars:
                        require(list(s[key].dims)[-1] == "day", f"series/{key}: day not last")
                        require(np.array_equal(s[key].sel(at).values, run[key][()],
                                               equal_nan=True),
                                f"series/{key} at {at} differs from runs/{run_name}/{key}")
        with xr.open_dataset(path, group="summary", engine="netcdf4") as s:
            return len(s.data_vars)


def check_extract(path, extract):
    """The netCDF export is the experiment's stacked arrays, equal, without the run groups."""
    with h5py.File(extract, "r") as f:
        require(text(f.attrs.get("format")) == "govsim-stacked-results",
                f"{extract}: format {f.attrs.get('format')!r}")
        require("runs" not in f, f"{extract}: has run groups")
    for group in ("summary", "series"):
        with xr.open_dataset(path, group=group, engine="netcdf4") as a, \
                xr.open_dataset(extract, group=group, engine="netcdf4") as b:
            require(a.identical(b), f"{extract}: /{group} differs from {path}'s")


def check_paired(path, compare_csv):
    """The plotting example's paired differences are the ones `govsim compare` prints."""
    sys.path.insert(0, os.path.join(SOURCE_DIR, "analysis"))
    import pandas as pd
    import plot_policies
    runs = plot_policies.load_summary(path)
    rows = pd.read_csv(compare_csv)
    rows = rows[rows["pairing"] == "paired"]
    tables, checked = {}, 0
    for _, row in rows.iterrows():
        if row["metric"] not in tables:
            tables[row["metric"]] = plot_policies.paired_differences(runs, row["metric"])
        got = tables[row["metric"]].loc[row["policy"]]
        for ours, theirs in (("diff", "diff"), ("ci_low", "diff_ci_low"), ("ci_high", "diff_ci_high")):
            a, b = float(got[ours]), float(row[theirs])
            same = (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))
            require(same, f"{row['metric']} {row['policy']} {ours}: plot {a!r}, compare {b!r}")
        checked += 1
    require(checked > 0, f"{compare_csv}: no paired rows")
    return checked


def check_plot(path):
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "plot.png")
        env = dict(os.environ, MPLCONFIGDIR=tmp)
        script = os.path.join(SOURCE_DIR, "analysis", "plot_policies.py")
        subprocess.run([sys.executable, script, path, "--out", png], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        with open(png, "rb") as f:
            require(f.read(8) == b"\x89PNG\r\n\x1a\n", "plot_policies.py did not write a PNG")


def main():
    parser = argparse.ArgumentParser(description="Check a govsim results file.")
    parser.add_argument("file")
    parser.add_argument("--expect-variable", action="append", default=[],
                        metavar="NAME:DIM,DIM:UNITS",
                        help="a variable the first run must have, with its dims and units")
    parser.add_argument("--expect-coordinate", action="append", default=[],
                        metavar="NAME:DIM:FIRST",
                        help="a label coordinate the first run must have over DIM, its first "
                             "value FIRST")
    parser.add_argument("--stacked-extract", metavar="NC",
                        help="`govsim export FILE --format netcdf -o NC`: must hold FILE's "
                             "/summary and /series")
    parser.add_argument("--compare-csv", metavar="CSV",
                        help="`govsim compare FILE --all --format csv`: the plotting example's "
                             "paired differences must equal its rows")
    args = parser.parse_args()
    try:
        found = check_h5py(args.file)
        require(found, "the file has no runs")
        check_xarray(args.file, found)
        check_netcdf_append(args.file)
        check_expectations(args.file, next(iter(found)), args.expect_variable)
        check_coordinates(args.file, next(iter(found)), args.expect_coordinate)
        stacked = check_stacked(args.file, found)
        check_plot(args.file)
        if args.stacked_extract:
            check_extract(args.file, args.stacked_extract)
        if args.compare_csv:
            check_paired(args.file, args.compare_csv)
    except (AssertionError, OSError, KeyError, subprocess.CalledProcessError) as err:
        print(f"check_results: FAILED: {args.file}: {err}", file=sys.stderr)
        return 1
    count = sum(len(v) for v in found.values())
    print(f"check_results: OK: {len(found)} runs, {count} variables, {stacked} stacked summaries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
