#!/usr/bin/env python3
"""db-benchmark's data, made anew (../shared/dbbench/QUESTIONS.md §1): the distributions of
the R generators, seeded, with numpy (it does not replay R's random stream, so the published
checksums differ; every engine here reads the same files).

    python3 Benchmarks/dbbench/generate.py groupby 1e7 [K] [NAS] [SORT]   # G1_1e7_1e2_0_0.csv
    python3 Benchmarks/dbbench/generate.py join 1e7                       # J1_1e7_*.csv

Files go to Benchmarks/data/dbbench/ and are not made again when present.
"""
import os, sys
import numpy as np
import polars as pl

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "dbbench")


def pretty(n):
    e = int(round(np.log10(n)))
    return "1e%d" % e if 10 ** e == n else str(int(n))


def ids(prefix, values, width):
    s = pl.Series(values, dtype=pl.Int64).cast(pl.Utf8)
    return (prefix + s.str.zfill(width)) if width else (prefix + s)


def groupby(n, k, nas, sort):
    name = "G1_%s_%s_%d_%d.csv" % (pretty(n), pretty(k), nas, sort)
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(108)
    nk = max(1, n // k)
    cols = {
        "id1": rng.integers(1, k + 1, n), "id2": rng.integers(1, k + 1, n),
        "id3": rng.integers(1, nk + 1, n), "id4": rng.integers(1, k + 1, n),
        "id5": rng.integers(1, k + 1, n), "id6": rng.integers(1, nk + 1, n),
        "v1": rng.integers(1, 6, n), "v2": rng.integers(1, 16, n),
        "v3": np.round(rng.uniform(0, 100, n), 6),
    }
    df = pl.DataFrame({c: pl.Series(v) for c, v in cols.items()})
    if nas > 0:
        # Whole id values become null (as many as NAS % of the distinct ones, in order of
        # first appearance), then NAS % of the rows of each of v1, v2, v3.
        for c in ["id1", "id2", "id3", "id4", "id5", "id6"]:
            distinct = df[c].unique(maintain_order=True).to_numpy()
            drop = rng.choice(distinct, int(len(distinct) * nas / 100), replace=False)
            df = df.with_columns(pl.when(pl.col(c).is_in(drop)).then(None).otherwise(pl.col(c)).alias(c))
        for c in ["v1", "v2", "v3"]:
            rows = rng.choice(n, int(n * nas / 100), replace=False)
            mask = np.zeros(n, dtype=bool)
            mask[rows] = True
            df = df.with_columns(pl.when(pl.Series(mask)).then(None).otherwise(pl.col(c)).alias(c))
    df = df.with_columns(
        ids("id", df["id1"], 3).alias("id1"), ids("id", df["id2"], 3).alias("id2"),
        ids("id", df["id3"], 10).alias("id3"))
    if sort:
        df = df.sort(["id1", "id2", "id3", "id4", "id5", "id6"], nulls_last=False)
    os.makedirs(OUT, exist_ok=True)
    df.write_csv(path + ".tmp")
    os.replace(path + ".tmp", path)
    return path


def sample_all(rng, v, size):
    extra = rng.choice(v, size - len(v), replace=True) if size > len(v) else np.array([], dtype=v.dtype)
    out = np.concatenate([v, extra])
    rng.shuffle(out)
    return out


def join(n):
    names = ["J1_%s_NA_0_0.csv" % pretty(n)] + ["J1_%s_%s_0_0.csv" % (pretty(n), pretty(m)) for m in (n // 10**6, n // 10**3, n)]
    paths = [os.path.join(OUT, x) for x in names]
    if all(os.path.exists(p) for p in paths):
        return paths
    rng = np.random.default_rng(108)
    spaces = []
    for m in (n // 10**6, n // 10**3, n):
        perm = rng.permutation(np.arange(1, int(m * 1.1) + 1))
        spaces.append((perm[: int(m * 0.9)], perm[int(m * 0.9): m], perm[m:]))
    x = pl.DataFrame({
        "id1": sample_all(rng, np.concatenate(spaces[0][:2]), n),
        "id2": sample_all(rng, np.concatenate(spaces[1][:2]), n),
        "id3": sample_all(rng, np.concatenate(spaces[2][:2]), n),
    })
    x = x.with_columns(ids("id", x["id1"], 0).alias("id4"), ids("id", x["id2"], 0).alias("id5"),
                       ids("id", x["id3"], 0).alias("id6"),
                       pl.Series("v1", np.round(rng.uniform(0, 100, n), 6)))
    tables = [x]
    for level, m in enumerate((n // 10**6, n // 10**3, n)):
        cols = {}
        for j in range(level + 1):
            both, _, right = spaces[j]
            cols["id%d" % (j + 1)] = sample_all(rng, np.concatenate([both, right]), m)
        t = pl.DataFrame(cols)
        t = t.with_columns([ids("id", t["id%d" % (j + 1)], 0).alias("id%d" % (j + 4)) for j in range(level + 1)])
        t = t.with_columns(pl.Series("v2", np.round(rng.uniform(0, 100, m), 6)))
        tables.append(t)
    os.makedirs(OUT, exist_ok=True)
    for t, p in zip(tables, paths):
        t.write_csv(p + ".tmp")
        os.replace(p + ".tmp", p)
    return paths


if __name__ == "__main__":
    task, n = sys.argv[1], int(float(sys.argv[2]))
    if task == "groupby":
        k = int(float(sys.argv[3])) if len(sys.argv) > 3 else 100
        nas = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        sort = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        print(groupby(n, k, nas, sort))
    else:
        print("\n".join(join(n)))
