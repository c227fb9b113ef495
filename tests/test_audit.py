"""The audit log is append-only and hash-chained: alterations, insertions and deletions are named."""

import sqlite3

import pytest

from cashier import audit, shifts
from admin.cli import main
from cashier.payments import TenderLine, take_payment
from cashier.settings import Paths, Settings, save_settings
from tests.helpers.hall import make_hall, standard_accounts


@pytest.fixture
def hall(data_dir):
    h = make_hall(data_dir)
    standard_accounts(h.store)
    save_settings(Settings(), Paths.resolve(data_dir).config_file)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    for account, amount in (("3101000001", 29254), ("3101000004", 20100), ("3101000003", 5000)):
        take_payment(h.terminal, h.cashier, account, amount, [TenderLine("cash", amount)])
    h.store.close()
    return h


def check(path):
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    return conn


def verify_file(path):
    from cashier.store import Store

    with Store.open(path) as store, store.read() as s:
        return audit.verify(s)


def test_untouched_chain_verifies(hall, capsys, data_dir):
    result = verify_file(hall.store.path)
    assert result.ok and result.entries == 4
    assert main(["--data-dir", str(data_dir), "audit-verify"]) == 0
    assert "审计日志完整：共 4 条" in capsys.readouterr().out


def test_an_altered_entry_is_named(hall, capsys, data_dir):
    conn = check(hall.store.path)
    conn.execute("UPDATE audit_log SET detail = replace(detail, '29254', '19254') WHERE id = 2")
    result = verify_file(hall.store.path)
    assert (result.ok, result.first_bad_id, result.problem) == (False, 2, "altered")
    assert main(["--data-dir", str(data_dir), "--lang", "en", "audit-verify"]) == 1
    assert "broken at entry 2 (altered)" in capsys.readouterr().out


def test_a_deleted_entry_is_named(hall):
    check(hall.store.path).execute("DELETE FROM audit_log WHERE id = 2")
    result = verify_file(hall.store.path)
    assert (result.first_bad_id, result.problem) == (3, "deleted")


def test_the_newest_entry_deleted_is_caught_by_the_head(hall):
    check(hall.store.path).execute("DELETE FROM audit_log WHERE id = 4")
    result = verify_file(hall.store.path)
    assert (result.ok, result.first_bad_id, result.problem) == (False, 4, "deleted")


def _forge(conn, entry_id, prev_hash):
    """An entry made by someone who knows the hashing scheme: self-consistent and linked."""
    from datetime import datetime

    at = datetime(2026, 3, 2, 3, 0)
    digest = audit._digest(entry_id, at, 1, "payment", "forged", "{}", prev_hash)
    conn.execute("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?)",
                 (entry_id, at.strftime("%Y-%m-%d %H:%M:%S.%f"), 1, "payment", "forged", "{}", prev_hash, digest))


def test_an_entry_appended_behind_the_programs_back_is_named(hall):
    conn = check(hall.store.path)
    last_hash = conn.execute("SELECT hash FROM audit_log WHERE id = 4").fetchone()[0]
    _forge(conn, 5, last_hash)
    result = verify_file(hall.store.path)
    assert (result.ok, result.first_bad_id, result.problem) == (False, 5, "inserted")


def test_an_entry_slipped_into_the_middle_breaks_the_chain_right_after_it(hall):
    conn = check(hall.store.path)
    hash2 = conn.execute("SELECT hash FROM audit_log WHERE id = 2").fetchone()[0]
    conn.execute("UPDATE audit_log SET id = id + 100 WHERE id >= 3")
    conn.execute("UPDATE audit_log SET id = id - 99 WHERE id >= 100")
    _forge(conn, 3, hash2)
    result = verify_file(hall.store.path)
    # The forged entry is self-consistent; the first entry it displaced no longer is.
    assert (result.ok, result.first_bad_id) == (False, 4)


def test_settings_changes_are_technicians_only_and_audited(tmp_path):
    from cashier.configuration import change_settings
    from cashier.errors import DomainError
    from cashier.settings import Settings, load_settings
    from cashier.store.models import AuditEntry
    from sqlalchemy import select

    hall = make_hall(tmp_path)
    paths = Paths.resolve(tmp_path)
    old = Settings()
    new = old.model_copy(deep=True)
    new.printer.width = 58
    new.upstream.url = "https://upstream.example/api"
    with pytest.raises(DomainError):
        change_settings(hall.terminal, hall.cashier, paths.config_file, old, new)
    assert not paths.config_file.exists()
    changes = change_settings(hall.terminal, hall.technician, paths.config_file, old, new)
    assert changes == {"printer.width": (80, 58), "upstream.url": ("", "https://upstream.example/api")}
    assert load_settings(paths).settings.printer.width == 58
    with hall.store.read() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "settings.change" and "printer.width" in entry.detail
    hall.store.close()
