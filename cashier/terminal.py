"""The terminal a core service acts for: its store, identity, rules and clock, in one object."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cashier.clock import Clock
from cashier.penalty_policy import PolicyInForce, policy_in_force
from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.settings import AuthSettings, SaleSettings, Settings, ShiftSettings, SyncSettings
from cashier.store import Store


@dataclass
class Terminal:
    store: Store
    terminal_id: str = "T01"
    hall_code: str = "DEMO01"
    policy: PenaltyPolicy = DEFAULT_POLICY  # this PC's [penalty] settings: in force until the upstream sends its own
    auth: AuthSettings = field(default_factory=AuthSettings)
    shift: ShiftSettings = field(default_factory=ShiftSettings)
    sale: SaleSettings = field(default_factory=SaleSettings)
    account_number_length: int = 10
    clock: Clock = field(default_factory=Clock)
    exposure: SyncSettings | None = None  # the offline cap, when an upstream is configured
    door_to_door: str | None = None  # 走收: the collector whose assigned customers this laptop serves
    # Scan-to-pay (付款码) exists where an upstream is configured: there a typed WeChat/Alipay reference is the
    # exception and needs a supervisor's approval (``payments.take_payment``).
    scan_to_pay: bool = False

    @classmethod
    def from_settings(cls, store: Store, settings: Settings, clock: Clock | None = None) -> "Terminal":
        return cls(
            store=store, terminal_id=settings.terminal.id, hall_code=settings.hall.code,
            policy=settings.penalty.policy(), auth=settings.auth, shift=settings.shift, sale=settings.sale,
            account_number_length=settings.hall.account_number_length,
            clock=clock or Clock(settings.hall.timezone),
            exposure=settings.sync if settings.upstream.url else None,
            door_to_door=settings.door_to_door.collector.strip() if settings.door_to_door.enabled else None,
            scan_to_pay=bool(settings.upstream.url) and not settings.door_to_door.enabled,
        )

    def penalty_policy(self, s: Session) -> PolicyInForce:
        """The penalty policy quotes and payments use now: the upstream's once held, else ``policy``."""
        return policy_in_force(s, self.policy)
