"""The WeChat Pay and Alipay adapters: signing, verifying and reading answers as the providers document them.

The providers' servers cannot exist here, so they are played by ``httpx.MockTransport`` answering with the
documented examples (the only thing mocked). Sources:

- WeChat Pay, 安全规范 / 签名算法 (pay.weixin.qq.com wiki, chapter 4_3): the parameters appid=wxd930ea5d5a258f4f,
  mch_id=10000100, device_info=1000, body=test, nonce_str=ibuaiVcKdpRxkhJA with key
  192006250b4c09247ec02edce69f6a2d sign to 9A0A8659F005D6984697E2CA0A9CF3B7 (MD5) and
  6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6 (HMAC-SHA256).
- WeChat Pay, 提交付款码支付 (micropay, chapter 9_10) 返回示例, and its error codes (USERPAYING, SYSTEMERROR,
  BANKERROR, NOTENOUGH, AUTHCODEEXPIRE, AUTH_CODE_INVALID); 撤销订单 (reverse, 9_11) and its ``recall``.
  A documented example's ``sign`` was made with a key not published, so the example is signed again with the
  test key before it is served: the fields are the documentation's.
- Alipay, alipay.trade.pay (条码支付) 响应示例 (trade_no 2013112011001004330000121536, 88.88 yuan) and the
  公共错误码 (10000, 10003, 20000, 40004 with sub_code); alipay.trade.cancel with ``retry_flag``. The reply is
  signed with a key pair made in the test, as Alipay signs with its own private key.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from urllib.parse import parse_qs

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from upstream.payments.alipay import Alipay, rsa2_sign, rsa2_verify, response_content, signing_string
from upstream.payments.base import Outcome, ProviderUnreachable, RefundOutcome
from upstream.payments.statements import read_alipay, write_alipay, write_wechat
from upstream.payments.wechat import WeChatPay, from_xml, sign, to_xml

KEY = "192006250b4c09247ec02edce69f6a2d"

# 提交付款码支付 返回示例 (WeChat Pay, micropay), fields as documented
MICROPAY_OK = """<xml>
   <return_code><![CDATA[SUCCESS]]></return_code>
   <return_msg><![CDATA[OK]]></return_msg>
   <appid><![CDATA[wx2421b1c4370ec43b]]></appid>
   <mch_id><![CDATA[10000100]]></mch_id>
   <device_info><![CDATA[1000]]></device_info>
   <nonce_str><![CDATA[GOp3TRyMXzbMlkun]]></nonce_str>
   <sign><![CDATA[D6C76CB785F07992CDE05494BB7DF7FD]]></sign>
   <result_code><![CDATA[SUCCESS]]></result_code>
   <openid><![CDATA[oUpF8uN95-Ptaags6E_roPHg7AG0]]></openid>
   <is_subscribe><![CDATA[Y]]></is_subscribe>
   <trade_type><![CDATA[MICROPAY]]></trade_type>
   <bank_type><![CDATA[CCB_DEBIT]]></bank_type>
   <total_fee>1</total_fee>
   <coupon_fee>0</coupon_fee>
   <fee_type><![CDATA[CNY]]></fee_type>
   <transaction_id><![CDATA[1008450740201411110005820873]]></transaction_id>
   <out_trade_no><![CDATA[1415757673]]></out_trade_no>
   <attach><![CDATA[订单额外描述]]></attach>
   <time_end><![CDATA[20141111170043]]></time_end>
