"""The customer search index: bigrams for any Chinese fragment, pinyin initials, reversed phones.

SQLite FTS5's trigram tokenizer cannot match fragments under 3 characters, and a cashier
types two-character names (王芳) all day. So names and addresses are cut here into
overlapping bigrams (and name unigrams, for a surname alone), written space-separated into a
contentless FTS5 table whose ``unicode61`` tokenizer sees each bigram as one token; a query of
n characters becomes the phrase of its n-1 bigrams.

Addresses also carry tagged trigrams ("t12号"), after their bigrams in the same column: an
address fragment of 3+ characters is the phrase of its trigrams. Address bigrams are common
(路2, 6号, 单元 are each in a fifth of a hall), and a phrase of common bigrams that matches few
addresses (设路26号华) makes FTS5 leapfrog through tens of thousands of rows of every doclist;
trigrams are ten times rarer, so the leapfrog is ten times shorter. Pinyin initials (``zsm`` for 张三明)
include every reading of polyphonic characters, with surnames read as surnames (单 shan).
Phones are also stored reversed, so "last 4 digits" is an index range scan.

Every ORM write of an ``Account`` keeps the index in step (``install_listeners``); bulk
loaders call ``index_rows`` or ``rebuild``.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.orm import Session

FTS_TABLE = "account_search"
MAX_INITIAL_VARIANTS = 8

# Surnames whose surname reading differs from the common one (单 shàn, 曾 zēng, 解 xiè ...).
SURNAME_INITIALS = {
    "单": "s", "曾": "z", "解": "x", "区": "o", "仇": "q", "朴": "p", "查": "z", "盖": "g",
    "缪": "m", "覃": "q", "翟": "z", "种": "c", "尉": "w", "乐": "y", "员": "y", "繁": "p",
    "召": "s", "洗": "x", "秘": "b", "折": "s", "长": "z", "沈": "s", "重": "c", "藏": "z",
}
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "令狐", "慕容", "司徒", "夏侯", "长孙", "公孙", "宇文",
)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_NOT_INDEXED = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9]+")


def normalize(text: str | None) -> str:
    """NFKC, lower case, and only CJK characters, ASCII letters and digits kept."""
    return _NOT_INDEXED.sub("", unicodedata.normalize("NFKC", text or "").lower())


def bigrams(normalized: str) -> list[str]:
    return [normalized[i : i + 2] for i in range(len(normalized) - 1)]


def trigrams(normalized: str) -> list[str]:
    return [normalized[i : i + 3] for i in range(len(normalized) - 2)]


@lru_cache(maxsize=20000)
def _char_initials(ch: str) -> tuple[str, ...]:
    if not is_cjk(ch):
        return (ch,) if ch.isalnum() else ()
    from pypinyin import Style, pinyin

    letters = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    found = tuple(dict.fromkeys(l for l in (letters[0] if letters else []) if l.isalpha()))
    return found or ()


class _CharInitials(dict):
    """_char_initials of each character met, in a plain dict: looked up millions of times in a snapshot."""

    def __missing__(self, ch: str) -> tuple[str, ...]:
        found = self[ch] = _char_initials(ch)
        return found


_CHAR_INITIALS = _CharInitials()


@lru_cache(maxsize=200_000)
def name_initials(name: str | None) -> tuple[str, ...]:
    """Every plausible initials spelling of a name: 张三明 → ['zsm'], 单雪 → ['sx', ...]."""
    normalized = normalize(name)
    if not normalized:
        return ()
    choices = list(map(_CHAR_INITIALS.__getitem__, normalized))
    for index in (0, 1) if normalized[:2] in COMPOUND_SURNAMES else (0,):  # the surname's characters
        ch = normalized[index] if index < len(normalized) else ""
        if ch in SURNAME_INITIALS:
            options = (SURNAME_INITIALS[ch],) + tuple(o for o in choices[index] if o != SURNAME_INITIALS[ch])
            if index == 0 and ch in ("单", "曾", "解", "区", "仇", "朴", "查", "缪", "覃", "翟"):
                options = options[:1]  # as a surname these have one reading only
            choices[index] = options
    choices = [c for c in choices if c]
    if all(len(c) == 1 for c in choices):  # the usual name: one reading of each character, one spelling
        return ("".join(c[0] for c in choices)[:16],) if choices else ("",)
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_INITIAL_VARIANTS):
        variants.append("".join(combo)[:16])
    return tuple(dict.fromkeys(variants))


# Name and initials tokens carry a one-letter tag so that they never share a doclist with
# address tokens: "王芳" in a name is the token "n王芳". A name query then reads only name
# postings, however common its characters are in addresses (人民, 小区 ...).
# Address trigrams carry "t" so that a bigram phrase can never run on into them, nor they into it.
NAME_UNI_TAG, NAME_BI_TAG, INITIALS_TAG, ADDR_TRI_TAG = "u", "n", "p", "t"
# What ``account_tokens`` makes, as a number: raise it with any change to the tokens, so that an index built
# in part by the program before (a new terminal's snapshot staged before an upgrade) is not taken as this one's.
TOKENS_VERSION = 1
_add = operator.add


def account_tokens(name: str | None, address: str | None) -> tuple[str, str, str, str]:
    """The four FTS columns for an account: name unigrams, name bigrams, address bigrams then
    tagged address trigrams, initials.

    Made a million times in a snapshot: the n-grams are joined by ``str`` methods (C loops), never
    character by character in Python; the result is the same as tagging each of ``bigrams``/``trigrams``."""
    n = normalize(name)
    a = normalize(address)
    initials = name_initials(name)
    if len(a) > 2:
        pairs = list(map(_add, a, a[1:]))
        addr = " ".join(pairs) + " " + ADDR_TRI_TAG + (" " + ADDR_TRI_TAG).join(map(_add, pairs, a[2:]))
    else:
        addr = a if len(a) == 2 else ""
    return (
        NAME_UNI_TAG + (" " + NAME_UNI_TAG).join(n) if n else "",
        NAME_BI_TAG + (" " + NAME_BI_TAG).join(map(_add, n, n[1:])) if len(n) > 1 else "",
        addr,
        INITIALS_TAG + (" " + INITIALS_TAG).join(initials) if initials else "",
    )


def phrase(term: str, tag: str = "") -> str:
    """FTS5 phrase for a normalized term: its bigrams in order (or the character alone), tagged."""
    tokens = [term] if len(term) == 1 else bigrams(term)
    return '"' + " ".join((tag + t).replace('"', '""') for t in tokens) + '"'


def address_phrase(term: str) -> str:
    """FTS5 phrase for a normalized address fragment of 2+ characters: trigrams from 3 on."""
    if len(term) < 3:
        return phrase(term)
    return '"' + " ".join((ADDR_TRI_TAG + t).replace('"', '""') for t in trigrams(term)) + '"'


def optimize(conn: Connection) -> None:
    """Merge the index's segments into one after a bulk load: every lookup then probes one b-tree."""
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))


