"""The program's language: Simplified Chinese (the source language) or English (cashier_en.qm).

One call switches both the Qt screens (a QTranslator) and the core's messages
(``cashier.i18n``); windows built after the call speak the new language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from cashier.i18n import set_language

QM_DIR = Path(__file__).resolve().parent / "i18n"
_installed: QTranslator | None = None


def apply_language(language: str) -> str:
    global _installed
    language = set_language(language)
    app = QCoreApplication.instance()
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == "en":
        translator = QTranslator(app)
        if not translator.load(str(QM_DIR / "cashier_en.qm")):
            raise FileNotFoundError(QM_DIR / "cashier_en.qm")
        app.installTranslator(translator)
        _installed = translator
    return language