</xml>"""


def _err(code: str, words: str, **extra) -> dict:
    return {"return_code": "SUCCESS", "return_msg": "OK", "appid": "wx2421b1c4370ec43b", "mch_id": "10000100",
            "nonce_str": "GOp3TRyMXzbMlkun", "result_code": "FAIL", "err_code": code, "err_code_des": words, **extra}


def _signed(fields: dict, key: str = KEY, sign_type: str = "MD5") -> str:
    fields = dict(fields)
    fields.pop("sign", None)
    fields["sign"] = sign(fields, key, sign_type)
    return to_xml(fields)


def test_wechat_signature_matches_the_documented_example():
    params = {"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "device_info": "1000", "body": "test",
              "nonce_str": "ibuaiVcKdpRxkhJA"}
    assert sign(params, KEY) == "9A0A8659F005D6984697E2CA0A9CF3B7"
    assert sign(params, KEY, "HMAC-SHA256") == "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    assert sign({**params, "sign": "X", "attach": ""}, KEY) == "9A0A8659F005D6984697E2CA0A9CF3B7"  # sign, empties out
    assert sign(params, KEY + "0") != "9A0A8659F005D6984697E2CA0A9CF3B7"


def _wechat(handler, sign_type="MD5") -> WeChatPay:
    return WeChatPay("wx2421b1c4370ec43b", "10000100", KEY, sign_type=sign_type,
                     transport=httpx.MockTransport(handler))


@pytest.mark.parametrize("sign_type", ["MD5", "HMAC-SHA256"])
def test_wechat_micropay_sends_a_signed_request_and_reads_the_documented_answer(sign_type):
    seen = {}

    def server(request: httpx.Request) -> httpx.Response:
        sent = from_xml(request.content)
        seen.update(sent, path=request.url.path)
        assert sign(sent, KEY, sign_type) == sent["sign"]  # what WeChat Pay checks first
        answer = from_xml(MICROPAY_OK)
        if sign_type != "MD5":
            answer["sign_type"] = sign_type
        return httpx.Response(200, text=_signed(answer, sign_type=sign_type))

    answer = _wechat(server, sign_type).pay("0192f0000000700080000000000000a1", "134650720866361395", 1, "电费")
    assert seen["path"] == "/pay/micropay" and seen["auth_code"] == "134650720866361395"
    assert seen["total_fee"] == "1" and seen["body"] == "电费" and seen["out_trade_no"] == "0192f0000000700080000000000000a1"
    assert (seen.get("sign_type") == "HMAC-SHA256") == (sign_type == "HMAC-SHA256")
    assert answer.outcome is Outcome.PAID
    assert answer.provider_txn_id == "1008450740201411110005820873" and answer.amount_fen == 1
    assert answer.paid_at == datetime(2014, 11, 11, 9, 0, 43)  # 17:00:43 Beijing time
    assert "auth_code" not in answer.raw


@pytest.mark.parametrize("code, outcome", [
    ("USERPAYING", Outcome.USER_PAYING), ("SYSTEMERROR", Outcome.UNKNOWN), ("BANKERROR", Outcome.UNKNOWN),
    ("NOTENOUGH", Outcome.FAILED), ("AUTHCODEEXPIRE", Outcome.FAILED), ("AUTH_CODE_INVALID", Outcome.FAILED),
    ("ORDERPAID", Outcome.UNKNOWN)])
def test_wechat_micropay_error_codes_map_as_documented(code, outcome):
    answer = _wechat(lambda r: httpx.Response(200, text=_signed(_err(code, "说明")))).pay("o" * 32, "1" * 18, 100, "电费")
    assert answer.outcome is outcome and answer.reason_code == code and answer.reason == "说明"


def test_wechat_a_reply_with_a_wrong_signature_or_none_at_all_is_no_answer():
    forged = from_xml(MICROPAY_OK)  # the documentation's own sign, made with another key
    with pytest.raises(ProviderUnreachable, match="wrong signature"):
        _wechat(lambda r: httpx.Response(200, text=to_xml(forged))).pay("o" * 32, "1" * 18, 1, "电费")
    with pytest.raises(ProviderUnreachable):
        _wechat(lambda r: httpx.Response(502)).query("o" * 32)

    def down(request):
        raise httpx.ConnectError("refused")

    with pytest.raises(ProviderUnreachable, match="ConnectError"):
        _wechat(down).pay("o" * 32, "1" * 18, 1, "电费")


@pytest.mark.parametrize("fields, outcome", [
    ({"result_code": "SUCCESS", "recall": "N"}, Outcome.CANCELLED),
    ({"result_code": "SUCCESS", "recall": "Y"}, Outcome.UNKNOWN),
    ({"result_code": "FAIL", "err_code": "SYSTEMERROR", "recall": "Y"}, Outcome.UNKNOWN),
    ({"result_code": "FAIL", "err_code": "REVERSE_EXPIRE"}, Outcome.FAILED)])
def test_wechat_reverse_answers_including_recall(fields, outcome):
    base = {"return_code": "SUCCESS", "appid": "wx2421b1c4370ec43b", "mch_id": "10000100", "nonce_str": "n"}
    paths = []

    def server(request):
        paths.append(request.url.path)
        return httpx.Response(200, text=_signed({**base, **fields}))

    assert _wechat(server).cancel("o" * 32).outcome is outcome
    assert paths == ["/secapi/pay/reverse"]


@pytest.mark.parametrize("state, outcome", [("SUCCESS", Outcome.PAID), ("USERPAYING", Outcome.USER_PAYING),
                                            ("NOTPAY", Outcome.USER_PAYING), ("REVOKED", Outcome.CANCELLED),
                                            ("CLOSED", Outcome.CANCELLED), ("PAYERROR", Outcome.FAILED),
                                            ("REFUND", Outcome.PAID)])
def test_wechat_orderquery_trade_states(state, outcome):
    fields = {"return_code": "SUCCESS", "result_code": "SUCCESS", "trade_state": state, "total_fee": "12345",
              "transaction_id": "4200000001", "time_end": "20260302101500", "nonce_str": "n"}
    answer = _wechat(lambda r: httpx.Response(200, text=_signed(fields))).query("o" * 32)
    assert answer.outcome is outcome
    if outcome is Outcome.PAID:
        assert answer.amount_fen == 12345 and answer.provider_txn_id == "4200000001"
    nothing = _wechat(lambda r: httpx.Response(200, text=_signed(_err("ORDERNOTEXIST", "此交易订单号不存在"))))
    assert nothing.query("o" * 32).outcome is Outcome.NOT_FOUND


def test_wechat_refund_then_refundquery_and_the_statement_download():
    calls = []

    def server(request):
        sent = from_xml(request.content)
        calls.append((request.url.path, sent))
        base = {"return_code": "SUCCESS", "result_code": "SUCCESS", "nonce_str": "n"}
        if request.url.path == "/secapi/pay/refund":
            return httpx.Response(200, text=_signed({**base, "refund_id": "50000000012026", "refund_fee": sent["refund_fee"]}))
        if request.url.path == "/pay/refundquery":
            return httpx.Response(200, text=_signed({**base, "refund_count": "1", "refund_status_0": "SUCCESS",
                                                     "refund_id_0": "50000000012026", "refund_fee_0": "300"}))
        return httpx.Response(200, content=write_wechat([]))

    wechat = _wechat(server)
    first = wechat.refund("o" * 32, "r" * 32, 300, 1000, "冲正")
    assert (first.outcome, first.provider_refund_id, first.amount_fen) == (RefundOutcome.PENDING, "50000000012026", 300)
    assert calls[0][1]["total_fee"] == "1000" and calls[0][1]["out_refund_no"] == "r" * 32
    assert wechat.refund_query("o" * 32, "r" * 32).outcome is RefundOutcome.REFUNDED
    assert wechat.statement(date(2026, 3, 2)).startswith("交易时间".encode())
    assert calls[-1][1]["bill_date"] == "20260302" and calls[-1][1]["bill_type"] == "ALL"


# --- Alipay ---

def _keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, private, public


APP_KEY, APP_PRIVATE, APP_PUBLIC = _keys()  # the merchant's app key pair
ALI_KEY, ALI_PRIVATE, ALI_PUBLIC = _keys()  # Alipay's own, which signs its replies

# alipay.trade.pay 响应示例 (Alipay open platform, 当面付 条码支付), fields as documented
TRADE_PAY_OK = {"code": "10000", "msg": "Success", "trade_no": "2013112011001004330000121536",
                "out_trade_no": "6823789339978248", "buyer_logon_id": "159****5620", "total_amount": "88.88",
                "receipt_amount": "8.88", "gmt_payment": "2014-11-27 15:45:57", "buyer_user_id": "2088101117955611"}


def _alipay_reply(method: str, content: dict, *, key=ALI_KEY, spacing: str = "") -> str:
    text = json.dumps(content, ensure_ascii=False, separators=("," + spacing, ":" + spacing))
    return '{"' + method.replace(".", "_") + '_response":' + spacing + text + ',"sign":"' + rsa2_sign(text, key) + '"}'


def _alipay(handler) -> Alipay:
    return Alipay("2014072300007148", APP_PRIVATE, ALI_PUBLIC, transport=httpx.MockTransport(handler),
                  clock=lambda: datetime(2026, 3, 2, 10, 15, 0))


def test_alipay_request_is_rsa2_signed_over_the_sorted_parameters():
    seen = {}

    def server(request):
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        seen.update(form)
        return httpx.Response(200, text=_alipay_reply("alipay.trade.pay", TRADE_PAY_OK))

    answer = _alipay(server).pay("6823789339978248", "28763443825664394", 8888, "电费")
    assert seen["method"] == "alipay.trade.pay" and seen["sign_type"] == "RSA2" and seen["charset"] == "utf-8"
    assert seen["timestamp"] == "2026-03-02 10:15:00"
    biz = json.loads(seen["biz_content"])
    assert biz == {"out_trade_no": "6823789339978248", "scene": "bar_code", "auth_code": "28763443825664394",
                   "subject": "电费", "total_amount": "88.88"}
    # what Alipay verifies: the app's public key over k=v&… of every parameter but sign, sorted
    public = serialization.load_pem_public_key(APP_PUBLIC.encode())
    assert rsa2_verify(signing_string(seen), seen["sign"], public)
    assert signing_string(seen).startswith("app_id=2014072300007148&biz_content=")
    assert not rsa2_verify(signing_string({**seen, "biz_content": seen["biz_content"].replace("88.88", "88.89")}),
                           seen["sign"], public)
    assert answer.outcome is Outcome.PAID and answer.provider_txn_id == "2013112011001004330000121536"
    assert answer.amount_fen == 8888 and answer.paid_at == datetime(2014, 11, 27, 7, 45, 57)


def test_alipay_reply_is_verified_on_its_text_as_sent():
    body = _alipay_reply("alipay.trade.pay", TRADE_PAY_OK, spacing=" ")  # spaces: a re-serialisation would differ
    content, signature = response_content(body, "alipay.trade.pay")
    assert content.startswith('{"code": "10000"') and signature
    assert _alipay(lambda r: httpx.Response(200, text=body)).pay("o", "2" * 17, 8888, "电费").outcome is Outcome.PAID
    forged = _alipay_reply("alipay.trade.pay", TRADE_PAY_OK, key=APP_KEY)  # signed by someone not Alipay
    with pytest.raises(ProviderUnreachable, match="signature is wrong"):
        _alipay(lambda r: httpx.Response(200, text=forged)).pay("o", "2" * 17, 8888, "电费")
    unsigned = '{"alipay_trade_pay_response":' + json.dumps(TRADE_PAY_OK) + "}"
    with pytest.raises(ProviderUnreachable, match="missing"):
        _alipay(lambda r: httpx.Response(200, text=unsigned)).pay("o", "2" * 17, 8888, "电费")


@pytest.mark.parametrize("content, outcome, code", [
    ({"code": "10003", "msg": "等待用户付款", "trade_no": "2013112011001004330000121536"}, Outcome.USER_PAYING, "10003"),
    ({"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "isp.unknow-error"}, Outcome.UNKNOWN,
     "isp.unknow-error"),
    ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR", "sub_msg": "系统错误"},
     Outcome.UNKNOWN, "ACQ.SYSTEM_ERROR"),
    ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.PAYMENT_AUTH_CODE_INVALID",
      "sub_msg": "支付失败，获取顾客账户信息失败"}, Outcome.FAILED, "ACQ.PAYMENT_AUTH_CODE_INVALID"),
    ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.BUYER_BALANCE_NOT_ENOUGH", "sub_msg": "买家余额不足"},
     Outcome.FAILED, "ACQ.BUYER_BALANCE_NOT_ENOUGH")])
def test_alipay_pay_codes_map_as_documented(content, outcome, code):
    answer = _alipay(lambda r: httpx.Response(200, text=_alipay_reply("alipay.trade.pay", content))) \
        .pay("o", "2" * 17, 100, "电费")
    assert answer.outcome is outcome and answer.reason_code == code


@pytest.mark.parametrize("status, outcome", [("TRADE_SUCCESS", Outcome.PAID), ("TRADE_FINISHED", Outcome.PAID),
                                             ("WAIT_BUYER_PAY", Outcome.USER_PAYING),
                                             ("TRADE_CLOSED", Outcome.CANCELLED)])
def test_alipay_query_trade_status(status, outcome):
    content = {"code": "10000", "msg": "Success", "trade_no": "2013112011001004330000121536", "trade_status": status,
               "total_amount": "88.88", "send_pay_date": "2014-11-27 15:45:57"}
    answer = _alipay(lambda r: httpx.Response(200, text=_alipay_reply("alipay.trade.query", content))).query("o")
    assert answer.outcome is outcome
    missing = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"}
    assert _alipay(lambda r: httpx.Response(200, text=_alipay_reply("alipay.trade.query", missing))) \
        .query("o").outcome is Outcome.NOT_FOUND


@pytest.mark.parametrize("content, outcome", [
    ({"code": "10000", "msg": "Success", "retry_flag": "N", "action": "close"}, Outcome.CANCELLED),
    ({"code": "10000", "msg": "Success", "retry_flag": "N", "action": "refund"}, Outcome.CANCELLED),
    ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR", "retry_flag": "Y"}, Outcome.UNKNOWN),
    ({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.REASON_TRADE_BEEN_FREEZEN", "retry_flag": "N"},
     Outcome.FAILED)])
def test_alipay_cancel_and_its_retry_flag(content, outcome):
    answer = _alipay(lambda r: httpx.Response(200, text=_alipay_reply("alipay.trade.cancel", content))).cancel("o")
    assert answer.outcome is outcome


def test_alipay_refund_refund_query_and_the_statement_zip(tmp_path):
    import io
    import zipfile

    bill = write_alipay([], day=datetime(2026, 3, 2))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("20880000000000000156_20260302_业务明细(汇总).csv", "summary")
        z.writestr("20880000000000000156_20260302_业务明细.csv", bill)

    def server(request):
        if request.method == "GET":
            assert request.url.host == "dwbillcenter.alipay.com"
            return httpx.Response(200, content=packed.getvalue())
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        method, biz = form["method"], json.loads(form["biz_content"])
        if method == "alipay.trade.refund":
            assert biz["refund_amount"] == "3.00" and biz["out_request_no"] == "r" * 32
            return httpx.Response(200, text=_alipay_reply(method, {"code": "10000", "msg": "Success", "fund_change": "Y",
                                                                   "refund_fee": "3.00"}))
        if method == "alipay.trade.fastpay.refund.query":
            return httpx.Response(200, text=_alipay_reply(method, {"code": "10000", "msg": "Success",
                                                                   "refund_status": "REFUND_SUCCESS",
                                                                   "refund_amount": "3.00"}))
        assert method == "alipay.data.dataservice.bill.downloadurl.query"
        assert biz == {"bill_type": "trade", "bill_date": "2026-03-02"}
        return httpx.Response(200, text=_alipay_reply(method, {"code": "10000", "msg": "Success",
                                                               "bill_download_url": "http://dwbillcenter.alipay.com/x"}))

    alipay = _alipay(server)
    assert alipay.refund("o", "r" * 32, 300, 1000, "冲正").outcome is RefundOutcome.REFUNDED
    answer = alipay.refund_query("o", "r" * 32)
    assert answer.outcome is RefundOutcome.REFUNDED and answer.amount_fen == 300
    statement = alipay.statement(date(2026, 3, 2))
    assert statement == bill and read_alipay(statement) == []


def test_the_payments_settings_make_both_adapters(tmp_path):
    from upstream.payments.config import PaymentsConfigError, load_payments_config

    (tmp_path / "wechat.key").write_text(KEY)
    (tmp_path / "app.pem").write_text(APP_PRIVATE)
    (tmp_path / "alipay.pem").write_text(base64.b64encode(
        serialization.load_pem_public_key(ALI_PUBLIC.encode()).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode())  # bare base64
    settings = tmp_path / "payments.toml"
    settings.write_text('[wechat]\nappid = "wx2421b1c4370ec43b"\nmch_id = "10000100"\nkey_file = "wechat.key"\n'
                        '[alipay]\napp_id = "2014072300007148"\nprivate_key_file = "app.pem"\n'
                        'alipay_public_key_file = "alipay.pem"\n', encoding="utf-8")
    config = load_payments_config(settings)
    assert sorted(config.providers) == ["alipay", "wechat"] and config.bank_layout is None
    assert KEY not in repr(config.providers["wechat"])
    from upstream.payments.config import providers_from_config  # what serve --payments FILE.toml calls

    assert sorted(providers_from_config(settings)) == ["alipay", "wechat"]
    settings.write_text('[wechat]\nappid = "wx"\n', encoding="utf-8")
    with pytest.raises(PaymentsConfigError, match=r"\[wechat\] mch_id is required"):
        load_payments_config(settings)
    (tmp_path / "wechat.key").write_text(KEY)
    for bad in ('"10"', "0", "600", "true"):
        settings.write_text(f'[wechat]\nappid = "wx"\nmch_id = "1"\nkey_file = "wechat.key"\ntimeout_seconds = {bad}\n',
                            encoding="utf-8")
        with pytest.raises(PaymentsConfigError, match=r"\[wechat\] timeout_seconds is a number of seconds from 1 to 60"):
            load_payments_config(settings)
