#!/usr/bin/env python3
"""Runs pantau's compiled Spark SQL on a local Spark and compares with pantau's answers.

    PANTAU_SPARK_CASES=/tmp/spark-cases.json swift test --filter SparkCases
    python3 Benchmarks/spark/check.py /tmp/spark-cases.json

The first command writes random tables (as Spark SQL) and random pipelines (their compiled
`spark` SQL and pantau's own rows) -- the cases of the SQLite/DuckDB/PostgreSQL
differential test; PANTAU_SQL_SEEDS sets how many tables (default 12). The second runs
every case on `pip install pyspark` (local[2], Java 17) and reports each difference.
"""
import datetime, json, math, sys, time

from pyspark.sql import SparkSession


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)


def same_cell(p, q):
    if p == q:
        return True
    numbers = {"true": "1", "false": "0"}
    try:
        u, v = float(numbers.get(p, p)), float(numbers.get(q, q))
    except ValueError:
        return False
    return abs(u - v) <= 1e-6 * max(1, abs(u), abs(v))


def main(path):
    jobs = json.load(open(path))
    t0 = time.time()
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"Spark {spark.version} started in {time.time() - t0:.1f} s")
    total = agree = 0
    for job in jobs:
        db = f"pantau_{job['seed']}"
        spark.sql(f"DROP DATABASE IF EXISTS {db} CASCADE")
        spark.sql(f"CREATE DATABASE {db}")
        spark.sql(f"USE {db}")
        for statement in job["setup"].split(";\n"):
            if statement.strip():
                spark.sql(statement)
        for case in job["cases"]:
            total += 1
            try:
                rows = [[cell(v) for v in r] for r in spark.sql(case["sql"]).collect()]
            except Exception as e:  # a failure is a difference too
                print(f"seed {job['seed']}: Spark failed: {str(e).splitlines()[0]}\n  {case['pipeline']}")
                continue
            ours = case["rows"]
            ok = len(rows) == len(ours) and all(
                len(a) == len(b) and all(same_cell(p, q) for p, q in zip(a, b))
                for a, b in zip(ours, rows))
            if ok:
                agree += 1
            else:
                print(f"seed {job['seed']} differs\n  pantau: {case['pipeline']}\n"
                      f"  ours:  {ours[:5]}\n  spark: {rows[:5]}")
        spark.sql("USE default")
        spark.sql(f"DROP DATABASE {db} CASCADE")
    print(f"{agree} of {total} answers equal pantau's ({len(jobs)} random tables), "
          f"{time.time() - t0:.0f} s")
    return 0 if agree == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/spark-cases.json"))
