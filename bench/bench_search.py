"""Customer lookup at hall scale: p50/p99 per query kind, against a plain LIKE scan.

    python bench/bench_search.py                 # seeds 1,000,000 accounts into bench/out/ first
    python bench/bench_search.py --accounts 100000
    python bench/bench_search.py --db path/to/cashier.db
    python bench/bench_search.py --best-of 5           # each query's fastest of 5 runs: a busy machine's noise out

Prints the database size, every query kind's latency through ``cashier.search.search`` (what
the counter screen calls, result rows included), the same lookups done with
``LIKE '%…%'``, and the peak memory of this process. Figures, not pass/fail: the target is
p99 <= 10 ms for every kind. A database cached by an older version is upgraded on open (a
schema change that reindexes, like schema 5's address trigrams, takes about a minute at 1M).
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cashier.demo.seed import seed_database  # noqa: E402
from cashier.search import search  # noqa: E402
from cashier.search_index import name_initials  # noqa: E402
from cashier.store import Store  # noqa: E402

AS_OF = date(2026, 11, 27)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def samples(conn: sqlite3.Connection, count: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(query, LIKE-equivalent SQL) pairs per kind, drawn from the data itself."""
    n = conn.execute("SELECT max(id) FROM accounts").fetchone()[0]
    ids = [rng.randint(1, n) for _ in range(count * 4)]
    rows = {r[0]: r for r in conn.execute(
        f"SELECT id, account_no, name, address, phone, meter_no, customer_class FROM accounts "
        f"WHERE id IN ({','.join(map(str, set(ids)))})")}
    people = [rows[i] for i in ids if i in rows and rows[i][6] == "residential"]
    bills = [r[0] for r in conn.execute(
        f"SELECT bill_no FROM bills WHERE id IN ({','.join(str(rng.randint(1, n * 12)) for _ in range(count))})")]
    q = lambda s: s.replace("'", "''")  # noqa: E731
    out: dict[str, list[tuple[str, str]]] = {
        "account (exact)": [(r[1], f"account_no LIKE '%{r[1]}%'") for r in people[:count]],
        "account prefix (7)": [(r[1][:7], f"account_no LIKE '{r[1][:7]}%'") for r in people[:count]],
        "bill barcode": [(b, f"account_no LIKE '%{b[:10]}%'") for b in bills[:count]],
        "meter number": [(r[5], f"meter_no LIKE '%{r[5]}%'") for r in people[:count]],
        "phone (full)": [(r[4], f"phone LIKE '%{r[4]}%'") for r in people if r[4]][:count],
        "phone (last 4)": [(r[4][-4:], f"phone LIKE '%{r[4][-4:]}'") for r in people if r[4]][:count],
        "name (2 chars)": [(r[2], f"name LIKE '%{q(r[2])}%'") for r in people if len(r[2]) == 2][:count],
        "name (3 chars)": [(r[2], f"name LIKE '%{q(r[2])}%'") for r in people if len(r[2]) == 3][:count],
        "name (1 char)": [(r[2][0], f"name LIKE '%{r[2][0]}%'") for r in people[:count]],
        "given name (2 of 3)": [(r[2][1:], f"name LIKE '%{q(r[2][1:])}%'") for r in people if len(r[2]) == 3][:count],
        "address fragment": [],
        "pinyin initials": [(name_initials(r[2])[0], "") for r in people if name_initials(r[2])][:count],
        "name + address": [],
    }
    for r in people[:count]:
        address = r[3]
        start = rng.randint(0, max(0, len(address) - 6))
        fragment = address[start : start + rng.randint(2, 6)]
        out["address fragment"].append((fragment, f"address LIKE '%{q(fragment)}%'"))
        word = address[3:6]
        out["name + address"].append((f"{r[2]} {word}", f"name LIKE '%{q(r[2])}%' AND address LIKE '%{q(word)}%'"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--like-samples", type=int, default=15)
    parser.add_argument("--best-of", type=int, default=1, help="time each query N times, keep the fastest")
    args = parser.parse_args()

    path = args.db
    if path is None:
        path = ROOT / "bench" / "out" / f"hall-{args.accounts}" / "cashier.db"
        if not path.exists():
            print(f"seeding {args.accounts:,} accounts into {path} ...", flush=True)
            report = seed_database(path, args.accounts, seed=1, as_of=AS_OF)
            print(f"seeded in {report.seconds:.1f} s ({report.bills:,} bills)")
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    raw = sqlite3.connect(path)
    accounts = raw.execute("SELECT count(*) FROM accounts").fetchone()[0]
    print(f"database: {path}  accounts: {accounts:,}  size: {size / 2**20:,.0f} MiB")
    rng = random.Random(42)
    kinds = samples(raw, args.samples, rng)

    store = Store.open(path)
    print(f"\n{'query kind':<22}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'hits':>6}   "
          f"{'LIKE p50':>9}{'LIKE p99':>9}")
    worst = 0.0
    with store.read() as session:
        for query, _ in list(kinds["name (2 chars)"])[:20]:  # warm the connection
            search(session, query)
        for kind, pairs in kinds.items():
            timings, hits = [], []
            for query, _ in pairs:
                best = float("inf")
                for _ in range(max(1, args.best_of)):
                    t = time.perf_counter()
                    result = search(session, query)
                    best = min(best, (time.perf_counter() - t) * 1000)
                timings.append(best)
                hits.append(len(result.hits))
            like = []
            for _, condition in pairs[: args.like_samples]:
                if not condition:
                    continue
                t = time.perf_counter()
                raw.execute(f"SELECT id FROM accounts WHERE {condition} LIMIT 21").fetchall()
                like.append((time.perf_counter() - t) * 1000)
            p99 = percentile(timings, 0.99)
            worst = max(worst, p99)
            like_text = f"{percentile(like, 0.5):9.1f}{percentile(like, 0.99):9.1f}" if like else f"{'-':>9}{'-':>9}"
            print(f"{kind:<22}{len(timings):>5}{statistics.median(timings):9.2f}{p99:9.2f}{max(timings):9.2f}"
                  f"{statistics.mean(hits):6.1f}   {like_text}")
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nworst p99: {worst:.2f} ms (target <= 10 ms)   peak memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
