"""cashier-admin users: a fresh hall gets its technician; staff are listed, added, reset, unlocked and
deactivated from the command line, each change audited, a password printed once and never logged."""

import json
import re

import pytest
from sqlalchemy import select

from admin.cli import main
from cashier import auth
from cashier.errors import DomainError
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.store.models import AuditEntry
from cashier.terminal import Terminal


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _password(out: str) -> str:
    found = re.findall(r"(?:密码|password)[^：:]*[：:]\s*([a-z0-9]{10})\b", out)
    assert len(found) == 1, out
    return found[0]


def _open(data_dir):
    paths = Paths.resolve(data_dir)
    store = Store.open(paths.database)
    return store, Terminal.from_settings(store, load_settings(paths).settings)


def _audit(data_dir) -> list[tuple[str, str, dict]]:
    store, _ = _open(data_dir)
    with store, store.read() as s:
        return [(e.action, e.subject, json.loads(e.detail)) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _logs(data_dir) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("*.log*"))


def test_a_fresh_hall_gets_a_technician_and_staff_from_the_command_line(capsys, data_dir):
    d = ["--data-dir", str(data_dir)]
    assert run(capsys, *d, "init")[0] == 0
    code, out, _ = run(capsys, *d, "users", "list")
    assert code == 0 and "还没有任何用户" in out
    code, out, _ = run(capsys, *d, "users", "add", "tech9", "--name", "刘工", "--role", "technician")
    assert code == 0 and "只显示这一次" in out
    tech_password = _password(out)
    code, out, _ = run(capsys, *d, "--lang", "en", "users", "add", "c9", "--name", "周敏", "--role", "cashier")
    assert code == 0 and "shown this once only" in out
    cashier_password = _password(out)
    code, out, _ = run(capsys, *d, "users", "list")
    assert code == 0
    assert re.search(r"tech9\s+刘工\s+技术人员\s+待改密码", out) and re.search(r"c9\s+周敏\s+收费员\s+待改密码", out), out
    code, out, _ = run(capsys, *d, "users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)}
    assert listed["c9"]["role"] == "cashier" and listed["c9"]["must_change_password"] is True

    store, t = _open(data_dir)
    with store:
        assert auth.login(t, "tech9", tech_password).must_change_password
        for _ in range(t.auth.max_failures):
            with pytest.raises(DomainError):
                auth.login(t, "c9", "wrong")
    code, out, _ = run(capsys, *d, "users", "list")
    assert re.search(r"c9\s+周敏\s+收费员\s+已锁定", out), out
    code, out, _ = run(capsys, *d, "users", "unlock", "c9")
    assert code == 0 and "已解锁 c9" in out
    code, out, _ = run(capsys, *d, "users", "reset-password", "c9")
    assert code == 0
    new_password = _password(out)
    assert new_password != cashier_password
    store, t = _open(data_dir)
    with store:
        with pytest.raises(DomainError):
            auth.login(t, "c9", cashier_password)
        assert auth.login(t, "c9", new_password).must_change_password

    code, _, err = run(capsys, *d, "users", "deactivate", "c9")
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, *d, "users", "deactivate", "c9", "--yes")
    assert code == 0 and "已停用 c9" in out
    store, t = _open(data_dir)
    with store:
        with pytest.raises(DomainError):
            auth.login(t, "c9", new_password)

    entries = [(action, subject, detail) for action, subject, detail in _audit(data_dir) if action.startswith("user.")]
    assert [(a, s) for a, s, _ in entries] == [("user.add", "tech9"), ("user.add", "c9"), ("user.unlock", "c9"),
                                               ("user.reset_password", "c9"), ("user.deactivate", "c9")]
    assert all(detail["via"] == "cashier-admin" and detail["os_user"] for _, _, detail in entries)
    logs = _logs(data_dir)
    assert "user c9 added" in logs
    for secret in (tech_password, cashier_password, new_password):
        assert secret not in logs and all(secret not in json.dumps(d) for _, _, d in entries)


def test_mistakes_are_explained_with_exit_status_3(capsys, data_dir):
    d = ["--data-dir", str(data_dir)]
    run(capsys, *d, "init")
    code, _, err = run(capsys, *d, "users", "unlock", "nobody")
    assert code == 3 and "没有用户 nobody" in err
    code, _, err = run(capsys, *d, "users", "add", "a b", "--role", "cashier")
    assert code == 3 and "用户名“a b”无效" in err
    run(capsys, *d, "users", "add", "c9", "--role", "cashier")
    code, _, err = run(capsys, *d, "--lang", "en", "users", "add", "c9", "--role", "supervisor")
    assert code == 3 and "User c9 already exists" in err
    with pytest.raises(SystemExit) as exited:
        main([*d, "users", "add", "x9", "--role", "boss"])
    assert exited.value.code == 2
