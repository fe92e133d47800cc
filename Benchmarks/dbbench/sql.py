#!/usr/bin/env python3
"""db-benchmark groupby questions compiled to SQL by pantau (`pantau --sql duckdb`) and run
on DuckDB, against DuckDB's own SQL for the same questions, in one process: what pantau's
translation (one CTE per stage, the row order carried in _row) costs where the data lives.

    python3 Benchmarks/dbbench/sql.py [--rows 1e7]

Needs the data of generate.py (run.py makes it) and a release build of pantau.
"""
import argparse, os, statistics, subprocess, sys, time
import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import GROUPBY, ROOT, compiled_sql  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--rows", default="1e7")
ap.add_argument("--runs", type=int, default=3)
a = ap.parse_args()
data = os.path.join(ROOT, "Benchmarks", "data", "dbbench", f"G1_{a.rows}_1e2_0_0.csv")
compiled = compiled_sql("duckdb", data)
con = duckdb.connect()
con.execute(f"CREATE TABLE x AS SELECT * FROM read_csv('{data}')")
print(f"{'question':28} {'duckdb sql':>10} {'pantau sql':>10} {'ratio':>6}  checksums")
for (name, _, _, native, check), sql in zip(GROUPBY, compiled):
    times = {}
    sums = {}
    for label, q in (("native", native), ("pantau", sql)):
        ts = []
        for _ in range(a.runs):
            con.execute("DROP TABLE IF EXISTS ans")
            t = time.perf_counter()
            con.execute(f"CREATE TABLE ans AS {q}")
            ts.append(time.perf_counter() - t)
        times[label] = statistics.median(ts)
        sums[label] = con.execute(check).fetchone()
    same = all(abs((u or 0) - (v or 0)) <= 1e-6 * max(1, abs(u or 0)) for u, v in zip(sums["native"], sums["pantau"]))
    print(f"{name:28} {times['native']:10.3f} {times['pantau']:10.3f} {times['pantau'] / times['native']:6.2f}  {'same' if same else 'DIFFER'}")