AUTOMERGE = 4  # FTS5's default


def _automerge(conn: Connection, value: int) -> None:
    """FTS5's merging of segments as they are written: off during a bulk load (``optimize`` merges them all
    once at the end, a quarter less work than merging as it goes), back to the default after it."""
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', {int(value)})"))


def restore_automerge(conn: Connection) -> None:
    """FTS5's merging as it writes, back on after a bulk load that turned it off (a snapshot's staged index)."""
    _automerge(conn, AUTOMERGE)


def reverse_phone(phone: str | None) -> str | None:
    if phone and phone.isascii() and phone.isdigit():  # the usual case, a million times in a snapshot
        return phone[::-1]
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())
    return digits[::-1] or None


_INSERT = text(
    f"INSERT INTO {FTS_TABLE}(rowid, name_uni, name_bi, addr_bi, py) VALUES (:id, :u, :b, :a, :p)"
)
_DELETE = text(
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_uni, name_bi, addr_bi, py) "
    "VALUES ('delete', :id, :u, :b, :a, :p)"
)


def _params(account_id: int, name: str | None, address: str | None) -> dict:
    u, b, a, p = account_tokens(name, address)
    return {"id": account_id, "u": u, "b": b, "a": a, "p": p}


def index_rows(conn: Connection, rows: Iterable[Sequence]) -> int:
    """Add ``(id, name, address)`` rows to the index; returns how many."""
    batch = [_params(r[0], r[1], r[2]) for r in rows]
    if batch:
        conn.execute(_INSERT, batch)
    return len(batch)


