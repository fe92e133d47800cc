#!/usr/bin/env python3
"""Builds pantau's built-in tables from the research files in ../shared/data.

    python3 Datasets/build.py [path/to/shared/data]

Writes Datasets/{scores,awards,regions,thresholds}.csv and the embedded copy
Sources/Shell/BuiltinData.swift. Every row keeps its source. Nothing is
estimated: a category or zone is filled in from the published bands only when
the source gives a score in a period whose bands are known, and the note says
so. The full Kemendagri region list is read only to name the regions the other
tables use; it is not copied.
"""
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")


def read(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if r.get(h) is None else r.get(h) for h in header])
    text = out.getvalue()
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return text


all_regions = {r["code"]: r for r in read("regions.csv")}

# Ombudsman bands (ombudsman_thresholds.csv) used to fill in a missing category or zone.
def band(year, score):
    """(category, zone, rule) implied by the published bands, or Nones."""
    if score is None:
        return None, None, None
    if 2022 <= year <= 2024:
        for letter, low, zone in (("A", 88.0, "hijau"), ("B", 78.0, "hijau"), ("C", 54.0, "kuning"),
                                  ("D", 32.0, "merah")):
            if score >= low:
                return letter, zone, "2022-2024 bands"
        return "E", None, "2022-2024 bands (zone of E not published)"
    if year == 2021:
        zone = "hijau" if score >= 81 else "kuning" if score >= 51 else "merah"
        return None, zone, "2021 bands"
    if year in (2017, 2018) and score >= 80.01:
        return None, "hijau", "2017-2018 green band"
    if year == 2019 and score >= 81:
        return None, "hijau", "2019 green band"
    return None, None, None


LETTER = re.compile(r"(?:^|[\s(,])([A-E])(?=[\s,;)]|$)")


def ombudsman_rows():
    out = []
    for r in read("ombudsman_scores.csv"):
        year = int(r["year"])
        score = float(r["score"]) if r["score"] else None
        wording = r["category_or_zone"].strip()
        low = wording.lower()
        m = LETTER.search(wording)
        category = m.group(1) if m and year <= 2024 else None
        zone = next((z for z in ("hijau", "kuning", "merah") if "zona " + z in low), None)
        derived = []
        implied_cat, implied_zone, rule = band(year, score)
        if category is None and implied_cat:
            category = implied_cat
            derived.append("category")
        if zone is None and implied_zone:
            zone = implied_zone
            derived.append("zone")
        notes = ["source wording: " + wording] if wording else []
        if derived:
            notes.append(" and ".join(derived) + " from the " + rule)
        if category and implied_cat and category != implied_cat:
            notes.append("the source's category differs from the band of its score (" + implied_cat + ")")
        if r["note"]:
            notes.append(r["note"])
        out.append(dict(region_code=r["region_code"], region=r["region"], year=year, indicator="kepatuhan",
                        score=r["score"], scale="0-100", category=category, zone=zone,
                        source=r["source_url_or_repo"], note="; ".join(notes)))
    return out


def index_rows():
    out = []
    for r in read("service_indices.csv"):
        kind = r["index"].lower()
        if kind.startswith("ipp"):
            indicator, scale = "ipp", "1-5"
        elif kind.startswith("ikm"):
            indicator, scale = "ikm", "0-100"
        else:
            indicator, scale = "skm", "0-100"
        pred = r["predicate_or_rank"].strip()
        m = re.match(r"^([A-E])(?=[\s;(-]|$)", pred)
        notes = ["index as cited: " + r["index"]]
        if pred:
            notes.append("predicate/rank: " + pred)
        if r["note"]:
            notes.append(r["note"])
        out.append(dict(region_code=r["region_code"], region=r["region"], year=int(r["year"]), indicator=indicator,
                        score=r["value"], scale=scale, category=m.group(1) if m else None, zone=None,
                        source=r["source"], note="; ".join(notes)))
    return out


def province_of(code):
    return all_regions[code[:2]]["name"]


scores = ombudsman_rows() + index_rows()
for s in scores:
    s["province"] = province_of(s["region_code"])
scores.sort(key=lambda s: (s["indicator"] != "kepatuhan", s["province"], int(s["region_code"]), s["year"]))

awards = read("awards.csv")

named = {s["region_code"] for s in scores} | {a["region_code"] for a in awards}
codes = sorted({c for c in all_regions if len(c) == 2} | named, key=lambda c: (c[:2], len(c), c))
missing = [c for c in codes if c not in all_regions]
if missing:
    sys.exit("region codes not in the Kemendagri list: " + ", ".join(missing))
regions = [dict(all_regions[c], province=all_regions[c[:2]]["name"]) for c in codes]

thresholds = []
for r in read("ombudsman_thresholds.csv"):
    years = r["period"].split("-")
    thresholds.append(dict(year_from=years[0], year_to=years[-1], scheme=r["scheme"], category=r["category"],
                           label=r["label"], min_score=r["min_score"], max_score=r["max_score"], zone=r["zone"],
                           source=r["source"], note=r["note"]))

tables = [
    ("scores", write("scores.csv", ["region_code", "region", "province", "year", "indicator", "score", "scale",
                                    "category", "zone", "source", "note"], scores),
     "Datasets/scores.csv: Ombudsman RI compliance scores (kepatuhan, 0-100) and KemenPAN RB service and "
     "satisfaction indices (ipp 1-5, ikm/skm 0-100), one row per reported figure with its source"),
    ("awards", write("awards.csv", ["year", "region_code", "region", "award", "category", "predicate",
                                    "innovation", "giver", "date", "venue", "source"], awards),
     "Datasets/awards.csv: KemenPAN RB, Kemendagri and Pemprov Jatim public-service awards as reported, "
     "one row per award with its source"),
    ("regions", write("regions.csv", ["code", "name", "type", "province_code", "province"], regions),
     "Datasets/regions.csv: the 38 provinces and every regency or city named by scores or awards "
     "(Kemendagri codes, Kepmendagri 300.2.2-2430/2025, via the cahyadsn/wilayah transcription)"),
    ("thresholds", write("thresholds.csv", ["year_from", "year_to", "scheme", "category", "label", "min_score",
                                            "max_score", "zone", "source", "note"], thresholds),
     "Datasets/thresholds.csv: Ombudsman compliance bands (zones and categories) per period, with sources"),
]

swift = ["// Generated by Datasets/build.py from Datasets/*.csv. Do not edit.", "",
         "/// The CSV text of each built-in table, with where its figures come from.",
         "enum BuiltinData {",
         "  static let tables: [(name: String, csv: String, origin: String)] = ["]
for name, text, origin in tables:
    swift.append("    (")
    swift.append("      \"%s\"," % name)
    swift.append("      #\"\"\"")
    swift.extend("      " + line if line else "" for line in text.rstrip("\n").split("\n"))
    swift.append("      \"\"\"#,")
    swift.append("      \"%s\"" % origin.replace("\\", "\\\\").replace("\"", "\\\""))
    swift.append("    ),")
swift += ["  ]", "}", ""]
with open(os.path.join(ROOT, "Sources", "Shell", "BuiltinData.swift"), "w", encoding="utf-8") as f:
    f.write("\n".join(swift))
print("scores %d, awards %d, regions %d, thresholds %d rows" % (len(scores), len(awards), len(regions), len(thresholds)))
