"""Spoken prompts (语音播报) through Qt's own offline text-to-speech, ``PySide6.QtTextToSpeech``.

Why Qt's and not pyttsx3: the program already ships Qt, and QtTextToSpeech speaks through the system's
offline engines on both kinds of hall PC — SAPI 5 or WinRT on Windows (the Chinese Windows voices,
Microsoft Huihui/Xiaoxiao/Kangkang), speech-dispatcher with espeak-ng on UOS/Kylin (Debian packages
``speech-dispatcher``, ``speech-dispatcher-espeak-ng``, ``espeak-ng``; the ``cmn`` voice is Chinese) —
asynchronously, in the GUI's own event loop, with no thread of ours and no network. pyttsx3's
``runAndWait`` blocks its caller (it would need a thread of its own, with its loop's known hangs under
SAPI), needs comtypes/pywin32 on Windows, and on Linux drives libespeak directly rather than the desktop's
speech-dispatcher. QtTextToSpeech comes in the ``PySide6-Addons`` wheel (the ``voice`` extra).

With no engine, or no voice whose locale is Chinese, the counter stays silent (logged once) and
``cashier doctor`` says so (it runs ``python -m ui.speaker --check`` in a subprocess: the doctor is Qt-free).
关爱模式 (elderly): slower by 3 tenths of the voice's range, and each prompt said twice.
"""

from __future__ import annotations

import json
import logging
import sys

from PySide6.QtCore import QLocale, QObject

from cashier.customer_side import CustomerView

log = logging.getLogger(__name__)

ELDERLY_SLOWER = 0.3


def _chinese(locale: QLocale) -> bool:
    return locale.language() in (QLocale.Language.Chinese, QLocale.Language.Cantonese)


def open_engine(parent: QObject | None = None):
    """(QTextToSpeech, voice name) with a Chinese voice chosen, or (None, why)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # no PySide6-Addons, or its system libraries (libpulse) missing
        return None, f"QtTextToSpeech: {exc}"
    engines = QTextToSpeech.availableEngines()
    if not engines:
        return None, "no text-to-speech engine"
    for engine in engines:
        tts = QTextToSpeech(engine, parent)
        if tts.state() == QTextToSpeech.State.Error:
            tts.deleteLater()
            continue
        for locale in tts.availableLocales():
            if _chinese(locale):
                tts.setLocale(locale)
                voices = [v for v in tts.availableVoices() if _chinese(v.locale())] or tts.availableVoices()
                if voices:
                    tts.setVoice(voices[0])
                    return tts, f"{engine}: {voices[0].name()}"
        tts.deleteLater()
    return None, "no Chinese voice (engines: " + ", ".join(engines) + ")"


class Speaker(QObject):
    """Says each view's phrase; the latest phrase interrupts the one being said."""

    def __init__(self, enabled: bool, rate: int = 0, volume: int = 80, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.rate, self.volume = rate / 10, volume / 100
        self.tts = None
        self.why_silent = "disabled" if not enabled else ""
        self.said: list[str] = []  # what was handed to the engine (or would have been, silent): for tests
        if enabled:
            self.tts, found = open_engine(self)
            if self.tts is None:
                self.why_silent = found
                log.warning("voice: silent, %s", found)
            else:
                log.info("voice: %s", found)
                self.tts.setVolume(self.volume)

    def follow(self, view: CustomerView) -> None:
        if view.say and self.enabled:
            self.say(view.say, elderly=view.elderly)

    def say(self, text: str, elderly: bool = False) -> None:
        self.said.append(text)
        if self.tts is None:
            return
        self.tts.setRate(max(-1.0, self.rate - ELDERLY_SLOWER) if elderly else self.rate)
        self.tts.say(text)  # asynchronous: returns at once, stops what was being said
        if elderly:
            self.tts.enqueue(text)


def main(argv: list[str]) -> int:
    """``python -m ui.speaker --check``: one JSON line {"ok": bool, "what": str}, for ``cashier doctor``."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    tts, what = open_engine()
    print(json.dumps({"ok": tts is not None, "what": what}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
