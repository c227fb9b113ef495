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


def _rank(voice) -> int | None:
    """How well a voice reads the counter's Mandarin prompts: 0 a Mandarin voice (zh_CN/zh_TW locale, or
    espeak-ng's ``cmn``, which speech-dispatcher lists under the C locale as "Chinese (Mandarin…)"), 1 a
    Cantonese one (it reads the characters, in Cantonese), None not Chinese at all. A plain voice before
    espeak-ng's variants ("…+Adam")."""
    name, language = voice.name(), voice.locale().language()
    variant = 1 if "+" in name else 0
    if language == QLocale.Language.Chinese or "Mandarin" in name:
        return 0 + variant
    if language == QLocale.Language.Cantonese or "Cantonese" in name:
        return 2 + variant
    return None


def open_engine(parent: QObject | None = None):
    """(QTextToSpeech, voice name) with the best Chinese voice chosen (Mandarin first), or (None, why)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # no PySide6-Addons, or its system libraries (libpulse) missing
        return None, f"QtTextToSpeech: {exc}"
    engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]  # Qt's test engine says nothing
    if not engines:
        return None, "no text-to-speech engine"
    for engine in engines:
        tts = QTextToSpeech(engine, parent)
        if tts.state() == QTextToSpeech.State.Error:
            tts.deleteLater()
            continue
        candidates = []
        for locale in tts.availableLocales():
            if _chinese(locale) or locale.language() == QLocale.Language.C:
                tts.setLocale(locale)
                candidates += [(r, locale, v) for v in tts.availableVoices() if (r := _rank(v)) is not None]
        if candidates:
            rank, locale, voice = min(candidates, key=lambda c: c[0])
            tts.setLocale(locale)
            tts.setVoice(voice)
            return tts, f"{engine}: {voice.name()}"
        tts.deleteLater()
    return None, "no Chinese voice (engines: " + ", ".join(engines) + ")"


def worker_command() -> list[str]:
    """How the counter starts its speech worker: this module's ``--serve`` (``cashier --speech-worker`` in the
    frozen build, whose executable has no ``-m``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--speech-worker"]
    return [sys.executable, "-m", "ui.speaker", "--serve"]


class Speaker(QObject):
    """Says each view's phrase through a speech worker process; the latest phrase interrupts the one being said.

    The engine lives in a process of its own: speech-dispatcher blocks its clients for good once its audio
    output hangs (a PC whose sound device is gone), and even opening the engine can then wait forever. The
    counter only writes a line to the worker's stdin (never waits for it); a worker that hangs or dies
    leaves the counter silent, never stuck. The worker answers one line when its engine is open (which voice)
    or not (why), read here for the log and ``why_silent``.
    """

    def __init__(self, enabled: bool, rate: int = 0, volume: int = 80, parent: QObject | None = None,
                 command: list[str] | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.rate, self.volume = rate / 10, volume / 100
        self.process = None
        self.voice = ""  # the worker's voice once it said which
        self.why_silent = "disabled" if not enabled else ""
        self.said: list[str] = []  # what was handed to the engine (or would have been, silent): for tests
        if enabled:
            from PySide6.QtCore import QProcess

            self.process = QProcess(self)
            self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
            self.process.readyReadStandardOutput.connect(self._answered)
            self.process.errorOccurred.connect(self._failed)
            program, *args = command or worker_command()
            self.process.start(program, args)  # returns at once; the engine opens in the worker

    def _answered(self) -> None:
        while self.process is not None and self.process.canReadLine():
            try:
                answer = json.loads(bytes(self.process.readLine()).decode("utf-8"))
            except ValueError:
                continue
            if answer.get("ok"):
                self.voice, self.why_silent = answer.get("what", ""), ""
                log.info("voice: %s", self.voice)
            else:
                self.why_silent = answer.get("what", "")
                log.warning("voice: silent, %s", self.why_silent)

    def _failed(self, error) -> None:
        if self.process is not None and self.enabled:
            self.why_silent = f"speech worker: {error.name}"
            log.warning("voice: silent, %s", self.why_silent)

    def follow(self, view: CustomerView) -> None:
        if view.say and self.enabled:
            self.say(view.say, elderly=view.elderly)

    def say(self, text: str, elderly: bool = False) -> None:
        self.said.append(text)
        if self.process is None:
            return
        from PySide6.QtCore import QProcess

        if self.process.state() == QProcess.ProcessState.NotRunning:
            return
        rate = max(-1.0, self.rate - ELDERLY_SLOWER) if elderly else self.rate
        line = {"text": text, "rate": rate, "volume": self.volume, "times": 2 if elderly else 1}
        self.process.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))  # buffered: never waits

    def close(self) -> None:
        """Stop the worker (the counter is closing)."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.waitForFinished(1000)


def serve() -> int:
    """The speech worker: opens the engine, says which voice (one JSON line), then says each line of stdin
    (``{"text", "rate", "volume", "times"}``); a new line interrupts what is being said. Ends with stdin: the
    counter closed or gone (killed, crashed), it ends at once, even while its engine hangs (speech-dispatcher
    stuck on a dead sound device never answers), so that no worker outlives its counter."""
    import os
    import threading

    from PySide6.QtCore import QCoreApplication, Signal

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])

    class Lines(QObject):
        line = Signal(str)

    lines = Lines()
    engine = {"tts": None}

    def speak(text: str) -> None:
        tts = engine["tts"]
        try:
            asked = json.loads(text)
        except ValueError:
            return
        if tts is None or not isinstance(asked, dict) or not asked.get("text"):
            return
        tts.setRate(float(asked.get("rate", 0.0)))
        tts.setVolume(float(asked.get("volume", 0.8)))
        tts.say(str(asked["text"]))
        for _ in range(int(asked.get("times", 1)) - 1):
            tts.enqueue(str(asked["text"]))

    def read() -> None:  # stdin on a thread, from the start; each line handed to the event loop's thread
        for raw in sys.stdin:
            lines.line.emit(raw)
        os._exit(0)  # nothing to finish: whatever the engine is doing (or waiting for), the worker ends now

    lines.line.connect(speak)  # lines read before the engine is open wait for the event loop
    threading.Thread(target=read, daemon=True).start()
    engine["tts"], what = open_engine()
    print(json.dumps({"ok": engine["tts"] is not None, "what": what}, ensure_ascii=False), flush=True)
    return app.exec()


def main(argv: list[str]) -> int:
    """``python -m ui.speaker --check``: one JSON line {"ok": bool, "what": str}, for ``cashier doctor``;
    ``--serve``: the counter's speech worker (``serve``)."""
    if "--serve" in argv:
        return serve()
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    tts, what = open_engine()
    print(json.dumps({"ok": tts is not None, "what": what}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
