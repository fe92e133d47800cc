#!/usr/bin/env python3
"""db-benchmark's groupby and join questions (../shared/dbbench/QUESTIONS.md §2–§4) on
pantau, DuckDB and Polars, in one run, on the same files from generate.py:

    python3 Benchmarks/dbbench/run.py                       # groupby and join at 1e7
    python3 Benchmarks/dbbench/run.py --task groupby --n 1e7 --k 1e2 --nas 0 --sort 0

The rules of §4: each engine in its own process (its peak memory is its own), the data
loaded once and the load timed apart; two runs per question, answers materialised and
kept (pantau `let ans = …`, DuckDB `CREATE TEMP TABLE ans AS …` with its count and an empty
select inside the timing, Polars `collect()` and its shape), dropped before the next run;
checksums outside the timing, the same for both runs, and checked across engines (rows
exactly, sums within 1e-6 relative). DuckDB with all threads, ids as VARCHAR with id1/id2
as ENUM (as its solution does) and v3 as DOUBLE (so that sums agree digit for digit);
Polars lazy over categorical ids. Prints a Markdown table: each engine's two runs, pantau's
ratio to the best peer (by the better of its two runs), loads, and peak RSS.
"""
import argparse, json, os, resource, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

GROUPBY = [
    ("sum v1 by id1", "x | group id1 (v1 = sum(v1))", "v1 = sum(v1)",
     "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1", "SELECT sum(v1) FROM ans"),
    ("sum v1 by id1:id2", "x | group id1, id2 (v1 = sum(v1))", "v1 = sum(v1)",
     "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2", "SELECT sum(v1) FROM ans"),
    ("sum v1 mean v3 by id3", "x | group id3 (v1 = sum(v1), v3 = avg(v3))", "v1 = sum(v1), v3 = sum(v3)",
     "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3", "SELECT sum(v1), sum(v3) FROM ans"),
    ("mean v1:v3 by id4", "x | group id4 (v1 = avg(v1), v2 = avg(v2), v3 = avg(v3))",
     "v1 = sum(v1), v2 = sum(v2), v3 = sum(v3)",
     "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
     "SELECT sum(v1), sum(v2), sum(v3) FROM ans"),
    ("sum v1:v3 by id6", "x | group id6 (v1 = sum(v1), v2 = sum(v2), v3 = sum(v3))",
     "v1 = sum(v1), v2 = sum(v2), v3 = sum(v3)",
     "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
     "SELECT sum(v1), sum(v2), sum(v3) FROM ans"),
    ("median v3 sd v3 by id4 id5", "x | group id4, id5 (median_v3 = median(v3), sd_v3 = stddev(v3))",
     "m = sum(median_v3), s = sum(sd_v3)",
     "SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
     "SELECT sum(median_v3), sum(sd_v3) FROM ans"),
    ("max v1 - min v2 by id3", "x | group id3 (range_v1_v2 = max(v1) - min(v2))", "r = sum(range_v1_v2)",
     "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3", "SELECT sum(range_v1_v2) FROM ans"),
    ("largest two v3 by id6",
     "x | filter v3 != null | top 2 v3 desc by id6 no ties | select id6, largest2_v3 = v3",
     "l = sum(largest2_v3)",
     "SELECT id6, unnest(max(v3, 2)) AS largest2_v3 FROM x WHERE v3 IS NOT NULL GROUP BY id6",
     "SELECT sum(largest2_v3) FROM ans"),
    ("regression v1 v2 by id2 id4", "x | group id2, id4 (r2 = pow(corr(v1, v2), 2))", "r2 = sum(r2)",
     "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4", "SELECT sum(r2) FROM ans"),
    ("sum v3 count by id1:id6",
     "x | group id1, id2, id3, id4, id5, id6 (v3 = sum(v3), count = count())", "v3 = sum(v3), c = sum(count)",
     "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
     "SELECT sum(v3), sum(count) FROM ans"),
]