def unindex(conn: Connection, account_id: int, name: str | None, address: str | None) -> None:
    """Remove an account, given the name and address it was indexed with (contentless FTS5)."""
    conn.execute(_DELETE, _params(account_id, name, address))


def rebuild(conn: Connection, batch_size: int = 20000) -> int:
    """Drop and refill the whole index and the reversed phones from the accounts table."""
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
    _automerge(conn, 0)
    total, last_id = 0, 0
    while True:
        rows = conn.execute(
            text("SELECT id, name, address, phone FROM accounts WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last_id, "n": batch_size},
        ).all()
        if not rows:
            optimize(conn)
            _automerge(conn, AUTOMERGE)
            return total
        total += index_rows(conn, rows)
        conn.execute(
            text("UPDATE accounts SET phone_rev = :rev WHERE id = :id"),
            [{"id": r[0], "rev": reverse_phone(r[3])} for r in rows],
        )
        last_id = rows[-1][0]


def _token_rows(rows: list[tuple[int, str | None, str | None]]) -> list[tuple]:
    return [(account_id, *account_tokens(name, address)) for account_id, name, address in rows]


def rebuild_parallel(conn: Connection, chunk: int = 50_000) -> int:
    """``rebuild`` for a large table: the tokens (pinyin is the cost) made on every core at once."""
    # Plain tuples from the driver, in the same transaction: a million SQLAlchemy rows made into tuples cost a second.
    rows = conn.connection.driver_connection.execute("SELECT id, name, address FROM accounts ORDER BY id").fetchall()
    if len(rows) < 2 * chunk:
        return rebuild(conn)
    import multiprocessing
    import os

    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
    _automerge(conn, 0)
    parts = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    insert = f"INSERT INTO {FTS_TABLE}(rowid, name_uni, name_bi, addr_bi, py) VALUES (?, ?, ?, ?, ?)"
    with multiprocessing.get_context("spawn").Pool(max(1, min(4, os.cpu_count() or 1))) as pool:
        for tokens in pool.imap(_token_rows, parts):
            conn.exec_driver_sql(insert, tokens)
    optimize(conn)
    _automerge(conn, AUTOMERGE)
    return len(rows)


def _before_flush(session: Session, _context, _instances) -> None:
    from cashier.store.models import Account

    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Account):
            rev = reverse_phone(obj.phone)
            if obj.phone_rev != rev:
                obj.phone_rev = rev


def _after_flush(session: Session, _context) -> None:
    from cashier.store.models import Account

    conn = session.connection()
    for obj in session.new:
        if isinstance(obj, Account):
            index_rows(conn, [(obj.id, obj.name, obj.address)])
    for obj in session.dirty:
        if isinstance(obj, Account):
            state = inspect(obj)
            name_hist, addr_hist = state.attrs.name.history, state.attrs.address.history
            if name_hist.has_changes() or addr_hist.has_changes():
                old_name = name_hist.deleted[0] if name_hist.deleted else obj.name
                old_addr = addr_hist.deleted[0] if addr_hist.deleted else obj.address
                unindex(conn, obj.id, old_name, old_addr)
                index_rows(conn, [(obj.id, obj.name, obj.address)])
    for obj in session.deleted:
        if isinstance(obj, Account):
            unindex(conn, obj.id, obj.name, obj.address)


def install_listeners(session_class: type[Session]) -> None:
    """Keep the index in step with every ORM write of an Account made through ``session_class``."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)
