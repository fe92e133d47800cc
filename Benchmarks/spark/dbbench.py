#!/usr/bin/env python3
"""db-benchmark groupby questions compiled by pantau (`pantau --sql spark`) and run on a
local Spark (local[2]), against Spark's own SQL for the same questions, in one process:
what it costs to take a pipeline to Spark unchanged.

    python3 Benchmarks/spark/dbbench.py [--rows 1e7] [--runs 2]

Needs the data of Benchmarks/dbbench/generate.py (run.py makes it), a release build of
pantau (`swift build -c release`) and `pip install pyspark` (Java 17).
"""
import argparse, os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dbbench"))
from run import GROUPBY, ROOT, compiled_sql  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--rows", default="1e7")
ap.add_argument("--runs", type=int, default=2)
a = ap.parse_args()
data = os.path.join(ROOT, "Benchmarks", "data", "dbbench", f"G1_{a.rows}_1e2_0_0.csv")
compiled = compiled_sql("spark", data)

spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.driver.memory", "12g").config("spark.sql.shuffle.partitions", "8")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
schema = "id1 STRING, id2 STRING, id3 STRING, id4 BIGINT, id5 BIGINT, id6 BIGINT, v1 BIGINT, v2 BIGINT, v3 DOUBLE"
t = time.perf_counter()
x = spark.read.csv(data, header=True, schema=schema).cache()
x.count()
x.createOrReplaceTempView("x")
print(f"Spark {spark.version}: load {time.perf_counter() - t:.1f} s")
print(f"{'question':28} {'spark sql':>10} {'pantau sql':>10} {'ratio':>6}  checksums")
# Spark's own SQL where DuckDB's (in run.py) has no Spark form.
SPARK_NATIVE = {
    "quantile_cont(v3, 0.5)": "median(v3)",
    "SELECT id6, unnest(max(v3, 2)) AS largest2_v3 FROM x WHERE v3 IS NOT NULL GROUP BY id6":
        "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER "
        "(PARTITION BY id6 ORDER BY v3 DESC) AS r FROM x WHERE v3 IS NOT NULL) WHERE r <= 2",
}
for (name, _, _, native, check), sql in zip(GROUPBY, compiled):
    for duck, own in SPARK_NATIVE.items():
        native = native.replace(duck, own)
    times, sums = {}, {}
    for label, q in (("native", native), ("pantau", sql)):
        ts = []
        for _ in range(a.runs):
            t = time.perf_counter()
            ans = spark.sql(q).cache()
            ans.count()
            ts.append(time.perf_counter() - t)
            ans.createOrReplaceTempView("ans")
            sums[label] = spark.sql(check).collect()[0]
            ans.unpersist()
        times[label] = statistics.median(ts)
    same = all(abs((u or 0) - (v or 0)) <= 1e-6 * max(1, abs(u or 0)) for u, v in zip(sums["native"], sums["pantau"]))
    print(f"{name:28} {times['native']:10.2f} {times['pantau']:10.2f} {times['pantau'] / times['native']:6.2f}  {'same' if same else 'DIFFER'}", flush=True)
def peak_jvm():
    """VmHWM of this run's Spark JVM (the java process started for pyspark-shell)."""
    best = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline").read()
            if "java" in cmd and "pyspark-shell" in cmd:
                for line in open(f"/proc/{pid}/status"):
                    if line.startswith("VmHWM:"):
                        best = max(best, int(line.split()[1]))
        except OSError:
            pass
    return best / 1024 / 1024


print(f"peak memory of the Spark JVM: {peak_jvm():.1f} GiB")
