"""The counter's customer side put together: the feed (``cashier.customer_side``), and what follows it —
the customer display window, the LED pole display and the voice — made from the settings."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from cashier import events
from cashier.customer_side import CustomerSide
from cashier.errors import ConfigError
from cashier.pole_display import PoleDisplay

log = logging.getLogger(__name__)


class CustomerSideUi(QObject):
    def __init__(self, ctx, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.feed = CustomerSide()
        self.display = None
        self.note: str | None = None  # said in the counter's status bar (a screen that fell back to a window)
        cfg = ctx.settings.customer_display
        if cfg.mode != "off":
            from ui.customer_display import CustomerDisplay, place

            self.display = CustomerDisplay(ctx.settings.hall.name, ctx.settings.terminal.name, ctx.paths.data_dir)
            self.note = place(self.display, cfg.mode, cfg.screen_index)
            self.feed.listeners.append(self.display.follow)
        self.pole: PoleDisplay | None = None
        try:
            bus = ctx.store.events
            self.pole = PoleDisplay(cfg.pole, lambda ok, message: bus.publish(events.POLE_DISPLAY, ok=ok,
                                                                               message=message))
        except ConfigError as exc:  # validated with the settings; a hand-made Settings object may still hold one
            log.warning("pole display off: %s", exc)
        if self.pole is not None and self.pole.target is not None:
            self.feed.listeners.append(self.pole.show)
        voice = ctx.settings.voice
        from ui.speaker import Speaker

        self.speaker = Speaker(voice.enabled, voice.rate, voice.volume, self)
        self.feed.listeners.append(self.speaker.follow)
        self.feed.announce()  # the pole display starts cleared, the window on its idle page

    def waiting_for_password(self) -> None:
        """The scan payment (issue 18) calls this while the customer types the password on the phone."""
        self.feed.waiting_for_password()

    def close(self) -> None:
        self.feed.idle()  # the pole clears before its worker stops
        if self.pole is not None:
            self.pole.close()
        if self.display is not None:
            try:
                self.display.close()
                self.display.deleteLater()
            except RuntimeError:  # already deleted with the other windows (sign-out)
                pass
            self.display = None
