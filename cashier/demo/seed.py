"""``cashier-admin demo-seed``: a county hall's customers and a year of bills, deterministic by seed.

What a hall cashier would recognise: names with the real surname mix (many two-character
names), town / street / compound / building / unit / room addresses and village addresses,
10-digit account numbers grouped by supply station (供电所), 22-digit meter asset numbers,
mobile phones, mostly residential customers, 费控 prepaid-meter accounts, 低保 / 五保 /
elderly living alone / disabled households, transformer areas (台区) with their responsible
collectors, and 12 months of bills with seasonal consumption and the residential tiered
tariff (阶梯电价). About one account in six is in arrears: most only the latest bill, some
for months (the oldest across the year end), the worst disconnected; some have partly paid.

Speed matters (a million accounts in minutes): arrays are drawn with numpy, rows go in with
``executemany`` into a fresh file that replaces the target only when complete.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import Callable

import numpy as np

from cashier.demo import vocabulary as V
from cashier.errors import DomainError
from cashier.passwords import hash_password
from cashier.search_index import account_tokens
from cashier.store import faults, schema

log = logging.getLogger(__name__)

MONTHS = 12
# Residential tiered tariff per month (kWh bands) in 1/10000 yuan per kWh.
TIER1_KWH, TIER2_KWH = 180, 350
TIER_PRICES = (5283, 5783, 8283)
FLAT_PRICES = {"commercial": 6512, "industrial": 6105, "agricultural": 4860}
CLASSES = np.array(["residential", "commercial", "industrial", "agricultural"])
CLASS_SHARE = [0.88, 0.085, 0.01, 0.025]
# Seasonal factor by calendar month (index 1..12): air conditioning in summer, heating in winter.
SEASON = np.array([0, 1.35, 1.25, 0.95, 0.85, 0.9, 1.15, 1.55, 1.6, 1.1, 0.85, 0.95, 1.25])
AGRI_SEASON = np.array([0, 0.3, 0.3, 0.6, 1.0, 1.3, 1.6, 2.0, 1.8, 1.0, 0.6, 0.4, 0.3])


@dataclass(frozen=True)
class SeedReport:
    accounts: int
    bills: int
    accounts_in_arrears: int
    disconnected: int
    users: int
    seconds: float
    path: Path


def _periods(as_of: date) -> list[tuple[int, int]]:
    """The 12 billing months before ``as_of``'s month, oldest first."""
    y, m = as_of.year, as_of.month
    out = []
    for _ in range(MONTHS):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append((y, m))
    return out[::-1]


def _due(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 25)


def _luhn_sums(numbers: np.ndarray, first_position: int) -> np.ndarray:
    """Luhn partial sums of a (rows, len) digit matrix whose last digit sits ``first_position``
    places left of the check digit (1 = right next to it, which is doubled)."""
    width = numbers.shape[1]
    positions = first_position + np.arange(width - 1, -1, -1)  # distance from the check digit
    doubled = np.where(positions % 2 == 1, numbers * 2, numbers)
    return np.where(doubled > 9, doubled - 9, doubled).sum(axis=1)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


def _pick(rng: np.random.Generator, items: list, n: int, p=None) -> np.ndarray:
    return np.asarray(items, dtype=object)[rng.choice(len(items), size=n, p=p)]


def _names(rng: np.random.Generator, classes: np.ndarray, addresses_head: np.ndarray) -> list[str]:
    n = len(classes)
    weights = np.array([w for _, w in V.SURNAMES], dtype=float)
    surnames = _pick(rng, [s for s, _ in V.SURNAMES], n, weights / weights.sum())
    female = rng.random(n) < 0.5
    pools = (np.array(V.GIVEN_MALE, dtype=object), np.array(V.GIVEN_FEMALE, dtype=object))
    g1 = np.where(female, pools[1][rng.integers(0, len(pools[1]), n)], pools[0][rng.integers(0, len(pools[0]), n)])
    g2 = np.where(female, pools[1][rng.integers(0, len(pools[1]), n)], pools[0][rng.integers(0, len(pools[0]), n)])
    single = rng.random(n) < 0.38  # two-character names (王芳) are common
    shop_heads = _pick(rng, V.SHOP_HEADS, n)
    shop_kinds = _pick(rng, V.SHOP_KINDS, n)
    factories = _pick(rng, V.FACTORY_KINDS, n)
    farms = _pick(rng, V.FARM_KINDS, n)
    out = []
    for i in range(n):
        cls = classes[i]
        if cls == "residential":
            out.append(surnames[i] + g1[i] if single[i] else surnames[i] + g1[i] + g2[i])
        elif cls == "commercial":
            out.append(addresses_head[i] + shop_heads[i] + shop_kinds[i])
        elif cls == "industrial":
            out.append(addresses_head[i] + shop_heads[i] + factories[i])
        else:
            out.append(addresses_head[i] + farms[i] if rng.random() < 0.7 else surnames[i] + g1[i] + farms[i])
    return out


