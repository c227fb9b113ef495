"""Alipay 当面付 条码支付 (open platform gateway, RSA2) behind ``Provider``.

Calls: ``alipay.trade.pay`` (``scene=bar_code``), ``alipay.trade.query``, ``alipay.trade.cancel``,
``alipay.trade.refund``, ``alipay.trade.fastpay.refund.query``, ``alipay.data.dataservice.bill.downloadurl.query``.
Source: Alipay open platform documentation (opendocs.alipay.com: 当面付 条码支付 接入指南, the API pages of
each method, 公共错误码, 签名 / 验签: "自行实现签名").

Written on httpx and ``cryptography`` rather than python-alipay-sdk: that SDK (an sdist, on pycryptodomex)
sends with ``urllib``, so its HTTP could not go through the transport the tests replace. The protocol is
small: the request's parameters but ``sign`` sorted, ``k=v&…`` (values not encoded), SHA256withRSA with the
app's private key, base64; the reply's ``<method>_response`` object, exactly as its text stands in the reply,
verified with Alipay's public key against the reply's ``sign``.

Codes, as the documentation says to treat them:

- ``10000`` success: trade.pay → PAID; trade.query by ``trade_status``: TRADE_SUCCESS / TRADE_FINISHED →
  PAID, WAIT_BUYER_PAY → USER_PAYING, TRADE_CLOSED → CANCELLED; trade.cancel → CANCELLED unless
  ``retry_flag=Y`` (→ UNKNOWN: cancel again).
- ``10003`` 等待用户付款 → USER_PAYING (query at intervals, then cancel).
- ``20000`` 服务不可用, and ``ACQ.SYSTEM_ERROR`` → UNKNOWN (query, never assume).
- ``40004`` with ``sub_code`` (ACQ.PAYMENT_AUTH_CODE_INVALID, ACQ.BUYER_BALANCE_NOT_ENOUGH, …) → FAILED with
  the sub_code; ACQ.TRADE_NOT_EXIST on a query → NOT_FOUND. Other codes (20001, 40001, 40002, 40006) are
  refusals of the request: FAILED with the code (sub_code when there is one).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from upstream.payments.base import (Outcome, ProviderAnswer, ProviderUnreachable, RefundAnswer, RefundOutcome)
from upstream.payments.statements import StatementError, fen_to_yuan, yuan_to_fen

BEIJING = timezone(timedelta(hours=8))
UNKNOWN_SUB_CODES = {"ACQ.SYSTEM_ERROR", "ACQ.TRADE_HAS_SUCCESS"}  # has_success: the order was paid: query it


def _load_key(pem: str, private: bool):
    text = pem.strip()
    if "-----BEGIN" not in text:  # Alipay's console hands keys out as bare base64
        kind = "PRIVATE KEY" if private else "PUBLIC KEY"
        text = f"-----BEGIN {kind}-----\n" + "\n".join(text[i:i + 64] for i in range(0, len(text), 64)) + \
               f"\n-----END {kind}-----"
    try:
        if private:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an RSA {'private' if private else 'public'} key: {exc}") from None
    if not isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        raise ValueError("the key is not RSA (Alipay's RSA2 is SHA256withRSA)")
    return key


def signing_string(params: dict) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] not in (None, ""))


def rsa2_sign(text: str, private_key) -> str:
    return base64.b64encode(private_key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa2_verify(text: str, signature: str, public_key) -> bool:
    try:
        public_key.verify(base64.b64decode(signature), text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


def response_content(body: str, method: str) -> tuple[str, str | None]:
    """The reply's ``<method>_response`` (or ``error_response``) object exactly as it stands in ``body``, and
    the reply's ``sign``: what Alipay signed is that text, not a re-serialisation of it."""
    decoder = json.JSONDecoder()
    for name in (method.replace(".", "_") + "_response", "error_response"):
        marker = f'"{name}"'
        at = body.find(marker)
        if at < 0:
            continue
        start = body.index(":", at + len(marker)) + 1
        while body[start] in " \t\r\n":
            start += 1
        try:
            _, end = decoder.raw_decode(body, start)
        except ValueError:
            raise ProviderUnreachable(f"Alipay {method}: the reply is not JSON") from None
        try:
            signature = json.loads(body).get("sign")
        except ValueError:
            raise ProviderUnreachable(f"Alipay {method}: the reply is not JSON") from None
        return body[start:end], signature
    raise ProviderUnreachable(f"Alipay {method}: the reply has no {method.replace('.', '_')}_response")


def _paid_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING).astimezone(
            timezone.utc).replace(tzinfo=None)
    except ValueError:
        return None


def _fen(text) -> int | None:
    if text in (None, ""):
        return None
    try:
        return yuan_to_fen(str(text))
    except StatementError:
        return None


