"""One-off fix of the kept databases schema_v1.db … schema_v7.db (issue 17, point 9): real audit chains.

The kept files were written with a made-up audit entry (its hash "111…1", no chain head) and upload
bodies of only ``{"id": …}``, so ``audit-verify`` failed on every one of them and the upgrade test could
not show the chain surviving an upgrade. The files must not be regenerated (a later schema exists), so
this script mends them in place, keeping every row the upgrade test compares:

* the upload queue holds each money record's body as the code of the time queued it: the payment, and
  the cash movement and the closed shift, which had no entry at all (outbox ids 2 and 3; schema 7's
  kept file already had id 2 for the cash movement, its status ``resolved`` is kept). The bodies are
  the JSON dicts the code before the protocol models wrote (``json.dumps(…, sort_keys=True)``, naive
  ISO times), with the values the rows give once the file is upgraded (the cash movement's purpose
  is ``other`` in schemas 1-2, as migration 0003 sets it, ``bank_pickup`` from schema 3), and the
  hall code HALL01; each parses to the protocol model whose digest the rows rebuild (asserted here).
  The payment's body carries ``prepaid_balance_after_fen``: a payment queued by schema 3's code
  (692c5bf, before b31bd0a) had no such key and would not parse today (see the test's note);
* the audit chain is recomputed entry by entry with the formula of ``cashier.audit`` — unchanged since
  the first code that wrote the log (schema 3, commit 692c5bf; ``git log -p cashier/audit.py``;
  schemas 1-2 had the table and no writer, so theirs is the same): sha256 of the compact JSON
  ``[id, at ISO, user_id, action, subject, detail, prev_hash]``, the head kept as ``audit_head``;
* schemas 6 to 8 hold the ``records.cover`` entries schema 6's upgrade appended (by then unable to
  chain the payment, whose body did not parse): they are made again as ``cashier.records.cover_unchained``
  makes them, at their original time, now covering the payment too;
* schema 7's supervisor decision on the held cash movement (kept in 7 and 8) gets the ``held.resolve``
  audit entry the code of schema 7 writes with it (``cashier.held_items``).

Mending them showed a real upgrade failure, now fixed: migration 0006 built the digests with the ORM,
which reads ``accounts.gone_at`` (schema 8), so a database of schema 5 or older with a payment whose
body parses could not be upgraded; 0006 now leaves the work to ``cashier.store.schema.upgrade`` at
the head.

Idempotent. Run: python tests/data/fix_kept_chains.py
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from cashier import audit, records  # noqa: E402
from cashier.documents import body_digest  # noqa: E402
from cashier.shifts import cash_movement_body, shift_close_body  # noqa: E402
from cashier.store import schema  # noqa: E402
from cashier.store.models import Account, CashMovement, Payment, Shift  # noqa: E402
from cashier.sync import protocol as p  # noqa: E402

HALL_CODE = "HALL01"
PAYMENT = "0190a000-0000-7000-8000-000000000002"
MOVE = "0190a000-0000-7000-8000-000000000003"
SHIFT = "0190a000-0000-7000-8000-000000000001"
TIMES = ("created_at", "at", "closed_at")


def _old_json(body) -> str:
    """The body as the code before the protocol models queued it: a dict, keys sorted, naive ISO times."""
    data = body.model_dump(mode="json")
    for key in TIMES:
        if key in data:
            data[key] = getattr(body, key).replace(tzinfo=None).isoformat()
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def bodies_after_upgrade(kept: Path) -> dict[str, tuple[str, str]]:
    """entity id -> (outbox kind, queued JSON) for the payment, the cash movement and the closed shift, with the
    values the rows give once this file is upgraded (what audit-verify will rebuild)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "kept.db"
        shutil.copy(kept, copy)
        schema.upgrade(copy, Path(tmp) / "backups")
        engine = create_engine(f"sqlite:///{copy}")
        try:
            with Session(engine) as s:
                payment = s.get(Payment, PAYMENT)
                balance = s.scalar(select(Account.prepaid_balance_fen).where(Account.id == payment.account_id))
                stub = SimpleNamespace(hall_code=HALL_CODE, prepaid_balance_after_fen=balance, approval=None,
                                       policy_digest=None)
                found = {PAYMENT: ("payment", records.payment_from_rows(s, payment, stub)),
                         MOVE: ("cash_movement", cash_movement_body(s.get(CashMovement, MOVE))),
                         SHIFT: ("shift_close", shift_close_body(s, s.get(Shift, SHIFT)))}
        finally:
            engine.dispose()
    out = {}
    for entity_id, (kind, body) in found.items():
        queued = _old_json(body)
        assert body_digest(p.parse_item(kind, queued).body) == body_digest(body), (kept.name, kind)
        out[entity_id] = (kind, queued)
    return out


