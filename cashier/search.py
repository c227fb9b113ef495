"""One query box for the counter: whatever the cashier typed or scanned finds the customer.

Understood, in this order of rank: a full account number (户号), a bill's barcode, a meter
number, a full phone number, an account-number prefix, the last 4+ digits of a phone, pinyin
initials (``zsm`` for 张三明), and any fragment of a name or address of one or more Chinese
characters (several fragments separated by spaces must all match). Every path is an index
lookup with a cap: no input, however odd, causes a table scan or an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from cashier.privacy import mask_name, mask_phone, phone_for_results
from cashier.search_index import FTS_TABLE, INITIALS_TAG, NAME_BI_TAG, NAME_UNI_TAG, address_phrase, normalize, phrase

DEFAULT_LIMIT = 20
_MAX_QUERY_CHARS = 64
_MAX_TERMS = 4

# Match kinds, best first.
EXACT_ACCOUNT, BILL_BARCODE, METER, PHONE, ACCOUNT_PREFIX, PHONE_SUFFIX = (
    "account", "bill", "meter", "phone", "account_prefix", "phone_suffix"
)
NAME_EXACT, NAME, INITIALS, ADDRESS = "name_exact", "name", "initials", "address"
_RANK = {k: i for i, k in enumerate(
    (EXACT_ACCOUNT, BILL_BARCODE, METER, PHONE, NAME_EXACT, ACCOUNT_PREFIX, PHONE_SUFFIX, NAME, INITIALS, ADDRESS)
)}


@dataclass(frozen=True)
class SearchHit:
    """One line of the result list: enough to tell two 王芳 apart, nothing more.

    What the cashier's own screen shows (see ``cashier.privacy``): ``name``, the full name (the
    cashier confirms identity with it; the counter screen faces the cashier), and
    ``phone_shown``, the full phone when this hit was found by the very phone the cashier typed
    (``match == "phone"``), otherwise the masked phone. ``name_masked`` and ``phone_masked``
    are for anything the customer side or other people may see (receipts, customer display,
    technician listings).
    """

    account_id: int
    account_no: str
    name: str
    name_masked: str
    phone_shown: str
    phone_masked: str
    address: str
    arrears_fen: int
    open_bills: int
    supply_status: str
    prepaid_meter: bool
    special_group: str | None
    match: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    truncated: bool = False
    message_key: str | None = None  # "search.empty" or "search.nothing_found" when hits is empty


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(digits: str) -> str:
    for d in "0123456789":
        if luhn_ok(digits + d):
            return d
    raise AssertionError("unreachable")


def bill_barcode(account_no: str, period: str) -> str:
    """The content of a bill's barcode: account number, period (YYYYMM), Luhn check digit."""
    body = account_no + period
    return body + luhn_digit(body)


def _clean(query: str) -> str:
    folded = unicodedata.normalize("NFKC", query or "")
    folded = "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return " ".join(folded.split())[:_MAX_QUERY_CHARS]


class _Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: dict[int, str] = {}
        self.more = False

    def add(self, ids, kind: str) -> None:
        for account_id in ids:
            if account_id in self.found:
                continue
            if len(self.found) >= self.limit:
                self.more = True
                return
            self.found[account_id] = kind

    @property
    def full(self) -> bool:
        return len(self.found) >= self.limit


def _ids(session: Session, sql: str, **params) -> list[int]:
    return [r[0] for r in session.execute(text(sql), params)]


def _digits_query(session: Session, digits: str, c: _Collector, account_len: int) -> None:
    n = c.limit + 1
    if len(digits) == account_len:
        c.add(_ids(session, "SELECT id FROM accounts WHERE account_no = :q", q=digits), EXACT_ACCOUNT)
    if len(digits) >= 8:
        bill_ids = _ids(session, "SELECT account_id FROM bills WHERE bill_no = :q", q=digits)
        if not bill_ids and len(digits) == account_len + 7 and luhn_ok(digits):
            # A bill not in the local cache yet: its barcode still names the account.
            bill_ids = _ids(session, "SELECT id FROM accounts WHERE account_no = :q", q=digits[:account_len])
        c.add(bill_ids, BILL_BARCODE)
        c.add(_ids(session, "SELECT id FROM accounts WHERE meter_no = :q LIMIT :n", q=digits, n=n), METER)
    if len(digits) == 11:
        c.add(_ids(session, "SELECT id FROM accounts WHERE phone_rev = :q LIMIT :n", q=digits[::-1], n=n), PHONE)
    if 4 <= len(digits) < account_len and not c.full:
        upper = digits[:-1] + chr(ord(digits[-1]) + 1)
        c.add(_ids(session, "SELECT id FROM accounts WHERE account_no >= :lo AND account_no < :hi "
                            "ORDER BY account_no LIMIT :n", lo=digits, hi=upper, n=n), ACCOUNT_PREFIX)
    if 4 <= len(digits) < 11 and not c.full:
        rev = digits[::-1]
        upper = rev[:-1] + chr(ord(rev[-1]) + 1)
        c.add(_ids(session, "SELECT id FROM accounts WHERE phone_rev >= :lo AND phone_rev < :hi "
                            "ORDER BY phone_rev LIMIT :n", lo=rev, hi=upper, n=n), PHONE_SUFFIX)