_SAFE = ("code", "msg", "sub_code", "sub_msg", "trade_no", "out_trade_no", "trade_status", "total_amount",
         "receipt_amount", "gmt_payment", "retry_flag", "action", "refund_fee", "fund_change", "out_request_no",
         "refund_amount", "refund_status")


class Alipay:
    """One Alipay app (app_id, its private key, Alipay's public key); ``transport`` replaces the network in tests."""

    name = "alipay"
    GATEWAY = "https://openapi.alipay.com/gateway.do"

    def __init__(self, app_id: str, private_key_pem: str, alipay_public_key_pem: str, *, gateway: str = GATEWAY,
                 timeout: float = 10.0, transport: httpx.BaseTransport | None = None,
                 clock=lambda: datetime.now(BEIJING)) -> None:
        self.app_id, self.gateway, self._clock = app_id, gateway, clock
        self._private = _load_key(private_key_pem, private=True)
        self._public = _load_key(alipay_public_key_pem, private=False)
        self._http = httpx.Client(transport=transport, timeout=timeout)

    def __repr__(self) -> str:
        return f"Alipay(app_id={self.app_id!r})"

    def close(self) -> None:
        self._http.close()

    def signed_params(self, method: str, biz: dict) -> dict:
        params = {"app_id": self.app_id, "method": method, "format": "JSON", "charset": "utf-8",
                  "sign_type": "RSA2", "timestamp": self._clock().strftime("%Y-%m-%d %H:%M:%S"), "version": "1.0",
                  "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":"))}
        params["sign"] = rsa2_sign(signing_string(params), self._private)
        return params

    def _call(self, method: str, biz: dict) -> dict:
        try:
            reply = self._http.post(self.gateway, data=self.signed_params(method, biz),
                                    headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"})
        except httpx.HTTPError as exc:
            raise ProviderUnreachable(f"Alipay {method}: {exc.__class__.__name__}: {exc}") from None
        if reply.status_code != 200:
            raise ProviderUnreachable(f"Alipay {method}: HTTP {reply.status_code}")
        return self.read_reply(method, reply.text)

    def read_reply(self, method: str, body: str) -> dict:
        """The reply's content, its signature checked; ``ProviderUnreachable`` when missing or wrong."""
        content, signature = response_content(body, method)
        if not signature or not rsa2_verify(content, signature, self._public):
            raise ProviderUnreachable(f"Alipay {method}: the reply's signature is {'wrong' if signature else 'missing'}")
        answer = json.loads(content)
        if not isinstance(answer, dict):
            raise ProviderUnreachable(f"Alipay {method}: the reply is not an object")
        return answer

    @staticmethod
    def _raw(a: dict) -> dict:
        return {k: a[k] for k in _SAFE if k in a}

    def _not_success(self, a: dict) -> ProviderAnswer:
        code, sub = str(a.get("code", "")), a.get("sub_code")
        words = a.get("sub_msg") or a.get("msg")
        raw = self._raw(a)
        if code == "10003":
            return ProviderAnswer(Outcome.USER_PAYING, provider_txn_id=a.get("trade_no") or None, reason_code=code,
                                  reason=words, raw=raw)
        if code == "20000" or sub in UNKNOWN_SUB_CODES or a.get("retry_flag") == "Y":
            return ProviderAnswer(Outcome.UNKNOWN, reason_code=sub or code, reason=words, raw=raw)
        if sub == "ACQ.TRADE_NOT_EXIST":
            return ProviderAnswer(Outcome.NOT_FOUND, reason_code=sub, reason=words, raw=raw)
        return ProviderAnswer(Outcome.FAILED, reason_code=sub or code or None, reason=words, raw=raw)

    def pay(self, order_no: str, code: str, amount_fen: int, subject: str) -> ProviderAnswer:
        a = self._call("alipay.trade.pay", {"out_trade_no": order_no, "scene": "bar_code", "auth_code": code,
                                            "subject": subject, "total_amount": fen_to_yuan(amount_fen)})
        if str(a.get("code")) != "10000":
            return self._not_success(a)
        return ProviderAnswer(Outcome.PAID, provider_txn_id=a.get("trade_no") or None,
                              amount_fen=_fen(a.get("total_amount")), paid_at=_paid_at(a.get("gmt_payment")),
                              raw=self._raw(a))

    def query(self, order_no: str) -> ProviderAnswer:
        a = self._call("alipay.trade.query", {"out_trade_no": order_no})
        if str(a.get("code")) != "10000":
            return self._not_success(a)
        status, raw = a.get("trade_status", ""), self._raw(a)
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return ProviderAnswer(Outcome.PAID, provider_txn_id=a.get("trade_no") or None,
                                  amount_fen=_fen(a.get("total_amount")),
                                  paid_at=_paid_at(a.get("send_pay_date") or a.get("gmt_payment")), raw=raw)
        if status == "WAIT_BUYER_PAY":
            return ProviderAnswer(Outcome.USER_PAYING, reason_code=status, raw=raw)
        if status == "TRADE_CLOSED":  # closed unpaid, or paid and refunded in full: no charge stands
            return ProviderAnswer(Outcome.CANCELLED, reason_code=status, raw=raw)
        return ProviderAnswer(Outcome.UNKNOWN, reason_code=status or None, raw=raw)

    def cancel(self, order_no: str) -> ProviderAnswer:
        a = self._call("alipay.trade.cancel", {"out_trade_no": order_no})
        if a.get("retry_flag") == "Y":
            return ProviderAnswer(Outcome.UNKNOWN, reason_code=a.get("sub_code") or "RETRY",
                                  reason=a.get("sub_msg") or "cancel again", raw=self._raw(a))
        if str(a.get("code")) == "10000":
            return ProviderAnswer(Outcome.CANCELLED, reason_code=a.get("action") or None, raw=self._raw(a))
        return self._not_success(a)

    def refund(self, order_no: str, refund_no: str, amount_fen: int, total_fen: int, reason: str) -> RefundAnswer:
        a = self._call("alipay.trade.refund", {"out_trade_no": order_no, "refund_amount": fen_to_yuan(amount_fen),
                                               "out_request_no": refund_no, "refund_reason": reason})
        raw = self._raw(a)
        if str(a.get("code")) == "10000":  # synchronous: the refund is made (fund_change=N on a repeat of it)
            return RefundAnswer(RefundOutcome.REFUNDED, provider_refund_id=refund_no,
                                amount_fen=amount_fen, raw=raw)
        code, sub = str(a.get("code", "")), a.get("sub_code")
        words = a.get("sub_msg") or a.get("msg")
        if code == "20000" or sub in ("ACQ.SYSTEM_ERROR",):
            return RefundAnswer(RefundOutcome.UNKNOWN, reason_code=sub or code, reason=words, raw=raw)
        return RefundAnswer(RefundOutcome.FAILED, reason_code=sub or code or None, reason=words, raw=raw)

    def refund_query(self, order_no: str, refund_no: str) -> RefundAnswer:
        a = self._call("alipay.trade.fastpay.refund.query", {"out_trade_no": order_no, "out_request_no": refund_no})
        raw = self._raw(a)
        code, sub = str(a.get("code", "")), a.get("sub_code")
        if code == "10000":
            if a.get("refund_status") == "REFUND_SUCCESS" or (not a.get("refund_status") and a.get("refund_amount")):
                return RefundAnswer(RefundOutcome.REFUNDED, provider_refund_id=refund_no,
                                    amount_fen=_fen(a.get("refund_amount")), raw=raw)
            # 10000 without the refund: Alipay never took it; the same refund_no may be sent again
            return RefundAnswer(RefundOutcome.FAILED, reason_code="REFUND_NOT_FOUND", raw=raw)
        words = a.get("sub_msg") or a.get("msg")
        if code == "20000" or sub == "ACQ.SYSTEM_ERROR":
            return RefundAnswer(RefundOutcome.UNKNOWN, reason_code=sub or code, reason=words, raw=raw)
        return RefundAnswer(RefundOutcome.FAILED, reason_code=sub or code or None, reason=words, raw=raw)

    def statement(self, day: date) -> bytes:
        """The day's 业务明细 CSV out of the zip Alipay's download URL serves (a day without one: empty)."""
        a = self._call("alipay.data.dataservice.bill.downloadurl.query",
                       {"bill_type": "trade", "bill_date": day.isoformat()})
        if str(a.get("code")) != "10000":
            if a.get("sub_code") == "isp.bill_not_exist":
                from upstream.payments.statements import write_alipay

                return write_alipay([], day=datetime(day.year, day.month, day.day))
            raise ProviderUnreachable(f"Alipay bill download: {a.get('sub_code') or a.get('code')} "
                                      f"{a.get('sub_msg') or a.get('msg')}")
        try:
            reply = self._http.get(a["bill_download_url"])
        except (httpx.HTTPError, KeyError) as exc:
            raise ProviderUnreachable(f"Alipay bill download: {exc}") from None
        if reply.status_code != 200:
            raise ProviderUnreachable(f"Alipay bill download: HTTP {reply.status_code}")
        try:
            with zipfile.ZipFile(io.BytesIO(reply.content)) as z:
                for info in z.infolist():
                    name = info.filename
                    if not info.flag_bits & 0x800:  # not marked UTF-8: Alipay's zips name files in GBK
                        name = name.encode("cp437").decode("gb18030", "replace")
                    if name.endswith("业务明细.csv"):
                        return z.read(info)
        except zipfile.BadZipFile:
            raise ProviderUnreachable("Alipay bill download: not a zip file") from None
        raise ProviderUnreachable("Alipay bill download: no 业务明细.csv in the zip")
