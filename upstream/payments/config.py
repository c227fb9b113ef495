"""The upstream's payment providers from a TOML settings file (merchant credentials stay on the upstream).

    [wechat]                      # WeChat Pay 付款码支付, API v2
    appid = "wx2421b1c4370ec43b"
    mch_id = "10000100"
    key_file = "/etc/cashier/wechat.key"       # the API key (32 characters), alone in a file
    cert_file = "/etc/cashier/apiclient_cert.pem"   # the merchant certificate (reverse, refund)
    cert_key_file = "/etc/cashier/apiclient_key.pem"
    sign_type = "MD5"             # or HMAC-SHA256
    # gateway = "https://api.mch.weixin.qq.com"

    [alipay]                      # Alipay 当面付 条码支付
    app_id = "2014072300007148"
    private_key_file = "/etc/cashier/alipay_app_private.pem"
    alipay_public_key_file = "/etc/cashier/alipay_public.pem"
    # gateway = "https://openapi.alipay.com/gateway.do"

    [bank]                        # the acquiring bank's settlement file: its columns (statements.BankLayout)
    reference = "检索参考号"
    amount = "交易金额"
    time = "交易时间"
    time_format = "%Y-%m-%d %H:%M:%S"
    refund_column = "交易类型"
    refund_values = ["退货", "撤销"]
    encoding = "gb18030"
    delimiter = ","
    header_rows = 1
    footer_rows = 0

Relative file names are taken from the settings file's folder. A key file must not be readable by others.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from upstream.payments.base import Provider
from upstream.payments.statements import BankLayout, StatementError


class PaymentsConfigError(ValueError):
    """The payments settings cannot be used; the message names the file, the section and why."""


def _seconds(path: Path, section: str, values: dict) -> int | float:
    """``timeout_seconds``: how long one call to the provider may take (default 10, 1 to 60)."""
    value = values.get("timeout_seconds", 10)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 60:
        raise PaymentsConfigError(f"{path}: [{section}] timeout_seconds is a number of seconds from 1 to 60, not {value!r}")
    return value


@dataclass
class PaymentsConfig:
    providers: dict[str, Provider] = field(default_factory=dict)
    bank_layout: BankLayout | None = None


def _file(base: Path, section: str, values: dict, key: str, required: bool = True) -> str | None:
    name = values.get(key)
    if not name:
        if required:
            raise PaymentsConfigError(f"[{section}] {key} is required")
        return None
    path = Path(name) if Path(name).is_absolute() else base / name
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise PaymentsConfigError(f"[{section}] {key}: cannot read {path}: {exc.strerror or exc}") from None


def _path(base: Path, values: dict, key: str) -> str | None:
    name = values.get(key)
    if not name:
        return None
    return str(Path(name) if Path(name).is_absolute() else base / name)


def load_payments_config(path: str | Path) -> PaymentsConfig:
    """``{name: Provider}`` and the bank's statement layout from a TOML file (see the module's doc)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PaymentsConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PaymentsConfigError(f"{path}: not TOML: {exc}") from None
    unknown = sorted(set(data) - {"wechat", "alipay", "bank"})
    if unknown:
        raise PaymentsConfigError(f"{path}: unknown section(s) {', '.join(unknown)} (wechat, alipay, bank)")
    base = path.parent
    config = PaymentsConfig()
    if "wechat" in data:
        from upstream.payments.wechat import WeChatPay

        w = data["wechat"]
        for key in ("appid", "mch_id"):
            if not w.get(key):
                raise PaymentsConfigError(f"{path}: [wechat] {key} is required")
        cert = _path(base, w, "cert_file")
        cert_key = _path(base, w, "cert_key_file")
        config.providers["wechat"] = WeChatPay(
            appid=w["appid"], mch_id=w["mch_id"], key=_file(base, "wechat", w, "key_file"),
            sign_type=w.get("sign_type", "MD5"), gateway=w.get("gateway", WeChatPay.GATEWAY),
            cert=(cert, cert_key) if cert and cert_key else None, timeout=_seconds(path, "wechat", w))
    if "alipay" in data:
        from upstream.payments.alipay import Alipay

        a = data["alipay"]
        if not a.get("app_id"):
            raise PaymentsConfigError(f"{path}: [alipay] app_id is required")
        try:
            config.providers["alipay"] = Alipay(
                app_id=a["app_id"], private_key_pem=_file(base, "alipay", a, "private_key_file"),
                alipay_public_key_pem=_file(base, "alipay", a, "alipay_public_key_file"),
                gateway=a.get("gateway", Alipay.GATEWAY), timeout=_seconds(path, "alipay", a))
        except ValueError as exc:
            raise PaymentsConfigError(f"{path}: [alipay] {exc}") from None
    if "bank" in data:
        try:
            config.bank_layout = BankLayout.from_mapping(data["bank"])
        except (StatementError, TypeError) as exc:
            raise PaymentsConfigError(f"{path}: [bank] {exc}") from None
    return config


def providers_from_config(path: str | Path, db=None) -> dict[str, Provider]:
    """``serve --payments FILE.toml``: the real adapters the file names (``upstream.payments.providers_from_setting``
    calls this; ``db`` is not needed by real providers, whose books are their own)."""
    return load_payments_config(path).providers