JOIN = [
    ("small inner on int", "x | join small on id1",
     "SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)"),
    ("medium inner on int", "x | join medium on id2",
     "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)"),
    ("medium outer on int", "x | join left medium on id2",
     "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)"),
    ("medium inner on factor", "x | join medium on id5",
     "SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)"),
    ("big inner on int", "x | join big on id3",
     "SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)"),
]


def compiled_sql(dialect, data):
    """The groupby pipelines as `pantau --sql DIALECT` writes them, checked against a
    one-row file with the columns of `data` (compiling reads no data)."""
    head = open(data).readline()
    stub = "/tmp/pantau-dbbench-head.csv"
    with open(stub, "w") as f:
        f.write(head + "a,b,c,1,1,1,1,1,1.5\n")
    pantau = os.path.join(ROOT, ".build", "release", "pantau")
    script = "\n".join(q[1] for q in GROUPBY)
    out = subprocess.run([pantau, "--no-builtin", "--load", f"{stub}=x", "--sql", dialect, "-c", script],
                         capture_output=True, text=True, check=True).stdout
    compiled = [s.strip() for s in out.split(";\n") if s.strip()]
    assert len(compiled) == len(GROUPBY), out
    return compiled


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pantau(task, files, flags=()):
    binary = os.path.join(ROOT, ".build/release/pantau")
    lines = []
    if task == "groupby":
        lines.append('.load "%s" as x' % files[0])
        qs = [(q[1], q[2]) for q in GROUPBY]
    else:
        for name, f in zip(["x", "small", "medium", "big"], files):
            lines.append('.load "%s" as %s' % (f, name))
        qs = [(q[1], "v1 = sum(v1), v2 = sum(v2)") for q in JOIN]
    loads = len(lines)
    for pipe, chk in qs:
        for _ in range(2):
            lines.append("let ans = " + pipe)
            lines.append("ans | group (n = count(), %s)" % chk)
            lines.append(".drop ans")
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M", binary, "--no-builtin", "--timer", "--format", "csv", *flags],
                       input="\n".join(lines) + "\n", capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("pantau failed:\n" + p.stderr[-3000:])
    times = [float(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("time:")]
    rss = [int(l.split()[1]) / 1024 for l in p.stderr.splitlines() if l.startswith("RSS")][0]
    outs = [b.strip().splitlines()[1] for b in p.stdout.strip().split("\n\n")]
    load = sum(times[:loads])
    times = times[loads:]
    result = []
    for i in range(len(qs)):
        t1, t2 = times[i * 6], times[i * 6 + 3]
        c1, c2 = outs[2 * i], outs[2 * i + 1]
        a, b = [float(v) for v in c1.split(",")], [float(v) for v in c2.split(",")]
        result.append({"times": [t1, t2], "chk": a, "same": all(abs(u - v) <= 1e-6 * max(1.0, abs(v)) for u, v in zip(a, b))})
    return {"load": load, "questions": result, "rss": rss}


def engine_main(engine, task, files):
    """Runs in a child process: one engine, every question."""
    t = time.perf_counter()
    result = []
    if engine == "duckdb":
        import duckdb
        con = duckdb.connect()
        con.execute("PRAGMA threads=%d" % os.cpu_count())
        if task == "groupby":
            con.execute("CREATE TABLE y AS SELECT * FROM read_csv('%s', types={'id1':'VARCHAR','id2':'VARCHAR','id3':'VARCHAR','id4':'INT','id5':'INT','id6':'INT','v1':'INT','v2':'INT','v3':'DOUBLE'})" % files[0])
            con.execute("CREATE TYPE id1ENUM AS ENUM (SELECT DISTINCT id1 FROM y WHERE id1 IS NOT NULL)")
            con.execute("CREATE TYPE id2ENUM AS ENUM (SELECT DISTINCT id2 FROM y WHERE id2 IS NOT NULL)")
            con.execute("CREATE TABLE x AS SELECT CAST(id1 AS id1ENUM) id1, CAST(id2 AS id2ENUM) id2, id3, id4, id5, id6, v1, v2, v3 FROM y")
            con.execute("DROP TABLE y")
            qs = [(q[3], q[4]) for q in GROUPBY]
        else:
            for name, f in zip(["x", "small", "medium", "big"], files):
                con.execute("CREATE TABLE %s AS SELECT * FROM read_csv('%s')" % (name, f))
            qs = [(q[2], "SELECT sum(v1), sum(v2) FROM ans") for q in JOIN]
        load = time.perf_counter() - t
        for sql, chk in qs:
            times, chks = [], []
            for _ in range(2):
                t = time.perf_counter()
                con.execute("CREATE TEMP TABLE ans AS " + sql)
                n = con.execute("SELECT count(*) FROM ans").fetchone()[0]
                con.execute("SELECT * FROM ans LIMIT 0").fetchall()
                times.append(time.perf_counter() - t)
                chks.append([float(n)] + [float(v) if v is not None else 0.0 for v in con.execute(chk).fetchone()])
                con.execute("DROP TABLE ans")
            result.append({"times": times, "chk": chks[0], "same": all(abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in zip(chks[0], chks[1]))})
    else:
        import polars as pl
        if task == "groupby":
            x = pl.read_csv(files[0], schema_overrides={"id4": pl.Int32, "id5": pl.Int32, "id6": pl.Int32, "v1": pl.Int32, "v2": pl.Int32, "v3": pl.Float64})
            x = x.with_columns(pl.col(["id1", "id2", "id3"]).cast(pl.Categorical)).lazy()
            c = pl.col
            qs = [
                (x.group_by("id1").agg(c("v1").sum()), [c("v1").sum()]),
                (x.group_by(["id1", "id2"]).agg(c("v1").sum()), [c("v1").sum()]),
                (x.group_by("id3").agg(c("v1").sum(), c("v3").mean()), [c("v1").sum(), c("v3").sum()]),
                (x.group_by("id4").agg(c("v1").mean(), c("v2").mean(), c("v3").mean()), [c("v1").sum(), c("v2").sum(), c("v3").sum()]),
                (x.group_by("id6").agg(c("v1").sum(), c("v2").sum(), c("v3").sum()), [c("v1").sum(), c("v2").sum(), c("v3").sum()]),
                (x.group_by(["id4", "id5"]).agg(c("v3").median().alias("median_v3"), c("v3").std().alias("sd_v3")), [c("median_v3").sum(), c("sd_v3").sum()]),
                (x.group_by("id3").agg((c("v1").max() - c("v2").min()).alias("range_v1_v2")), [c("range_v1_v2").sum()]),
                (x.drop_nulls("v3").group_by("id6").agg(c("v3").top_k(2).alias("largest2_v3")).explode("largest2_v3"), [c("largest2_v3").sum()]),
                (x.group_by(["id2", "id4"]).agg((pl.corr("v1", "v2") ** 2).alias("r2")), [c("r2").sum()]),
                (x.group_by(["id1", "id2", "id3", "id4", "id5", "id6"]).agg(c("v3").sum().alias("v3"), pl.len().alias("count")), [c("v3").sum(), c("count").sum()]),
            ]
        else:
            ints = {"id1": pl.Int32, "id2": pl.Int32, "id3": pl.Int32}
            tabs = []
            for f in files:
                frame = pl.read_csv(f, schema_overrides={k: v for k, v in ints.items()})
                cats = [k for k in ("id4", "id5", "id6") if k in frame.columns]
                tabs.append(frame.with_columns(pl.col(cats).cast(pl.Categorical)).lazy())
            x, small, medium, big = tabs
            c = pl.col
            chk = [c("v1").sum(), c("v2").sum()]
            qs = [
                (x.join(small, on="id1"), chk), (x.join(medium, on="id2"), chk),
                (x.join(medium, on="id2", how="left"), chk), (x.join(medium, on="id5"), chk),
                (x.join(big, on="id3"), chk),
            ]
        load = time.perf_counter() - t
        for q, chk in qs:
            times, chks = [], []
            for _ in range(2):
                t = time.perf_counter()
                ans = q.collect()
                _ = ans.shape
                times.append(time.perf_counter() - t)
                row = ans.select(chk).row(0)
                chks.append([float(ans.height)] + [float(v) if v is not None else 0.0 for v in row])
                del ans
            result.append({"times": times, "chk": chks[0], "same": abs(chks[0][-1] - chks[1][-1]) <= 1e-6 * max(1, abs(chks[0][-1]))})
    print(json.dumps({"load": load, "questions": result, "rss": peak_mb()}))


def warm(files):
    """Reads the files once, so that a load reads them from the page cache."""
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(1 << 24):
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="both", choices=["groupby", "join", "both"])
    ap.add_argument("--n", default="1e7")
    ap.add_argument("--k", default="1e2")
    ap.add_argument("--nas", default="0")
    ap.add_argument("--sort", default="0")
    ap.add_argument("--engines", default="pantau,duckdb,polars")
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "pantau"], cwd=ROOT, check=True, capture_output=True)
    tasks = ["groupby", "join"] if args.task == "both" else [args.task]
    ok = True
    for task in tasks:
        gen = [sys.executable, os.path.join(HERE, "generate.py"), task, args.n]
        if task == "groupby":
            gen += [args.k, args.nas, args.sort]
        files = subprocess.run(gen, check=True, capture_output=True, text=True).stdout.split()
        names = GROUPBY if task == "groupby" else JOIN
        results = {}
        for e in args.engines.split(","):
            # Every engine starts with the files just read into the page cache: the first
            # engine to run would otherwise pay the disk for the others (this machine's
            # cache does not keep every data file between cases).
            warm(files)
            if e == "pantau":
                results[e] = run_pantau(task, files)
            else:
                p = subprocess.run([sys.executable, __file__, "--engine-child", e, task] + files, capture_output=True, text=True)
                if p.returncode != 0:
                    sys.exit("%s failed:\n%s" % (e, p.stderr[-3000:]))
                results[e] = json.loads(p.stdout.strip().splitlines()[-1])
        engines = list(results)
        print("\n%s, %s (%s)\n" % (task, os.path.basename(files[0]), ", ".join(engines)))
        print("| question | " + " | ".join(engines) + " | pantau / best peer |")
        print("|---|" + "---|" * (len(engines) + 1))
        for i, q in enumerate(names):
            cells = []
            for e in engines:
                r = results[e]["questions"][i]
                cells.append("%.3f / %.3f" % tuple(r["times"]))
            ratio = ""
            peers = [min(results[e]["questions"][i]["times"]) for e in engines if e != "pantau"]
            if "pantau" in results and peers:
                ratio = "%.2f" % (min(results["pantau"]["questions"][i]["times"]) / min(peers))
            print("| %s | %s | %s |" % (q[0], " | ".join(cells), ratio))
            base = results[engines[0]]["questions"][i]["chk"]
            for e in engines:
                r = results[e]["questions"][i]
                mismatch = len(r["chk"]) != len(base) or r["chk"][0] != base[0] or any(
                    abs(a - b) > 1e-6 * max(1.0, abs(b)) for a, b in zip(r["chk"][1:], base[1:]))
                if mismatch or not r["same"]:
                    ok = False
                    print("|  | checksum of %s: %s (%s: %s)%s |" % (e, r["chk"], engines[0], base, "" if r["same"] else ", runs differ"))
        print("| load | " + " | ".join("%.2f" % results[e]["load"] for e in engines) + " | |")
        print("| peak RSS (MB) | " + " | ".join("%.0f" % results[e]["rss"] for e in engines) + " | |")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--engine-child":
        engine_main(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        main()