def generate(rows: int, seed: int, as_of: date) -> dict:
    """All column arrays for ``rows`` accounts and their 12 bills each (no I/O)."""
    rng = np.random.default_rng(seed)
    n = rows
    station_idx = np.sort(rng.choice(len(V.STATIONS), size=n, p=V.STATION_SHARE))
    # Serial within station keeps account numbers grouped and increasing with the id.
    first_of_station = np.searchsorted(station_idx, np.arange(len(V.STATIONS)))
    serial = np.arange(n) - first_of_station[station_idx] + 1
    station_codes = np.array([s[0] for s in V.STATIONS])[station_idx]
    account_ints = 3_000_000_000 + station_codes.astype(np.int64) * 10_000_000 + serial
    account_nos = [str(a) for a in account_ints.tolist()]

    rural = np.array([s[3] for s in V.STATIONS])[station_idx]
    towns = np.empty(n, dtype=object)
    for k, (_, _, station_towns, _) in enumerate(V.STATIONS):
        mask = station_idx == k
        towns[mask] = _pick(rng, station_towns, int(mask.sum()))
    # Urban: compound per street; rural: village. Compound / village index also drives the 台区.
    compound_h = rng.integers(0, len(V.COMPOUND_HEADS), n)
    compound_t = rng.integers(0, len(V.COMPOUND_TAILS), n)
    street = rng.integers(0, len(V.STREETS), n)
    street_no = rng.integers(1, 300, n)
    building = rng.integers(1, 31, n)
    unit = rng.integers(1, 5, n)
    floor = rng.integers(1, 19, n)
    room = rng.integers(1, 5, n)
    village = rng.integers(0, len(V.VILLAGE_HEADS), n)
    group = rng.integers(1, 13, n)
    house = rng.integers(1, 120, n)
    really_rural = rural & (rng.random(n) < 0.8)  # township seats have compounds too
    addresses, heads, areas = [], [], []
    for i in range(n):
        if really_rural[i]:
            v = V.VILLAGE_HEADS[village[i]]
            addresses.append(f"{towns[i]}{v}村{group[i]}组{house[i]}号")
            heads.append(v)
            areas.append(f"{v}村{1 + group[i] % 3}号台区")
        else:
            compound = V.COMPOUND_HEADS[compound_h[i]] + V.COMPOUND_TAILS[compound_t[i]]
            addresses.append(
                f"{towns[i]}{V.STREETS[street[i]]}{street_no[i]}号{compound}"
                f"{building[i]}栋{unit[i]}单元{floor[i]}{room[i]:02d}室"
            )
            heads.append(V.STREETS[street[i]][:2])
            areas.append(f"{compound}{1 + building[i] % 2}号台区")
    heads_arr = np.array(heads, dtype=object)

    cls_idx = rng.choice(4, size=n, p=CLASS_SHARE)
    classes = CLASSES[cls_idx]
    names = _names(rng, classes, heads_arr)

    phone_prefix = _pick(rng, V.MOBILE_PREFIXES, n)
    phone_tail = rng.integers(0, 10**8, n)
    has_phone = rng.random(n) > 0.05
    phones = [f"{p}{t:08d}" if h else None for p, t, h in zip(phone_prefix, phone_tail.tolist(), has_phone.tolist())]
    meter_serial = rng.permutation(n) + 10**12
    meters = [f"3330001{m:015d}" for m in meter_serial.tolist()]

    residential = cls_idx == 0
    prepaid_meter = np.where(residential, rng.random(n) < 0.30, rng.random(n) < np.where(cls_idx == 1, 0.25, 0.05))
    special_draw = rng.random(n)
    special = np.full(n, None, dtype=object)
    special[residential & (special_draw < 0.012)] = "dibao"
    special[residential & (special_draw >= 0.012) & (special_draw < 0.015)] = "wubao"
    special[residential & (special_draw >= 0.015) & (special_draw < 0.028)] = "elderly_alone"
    special[residential & (special_draw >= 0.028) & (special_draw < 0.035)] = "disabled"

    # Responsible collectors: each station has 3-5, each 台区 belongs to one.
    collectors_of_station = []
    pool = list(V.COLLECTOR_NAMES)
    for k in range(len(V.STATIONS)):
        count = 3 + k % 3
        collectors_of_station.append(pool[:count])
        pool = pool[count:] + pool[:count]
    owner: dict[tuple[int, str], str] = {}
    collectors = []
    for s, a in zip(station_idx.tolist(), areas):
        who = owner.get((s, a))
        if who is None:
            who = owner[(s, a)] = collectors_of_station[s][hash_stable(a) % len(collectors_of_station[s])]
        collectors.append(who)

    # --- bills --------------------------------------------------------------------------
    periods = _periods(as_of)
    month_of = np.array([m for _, m in periods])
    base = np.exp(rng.normal(np.log(np.array([140, 900, 30000, 600]))[cls_idx], np.array([0.5, 0.8, 0.7, 0.9])[cls_idx]))
    season = np.where((cls_idx == 3)[:, None], AGRI_SEASON[month_of][None, :], SEASON[month_of][None, :])
    vacant = residential & (rng.random(n) < 0.03)
    kwh = np.rint(base[:, None] * season * np.exp(rng.normal(0, 0.15, (n, MONTHS)))).astype(np.int64)
    kwh[vacant] = rng.integers(0, 6, (int(vacant.sum()), MONTHS))
    t1 = np.minimum(kwh, TIER1_KWH)
    t2 = np.clip(kwh - TIER1_KWH, 0, TIER2_KWH - TIER1_KWH)
    t3 = np.maximum(kwh - TIER2_KWH, 0)
    tiered = t1 * TIER_PRICES[0] + t2 * TIER_PRICES[1] + t3 * TIER_PRICES[2]
    flat = kwh * np.array([0, FLAT_PRICES["commercial"], FLAT_PRICES["industrial"], FLAT_PRICES["agricultural"]])[cls_idx][:, None]
    ten_thousandths = np.where(residential[:, None], tiered, flat)
    principal = (ten_thousandths + 50) // 100  # 1/10000 yuan → fen, half up

    # Arrears: how many of the latest bills are unpaid.
    draw = rng.random(n) * np.where(prepaid_meter, 2.0, 1.0)  # 费控 customers fall behind less
    unpaid = np.zeros(n, dtype=np.int64)
    unpaid[draw < 0.10] = 1
    unpaid[draw < 0.045] = rng.integers(2, 4, int((draw < 0.045).sum()))
    unpaid[draw < 0.025] = rng.integers(4, 9, int((draw < 0.025).sum()))
    unpaid[draw < 0.012] = rng.integers(9, 13, int((draw < 0.012).sum()))
    month_index = np.arange(MONTHS)[None, :]
    is_unpaid = month_index >= (MONTHS - unpaid)[:, None]
    outstanding = np.where(is_unpaid, principal, 0)
    # Some paid part of their oldest unpaid bill, penalty settled to that day.
    oldest = MONTHS - unpaid
    oldest_principal = principal[np.arange(n), np.minimum(oldest, MONTHS - 1)]
    partial = (unpaid > 0) & (rng.random(n) < 0.15) & (oldest_principal >= 200)
    rows_p = np.nonzero(partial)[0]
    settled_days = np.zeros(n, dtype=np.int64)
    if len(rows_p):
        cols = oldest[rows_p]
        share = rng.uniform(0.2, 0.8, len(rows_p))
        outstanding[rows_p, cols] = np.maximum(1, (principal[rows_p, cols] * share).astype(np.int64))
        settled_days[rows_p] = rng.integers(1, 20, len(rows_p))
    # Never any debt on a zero bill.
    outstanding = np.minimum(outstanding, principal)
    disconnected = ((unpaid >= 9) & (rng.random(n) < 0.6)) | ((unpaid >= 4) & (unpaid < 9) & (rng.random(n) < 0.2))
    in_arrears = outstanding.sum(axis=1) > 0
    balance_chance = np.where(prepaid_meter, 0.6, 0.12)
    has_balance = ~in_arrears & (rng.random(n) < balance_chance)
    balance = np.where(has_balance, (np.exp(rng.normal(np.log(100), 0.9, n))).astype(np.int64) * 100, 0)

    # Meter readings (起码/止码) in hundredths of a kWh: each bill's end is the next one's start and
    # end − start is its kWh; the register starts somewhere from the account number, and every other
    # account has an electronic meter that shows hundredths (``reading_text``).
    start = ((account_ints * 7919) % 90_000 + 1000) * 100 + np.where(account_ints % 2 == 1, account_ints % 100, 0)
    reading_end = start[:, None] + np.cumsum(kwh, axis=1) * 100

    # Bill barcodes: account number + period + Luhn digit, computed for all bills at once.
    # The Luhn sum splits into an account part and a period part, so no 16-digit matrix is needed.
    period_strs = [f"{y}{m:02d}" for y, m in periods]
    period_sums = _luhn_sums(_digits(np.array([int(p) for p in period_strs]), 6), 1)
    account_sums = _luhn_sums(_digits(account_ints, 10), 7)
    checks = (10 - (account_sums[:, None] + period_sums[None, :]) % 10) % 10

    return dict(
        n=n, account_nos=account_nos, names=names, addresses=addresses, phones=phones, meters=meters,
        classes=classes, prepaid_meter=prepaid_meter, disconnected=disconnected, special=special,
        stations=[V.STATIONS[s][1] for s in station_idx.tolist()], areas=areas, collectors=collectors,
        balance=balance, periods=period_strs, dues=[_due(y, m) for y, m in periods], kwh=kwh, reading_end=reading_end,
        principal=principal, outstanding=outstanding, partial=partial, oldest=oldest,
        settled_days=settled_days, checks=checks, in_arrears=in_arrears,
    )


