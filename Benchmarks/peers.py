#!/usr/bin/env python3
"""One peer engine over the benchmark data, in its own process (so its peak memory is its
own): loads scores_N.csv and regions.csv, runs Q1-Q8 (1 warm-up + RUNS timed runs each)
and prints JSON: {query: {"times": [...], "checksum": [rows, sum]}}.

    python3 Benchmarks/peers.py duckdb|polars|pandas|sqlite DATA_DIR N RUNS
"""
import json
import math
import os
import sys
import time

ENGINE, DATA, N, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
SCORES = os.path.join(DATA, "scores_%d.csv" % N)
REGIONS = os.path.join(DATA, "regions.csv")

SQL = {
    "Q2": "SELECT count(*) AS n FROM scores WHERE year >= 2020 AND indicator = 'kepatuhan' AND score > 80",
    "Q3": "SELECT province, indicator, count(*) AS n, avg(score) AS avg_score, min(score) AS min_score, "
          "max(score) AS max_score FROM scores GROUP BY province, indicator ORDER BY province, indicator",
    "Q4": "SELECT year, indicator, rnk, region_code, score FROM (SELECT *, rank() OVER (PARTITION BY year, "
          "indicator ORDER BY score DESC NULLS LAST) AS rnk FROM scores) WHERE rnk <= 3 "
          "ORDER BY year, indicator, rnk, region_code",
    "Q5": "SELECT year, avg(score) AS avg_score FROM scores WHERE province = 'Province 07' AND indicator = 'ikm' "
          "GROUP BY year ORDER BY year",
    "Q6": "SELECT r.island, r.type, avg(s.score) AS avg_score, count(*) AS n FROM scores s JOIN regions r "
          "ON s.region_code = r.code GROUP BY r.island, r.type ORDER BY r.island, r.type",
    "Q7": "SELECT * FROM scores WHERE year = 2023 ORDER BY score DESC NULLS LAST, region_code, indicator LIMIT 10",
    "Q8": "WITH a AS (SELECT region_code, indicator, year, avg(score) AS s FROM scores WHERE year IN (2022, 2023) "
          "GROUP BY region_code, indicator, year), d AS (SELECT region_code, indicator, year, s - lag(s) OVER "
          "(PARTITION BY region_code, indicator ORDER BY year) AS delta FROM a) SELECT region_code, indicator, "
          "delta FROM d WHERE year = 2023 AND delta IS NOT NULL ORDER BY delta DESC, region_code, indicator LIMIT 10",
}
Q1_CHECK = "SELECT count(*), sum(region_code) + sum(year), sum(score) FROM scores"


def checksum(rows):
    total = 0.0
    for row in rows:
        for v in row:
            if isinstance(v, bool) or v is None:
                continue
            if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
                total += v
    return [len(rows), total]


def timed(fn):
    fn()
    times = []
    result = None
    for _ in range(RUNS):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def run_duckdb():
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")

    def load():
        con.execute("CREATE OR REPLACE TABLE scores AS SELECT * FROM read_csv('%s', header=true)" % SCORES)
    out = {}
    times, _ = timed(load)
    con.execute("CREATE OR REPLACE TABLE regions AS SELECT * FROM read_csv('%s', header=true)" % REGIONS)
    r = con.execute(Q1_CHECK).fetchall()[0]
    out["Q1"] = {"times": times, "checksum": [r[0], float(r[1]) + float(r[2])]}
    for q, sql in SQL.items():
        times, rows = timed(lambda: con.execute(sql).fetchall())
        out[q] = {"times": times, "checksum": checksum(rows)}
    return out


