#!/usr/bin/env python3
"""Query shapes nobody tuned for: 129 pipelines over db-benchmark's groupby file (filters,
top-k by one tied key, several keys and text, full sorts, distinct, count_distinct, mode,
windows, functions, text, conditional columns, float and bool keys, self-joins on one and
two keys, pivot, append, describe; the last 65 were written on 2026-12-08, measured once,
before any change made for them), each run three times in one pantau process and in
DuckDB (2 threads, ids as VARCHAR), the answers materialised (`let ans = …`,
`CREATE TABLE ans AS …`) and dropped; the best of three is reported, with pantau's ratio
to DuckDB.

    python3 Benchmarks/shapes/run.py                       # the 1e7-row K=100 file
    python3 Benchmarks/shapes/run.py --file G1_1e7_2_0_0   # any file of dbbench/generate.py

The queries are in queries.tsv (or the file given with --queries): a name, the pantau
pipeline, the same in DuckDB's SQL.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


QUERIES = os.path.join(HERE, "queries.tsv")


def queries():
    for line in open(QUERIES):
        if line.startswith("#") or not line.strip():
            continue
        name, pipeline, sql = line.rstrip("\n").split("\t")
        yield name, pipeline, sql


def run_pantau(path, runs):
    script = [f'.load "{path}" as x']
    for _, pipeline, _ in queries():
        for _ in range(runs):
            script += [f"let ans = {pipeline}", ".drop ans"]
    binary = os.path.join(ROOT, ".build", "release", "pantau")
    out = subprocess.run([binary, "--no-builtin", "--timer", "--format", "csv"],
                         input="\n".join(script) + "\n", capture_output=True, text=True)
    times = [float(l.split()[1]) for l in out.stderr.splitlines() if l.startswith("time:")]
    errors = [l for l in out.stderr.splitlines() if "error" in l]
    if errors:
        sys.exit("pantau: " + errors[0])
    # The load, then each run's `let` and `.drop`.
    lets = times[1::2]
    names = [n for n, _, _ in queries()]
    return {n: min(lets[i * runs:(i + 1) * runs]) for i, n in enumerate(names)}


def run_duckdb(path, runs):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads=2")
    types = ("{'id1':'VARCHAR','id2':'VARCHAR','id3':'VARCHAR','id4':'INTEGER','id5':'INTEGER',"
             "'id6':'INTEGER','v1':'INTEGER','v2':'INTEGER','v3':'DOUBLE'}")
    con.execute(f"CREATE TABLE x AS SELECT * FROM read_csv('{path}', header=true, types={types})")
    best = {}
    for name, _, sql in queries():
        t = []
        for _ in range(runs):
            start = time.time()
            con.execute("CREATE OR REPLACE TABLE ans AS " + sql)
            t.append(time.time() - start)
            con.execute("DROP TABLE ans")
        best[name] = min(t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default="G1_1e7_1e2_0_0")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--queries", help="a file of shapes, as queries.tsv")
    a = ap.parse_args()
    global QUERIES
    QUERIES = a.queries or QUERIES
    path = os.path.join(ROOT, "Benchmarks", "data", "dbbench", a.file + ".csv")
    if not os.path.exists(path):
        sys.exit(f"no {path}: make it with Benchmarks/dbbench/generate.py")
    subprocess.run(["swift", "build", "-c", "release", "--product", "pantau"], cwd=ROOT,
                   check=True, capture_output=True)
    p = run_pantau(path, a.runs)
    d = run_duckdb(path, a.runs)
    print(f"{a.file}, best of {a.runs} (seconds)\n")
    print("| shape | pantau | DuckDB | pantau / DuckDB |")
    print("|---|---|---|---|")
    for name, _, _ in queries():
        print(f"| {name} | {p[name]:.4f} | {d[name]:.4f} | {p[name] / d[name]:.2f} |")


if __name__ == "__main__":
    main()