def hash_stable(text: str) -> int:
    """A hash that is the same in every process (Python's str hash is salted)."""
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) & 0xFFFFFFFF
    return value


def _existing_data(path: Path) -> int:
    if not path.exists():
        return 0
    state = schema.probe(path)
    if not state.has_tables:
        return 0
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("accounts", "users", "payments", "shifts"))
    finally:
        conn.close()


def seed_database(
    path: Path,
    accounts: int,
    seed: int = 1,
    as_of: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Build a demo database of ``accounts`` customers at ``path`` (which must hold no data)."""
    if accounts < 1 or accounts > 5_000_000:
        raise DomainError("seed.bad_count", count=accounts)
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    schema.ensure_data_dir(path.parent)
    if _existing_data(path):
        raise DomainError("seed.not_empty", file=str(path))
    as_of = as_of or date.today()
    tmp = path.with_name(path.name + ".seeding")
    leftovers = (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        bills, data, users = _build(tmp, path, accounts, seed, as_of, started, say)
    except BaseException as exc:
        for leftover in leftovers:  # a full disk or an interrupt leaves no half-built database behind
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        error = faults.store_error(exc, tmp) if isinstance(exc, (OSError, sqlite3.Error)) else None
        if error is not None:
            raise error from None
        raise
    seconds = time.perf_counter() - started
    return SeedReport(
        accounts=accounts, bills=bills, accounts_in_arrears=int(data["in_arrears"].sum()),
        disconnected=int(data["disconnected"].sum()), users=users, seconds=seconds, path=path,
    )


def _build(tmp: Path, path: Path, accounts: int, seed: int, as_of: date, started: float,
           say: Callable[[str], None]) -> tuple[int, dict, int]:
    """Load the demo hall into ``tmp`` and move it to ``path`` once complete."""
    schema.upgrade(tmp)
    say("schema ready")
    data = generate(accounts, seed, as_of)
    say(f"generated {accounts} accounts in {time.perf_counter() - started:.1f}s")
    # Search tokens are pure Python work: other cores make them while SQLite loads the rows.
    tokens = _start_tokens(data["names"], data["addresses"])
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN")
        # Secondary indexes are built once after the load (a sort) rather than row by row.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('accounts', 'bills')"
        ).fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        _insert_accounts(conn, data, as_of)
        say(f"accounts in {time.perf_counter() - started:.1f}s")
        bills = _insert_bills(conn, data, as_of)
        say(f"{bills} bills in {time.perf_counter() - started:.1f}s")
        for _name, sql in indexes:
            conn.execute(sql)
        say(f"indexes in {time.perf_counter() - started:.1f}s")
        _insert_index(conn, data, tokens)
        say(f"search index in {time.perf_counter() - started:.1f}s")
        users = _insert_users(conn)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    finally:
        conn.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    for leftover in (Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(tmp, path)
    return bills, data, users


def _insert_accounts(conn: sqlite3.Connection, d: dict, as_of: date) -> None:
    now = datetime.combine(as_of, datetime.min.time()).strftime("%Y-%m-%d %H:%M:%S.000000")
    rows = zip(
        range(1, d["n"] + 1), d["account_nos"], d["names"], d["addresses"], d["phones"],
        (p[::-1] if p else None for p in d["phones"]), d["meters"], d["classes"].tolist(),
        d["prepaid_meter"].astype(int).tolist(),
        ("disconnected" if x else "normal" for x in d["disconnected"].tolist()),
        d["special"].tolist(), d["stations"], d["areas"], d["collectors"], d["balance"].tolist(),
        repeat(1), repeat(now),
    )
    columns = (
        "id, account_no, name, address, phone, phone_rev, meter_no, customer_class, prepaid_meter, "
        "supply_status, special_group, station, transformer_area, collector, prepaid_balance_fen, "
        "version, updated_at"
    )
    # Bound into a bare temp table and copied inside SQLite: binding straight into the
    # constrained table costs the driver about twice as much per row.
    conn.execute(f"CREATE TEMP TABLE seed_accounts AS SELECT {columns} FROM accounts WHERE 0")
    conn.executemany(f"INSERT INTO seed_accounts VALUES ({','.join('?' * 17)})", rows)
    conn.execute(f"INSERT INTO accounts ({columns}) SELECT * FROM seed_accounts ORDER BY id")
    conn.execute("DROP TABLE seed_accounts")


_FIELDS = (("kwh", 8), ("principal", 11), ("outstanding", 11), ("checks", 1), ("reading_end", 12))
_MONTH_WIDTH = sum(w for _, w in _FIELDS)


def _pack(d: dict, lo: int, hi: int) -> list[bytes]:
    """Each account's 12 bills as one fixed-width ASCII-digit blob, built with numpy."""
    count = hi - lo
    out = np.empty((count, MONTHS, _MONTH_WIDTH), dtype=np.uint8)
    offset = 0
    for key, width in _FIELDS:
        values = d[key][lo:hi].astype(np.int64)
        for j in range(width):
            out[:, :, offset + j] = (values // 10 ** (width - 1 - j)) % 10 + 48
        offset += width
    return out.reshape(count, MONTHS * _MONTH_WIDTH).view(f"S{MONTHS * _MONTH_WIDTH}").ravel().tolist()


def reading_text(account_no: int, centi: int) -> str:
    """A reading in hundredths as the meter shows it: hundredths on the electronic meters (odd account numbers)."""
    return f"{centi // 100}.{centi % 100:02d}" if account_no % 2 else str(centi // 100)


def _reading_sql(centi: str) -> str:
    """``reading_text`` in SQL, for the bills SQLite expands (the account number is ``a.account_no``)."""
    return (f"CASE WHEN CAST(a.account_no AS INTEGER) % 2 = 1 THEN printf('%d.%02d', ({centi}) / 100, ({centi}) % 100)"
            f" ELSE CAST(({centi}) / 100 AS TEXT) END")


def _insert_bills(conn: sqlite3.Connection, d: dict, as_of: date, chunk: int = 100_000) -> int:
    """12 bills per account: Python binds one packed row per account, SQLite unpacks the twelve.

    Binding 12 million rows one by one costs ~3 µs each in the driver; this way the expansion
    runs inside SQLite and the bills arrive in key order.
    """
    n = d["n"]
    conn.execute("CREATE TEMP TABLE seed_months (idx INTEGER PRIMARY KEY, period TEXT, due TEXT)")
    conn.executemany(
        "INSERT INTO seed_months VALUES (?,?,?)",
        [(m, p, due.isoformat()) for m, (p, due) in enumerate(zip(d["periods"], d["dues"]))],
    )
    # BLOB, not TEXT: substr() on a blob jumps to the offset, on text it walks the characters.
    conn.execute("CREATE TEMP TABLE seed_stage (account_id INTEGER PRIMARY KEY, packed BLOB)")
    w = _MONTH_WIDTH
    expand = f"""
        INSERT INTO bills (id, bill_no, account_id, period, kwh, principal_fen, due_date,
                           outstanding_fen, penalty_settled_through, version, reading_start, reading_end)
        SELECT (s.account_id - 1) * {MONTHS} + m.idx + 1,
               a.account_no || m.period || CAST(substr(s.packed, m.idx * {w} + 31, 1) AS TEXT),
               s.account_id, m.period,
               CAST(substr(s.packed, m.idx * {w} + 1, 8) AS INTEGER),
               CAST(substr(s.packed, m.idx * {w} + 9, 11) AS INTEGER),
               m.due,
               CAST(substr(s.packed, m.idx * {w} + 20, 11) AS INTEGER),
               NULL, 1,
               {_reading_sql(f"CAST(substr(s.packed, m.idx * {w} + 32, 12) AS INTEGER) - 100 * CAST(substr(s.packed, m.idx * {w} + 1, 8) AS INTEGER)")},
               {_reading_sql(f"CAST(substr(s.packed, m.idx * {w} + 32, 12) AS INTEGER)")}
        FROM seed_stage AS s CROSS JOIN seed_months AS m CROSS JOIN accounts AS a
        WHERE a.id = s.account_id"""
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        conn.execute("DELETE FROM seed_stage")
        conn.executemany("INSERT INTO seed_stage VALUES (?, ?)", zip(range(lo + 1, hi + 1), _pack(d, lo, hi)))
        conn.execute(expand)
    conn.execute("DROP TABLE seed_stage")
    conn.execute("DROP TABLE seed_months")
    # Partly paid bills: penalty settled through the day of that payment.
    settled = []
    for i in np.nonzero(d["partial"])[0].tolist():
        m = int(d["oldest"][i])
        day = min(d["dues"][m].toordinal() + int(d["settled_days"][i]), as_of.toordinal())
        settled.append((date.fromordinal(day).isoformat(), i * MONTHS + m + 1))
    conn.executemany("UPDATE bills SET penalty_settled_through = ? WHERE id = ?", settled)
    return n * MONTHS


def _tokens_chunk(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    return [account_tokens(name, address) for name, address in pairs]


class _Tokens:
    """Token rows for the search index, made in worker processes when the load is large."""

    CHUNK = 50_000

    def __init__(self, names: list[str], addresses: list[str]) -> None:
        pairs = list(zip(names, addresses))
        self._chunks = [pairs[i : i + self.CHUNK] for i in range(0, len(pairs), self.CHUNK)]
        self._pool = None
        self._async = None
        if len(self._chunks) > 2 and (os.cpu_count() or 1) > 1:
            import multiprocessing

            # One worker: the loading process keeps a core of its own.
            self._pool = multiprocessing.get_context("spawn").Pool(1)
            self._async = self._pool.map_async(_tokens_chunk, self._chunks)

    def rows(self):
        if self._async is None:
            results = map(_tokens_chunk, self._chunks)
        else:
            results = self._async.get()
            self._pool.close()
            self._pool.join()
        account_id = 0
        for chunk in results:
            for tokens in chunk:
                account_id += 1
                yield (account_id, *tokens)


def _start_tokens(names: list[str], addresses: list[str]) -> _Tokens:
    return _Tokens(names, addresses)


def _insert_index(conn: sqlite3.Connection, d: dict, tokens: _Tokens) -> None:
    conn.executemany(
        "INSERT INTO account_search (rowid, name_uni, name_bi, addr_bi, py) VALUES (?,?,?,?,?)", tokens.rows()
    )


def _insert_users(conn: sqlite3.Connection) -> int:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    for username, display, role, password in V.DEMO_USERS:
        conn.execute(
            "INSERT INTO users (username, display_name, role, password_hash, must_change_password, "
            "failed_attempts, locked_until, active, created_at) VALUES (?,?,?,?,0,0,NULL,1,?)",
            (username, display, role, hash_password(password), now),
        )
    return len(V.DEMO_USERS)
