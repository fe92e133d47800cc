#!/usr/bin/env python3
"""Builds pantau's built-in tables from the research files in ../shared/data.

    python3 Datasets/build.py [path/to/shared/data]

Writes Datasets/{scores,awards,regions,thresholds}.csv, Datasets/regions.LICENSE and the
embedded copy in Sources/Shell/BuiltinData/. Every row keeps its source. Nothing is
estimated: a category or zone is filled in from the published bands only when the source
gives a score in a period whose bands are known, and then `basis` says
`derived from bands` and the note says which of the two was filled in.
"""
import csv
import io
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")

REGIONS_SOURCE = ("github:cahyadsn/wilayah@b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7:db/wilayah.sql")
IPP_CREDIT = "KemenPAN RB (PEKPPP, Indeks Pelayanan Publik) via Open Data Jabar"

# The island group of each province, from its two-digit Kemendagri code: the codes are
# numbered by island group (11-21 Sumatera, with Bangka Belitung 19 and Kepulauan Riau 21;
# 31-36 Jawa; 51-53 Bali dan Nusa Tenggara; 61-65 Kalimantan; 71-76 Sulawesi; 81-82 Maluku;
# 91-96 Papua).
ISLAND_RANGES = ((11, 21, "Sumatera"), (31, 36, "Jawa"), (51, 53, "Bali dan Nusa Tenggara"),
                 (61, 65, "Kalimantan"), (71, 76, "Sulawesi"), (81, 82, "Maluku"), (91, 96, "Papua"))


def island(code):
    p = int(code[:2])
    for low, high, name in ISLAND_RANGES:
        if low <= p <= high:
            return name
    sys.exit("province code outside every island range: " + code)


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


all_regions = {r["code"]: r for r in read("regions_full.csv")}


def band(year, score):
    """(category, zone, rule) implied by the published bands (ombudsman_thresholds.csv)."""
    if score is None:
        return None, None, None
    if 2022 <= year <= 2024:
        for letter, low, zone in (("A", 88.0, "hijau"), ("B", 78.0, "hijau"), ("C", 54.0, "kuning"),
                                  ("D", 32.0, "merah"), ("E", 0.0, "merah")):
            if score >= low:
                return letter, zone, "2022-2024 bands (quoted in full for 2024)"
        return None, None, None
    if year == 2021:
        zone = "hijau" if score >= 81 else "kuning" if score >= 51 else "merah"
        return None, zone, "2021 bands"
    if year in (2017, 2018) and score >= 80.01:
        return None, "hijau", "2017-2018 green band"
    if year == 2019 and score >= 81:
        return None, "hijau", "2019 green band"
    return None, None, None


# A category letter stated by the source: a letter standing alone at the start of the
# wording ("A, zona hijau"), after a comma ("zona hijau, A (kualitas tertinggi)"), or
# alone in parentheses ("kualitas tinggi (B)"), or "kategori A". Never a letter inside a
# longer parenthesis that explains a band ("the value falls in the 88.00-100 band").
STATED_LETTER = re.compile(r"(?:^|, |kategori )([A-E])(?=$|[,;]| \(| kualitas)|\(([A-E])\)")
# "(A per Ombudsman Jatim statement that all Jatim pemda except 5 named were A)"
BLANKET_LETTER = re.compile(r"^\(([A-E]) per .*statement")


def is_blanket(wording, note):
    return ("FROM A BLANKET STATEMENT" in wording or BLANKET_LETTER.search(wording) is not None
            or "blanket statement" in note.lower())


def stated_category(wording):
    m = STATED_LETTER.search(wording) or BLANKET_LETTER.search(wording)
    if not m:
        return None
    return next(g for g in m.groups() if g)


