"""Payments taken through a provider (付款码 scan-to-pay) and the providers' statements (对账).

``base`` is the one interface every provider adapter implements (WeChat Pay micropay, Alipay
当面付 bar code, the simulator, later UnionPay) and the statement line every statement parser
produces. Merchant credentials live here, on the upstream, never on a hall PC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upstream.db import Database
    from upstream.payments.base import Provider

SCAN_PROVIDERS = ("wechat", "alipay", "unionpay")


class PaymentsSettingError(Exception):
    """``serve --payments`` names something that cannot be used; the message says why."""


def providers_from_setting(value: str | None, db: "Database | None" = None, **simulator_options) -> dict[str, "Provider"]:
    """The providers behind ``cashier-upstream serve --payments VALUE``, by provider name (wechat, alipay, unionpay).

    ``off`` (or empty): none, and the scan endpoints answer 503 scan_unavailable. ``simulate``: the simulator
    (upstream/payments/simulator.py) behind every name, keeping its books in ``db``; ``simulator_options`` go to
    it (``paying_delay``, ``clock``, ``cancel_failures``). Anything else is a TOML file naming real adapters:
    read by ``upstream.payments.config.providers_from_config(path, db)`` when that module exists (the adapters'
    side adds it)."""
    value = (value or "off").strip()
    if value == "off":
        return {}
    if value == "simulate":
        if db is None:
            raise PaymentsSettingError("the simulator keeps its books in the upstream's database: give it the database")
        from upstream.payments.simulator import Simulator

        return {name: Simulator(name, db, **simulator_options) for name in SCAN_PROVIDERS}
    from pathlib import Path

    path = Path(value)
    if not path.is_file():
        raise PaymentsSettingError(f"--payments {value}: not 'off', 'simulate' or a readable TOML file")
    try:
        from upstream.payments import config  # type: ignore[attr-defined]  # the adapters' settings (merged later)
    except ImportError:
        raise PaymentsSettingError(f"--payments {value}: provider adapters are not part of this build") from None
    return config.providers_from_config(path, db)