def fix_outbox(conn: sqlite3.Connection, bodies: dict[str, tuple[str, str]]) -> None:
    plan = {PAYMENT: (1, 1, "2026-03-01 01:00:00"), MOVE: (2, 2, "2026-03-01 05:00:00"),
            SHIFT: (3, None, "2026-03-01 09:00:00")}
    for entity_id, (kind, queued) in bodies.items():
        outbox_id, seq, at = plan[entity_id]
        if conn.execute("SELECT 1 FROM outbox WHERE entity_id = ?", (entity_id,)).fetchone():
            conn.execute("UPDATE outbox SET payload = ? WHERE entity_id = ?", (queued, entity_id))
        else:
            conn.execute("INSERT INTO outbox (id, kind, entity_id, seq, payload, created_at, status, attempts, "
                         "sent_at, last_error) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, NULL, NULL)",
                         (outbox_id, kind, entity_id, seq, queued, at))


def _append(conn: sqlite3.Connection, at: str, user_id: int | None, action: str, subject: str, /,
            **detail) -> None:
    """An entry as cashier.audit.record writes it (its hash is set by ``rehash``); raw SQL, since the ORM
    reads the tables as the newest schema has them."""
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()
    conn.execute("INSERT INTO audit_log (id, at, user_id, action, subject, detail, prev_hash, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, '', '')", (last + 1, at, user_id, action, subject,
                                                      json.dumps(detail, ensure_ascii=False, sort_keys=True,
                                                                 default=str)))


def rehash(conn: sqlite3.Connection) -> None:
    """Every entry's prev_hash and hash with cashier.audit's formula, and the chain head."""
    prev_id, prev_hash = 0, audit.GENESIS
    for entry_id, at, user_id, action, subject, detail in conn.execute(
            "SELECT id, at, user_id, action, subject, detail FROM audit_log ORDER BY id").fetchall():
        assert entry_id == prev_id + 1, entry_id
        digest = audit._digest(entry_id, datetime.fromisoformat(at), user_id, action, subject, detail, prev_hash)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev_hash, digest, entry_id))
        prev_id, prev_hash = entry_id, digest
    conn.execute("INSERT INTO sync_state (key, value) VALUES ('audit_head', ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (f"{prev_id}:{prev_hash}",))


def fix(kept: Path) -> None:
    version = int(kept.stem.removeprefix("schema_v"))
    bodies = bodies_after_upgrade(kept)
    conn = sqlite3.connect(kept)
    with conn:
        fix_outbox(conn, bodies)
        covered_at = conn.execute("SELECT min(at) FROM audit_log WHERE action = ?", (records.COVER,)).fetchone()[0]
        conn.execute("DELETE FROM audit_log WHERE action IN (?, 'held.resolve')", (records.COVER,))
        if version >= 6:  # what schema 6's upgrade appended, made again now that the payment's body parses
            for entity_id in (PAYMENT, MOVE, SHIFT):  # cashier.records._records' order
                kind, queued = bodies[entity_id]
                _append(conn, covered_at, None, records.COVER, entity_id, kind=kind,
                        body_sha256=body_digest(p.parse_item(kind, queued).body))
        if version >= 7:  # the supervisor's dismissal of the held cash movement, as held_items audits it
            _append(conn, "2026-03-01 09:30:00.000000", 2, "held.resolve", MOVE, outbox=2, kind="cash_movement",
                    seq=2, action="dismiss", reason="解款已由银行回单核实", held_status="rejected",
                    upstream="malformed: body.purpose", approval=None, signed_in=None)
        rehash(conn)
    conn.close()
    conn = sqlite3.connect(kept)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"fixed {kept.name}: {len(bodies)} upload bodies, audit chain recomputed")


def main() -> None:
    for kept in sorted(HERE.glob("schema_v*.db")):
        fix(kept)


if __name__ == "__main__":
    main()
