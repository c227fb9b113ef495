"""The counter's customer side put together: the feed (``cashier.customer_side``), and what follows it —
the customer display window, the LED pole display and the voice — made from the settings."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer

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
        # Service evaluation (服务评价): asked a moment after each payment, on the customer display's rating page
        # (or a small window of its own without one); the next customer's start ends it as unrated.
        self.rating_payment: str | None = None  # the payment whose rating is asked or about to be
        self.rating_delay_ms = 3000  # the paid view (change, the receipt's QR) first
        self.panel = None
        self._panel_window = None
        self.feed.listeners.append(self._moved_on)

    # --- service evaluation ------------------------------------------------------------------------
    def ask_rating(self, payment_id: str) -> None:
        """After payment ``payment_id`` (the customer first sees the change and the receipt's QR)."""
        if not self.ctx.settings.evaluation.enabled:
            return
        if self.rating_payment is not None:
            self._rated(self.rating_payment, "unrated")
        self.rating_payment = payment_id
        QTimer.singleShot(self.rating_delay_ms, self, lambda: self._show_panel(payment_id))

    def _show_panel(self, payment_id: str) -> None:
        from cashier.customer_side import Stage
        from ui.evaluation_panel import EvaluationPanel

        if self.rating_payment != payment_id or self.feed.view.stage is not Stage.PAID:
            return  # the cashier moved on meanwhile: recorded unrated already
        panel = EvaluationPanel(self.ctx.settings.evaluation.timeout_seconds, self.feed.elderly)
        panel.rated.connect(lambda rating, pid=payment_id: self._rated(pid, rating))
        self.panel = panel
        self.feed.rating()
        if self.display is not None:
            self.display.show_rating(panel)
        else:  # no customer display: the panel in a small frameless window that never takes the keyboard
            panel.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                                 | Qt.WindowType.WindowDoesNotAcceptFocus | Qt.WindowType.WindowStaysOnTopHint)
            panel.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            panel.setWindowTitle(panel.tr("服务评价"))
            self._panel_window = panel
            panel.show()

    def rate_key(self, number: int) -> bool:
        """The number pad's 1/2/3 while the panel asks; True when taken."""
        return self.panel is not None and self.panel.answer is None and self.panel.key(number)

    def _moved_on(self, view) -> None:
        from cashier.customer_side import Stage

        if self.rating_payment is not None and view.stage in (Stage.IDLE, Stage.SELECTED):
            self._rated(self.rating_payment, "unrated")  # the next customer: nobody rated this one

    def _rated(self, payment_id: str, rating: str) -> None:
        from cashier import evaluations
        from ui.ops import Op

        if self.rating_payment != payment_id:
            return
        self.rating_payment = None
        panel, self.panel = self.panel, None
        if panel is not None:
            panel.choose(rating)  # a countdown still running stops
            if panel is self._panel_window:
                panel.close()
                self._panel_window = None
            panel.deleteLater()
        store, clock = self.ctx.store, self.ctx.terminal.clock
        Op(self, lambda: evaluations.record_evaluation(store, payment_id, rating, clock=clock)) \
            .failure(lambda exc: log.warning("evaluation of %s not recorded: %s", payment_id, exc)) \
            .run_in_background()
        from cashier.customer_side import Stage

        if self.feed.view.stage is Stage.RATING:
            self.feed.idle()

    def waiting_for_password(self) -> None:
        """The scan payment (issue 18) calls this while the customer types the password on the phone."""
        self.feed.waiting_for_password()

    def close(self) -> None:
        self.feed.idle()  # the pole clears before its worker stops
        if self.pole is not None:
            self.pole.close()
        self.speaker.close()
        if self.display is not None:
            try:
                self.display.close()
                self.display.deleteLater()
            except RuntimeError:  # already deleted with the other windows (sign-out)
                pass
            self.display = None
