#!/usr/bin/env python3
"""Deterministic data for the benchmark (../shared/BENCHMARK.md):

    python3 Benchmarks/generate.py OUT_DIR N [N ...]

regions.csv: 514 regions (416 kabupaten, 98 kota), 38 provinces on 7 islands.
scores_N.csv: N rows of region_code, year, indicator, score, category, province, where
score is a logistic of region, indicator and year effects plus noise (mean about 67,
2 decimals, so many ties; about 1 % empty) and category its band (A >= 88.01, B >= 78.01,
C >= 67.01, D >= 57.01, else E; empty when score is). Same seed, same files.
"""
import os
import sys

import numpy as np

SEED = 20261123
INDICATORS = ["kepatuhan", "ikm", "ipp", "sakip", "spbe"]
ISLANDS = ["Sumatera", "Jawa", "Kalimantan", "Sulawesi", "Bali-Nusa", "Maluku", "Papua"]


def regions(rng):
    kinds = np.array(["kabupaten"] * 416 + ["kota"] * 98)
    rng.shuffle(kinds)
    province = np.sort(rng.integers(1, 39, 514))
    province[:38] = np.arange(1, 39)
    province = np.sort(province)
    island_of = {p: ISLANDS[(p - 1) * 7 // 38] for p in range(1, 39)}
    rows = []
    for i in range(514):
        code = 1000 + i * 17 % 9000
        kind = kinds[i]
        name = ("Kota" if kind == "kota" else "Kabupaten") + " Region %04d" % (i + 1)
        p = int(province[i])
        rows.append((code, name, kind, "Province %02d" % p, island_of[p]))
    return rows


def scores(rng, regs, n, out):
    codes = np.array([r[0] for r in regs])
    provinces = np.array([r[3] for r in regs])
    region_effect = rng.normal(0, 0.6, len(regs))
    indicator_effect = np.array([0.3, 0.6, 0.0, -0.2, -0.4])
    chunk = 1_000_000
    with open(out, "w", newline="") as f:
        f.write("region_code,year,indicator,score,category,province\n")
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            r = rng.integers(0, len(regs), m)
            year = rng.integers(2010, 2025, m)
            ind = rng.integers(0, 5, m)
            z = 0.75 + region_effect[r] + indicator_effect[ind] + (year - 2017) * 0.05 + rng.normal(0, 0.7, m)
            score = np.round(100 / (1 + np.exp(-z)), 2)
            null = rng.random(m) < 0.01
            cat = np.where(score >= 88.01, "A", np.where(score >= 78.01, "B", np.where(
                score >= 67.01, "C", np.where(score >= 57.01, "D", "E"))))
            score_text = np.char.mod("%.2f", score)
            score_text = np.where(null, "", score_text)
            cat = np.where(null, "", cat)
            ind_text = np.array(INDICATORS)[ind]
            lines = np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(
                np.char.add(np.char.add(np.char.add(np.char.add(
                    codes[r].astype(str), ","), year.astype(str)), ","), ind_text), ","), score_text), ","),
                cat), ","), provinces[r])
            f.write("\n".join(lines.tolist()))
            f.write("\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    regs = regions(rng)
    path = os.path.join(out, "regions.csv")
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write("code,name,type,province,island\n")
            for r in regs:
                f.write("%d,%s,%s,%s,%s\n" % r)
    for n in map(int, sys.argv[2:]):
        path = os.path.join(out, "scores_%d.csv" % n)
        if os.path.exists(path):
            continue
        scores(np.random.default_rng(SEED + n), regs, n, path + ".tmp")
        os.replace(path + ".tmp", path)
        print("wrote", path)


if __name__ == "__main__":
    main()