def ombudsman_rows():
    out = []
    for r in read("ombudsman_scores.csv"):
        year = int(r["year"])
        score = float(r["score"]) if r["score"] else None
        wording = r["category_or_zone"].strip()
        low = wording.lower()
        category = stated_category(wording) if year <= 2024 else None
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
        if is_blanket(wording, r["note"]):
            basis = "blanket statement"
        elif derived:
            basis = "derived from bands"
        else:
            basis = "stated"
        out.append(dict(region_code=r["region_code"], region=r["region"], year=year, indicator="kepatuhan",
                        score=r["score"], scale="0-100", category=category, zone=zone, basis=basis,
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
        # The IPP predicate as given, minus sign included (A-, B-, C- are grades of their own).
        m = re.match(r"^([A-E]-?)(?=[\s;(]|$)", pred)
        notes = ["index as cited: " + r["index"]]
        if pred:
            notes.append("predicate/rank: " + pred)
        if r["note"]:
            notes.append(r["note"])
        if r["source"].startswith("github:The-Newbie-Guy/SatriaData"):
            notes.append("credit: " + IPP_CREDIT)
        out.append(dict(region_code=r["region_code"], region=r["region"], year=int(r["year"]), indicator=indicator,
                        score=r["value"], scale=scale, category=m.group(1) if m else None, zone=None,
                        basis="stated", source=r["source"], note="; ".join(notes)))
    return out


def province_of(code):
    return all_regions[code[:2]]["name"]


scores = ombudsman_rows() + index_rows()
for s in scores:
    if s["region_code"] not in all_regions:
        sys.exit("region code not in the Kemendagri list: " + s["region_code"])
    s["province"] = province_of(s["region_code"])
scores.sort(key=lambda s: (s["indicator"] != "kepatuhan", s["indicator"], s["province"], int(s["region_code"]),
                           s["year"]))

awards = read("awards.csv")
missing = sorted({a["region_code"] for a in awards} - set(all_regions))
if missing:
    sys.exit("award region codes not in the Kemendagri list: " + ", ".join(missing))

codes = sorted(all_regions, key=lambda c: (c[:2], len(c), c))
regions = [dict(all_regions[c], island=island(c), source=REGIONS_SOURCE) for c in codes]

thresholds = []
for r in read("ombudsman_thresholds.csv"):
    years = r["period"].split("-")
    has_band = bool(r["min_score"] or r["max_score"])
    kind = "band" if has_band else ("decree" if "decree" in r["scheme"] else "scheme")
    thresholds.append(dict(year_from=years[0], year_to=years[-1], kind=kind, scheme=r["scheme"],
                           category=r["category"], label=r["label"], min_score=r["min_score"],
                           max_score=r["max_score"], zone=r["zone"], source=r["source"], note=r["note"]))

shutil.copyfile(os.path.join(DATA, "regions_full.LICENSE"), os.path.join(HERE, "regions.LICENSE"))
with open(os.path.join(DATA, "regions_full.LICENSE"), encoding="utf-8") as f:
    regions_notice = f.read()

tables = [
    ("scores", write("scores.csv", ["region_code", "region", "province", "year", "indicator", "score", "scale",
                                    "category", "zone", "basis", "source", "note"], scores),
     "Datasets/scores.csv: Ombudsman RI compliance scores (kepatuhan, 0-100) and KemenPAN RB service and "
     "satisfaction indices (ipp 1-5, ikm/skm 0-100), one row per reported figure with its source; the IPP of "
     "the provinces 2021-2024 is KemenPAN RB's, from an Open Data Jabar export", ""),
    ("awards", write("awards.csv", ["year", "region_code", "region", "award", "category", "predicate",
                                    "innovation", "giver", "date", "venue", "source"], awards),
     "Datasets/awards.csv: KemenPAN RB, Kemendagri and Pemprov Jatim public-service awards as reported, "
     "one row per award with its source", ""),
    ("regions", write("regions.csv", ["code", "name", "type", "province_code", "province", "island", "source"],
                      regions),
     "Datasets/regions.csv: all 38 provinces and 514 regencies and cities of Indonesia (Kemendagri codes, "
     "Kepmendagri 2025, from the cahyadsn/wilayah transcription, MIT licence; notice below and in "
     "Datasets/regions.LICENSE)", regions_notice),
    ("thresholds", write("thresholds.csv", ["year_from", "year_to", "kind", "scheme", "category", "label",
                                            "min_score", "max_score", "zone", "source", "note"], thresholds),
     "Datasets/thresholds.csv: Ombudsman compliance bands (zones and categories) per period, the decrees "
     "and scheme changes, with sources", ""),
]


def swift_string(s):
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""


CHUNK = 400  # lines of CSV per generated file, so no file is past the house limit of 500
OUT = os.path.join(ROOT, "Sources", "Shell", "BuiltinData")
os.makedirs(OUT, exist_ok=True)
for old in os.listdir(OUT):
    if old.startswith("BuiltinData") and old.endswith(".swift"):
        os.remove(os.path.join(OUT, old))
HEADER = "// Generated by Datasets/build.py from Datasets/*.csv. Do not edit."


def write_swift(name, lines):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("\n".join([HEADER, ""] + lines + [""]))


entries = []
for name, text, origin, notice in tables:
    rows = text.rstrip("\n").split("\n")
    parts = []
    for k in range(0, len(rows), CHUNK):
        part = "%s%d" % (name, k // CHUNK + 1)
        parts.append(part)
        body = ["extension BuiltinData {", "  static let %s = #\"\"\"" % part]
        body.extend("    " + line if line else "" for line in rows[k:k + CHUNK])
        body += ["    \"\"\"#", "}"]
        write_swift("BuiltinData+%s.swift" % (part[0].upper() + part[1:]), body)
    entries += ["    (", "      \"%s\"," % name, "      [%s].joined(separator: \"\\n\")," % ", ".join(parts),
                "      " + swift_string(origin) + ",", "      " + swift_string(notice), "    ),"]
write_swift("BuiltinData.swift", [
    "/// The CSV text of each built-in table (kept in parts of %d lines, one file each), where its" % CHUNK,
    "/// figures come from, and the licence notice its data was shipped under (empty when none is",
    "/// asked for).",
    "enum BuiltinData {",
    "  static let tables: [(name: String, csv: String, origin: String, notice: String)] = ["]
    + entries + ["  ]", "}"])
print("scores %d, awards %d, regions %d, thresholds %d rows" % (len(scores), len(awards), len(regions), len(thresholds)))
