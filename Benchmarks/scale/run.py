#!/usr/bin/env python3
"""The README's scale example: db-benchmark's groupby questions at several sizes, in one
run, three ways — pantau's own engine, the SQL `pantau --sql duckdb` writes run on DuckDB,
and the SQL `pantau --sql spark` writes run on a local Spark — with each one's load, its
time per question and its peak memory, and the answers' checksums compared across the three.

    python3 Benchmarks/scale/run.py                          # 1e7 and 1e8, two runs each
    python3 Benchmarks/scale/run.py --sizes 1e7 --runs 2 --engines pantau,duckdb

The same pipelines are the source for all three (those of Benchmarks/dbbench/run.py); only
where they run changes. Each engine runs in its own process (its peak memory is its own:
pantau's and DuckDB's peak RSS; for Spark the peak RSS of its JVM), the data loaded once and
timed apart, answers materialised inside the timing (pantau `let`, DuckDB `CREATE TEMP TABLE`,
Spark `cache()` + `count()`), checksums outside it. Needs the data generator's Python
packages (numpy, polars), duckdb, pyspark (Java 17), and a release build (made here).
"""
import argparse, json, os, resource, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dbbench"))
from run import GROUPBY, ROOT, compiled_sql, run_pantau  # noqa: E402

TYPES = {"id1": "VARCHAR", "id2": "VARCHAR", "id3": "VARCHAR", "id4": "BIGINT", "id5": "BIGINT",
         "id6": "BIGINT", "v1": "BIGINT", "v2": "BIGINT", "v3": "DOUBLE"}


def duckdb_child(data, runs):
    import duckdb
    con = duckdb.connect()
    con.execute("PRAGMA threads=%d" % os.cpu_count())
    t = time.perf_counter()
    types = ", ".join("'%s': '%s'" % kv for kv in TYPES.items())
    con.execute("CREATE TABLE x AS SELECT * FROM read_csv('%s', types={%s})" % (data, types))
    load = time.perf_counter() - t
    out = []
    for sql, q in zip(compiled_sql("duckdb", data), GROUPBY):
        times, chks = [], []
        for _ in range(runs):
            t = time.perf_counter()
            con.execute("CREATE TEMP TABLE ans AS " + sql)
            n = con.execute("SELECT count(*) FROM ans").fetchone()[0]
            times.append(time.perf_counter() - t)
            chks.append([float(n)] + [float(v or 0) for v in con.execute(q[4]).fetchone()])
            con.execute("DROP TABLE ans")
        out.append({"times": times, "chk": chks[0]})
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load": load, "questions": out, "rss": rss}


def jvm_peak_mb():
    """VmHWM of the JVM pyspark started for this process."""
    best = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open("/proc/%s/stat" % pid).read().split()
            if int(stat[3]) != os.getpid():
                continue
            for line in open("/proc/%s/status" % pid):
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]))
        except (OSError, IndexError, ValueError):
            pass
    return best / 1024


def spark_child(data, runs):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[%d]" % os.cpu_count())
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "16g").config("spark.sql.shuffle.partitions", "8")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    schema = ", ".join("%s %s" % (c, "STRING" if t == "VARCHAR" else t) for c, t in TYPES.items())
    t = time.perf_counter()
    x = spark.read.csv(data, header=True, schema=schema).cache()
    x.count()
    x.createOrReplaceTempView("x")
    load = time.perf_counter() - t
    out = []
    for sql, q in zip(compiled_sql("spark", data), GROUPBY):
        times, chks = [], []
        for _ in range(runs):
            t = time.perf_counter()
            ans = spark.sql(sql).cache()
            n = ans.count()
            times.append(time.perf_counter() - t)
            ans.createOrReplaceTempView("ans")
            chks.append([float(n)] + [float(v or 0) for v in spark.sql(q[4]).collect()[0]])
            ans.unpersist(blocking=True)
        out.append({"times": times, "chk": chks[0]})
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + jvm_peak_mb()
    return {"load": load, "questions": out, "rss": rss, "version": spark.version}


def child(engine, data, runs):
    result = duckdb_child(data, runs) if engine == "duckdb" else spark_child(data, runs)
    print(json.dumps(result))


def pantau(data, runs):
    # With the default memory limit (60 % of RAM): the load's estimate of the 1e8 file's
    # columns passes it; the real peak is measured and reported.
    r = run_pantau("groupby", [data])
    if runs == 1:
        for q in r["questions"]:
            q["times"] = q["times"][:1]
    return r


def same(a, b):
    return len(a) == len(b) and a[0] == b[0] and all(
        abs(u - v) <= 1e-6 * max(1.0, abs(v)) for u, v in zip(a[1:], b[1:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e7,1e8")
    ap.add_argument("--runs", type=int, default=2, help="runs per question (pantau always runs two)")
    ap.add_argument("--engines", default="pantau,duckdb,spark")
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "pantau"], cwd=ROOT, check=True,
                   capture_output=True)
    labels = {"pantau": "pantau engine", "duckdb": "pantau SQL on DuckDB", "spark": "pantau SQL on Spark"}
    ok = True
    for size in args.sizes.split(","):
        gen = [sys.executable, os.path.join(ROOT, "Benchmarks", "dbbench", "generate.py"), "groupby", size]
        data = subprocess.run(gen, check=True, capture_output=True, text=True).stdout.strip()
        results = {}
        for e in args.engines.split(","):
            t = time.perf_counter()
            if e == "pantau":
                results[e] = pantau(data, args.runs)
            else:
                p = subprocess.run([sys.executable, __file__, "--child", e, data, str(args.runs)],
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    sys.exit("%s failed:\n%s" % (e, p.stderr[-3000:]))
                results[e] = json.loads(p.stdout.strip().splitlines()[-1])
            print("%s at %s: %.0f s in all" % (e, size, time.perf_counter() - t), file=sys.stderr, flush=True)
        engines = list(results)
        size_ok = True
        extra = " (Spark %s, local[%d])" % (results["spark"]["version"], os.cpu_count()) if "spark" in results else ""
        print("\n%s rows, %s, %d run(s) per question, best run in seconds%s\n" % (
            size, os.path.basename(data), args.runs, extra))
        print("| question | " + " | ".join(labels[e] for e in engines) + " |")
        print("|---|" + "---:|" * len(engines))
        for i, q in enumerate(GROUPBY):
            cells = ["%.2f" % min(results[e]["questions"][i]["times"]) for e in engines]
            base = results[engines[0]]["questions"][i]["chk"]
            for e in engines[1:]:
                if not same(results[e]["questions"][i]["chk"], base):
                    ok = size_ok = False
                    cells[engines.index(e)] += " (checksum %s, not %s)" % (results[e]["questions"][i]["chk"], base)
            print("| %s | %s |" % (q[0], " | ".join(cells)))
        total = ["%.1f" % sum(min(r["times"]) for r in results[e]["questions"]) for e in engines]
        print("| all ten | " + " | ".join(total) + " |")
        print("| load | " + " | ".join("%.1f" % results[e]["load"] for e in engines) + " |")
        print("| peak memory (GiB) | " + " | ".join("%.1f" % (results[e]["rss"] / 1024) for e in engines) + " |")
        print("| checksums | " + " | ".join("same" if size_ok else "see above" for _ in engines) + " |", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
