#!/usr/bin/env python3
"""Reading and writing Excel workbooks: pantau against openpyxl and python-calamine
(pip install openpyxl python-calamine), in one run, on the same files.

    python3 Benchmarks/xlsx.py                 # 100,000 rows x 6 columns, 5 runs
    python3 Benchmarks/xlsx.py --rows 20000 --runs 3

Two workbooks are written once by openpyxl (so neither is pantau's own): one with shared
strings, as Excel and LibreOffice save them, and one with inline strings, as openpyxl's
write-only mode does. Each reader loads the first sheet into memory (pantau: `.load`, timed
by `--timer`; the Python readers: every cell's value in lists). Writing: pantau's `save
"x.xlsx"` of the loaded table against openpyxl's write-only mode. Medians of the runs
after one warm-up; every reader's sum of the numeric cells and count of rows must agree.
DuckDB's excel extension cannot be installed here (no network to its extension server),
so it is not in the table.
"""
import argparse, os, random, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make(path, rows, shared):
    import openpyxl
    wb = openpyxl.Workbook(write_only=not shared)
    ws = wb.active if shared else wb.create_sheet("data")
    if shared:
        ws.title = "data"
    random.seed(7)
    ws.append(["id", "region", "year", "score", "ratio", "zone"])
    for i in range(rows):
        ws.append([i, "R%03d" % random.randrange(500), 2015 + random.randrange(10),
                   random.randrange(100), round(random.random() * 100, 2),
                   random.choice(["hijau", "kuning", "merah"])])
    wb.save(path)


def check(rows):
    total = 0.0
    for r in rows[1:]:
        for v in r:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                total += v
    return len(rows) - 1, round(total, 2)


def openpyxl_read(path):
    import openpyxl
    t = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    return time.perf_counter() - t, check(rows)


def calamine_read(path):
    from python_calamine import CalamineWorkbook
    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    return time.perf_counter() - t, check(rows)


def pantau(binary, path, runs, out):
    lines = ['.load "%s" as t' % path] * (runs + 1)
    lines += ['t | save "%s"' % out] * (runs + 1)
    lines.append('t | group (n = count(), a = sum(id) + sum(year) + sum(score), r = sum(ratio))')
    p = subprocess.run([binary, "--no-builtin", "--timer", "--format", "csv"],
                       input="\n".join(lines) + "\n", capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("pantau failed: " + p.stderr)
    times = [float(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("time:")]
    reads, writes = times[1:runs + 1], times[runs + 2:2 * runs + 2]
    n, a, r = p.stdout.strip().splitlines()[-1].split(",")
    return reads, writes, (int(n), round(float(a) + float(r), 2))


def openpyxl_write(rows, path):
    import openpyxl
    t = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("t")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "pantau"], cwd=ROOT,
                   check=True, capture_output=True)
    binary = os.path.join(ROOT, ".build/release/pantau")
    tmp = tempfile.mkdtemp(prefix="pantau-xlsx-")
    print("| workbook (%d rows x 6) | pantau | openpyxl | calamine | pantau / openpyxl |" % args.rows)
    print("|---|---|---|---|---|")
    for shared in (True, False):
        path = os.path.join(tmp, "shared.xlsx" if shared else "inline.xlsx")
        make(path, args.rows, shared)
        reads, writes, mine = pantau(binary, path, args.runs, os.path.join(tmp, "out.xlsx"))
        results = {"openpyxl": [], "calamine": []}
        for name, fn in (("openpyxl", openpyxl_read), ("calamine", calamine_read)):
            for i in range(args.runs + 1):
                t, c = fn(path)
                if c != mine:
                    sys.exit("%s read %s, pantau %s" % (name, c, mine))
                if i > 0:
                    results[name].append(t)
        p, o, c = statistics.median(reads), statistics.median(results["openpyxl"]), statistics.median(results["calamine"])
        print("| read, %s strings | %.3f s | %.3f s | %.3f s | %.2f |" % (
            "shared" if shared else "inline", p, o, c, p / o))
    import openpyxl
    rows = [list(r) for r in openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    w = [openpyxl_write(rows, os.path.join(tmp, "py.xlsx")) for _ in range(args.runs + 1)][1:]
    print("| write | %.3f s | %.3f s | | %.2f |" % (
        statistics.median(writes), statistics.median(w), statistics.median(writes) / statistics.median(w)))


if __name__ == "__main__":
    main()
