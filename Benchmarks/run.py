#!/usr/bin/env python3
"""The benchmark of ../shared/BENCHMARK.md, in one run: generates the data if missing,
builds pantau (release), runs pantau and the peers (DuckDB, Polars, pandas from PyPI,
SQLite from Debian) on the same files, and prints a Markdown table of median times, ratios
to DuckDB and to the best peer, and peak RSS. Exits 1 if any engine's checksum disagrees.

    python3 Benchmarks/run.py [--sizes 1000000,10000000] [--runs 5] [--engines pantau,duckdb,...]
"""
import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
QUERIES = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]
PANTAU = {
    "Q2": 'scores | filter year >= 2020 and indicator == "kepatuhan" and score > 80 | group (n = count())',
    "Q3": "scores | group province, indicator (n = count(), avg_score = avg(score), min_score = min(score), max_score = max(score))",
    "Q4": "scores | rank score desc by year, indicator as rnk | filter rnk <= 3 | select year, indicator, rnk, region_code, score | sort year, indicator, rnk, region_code",
    "Q5": 'scores | filter province == "Province 07" and indicator == "ikm" | group year (avg_score = avg(score))',
    "Q6": "scores | join regions on region_code == code | group island, type (avg_score = avg(score), n = count())",
    "Q7": "scores | filter year == 2023 | sort score desc, region_code, indicator | take 10",
    "Q8": "scores | filter year in (2022, 2023) | group region_code, indicator, year (s = avg(score)) | derive delta = s - lag(s) by region_code, indicator order year | filter year == 2023 and delta != null | sort delta desc, region_code, indicator | take 10 | select region_code, indicator, delta",
}
Q1_CHECK = "scores | group (n = count(), a = sum(region_code) + sum(year), s = sum(score)) | derive t = float(a) + s | select n, t"


def ensure_peers(engines):
    need = [p for p, m in (("duckdb", "duckdb"), ("polars", "polars"), ("pandas", "pandas")) if p in engines]
    missing = []
    for pkg in need:
        try:
            __import__(pkg)
        except ImportError:
            missing.append(pkg)
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q"] + missing, check=True)


def run_measured(cmd, **kw):
    """Runs a command; returns (stdout, stderr, peak RSS in MiB)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    out, err = p.communicate()
    _, status, usage = os.wait4(p.pid, 0) if p.returncode is None else (0, 0, None)
    if usage is None:
        import resource
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], err.decode()[-2000:]))
    return out.decode(), err.decode(), usage.ru_maxrss / 1024


def rss_of(cmd):
    """Peak RSS (MiB) of one child, measured with /usr/bin/time-like wait4."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd[:3]), err.decode()[-3000:]))
    return out.decode(), err.decode(), usage.ru_maxrss / 1024


def csv_checksum(text):
    rows = list(csv.reader(io.StringIO(text)))[1:]
    total = 0.0
    for row in rows:
        for cell in row:
            try:
                total += float(cell)
            except ValueError:
                pass
    return [len(rows), total]


def run_pantau(binary, n, runs):
    scores = os.path.join(DATA, "scores_%d.csv" % n)
    regions = os.path.join(DATA, "regions.csv")
    result = {}
    peak = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for q in QUERIES:
            lines = ['.load "%s" as regions' % regions]
            if q == "Q1":
                lines += ['.load "%s" as scores' % scores] * (runs + 1) + [Q1_CHECK]
            else:
                lines += ['.load "%s" as scores' % scores] + [PANTAU[q]] * (runs + 1)
            script = os.path.join(tmp, q + ".pantau")
            with open(script, "w") as f:
                f.write("\n".join(lines) + "\n")
            out, err, rss = rss_of([binary, "--no-builtin", "--no-rc", "--timer", "--format", "csv", script])
            peak = max(peak, rss)
            times = [float(l.split()[1]) for l in err.splitlines() if l.startswith("time: ")]
            blocks = out.strip("\n").split("\n\n")
            if q == "Q1":
                timed = times[1:1 + runs + 1][1:]
                row = list(csv.reader(io.StringIO(blocks[-1])))[1]
                check = [int(row[0]), float(row[1])]
            else:
                timed = times[2:][1:]
                check = csv_checksum(blocks[-1] + "\n")
            result[q] = {"times": timed, "checksum": check}
    return result, peak


def run_peer(engine, n, runs):
    out, err, rss = rss_of([sys.executable, os.path.join(HERE, "peers.py"), engine, DATA, str(n), str(runs)])
    return json.loads(out), rss


def agree(a, b):
    if a[0] != b[0]:
        return False
    return abs(a[1] - b[1]) <= 1e-9 * max(1.0, abs(a[1]), abs(b[1]))


def fmt(t):
    return "%.3f" % t if t < 10 else "%.1f" % t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engines", default="pantau,duckdb,polars,pandas,sqlite")
    args = ap.parse_args()
    engines = args.engines.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), DATA] + [str(s) for s in sizes], check=True)
    ensure_peers(engines)
    binary = None
    if "pantau" in engines:
        subprocess.run(["swift", "build", "-c", "release", "--product", "pantau"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        binary = os.path.join(ROOT, ".build", "release", "pantau")
    ok = True
    for n in sizes:
        results, peaks = {}, {}
        for e in engines:
            print("running %s on %d rows…" % (e, n), file=sys.stderr)
            if e == "pantau":
                results[e], peaks[e] = run_pantau(binary, n, args.runs)
            else:
                results[e], peaks[e] = run_peer(e, n, args.runs)
        peers = [e for e in engines if e != "pantau"]
        print("\n### %s rows (seconds, median of %d after 1 warm-up)\n" % (format(n, ","), args.runs))
        head = "| query | " + " | ".join(engines)
        if "pantau" in engines and peers:
            head += " | pantau / DuckDB | pantau / best peer | checksums |"
        print(head)
        print("|" + "---|" * (len(engines) + (4 if "pantau" in engines and peers else 1)))
        for q in QUERIES:
            med = {e: statistics.median(results[e][q]["times"]) for e in engines}
            base = results[engines[0]][q]["checksum"]
            same = all(agree(base, results[e][q]["checksum"]) for e in engines)
            ok = ok and same
            row = "| %s | " % q + " | ".join(fmt(med[e]) for e in engines)
            if "pantau" in engines and peers:
                best = min(med[e] for e in peers)
                duck = med.get("duckdb")
                row += " | %s | %s | %s |" % ("%.2f" % (med["pantau"] / duck) if duck else "-",
                                              "%.2f" % (med["pantau"] / best), "agree" if same else "DIFFER")
            print(row)
        print("| peak RSS (MiB) | " + " | ".join("%.0f" % peaks[e] for e in engines) + " |")
        if not ok:
            for q in QUERIES:
                print(q, {e: results[e][q]["checksum"] for e in engines}, file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
