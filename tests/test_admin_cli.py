"""cashier-admin: init and doctor as a technician runs them, including the failures."""

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from admin.cli import main
from cashier.store import schema


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_doctor_succeed_on_an_empty_dir(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "init")
    assert code == 0
    assert "已创建数据库" in out and (data_dir / "cashier.db").exists() and (data_dir / "cashier.toml").exists()
    code, out, _ = run(capsys, "doctor", "--data-dir", str(data_dir))
    lines = out.strip().splitlines()
    assert code == 0, out
    assert all(line.startswith(("OK ", "SKIP ")) for line in lines[:-1]), out
    assert len(lines) == 13 and lines[-1] == "全部检查通过"
    assert any(line.startswith("SKIP 语音播报：未开启") for line in lines), out
    assert any(line.startswith("OK   违约金政策：按本机 [penalty] 设置计算") for line in lines), out
    assert any(line.startswith("OK   中文字体：") for line in lines), out
    # the rare characters of names have a font: HanaMin from fonts-hanazono, installed by .ci/run
    assert any(line.startswith("OK   生僻字字体：HanaMin") and "𠀾" in line for line in lines), out
    assert f"结构版本 {schema.head_schema()}" in out


def test_init_twice_keeps_the_database_and_settings(capsys, data_dir):
    run(capsys, "--data-dir", str(data_dir), "init")
    (data_dir / "cashier.toml").write_text('[hall]\nname = "城关营业厅"\n', encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "init")
    assert code == 0 and "已是最新" in out
    assert "城关营业厅" in (data_dir / "cashier.toml").read_text(encoding="utf-8")


def test_doctor_fails_clearly_on_a_corrupted_database(capsys, data_dir):
    run(capsys, "--data-dir", str(data_dir), "init")
    db = data_dir / "cashier.db"
    db.write_bytes(db.read_bytes()[:5000])
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "doctor")
    assert code == 1
    failing = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert len(failing) == 1 and "truncated" in failing[0] and str(db) in failing[0]
    code, _, err = run(capsys, "--data-dir", str(data_dir), "init")
    assert code == 3 and "不完整" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_doctor_on_a_missing_database_says_run_init(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "doctor", "--json")
    checks = json.loads(out)
    assert code == 1
    assert [c["status"] for c in checks][:3] == ["OK", "FAIL", "FAIL"]
    assert "cashier-admin init" in checks[2]["message"]


def test_init_in_an_unwritable_place_explains_and_writes_nothing(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "--data-dir", str(blocker / "hall"), "init")
    assert code == 3 and "无法写入" in err and str(blocker / "hall") in err


def test_bad_config_stops_init_and_is_reported_by_doctor(capsys, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "cashier.toml").write_text("[printer]\nwidth = 76\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data_dir), "init")
    assert code == 3 and "printer.width" in err
    assert not (data_dir / "cashier.db").exists()
    assert (data_dir / "cashier.toml").read_text(encoding="utf-8") == "[printer]\nwidth = 76\n"
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "doctor")
    assert code == 1 and out.splitlines()[0].startswith("FAIL") and "printer.width" in out.splitlines()[0]


@pytest.fixture
def listening_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                conn.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_doctor_checks_a_network_printer_and_the_upstream(capsys, data_dir, listening_port):
    run(capsys, "--data-dir", str(data_dir), "init")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--set", f'printer.uri="tcp://127.0.0.1:{listening_port}"', "doctor")
    assert code == 0 and f"tcp://127.0.0.1:{listening_port} 可连接" in out
    dead = closed_port()
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en",
                       "--set", f"printer.uri=tcp://127.0.0.1:{dead}",
                       "--set", f"upstream.url=http://127.0.0.1:{dead}", "doctor")
    failing = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert code == 1 and len(failing) == 2
    assert "printer" in failing[0] and "unreachable" in failing[0]
    assert "upstream" in failing[1] and "unreachable" in failing[1]


def test_version_prints_program_and_schema(capsys):
    code, out, _ = run(capsys, "version")
    assert code == 0 and f"schema {schema.head_schema()}" in out


def test_console_script_help_is_understandable():
    exe = Path(sys.executable).with_name("cashier-admin")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0
    for word in ("init", "doctor", "--data-dir", "数据目录", "create or upgrade"):
        assert word in result.stdout
    result = subprocess.run([str(exe), "frobnicate"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_doctor_says_which_font_package_is_missing(capsys, data_dir, monkeypatch):
    """With only the main font to look at, doctor names the package for the rare characters of names."""
    from cashier import doctor, fonts

    monkeypatch.delenv("CASHIER_CJK_FONT", raising=False)
    main_font = fonts.main_font()
    assert main_font is not None, "a Chinese font is installed by .ci/run (fonts-wqy-microhei)"
    check = doctor.check_rare_font(candidates=[(str(main_font[0]), main_font[1])], fallbacks=[])
    assert check.failed and "fonts-hanazono" in check.message and "□" in check.message and "𠀾" in check.message
    check = doctor.check_rare_font(candidates=[(str(main_font[0]), main_font[1])],
                                   fallbacks=[(str(data_dir / "HanaMinA.ttf"), 0)])  # not there
    assert check.failed
    missing = doctor.check_cjk_font(candidates=[(str(data_dir / "none.ttc"), 0)])
    assert missing.failed and "fonts-wqy-microhei" in missing.message
    hanazono = [f for f in fonts.FALLBACK_CANDIDATES if "hanazono" in f[0]]
    check = doctor.check_rare_font(candidates=[(str(main_font[0]), main_font[1])], fallbacks=hanazono)
    assert not check.failed and "HanaMin" in check.message
