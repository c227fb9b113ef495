"""WeChat Pay 付款码支付 (API v2, XML over HTTPS) behind ``Provider``.

Calls: ``/pay/micropay`` (pay), ``/pay/orderquery`` (query), ``/secapi/pay/reverse`` (cancel; merchant
certificate), ``/secapi/pay/refund`` (refund; certificate), ``/pay/refundquery``, ``/pay/downloadbill``.
Source: WeChat Pay's developer documentation for 付款码支付 (pay.weixin.qq.com/wiki/doc/api/micropay.php:
提交付款码支付 chapter 9_10, 查询订单 9_2, 撤销订单 9_11, 申请退款 9_4, 查询退款 9_5, 下载对账单 9_6, 安全规范 4_3).

Written on httpx rather than wechatpy: wechatpy (1.8, last released 2021) sends through ``requests``, so its
HTTP could not go through the transport the tests replace, and the v2 protocol is small: sorted
``key=value`` pairs with ``&key=API key`` appended, MD5 or HMAC-SHA256, upper-case hex, in an ``<xml>``.

The documented answers are followed exactly:

- micropay ``result_code=FAIL``: ``USERPAYING`` → USER_PAYING (query at intervals, then reverse);
  ``SYSTEMERROR`` / ``BANKERROR`` → UNKNOWN (query, never assume); ``ORDERPAID`` → UNKNOWN (a query says
  the transaction); every other code (``NOTENOUGH``, ``AUTHCODEEXPIRE``, ``AUTH_CODE_INVALID``,
  ``PAYERROR``, ``BUYER_MISMATCH``, ``ORDERCLOSED``, ``ORDERREVERSED`` …) → FAILED with the code.
- ``return_code=FAIL`` (the request itself was not taken: signature, parameters): UNKNOWN with its message
  for pay (query before anything else), FAILED elsewhere only where nothing can have happened.
- reverse: ``recall=Y`` → UNKNOWN (call reverse again); success → CANCELLED.
- A reply whose signature does not verify is no answer: ``ProviderUnreachable``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import ssl
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import httpx

from upstream.payments.base import (Outcome, ProviderAnswer, ProviderUnreachable, RefundAnswer, RefundOutcome)

BEIJING = timedelta(hours=8)
USER_PAYING_CODES = {"USERPAYING"}
UNKNOWN_CODES = {"SYSTEMERROR", "BANKERROR", "ORDERPAID"}
NOT_FOUND_CODES = {"ORDERNOTEXIST"}
REFUND_RETRY_CODES = {"SYSTEMERROR", "BIZERR_NEED_RETRY"}


def sign(params: dict, key: str, sign_type: str = "MD5") -> str:
    """The v2 signature: non-empty parameters but ``sign`` sorted by name, ``k=v&…&key=KEY``, upper-case hex."""
    string_a = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign" and params[k] not in (None, ""))
    temp = f"{string_a}&key={key}".encode("utf-8")
    if sign_type == "HMAC-SHA256":
        return hmac.new(key.encode("utf-8"), temp, hashlib.sha256).hexdigest().upper()
    if sign_type == "MD5":
        return hashlib.md5(temp).hexdigest().upper()
    raise ValueError(f"sign_type is MD5 or HMAC-SHA256, not {sign_type!r}")


def to_xml(params: dict) -> str:
    parts = []
    for k, v in params.items():
        text = str(v)
        parts.append(f"<{k}><![CDATA[{text}]]></{k}>" if not text.isdigit() else f"<{k}>{text}</{k}>")
    return "<xml>" + "".join(parts) + "</xml>"


def from_xml(text: str | bytes) -> dict[str, str]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProviderUnreachable(f"WeChat Pay's reply is not XML: {exc}") from None
    return {child.tag: (child.text or "") for child in root}


def _beijing(stamp: str | None) -> datetime | None:
    """``20141030133525`` (Beijing time) as naive UTC."""
    if not stamp:
        return None
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S") - BEIJING
    except ValueError:
        return None


def _fen(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


_SAFE = ("return_code", "return_msg", "result_code", "err_code", "err_code_des", "trade_state", "trade_state_desc",
         "transaction_id", "out_trade_no", "total_fee", "cash_fee", "time_end", "recall", "refund_id",
         "out_refund_no", "refund_fee", "refund_status_0", "refund_id_0", "refund_fee_0", "bank_type")


class WeChatPay:
    """One WeChat Pay merchant (appid, mch_id, API key); ``transport`` replaces the network in tests."""

    name = "wechat"
    GATEWAY = "https://api.mch.weixin.qq.com"

    def __init__(self, appid: str, mch_id: str, key: str, *, sign_type: str = "MD5", gateway: str = GATEWAY,
                 cert: tuple[str, str] | None = None, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None, client_ip: str = "127.0.0.1") -> None:
        if sign_type not in ("MD5", "HMAC-SHA256"):
            raise ValueError(f"sign_type is MD5 or HMAC-SHA256, not {sign_type!r}")
        self.appid, self.mch_id, self._key, self.sign_type = appid, mch_id, key, sign_type
        self.gateway, self.client_ip = gateway.rstrip("/"), client_ip
        self._http = httpx.Client(transport=transport, timeout=timeout)
        if cert is not None and transport is None:
            context = ssl.create_default_context()
            context.load_cert_chain(cert[0], cert[1])
            self._secure = httpx.Client(verify=context, timeout=timeout)
        else:
            self._secure = self._http  # tests; or no certificate (reverse and refund then fail at WeChat's end)

    def __repr__(self) -> str:  # never the key
        return f"WeChatPay(appid={self.appid!r}, mch_id={self.mch_id!r})"

    def close(self) -> None:
        self._http.close()
        if self._secure is not self._http:
            self._secure.close()

    # --- the wire ---

    def _request(self, path: str, params: dict, *, secure: bool = False, raw: bool = False):
        body = {"appid": self.appid, "mch_id": self.mch_id, "nonce_str": secrets.token_hex(16), **params}
        if self.sign_type != "MD5":
            body["sign_type"] = self.sign_type
        body["sign"] = sign(body, self._key, self.sign_type)
        client = self._secure if secure else self._http
        try:
            reply = client.post(self.gateway + path, content=to_xml(body).encode("utf-8"),
                                headers={"Content-Type": "text/xml; charset=utf-8"})
        except httpx.HTTPError as exc:
            raise ProviderUnreachable(f"WeChat Pay {path}: {exc.__class__.__name__}: {exc}") from None
        if reply.status_code != 200:
            raise ProviderUnreachable(f"WeChat Pay {path}: HTTP {reply.status_code}")
        if raw and not reply.content.lstrip().startswith(b"<xml>"):
            return reply.content
        answer = from_xml(reply.content)
        if answer.get("return_code") == "SUCCESS" and "sign" in answer:
            self.verify(answer)
        elif answer.get("return_code") == "SUCCESS" and answer.get("result_code"):
            raise ProviderUnreachable(f"WeChat Pay {path}: an answer without a signature")
        return answer

    def verify(self, answer: dict) -> None:
        """A reply's signature, by the sign_type it names (else the merchant's); ``ProviderUnreachable`` if wrong."""
        kind = answer.get("sign_type") or self.sign_type
        try:
            expected = sign(answer, self._key, kind)
        except ValueError:
            raise ProviderUnreachable(f"WeChat Pay's reply names an unknown sign_type {kind!r}") from None
        if not hmac.compare_digest(expected, answer.get("sign", "")):
            raise ProviderUnreachable("WeChat Pay's reply has a wrong signature")

    @staticmethod
    def _raw(answer: dict) -> dict:
        return {k: answer[k] for k in _SAFE if k in answer}

    # --- Provider ---

    def pay(self, order_no: str, code: str, amount_fen: int, subject: str) -> ProviderAnswer:
        answer = self._request("/pay/micropay", {"body": subject, "out_trade_no": order_no, "total_fee": amount_fen,
                                                 "spbill_create_ip": self.client_ip, "auth_code": code})
        return self._trade_answer(answer, paid_when_success=True)

    def query(self, order_no: str) -> ProviderAnswer:
        return self._trade_answer(self._request("/pay/orderquery", {"out_trade_no": order_no}),
                                  paid_when_success=False)

    def _trade_answer(self, a: dict, *, paid_when_success: bool) -> ProviderAnswer:
        raw = self._raw(a)
        if a.get("return_code") != "SUCCESS":
            return ProviderAnswer(Outcome.UNKNOWN, reason_code="RETURN_FAIL", reason=a.get("return_msg"), raw=raw)
        if a.get("result_code") != "SUCCESS":
            code, words = a.get("err_code", ""), a.get("err_code_des") or a.get("return_msg")
            if code in USER_PAYING_CODES:
                return ProviderAnswer(Outcome.USER_PAYING, reason_code=code, reason=words, raw=raw)
            if code in UNKNOWN_CODES or not code:
                return ProviderAnswer(Outcome.UNKNOWN, reason_code=code or None, reason=words, raw=raw)
            if code in NOT_FOUND_CODES:
                return ProviderAnswer(Outcome.NOT_FOUND, reason_code=code, reason=words, raw=raw)
            return ProviderAnswer(Outcome.FAILED, reason_code=code, reason=words, raw=raw)
        state = "SUCCESS" if paid_when_success else a.get("trade_state", "")
        paid = dict(provider_txn_id=a.get("transaction_id") or None, amount_fen=_fen(a.get("total_fee")),
                    paid_at=_beijing(a.get("time_end")))
        words = a.get("trade_state_desc")
        if state in ("SUCCESS", "REFUND"):  # REFUND: paid, and (part of) it refunded since
            return ProviderAnswer(Outcome.PAID, **paid, reason=words, raw=raw)
        if state in ("USERPAYING", "NOTPAY"):
            return ProviderAnswer(Outcome.USER_PAYING, reason_code=state, reason=words, raw=raw)
        if state in ("CLOSED", "REVOKED"):
            return ProviderAnswer(Outcome.CANCELLED, reason_code=state, reason=words, raw=raw)
        if state == "PAYERROR":
            return ProviderAnswer(Outcome.FAILED, reason_code=state, reason=words, raw=raw)
        return ProviderAnswer(Outcome.UNKNOWN, reason_code=state or None, reason=words, raw=raw)

    def cancel(self, order_no: str) -> ProviderAnswer:
        a = self._request("/secapi/pay/reverse", {"out_trade_no": order_no}, secure=True)
        raw = self._raw(a)
        if a.get("return_code") != "SUCCESS":
            return ProviderAnswer(Outcome.UNKNOWN, reason_code="RETURN_FAIL", reason=a.get("return_msg"), raw=raw)
        if a.get("recall") == "Y":
            return ProviderAnswer(Outcome.UNKNOWN, reason_code=a.get("err_code") or "RECALL",
                                  reason=a.get("err_code_des") or "call reverse again", raw=raw)
        if a.get("result_code") == "SUCCESS":
            return ProviderAnswer(Outcome.CANCELLED, raw=raw)
        code, words = a.get("err_code", ""), a.get("err_code_des")
        if code in ("SYSTEMERROR", "USERPAYING") or not code:
            return ProviderAnswer(Outcome.UNKNOWN, reason_code=code or None, reason=words, raw=raw)
        if code in NOT_FOUND_CODES:
            return ProviderAnswer(Outcome.NOT_FOUND, reason_code=code, reason=words, raw=raw)
        return ProviderAnswer(Outcome.FAILED, reason_code=code, reason=words, raw=raw)

    def refund(self, order_no: str, refund_no: str, amount_fen: int, total_fen: int, reason: str) -> RefundAnswer:
        a = self._request("/secapi/pay/refund", {"out_trade_no": order_no, "out_refund_no": refund_no,
                                                 "total_fee": total_fen, "refund_fee": amount_fen,
                                                 "refund_desc": reason}, secure=True)
        raw = self._raw(a)
        if a.get("return_code") != "SUCCESS":
            return RefundAnswer(RefundOutcome.UNKNOWN, reason_code="RETURN_FAIL", reason=a.get("return_msg"), raw=raw)
        if a.get("result_code") == "SUCCESS":  # accepted: the money goes back asynchronously (refundquery says when)
            return RefundAnswer(RefundOutcome.PENDING, provider_refund_id=a.get("refund_id") or None,
                                amount_fen=_fen(a.get("refund_fee")), raw=raw)
        code, words = a.get("err_code", ""), a.get("err_code_des")
        if code in REFUND_RETRY_CODES or not code:
            return RefundAnswer(RefundOutcome.UNKNOWN, reason_code=code or None, reason=words, raw=raw)
        return RefundAnswer(RefundOutcome.FAILED, reason_code=code, reason=words, raw=raw)

    def refund_query(self, order_no: str, refund_no: str) -> RefundAnswer:
        a = self._request("/pay/refundquery", {"out_refund_no": refund_no})
        raw = self._raw(a)
        if a.get("return_code") != "SUCCESS":
            return RefundAnswer(RefundOutcome.UNKNOWN, reason_code="RETURN_FAIL", reason=a.get("return_msg"), raw=raw)
        if a.get("result_code") != "SUCCESS":
            code, words = a.get("err_code", ""), a.get("err_code_des")
            if code in REFUND_RETRY_CODES or not code:
                return RefundAnswer(RefundOutcome.UNKNOWN, reason_code=code or None, reason=words, raw=raw)
            return RefundAnswer(RefundOutcome.FAILED, reason_code=code, reason=words, raw=raw)
        status = a.get("refund_status_0", "")
        common = dict(provider_refund_id=a.get("refund_id_0") or None, amount_fen=_fen(a.get("refund_fee_0")), raw=raw)
        if status == "SUCCESS":
            return RefundAnswer(RefundOutcome.REFUNDED, **common)
        if status == "PROCESSING":
            return RefundAnswer(RefundOutcome.PENDING, **common)
        if status in ("REFUNDCLOSE", "CHANGE"):
            return RefundAnswer(RefundOutcome.FAILED, reason_code=status, **common)
        return RefundAnswer(RefundOutcome.UNKNOWN, reason_code=status or None, **common)

    def statement(self, day: date) -> bytes:
        """The day's ALL bill as WeChat Pay sends it (CSV); a day with no bill is an empty statement."""
        reply = self._request("/pay/downloadbill", {"bill_date": day.strftime("%Y%m%d"), "bill_type": "ALL"},
                              raw=True)
        if isinstance(reply, bytes):
            return reply
        if "No Bill Exist" in (reply.get("return_msg") or "") or reply.get("error_code") == "20002":
            from upstream.payments.statements import write_wechat

            return write_wechat([])
        raise ProviderUnreachable(f"WeChat Pay downloadbill: {reply.get('return_msg') or reply}")