def _code_query(session: Session, code: str, c: _Collector) -> None:
    """Letters and digits mixed: a bill barcode or meter number with letters."""
    c.add(_ids(session, "SELECT account_id FROM bills WHERE bill_no = :q", q=code.upper()), BILL_BARCODE)
    c.add(_ids(session, "SELECT account_id FROM bills WHERE bill_no = :q", q=code), BILL_BARCODE)
    c.add(_ids(session, "SELECT id FROM accounts WHERE meter_no IN (:q, :u) LIMIT :n",
               q=code, u=code.upper(), n=c.limit + 1), METER)


def _fts_ids(session: Session, match: str, n: int) -> list[int]:
    return _ids(session, f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :m LIMIT :n", m=match, n=n)


def _text_query(session: Session, terms: list[str], c: _Collector) -> None:
    # Names first: fetch more than we show, so exact names can be put on top.
    pool = c.limit * 5
    if len(terms) == 1:
        term = terms[0]
        if len(term) == 1:
            name_match = f"name_uni : {phrase(term, NAME_UNI_TAG)}"
        else:
            name_match = f"name_bi : {phrase(term, NAME_BI_TAG)}"
        name_ids = _fts_ids(session, name_match, pool)
        if name_ids:
            rows = session.execute(
                text(f"SELECT id, name FROM accounts WHERE id IN ({','.join(map(str, name_ids))})")
            ).all()
            exact = [r[0] for r in rows if normalize(r[1]) == term]
            c.add(sorted(exact), NAME_EXACT)
            c.add([r[0] for r in sorted(rows, key=lambda r: (len(r[1]), r[0])) if r[0] not in exact], NAME)
            if len(name_ids) >= pool:
                c.more = True
        if len(term) >= 2 and not c.full:
            c.add(_fts_ids(session, f"addr_bi : {address_phrase(term)}", c.limit + 1), ADDRESS)
        return
    # Several fragments: each must be in the name or the address.
    parts = []
    for term in terms:
        if len(term) == 1:
            parts.append(f"name_uni : {phrase(term, NAME_UNI_TAG)}")
        else:
            parts.append(f"(name_bi : {phrase(term, NAME_BI_TAG)} OR addr_bi : {address_phrase(term)})")
    c.add(_fts_ids(session, " AND ".join(parts), c.limit + 1), NAME)


def search(session: Session, query: str, *, limit: int = DEFAULT_LIMIT, account_number_length: int = 10) -> SearchResult:
    """Find accounts for what the cashier typed or scanned; ranked, capped at ``limit``."""
    cleaned = _clean(query)
    if not cleaned:
        return SearchResult(query or "", message_key="search.empty")
    c = _Collector(limit)
    compact = re.sub(r"[\s\-]", "", cleaned)
    if compact.isdigit() and compact.isascii():
        _digits_query(session, compact, c, account_number_length)
    elif compact.isascii() and compact.isalnum() and not compact.isalpha() and len(compact) >= 6:
        _code_query(session, compact, c)
    elif compact.isascii() and compact.isalpha() and 2 <= len(compact) <= 16:
        c.add(_fts_ids(session, f'py : "{INITIALS_TAG}{compact.lower()}"', limit + 1), INITIALS)
    else:
        terms = [t for t in (normalize(part) for part in cleaned.split(" ")) if t][:_MAX_TERMS]
        if terms:
            _text_query(session, terms, c)
    if not c.found:
        return SearchResult(cleaned, message_key="search.nothing_found")
    hits = _load_hits(session, c.found)
    if not hits:  # only accounts gone from the upstream
        return SearchResult(cleaned, message_key="search.nothing_found")
    order = {account_id: i for i, account_id in enumerate(c.found)}
    hits.sort(key=lambda h: (_RANK[h.match], order[h.account_id]))
    return SearchResult(cleaned, hits, truncated=c.more)


def _load_hits(session: Session, found: dict[int, str]) -> list[SearchHit]:
    ids = ",".join(str(i) for i in found)
    arrears = {
        r[0]: (r[1], r[2])
        for r in session.execute(text(
            f"SELECT account_id, sum(outstanding_fen), count(*) FROM bills "
            f"WHERE account_id IN ({ids}) AND outstanding_fen > 0 GROUP BY account_id"
        ))
    }
    rows = session.execute(text(
        "SELECT id, account_no, name, phone, address, supply_status, prepaid_meter, special_group "
        f"FROM accounts WHERE id IN ({ids}) AND gone_at IS NULL"
    )).all()
    return [
        SearchHit(
            account_id=r[0], account_no=r[1], name=r[2] or "", name_masked=mask_name(r[2]),
            phone_shown=phone_for_results(r[3], found[r[0]] == PHONE), phone_masked=mask_phone(r[3]),
            address=r[4], arrears_fen=int(arrears.get(r[0], (0, 0))[0]), open_bills=arrears.get(r[0], (0, 0))[1],
            supply_status=r[5], prepaid_meter=bool(r[6]), special_group=r[7], match=found[r[0]],
        )
        for r in rows
    ]
