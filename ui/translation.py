"""How the program speaks and how large it draws: the language, Simplified Chinese (the source
language) or English (cashier_en.qm), and the large-print scale.

One call switches both the Qt screens (a QTranslator) and the core's messages
(``cashier.i18n``); windows built after the call speak the new language. In Chinese, Qt's own
texts (the wizard's 上一步/下一步/取消, the standard dialog buttons, the line edits' menu) come
from Qt's translation that PySide6 ships (``qtbase_zh_CN.qm`` in its translations folder, which
the PyInstaller build carries too).
The scale (``[ui] scale_percent``, 大字模式) is Qt's own QT_SCALE_FACTOR: it must be in the
environment before the QApplication exists, so it takes effect at the next start.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from cashier.i18n import set_language
from cashier.settings import Settings

SCALE_ENV = "QT_SCALE_FACTOR"

QM_DIR = Path(__file__).resolve().parent / "i18n"
QT_ZH = "qtbase_zh_CN.qm"
_installed: QTranslator | None = None
_qt_installed: QTranslator | None = None


def qt_translations_dir() -> Path:
    """Where Qt's own translations are: PySide6's folder (``Qt/translations`` in the Linux wheel,
    ``translations`` in the Windows one; the same place inside the PyInstaller build)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def qt_translation_loaded() -> bool:
    """Are Qt's own texts in Chinese now (the smoke test checks the build carries them)?"""
    return _qt_installed is not None


def apply_language(language: str) -> str:
    global _installed, _qt_installed
    language = set_language(language)
    app = QCoreApplication.instance()
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if _qt_installed is not None:
        app.removeTranslator(_qt_installed)
        _qt_installed = None
    if language == "zh":
        qt = QTranslator(app)
        if qt.load(str(qt_translations_dir() / QT_ZH)):  # missing: Qt's buttons stay English, nothing else breaks
            app.installTranslator(qt)
            _qt_installed = qt
    if language == "en":
        translator = QTranslator(app)
        if not translator.load(str(QM_DIR / "cashier_en.qm")):
            raise FileNotFoundError(QM_DIR / "cashier_en.qm")
        app.installTranslator(translator)
        _installed = translator
    return language


def scale_factor_for(settings: Settings, environ: Mapping[str, str]) -> str | None:
    """The QT_SCALE_FACTOR to set for ``[ui] scale_percent`` ("1.5" for 150), or None: leave the
    environment alone at 100 %, and when the user (or a technician's shortcut) already set one."""
    if environ.get(SCALE_ENV, "").strip() or settings.ui.scale_percent == 100:
        return None
    return str(Decimal(settings.ui.scale_percent) / 100)