def run_sqlite():
    import sqlite3
    import csv
    con = sqlite3.connect(":memory:")

    def load():
        con.execute("DROP TABLE IF EXISTS scores")
        con.execute("CREATE TABLE scores(region_code INTEGER, year INTEGER, indicator TEXT, score REAL, "
                    "category TEXT, province TEXT)")
        with open(SCORES, newline="") as f:
            reader = csv.reader(f)
            next(reader)
            con.executemany("INSERT INTO scores VALUES (?,?,?,?,?,?)",
                            ((int(a), int(b), c, float(d) if d else None, e or None, p) for a, b, c, d, e, p in reader))
        con.commit()
    out = {}
    times, _ = timed(load)
    con.execute("CREATE TABLE regions(code INTEGER, name TEXT, type TEXT, province TEXT, island TEXT)")
    with open(REGIONS, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        con.executemany("INSERT INTO regions VALUES (?,?,?,?,?)", ((int(a), b, c, d, e) for a, b, c, d, e in reader))
    r = con.execute(Q1_CHECK).fetchall()[0]
    out["Q1"] = {"times": times, "checksum": [r[0], float(r[1]) + float(r[2])]}
    for q, sql in SQL.items():
        times, rows = timed(lambda: con.execute(sql.replace(" NULLS LAST", "")).fetchall())
        out[q] = {"times": times, "checksum": checksum(rows)}
    return out


def run_polars():
    import polars as pl
    state = {}

    def load():
        state["s"] = pl.read_csv(SCORES)
    out = {}
    times, _ = timed(load)
    s = state["s"]
    regions = pl.read_csv(REGIONS)
    out["Q1"] = {"times": times, "checksum": [s.height, float(s["region_code"].sum() + s["year"].sum()) + float(s["score"].sum())]}
    c = pl.col
    qs = {
        "Q2": lambda: s.filter((c("year") >= 2020) & (c("indicator") == "kepatuhan") & (c("score") > 80)).select(pl.len().alias("n")),
        "Q3": lambda: s.group_by("province", "indicator").agg(pl.len().alias("n"), c("score").mean().alias("avg_score"),
                                                               c("score").min().alias("min_score"), c("score").max().alias("max_score")).sort("province", "indicator"),
        "Q4": lambda: s.with_columns(c("score").rank("min", descending=True).over("year", "indicator").alias("rnk"))
                       .filter(c("rnk") <= 3).select("year", "indicator", "rnk", "region_code", "score").sort("year", "indicator", "rnk", "region_code"),
        "Q5": lambda: s.filter((c("province") == "Province 07") & (c("indicator") == "ikm")).group_by("year").agg(c("score").mean().alias("avg_score")).sort("year"),
        "Q6": lambda: s.join(regions, left_on="region_code", right_on="code").group_by("island", "type")
                       .agg(c("score").mean().alias("avg_score"), pl.len().alias("n")).sort("island", "type"),
        "Q7": lambda: s.filter(c("year") == 2023).sort(["score", "region_code", "indicator"], descending=[True, False, False], nulls_last=True).head(10),
        "Q8": lambda: s.filter(c("year").is_in([2022, 2023])).group_by("region_code", "indicator", "year").agg(c("score").mean().alias("s"))
                       .sort("region_code", "indicator", "year").with_columns((c("s") - c("s").shift(1).over("region_code", "indicator")).alias("delta"))
                       .filter((c("year") == 2023) & c("delta").is_not_null()).sort(["delta", "region_code", "indicator"], descending=[True, False, False])
                       .head(10).select("region_code", "indicator", "delta"),
    }
    for q, fn in qs.items():
        times, df = timed(fn)
        out[q] = {"times": times, "checksum": checksum(df.rows())}
    return out


def run_pandas():
    import pandas as pd
    state = {}

    def load():
        state["s"] = pd.read_csv(SCORES)
    out = {}
    times, _ = timed(load)
    s = state["s"]
    regions = pd.read_csv(REGIONS)
    out["Q1"] = {"times": times, "checksum": [len(s), float(s["region_code"].sum() + s["year"].sum()) + float(s["score"].sum())]}

    def q4():
        t = s.copy()
        t["rnk"] = t.groupby(["year", "indicator"])["score"].rank(method="min", ascending=False, na_option="bottom")
        t = t[t["rnk"] <= 3][["year", "indicator", "rnk", "region_code", "score"]]
        return t.sort_values(["year", "indicator", "rnk", "region_code"])

    def q8():
        a = s[s["year"].isin([2022, 2023])].groupby(["region_code", "indicator", "year"], as_index=False)["score"].mean()
        a = a.sort_values(["region_code", "indicator", "year"])
        a["delta"] = a["score"] - a.groupby(["region_code", "indicator"])["score"].shift(1)
        a = a[(a["year"] == 2023) & a["delta"].notna()]
        return a.sort_values(["delta", "region_code", "indicator"], ascending=[False, True, True]).head(10)[["region_code", "indicator", "delta"]]
    qs = {
        "Q2": lambda: pd.DataFrame({"n": [int(((s["year"] >= 2020) & (s["indicator"] == "kepatuhan") & (s["score"] > 80)).sum())]}),
        "Q3": lambda: s.groupby(["province", "indicator"]).agg(n=("score", "size"), avg_score=("score", "mean"),
                                                               min_score=("score", "min"), max_score=("score", "max")).reset_index(),
        "Q4": q4,
        "Q5": lambda: s[(s["province"] == "Province 07") & (s["indicator"] == "ikm")].groupby("year", as_index=False)["score"].mean(),
        "Q6": lambda: s.merge(regions, left_on="region_code", right_on="code").groupby(["island", "type"])
                       .agg(avg_score=("score", "mean"), n=("score", "size")).reset_index(),
        "Q7": lambda: s[s["year"] == 2023].sort_values(["score", "region_code", "indicator"], ascending=[False, True, True], na_position="last").head(10),
        "Q8": q8,
    }
    for q, fn in qs.items():
        times, df = timed(fn)
        rows = [tuple(None if (isinstance(v, float) and math.isnan(v)) else (v.item() if hasattr(v, "item") else v)
                      for v in r) for r in df.itertuples(index=False)]
        out[q] = {"times": times, "checksum": checksum(rows)}
    return out


if __name__ == "__main__":
    result = {"duckdb": run_duckdb, "polars": run_polars, "pandas": run_pandas, "sqlite": run_sqlite}[ENGINE]()
    print(json.dumps(result))
