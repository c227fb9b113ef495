"""The layout DESIGN.md promises: cashier/ never imports Qt; money code never uses float."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def imported_modules(folder: Path):
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, node.module


def test_core_source_never_imports_qt_or_the_ui():
    offenders = [(p, m) for p, m in imported_modules(ROOT / "cashier") if m.split(".")[0] in QT + ("ui",)]
    assert offenders == []
    # The core does not lean on the outer packages: the entry points (ui/, admin/) put them together.
    outer = [(p, m) for p, m in imported_modules(ROOT / "cashier")
             if m.split(".")[0] in ("receipts", "upstream", "admin", "demo_upstream")]
    assert outer == []


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, cashier\n"
        "for m in pkgutil.walk_packages(cashier.__path__, 'cashier.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {QT!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_no_float_conversions_in_money_code():
    for folder in ("cashier", "receipts", "upstream"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "float"]
            assert calls == [], path


def test_receipts_and_upstream_do_not_import_the_ui():
    for folder in ("receipts", "upstream"):
        assert [m for _, m in imported_modules(ROOT / folder) if m.split(".")[0] == "ui"] == []
