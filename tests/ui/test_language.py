"""Language switch: the same screens and the core's messages in English, then back in Chinese."""

from PySide6.QtCore import Qt

from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.login import LoginDialog
from ui.translation import apply_language


def test_switch_to_english_and_back(qtbot, with_shift):
    try:
        apply_language("en")
        window = CounterWindow(with_shift)
        qtbot.addWidget(window)
        window.show()
        assert window.pay_button.text() == "Take payment (Enter)"
        qtbot.keyClicks(window.search_box, "3101000001")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
        settle(qtbot)
        assert window.due_label.text() == "Total due ￥292.54"
        qtbot.keyClicks(window.tendered, "1.234")
        qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
        assert "two decimal places" in window.message.text()
        login = LoginDialog(with_shift)
        qtbot.addWidget(login)
        assert login.button.text() == "Sign in (Enter)"
    finally:
        apply_language("zh")
    again = LoginDialog(with_shift)
    qtbot.addWidget(again)
    assert again.button.text() == "登录 (Enter)"


def test_every_screen_text_has_an_english_translation():
    import ast
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ui"
    translated = {m.findtext("source"): m.find("translation") for m in ET.parse(root / "i18n" / "cashier_en.ts").iter("message")}
    used = set()
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                used.add(node.args[0].value)
    assert used, "the scan found no tr() calls"
    missing = sorted(s for s in used if s not in translated or not (translated[s].text or "").strip()
                     or translated[s].get("type") == "unfinished")
    assert missing == [], "run ui/i18n/make_translations.py: " + " | ".join(missing)
