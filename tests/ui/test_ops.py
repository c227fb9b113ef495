"""Background operations: results and errors reach the GUI thread, thousands of times, and the
program still exits cleanly (PySide6 6.12.0 crashed here: its pin in pyproject.toml)."""

import subprocess
import sys
import textwrap

from tests.ui.conftest import settle
from ui.ops import Op


def test_success_and_failure_callbacks_run_on_the_gui_thread(qtbot):
    import threading

    main = threading.get_ident()
    seen = []
    Op(None, lambda: threading.get_ident()).success(lambda worker: seen.append((worker != main, threading.get_ident() == main))).run_in_background()
    Op(None, lambda: 1 / 0).failure(lambda exc: seen.append(type(exc).__name__)).run_in_background()
    settle(qtbot)
    assert sorted(map(str, seen)) == sorted(map(str, [(True, True), "ZeroDivisionError"]))


def test_a_long_day_of_operations_ends_without_a_crash():
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from ui.ops import Op
        app = QApplication([])
        for i in range(2000):
            Op(None, lambda: i % 2 == 0).success(lambda r: None).run_in_background()
            while Op.running:
                app.processEvents()
        print("done")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "done" in result.stdout, result.stderr[-500:]
