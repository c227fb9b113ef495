"""The providers' daily statements (对账单): readers into ``StatementLine`` and writers in each layout.

Amounts in every file are yuan with two decimals; they become integer fen through ``Decimal`` (never a
float), and an amount with more than two decimals is refused, not rounded.

WeChat Pay (微信支付 API v2 ``/pay/downloadbill``, ``bill_type=ALL``). Source: WeChat Pay's developer
documentation, 下载交易账单 (pay.weixin.qq.com wiki, 付款码支付 chapter 9_6), and the header as merchants'
parsers read it. A CSV in UTF-8: the first line is the header, then one line per order or refund with
every value prefixed by a backtick (`` ` ``, so a spreadsheet keeps long numbers as text), then two summary
lines: ``总交易单数,应结订单总金额,退款总金额,…`` and its values. The current header is::

    交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,
    货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,
    商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注

and the older one (still in merchants' archives) has ``子商户号`` … ``总金额,企业红包金额`` … ``退款金额,
企业红包退款金额``. The reader goes by column names, so both read. ``交易状态`` is ``SUCCESS`` (paid),
``REFUND`` (a refund of the order named by 微信订单号: the refund columns are filled) or ``REVOKED``
(paid, then reversed by ``reverse``: no charge stands, so no line).

Alipay (支付宝 ``alipay.data.dataservice.bill.downloadurl.query``, ``bill_type=trade``): the download is a
zip holding ``…_业务明细.csv``. Source: Alipay open platform 对账说明 / 账单下载 and the field lists merchants'
parsers use. GBK text; lines starting with ``#`` are comments (account, period, the
``#---…业务明细列表---`` rulers, and at the end ``#交易合计：N笔，退款合计：M笔`` and ``#导出时间：[…]``);
the header::

    支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,
    订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,
    券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注

Values of number columns carry a trailing tab (again for spreadsheets). ``业务类型`` is ``交易`` or ``退款``;
a refund line names the original trade (支付宝交易号) and carries a negative amount and the merchant's
refund request number (退款批次号/请求号).

A bank's settlement file (standalone bank POS, 收单行对账文件) has no one layout: ``BankLayout`` maps its
columns, read from the upstream's payments settings (``upstream.payments.config``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Iterable

from upstream.payments.base import StatementLine


class StatementError(ValueError):
    """A statement file that cannot be read as its layout says (the message says where and why)."""


_AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")


def yuan_to_fen(text: str, *, where: str = "") -> int:
    """``"12.30"`` → 1230, ``"-0.01"`` → -1 (exact; at most two decimals; a ``¥``, ``,`` or ``\\t`` is dropped)."""
    cleaned = (text or "").strip().strip("`").strip().replace(",", "").lstrip("¥￥")
    if not _AMOUNT.match(cleaned):
        raise StatementError(f"{where}not an amount in yuan with at most two decimals: {text!r}")
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise StatementError(f"{where}not an amount: {text!r}") from None


def fen_to_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _time(text: str, where: str, fmt: str = "%Y-%m-%d %H:%M:%S") -> datetime:
    if fmt == "%Y-%m-%d %H:%M:%S" and len(text) == 19 and text[10] == " ":
        try:
            return datetime.fromisoformat(text)  # the same format, ten times faster than strptime
        except ValueError:
            pass
    try:
        return datetime.strptime(text.strip(), fmt)
    except ValueError:
        raise StatementError(f"{where}not a time ({fmt}): {text!r}") from None


def _text(data: bytes | str, encodings: tuple[str, ...]) -> str:
    if isinstance(data, str):
        return data
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError(f"the file is not {' or '.join(encodings)} text")


# --- WeChat Pay ---

WECHAT_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
                 "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
                 "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注").split(",")
WECHAT_SUMMARY = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额".split(",")


def _pick(index: dict[str, int], *names: str) -> int | None:
    for name in names:
        if name in index:
            return index[name]
    return None


class _Cells:
    """A WeChat line's values, each cleaned of its backtick only when read (most columns never are)."""

    __slots__ = ("row",)

    def __init__(self, row: list[str]) -> None:
        self.row = row

    def __getitem__(self, i: int) -> str:
        return self.row[i].strip().lstrip("`").strip()


def read_wechat(data: bytes | str) -> list[StatementLine]:
    """A WeChat Pay ``downloadbill`` (ALL) file: one line per paid order and per refund (REVOKED left out).

    The summary's 总交易单数 must count the detail lines: a file cut short is refused, not half reconciled."""
    rows = list(csv.reader(io.StringIO(_text(data, ("utf-8-sig", "gb18030")))))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise StatementError("empty WeChat Pay statement")
    index = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(rows[0])}
    need = {"交易时间": _pick(index, "交易时间"), "微信订单号": _pick(index, "微信订单号"),
            "交易状态": _pick(index, "交易状态"), "订单金额": _pick(index, "订单金额", "总金额")}
    missing = [k for k, v in need.items() if v is None]
    if missing:
        raise StatementError(f"not a WeChat Pay statement: no column {', '.join(missing)} in the header")
    c_time, c_txn, c_state, c_amount = need.values()
    c_order = _pick(index, "商户订单号")
    c_device = _pick(index, "设备号")
    c_refund_id = _pick(index, "微信退款单号")
    c_refund_no = _pick(index, "商户退款单号")
    c_refund_fen = _pick(index, "申请退款金额", "退款金额")
    lines: list[StatementLine] = []
    details = 0
    summary: list[str] | None = None
    for n, row in enumerate(rows[1:], start=2):
        first = row[0].strip()
        if first == "总交易单数":
            summary = rows[n] if n < len(rows) else None
            break
        details += 1
        if len(row) < len(index):
            raise StatementError(f"line {n}: {len(row)} values, the header has {len(index)}")
        cells = _Cells(row)
        where = f"line {n}: "
        state = cells[c_state]
        at = _time(cells[c_time], where)
        order_no = (cells[c_order] or None) if c_order is not None else None
        terminal = (cells[c_device] or None) if c_device is not None else None
        if state == "SUCCESS":
            lines.append(StatementLine("wechat", "payment", cells[c_txn], order_no,
                                       yuan_to_fen(cells[c_amount], where=where), at, terminal=terminal))
        elif state == "REFUND":
            if c_refund_fen is None:
                raise StatementError(f"{where}a refund, and the header has no 退款金额 column")
            lines.append(StatementLine(
                "wechat", "refund", cells[c_txn], order_no, abs(yuan_to_fen(cells[c_refund_fen], where=where)), at,
                refund_no=(cells[c_refund_no] or None) if c_refund_no is not None else None,
                provider_refund_id=(cells[c_refund_id] or None) if c_refund_id is not None else None,
                terminal=terminal))
        elif state == "REVOKED":
            continue  # paid, then reversed (撤销): no charge stands
        else:
            raise StatementError(f"{where}unknown 交易状态 {state!r}")
    if summary is None:
        raise StatementError("the WeChat Pay statement has no summary (总交易单数): cut short?")
    try:
        count = int(summary[0].strip().lstrip("`"))
    except (ValueError, IndexError):
        raise StatementError(f"the summary's 总交易单数 is not a number: {summary[:1]!r}") from None
    if count != details:
        raise StatementError(f"the summary counts {count} lines, the file has {details}: cut short or altered")
    return lines


def write_wechat(lines: Iterable[StatementLine], *, appid: str = "wx2421b1c4370ec43b",
                 mch_id: str = "10000100") -> bytes:
    """``lines`` in WeChat Pay's ALL layout (the current header, backtick-prefixed values, the summary)."""
    out = io.StringIO()
    out.write(",".join(WECHAT_HEADER) + "\r\n")
    count = paid = refunded = 0
    for x in lines:
        refund = x.kind == "refund"
        amount = fen_to_yuan(x.amount_fen)
        values = [x.at.strftime("%Y-%m-%d %H:%M:%S"), appid, mch_id, "0", x.terminal or "", x.provider_txn_id,
                  x.order_no or "", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "MICROPAY", "REFUND" if refund else "SUCCESS",
                  "OTHERS", "CNY", "0.00" if refund else amount, "0.00",
                  (x.provider_refund_id or "") if refund else "", (x.refund_no or "") if refund else "",
                  amount if refund else "0.00", "0.00", "ORIGINAL" if refund else "", "SUCCESS" if refund else "",
                  "电费", "", "0.00", "0.60%", "0.00" if refund else amount, amount if refund else "0.00", ""]
        out.write(",".join("`" + v for v in values) + "\r\n")
        count += 1
        paid += 0 if refund else x.amount_fen
        refunded += x.amount_fen if refund else 0
    out.write(",".join(WECHAT_SUMMARY) + "\r\n")
    out.write(",".join("`" + v for v in (str(count), fen_to_yuan(paid), fen_to_yuan(refunded), "0.00", "0.00",
                                         fen_to_yuan(paid), fen_to_yuan(refunded))) + "\r\n")
    return out.getvalue().encode("utf-8")


# --- Alipay ---

ALIPAY_HEADER = ("支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
                 "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,"
                 "券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注").split(",")
_ALIPAY_TOTALS = re.compile(r"交易合计[：:]\s*(\d+)\s*笔.*?退款合计[：:]\s*(\d+)\s*笔")


def read_alipay(data: bytes | str) -> list[StatementLine]:
    """An Alipay 业务明细 file (GBK): one line per trade (交易) and per refund (退款).

    The ``#交易合计：N笔，退款合计：M笔`` line, when present, must count the lines read."""
    text = _text(data, ("gb18030", "utf-8-sig")) if isinstance(data, bytes) else data
    header: dict[str, int] | None = None
    lines: list[StatementLine] = []
    trades = refunds = 0
    totals: tuple[int, int] | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            m = _ALIPAY_TOTALS.search(raw)
            if m:
                totals = (int(m.group(1)), int(m.group(2)))
            continue
        cells = [c.strip() for c in next(csv.reader([raw]))]
        if header is None:
            header = {name: i for i, name in enumerate(cells)}
            missing = [k for k in ("支付宝交易号", "业务类型", "完成时间", "订单金额（元）") if k not in header]
            if missing:
                raise StatementError(f"not an Alipay 业务明细 file: no column {', '.join(missing)} in the header")
            continue
        if len(cells) < len(header):
            raise StatementError(f"line {n}: {len(cells)} values, the header has {len(header)}")
        where = f"line {n}: "

        def col(name: str) -> str | None:
            i = header.get(name)
            return (cells[i] or None) if i is not None else None

        kind = col("业务类型")
        at = _time(col("完成时间") or col("创建时间") or "", where)
        fen = abs(yuan_to_fen(col("订单金额（元）") or "", where=where))
        if kind == "交易":
            trades += 1
            lines.append(StatementLine("alipay", "payment", col("支付宝交易号") or "", col("商户订单号"), fen, at,
                                       terminal=col("终端号")))
        elif kind == "退款":
            refunds += 1
            lines.append(StatementLine("alipay", "refund", col("支付宝交易号") or "", col("商户订单号"), fen, at,
                                       refund_no=col("退款批次号/请求号"), terminal=col("终端号")))
        else:
            raise StatementError(f"{where}unknown 业务类型 {kind!r}")
    if header is None:
        raise StatementError("empty Alipay statement: no header line")
    if totals is not None and totals != (trades, refunds):
        raise StatementError(f"the file says {totals[0]} trades and {totals[1]} refunds, it holds {trades} and "
                             f"{refunds}: cut short or altered")
    return lines


def write_alipay(lines: Iterable[StatementLine], *, account: str = "20880000000000000156",
                 day: datetime | None = None) -> bytes:
    """``lines`` in Alipay's 业务明细 layout, GBK, with its comment lines and totals."""
    lines = list(lines)
    start = (day or (lines[0].at if lines else datetime(2026, 1, 1))).replace(hour=0, minute=0, second=0)
    out = io.StringIO()
    out.write("#支付宝业务明细查询\r\n")
    out.write(f"#账号：[{account}]\r\n")
    out.write(f"#起始日期：[{start:%Y年%m月%d日} 00:00:00]   终止日期：[{start:%Y年%m月%d日} 23:59:59]\r\n")
    out.write("#-----------------------------------------业务明细列表----------------------------------------\r\n")
    out.write(",".join(ALIPAY_HEADER) + "\r\n")
    trades = refunds = 0
    for x in lines:
        refund = x.kind == "refund"
        trades += not refund
        refunds += refund
        amount = fen_to_yuan(-x.amount_fen if refund else x.amount_fen)
        stamp = x.at.strftime("%Y-%m-%d %H:%M:%S")
        values = [x.provider_txn_id + "\t", (x.order_no or "") + "\t", "退款" if refund else "交易", "电费", stamp,
                  stamp, "", "", "", x.terminal or "", "138******00", amount, amount, "0.00", "0.00", "0.00", "0.00",
                  "0.00", "", "0.00", "0.00", ((x.refund_no or "") + "\t") if refund else "", "0.00", "0.00", ""]
        out.write(",".join(values) + "\r\n")
    out.write("#-----------------------------------------业务明细列表结束------------------------------------\r\n")
    out.write(f"#交易合计：{trades}笔，退款合计：{refunds}笔\r\n")
    out.write(f"#导出时间：[{start:%Y年%m月%d日} 09:00:00]\r\n")
    return out.getvalue().encode("gb18030")


# --- A bank's settlement file ---

@dataclass(frozen=True)
class BankLayout:
    """How to read one acquiring bank's settlement file: columns by header name (or 1-based number).

    ``header_rows``: lines before the first data line (the last of them is the header when columns are
    named); ``footer_rows``: summary lines at the end to leave out. A line is a refund when its
    ``refund_column`` holds one of ``refund_values`` (or, with no refund column, when its amount is negative).
    """

    reference: str | int = "检索参考号"
    amount: str | int = "交易金额"
    time: str | int = "交易时间"
    time_format: str = "%Y-%m-%d %H:%M:%S"
    refund_column: str | int | None = "交易类型"
    refund_values: tuple[str, ...] = ("退货", "撤销", "REFUND")
    order: str | int | None = None
    terminal: str | int | None = "终端号"
    encoding: str = "gb18030"
    delimiter: str = ","
    header_rows: int = 1
    footer_rows: int = 0
    amount_unit: str = "yuan"  # yuan (two decimals) | fen

    @classmethod
    def from_mapping(cls, m: dict) -> "BankLayout":
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(m) - known)
        if unknown:
            raise StatementError(f"unknown bank statement setting(s): {', '.join(unknown)}")
        values = dict(m)
        if "refund_values" in values:
            values["refund_values"] = tuple(str(v) for v in values["refund_values"])
        if values.get("amount_unit", "yuan") not in ("yuan", "fen"):
            raise StatementError("amount_unit is yuan or fen")
        if values.get("delimiter") is not None and len(values["delimiter"]) != 1:
            raise StatementError("delimiter is one character")
        return cls(**values)


def read_bank(data: bytes | str, layout: BankLayout) -> list[StatementLine]:
    text = data.decode(layout.encoding) if isinstance(data, bytes) else data
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=layout.delimiter) if any(c.strip() for c in r)]
    if len(rows) < layout.header_rows + layout.footer_rows:
        raise StatementError("the bank statement is shorter than its header and footer rows")
    header = rows[layout.header_rows - 1] if layout.header_rows else []
    names = {c.strip(): i for i, c in enumerate(header)}

    def column(spec: str | int | None, what: str) -> int | None:
        if spec is None:
            return None
        if isinstance(spec, int):
            return spec - 1
        if spec not in names:
            raise StatementError(f"the bank statement has no column {spec!r} ({what}); its header: {', '.join(names)}")
        return names[spec]

    c_ref, c_amount, c_time = column(layout.reference, "reference"), column(layout.amount, "amount"), \
        column(layout.time, "time")
    c_refund, c_order = column(layout.refund_column, "refund marker"), column(layout.order, "order")
    c_terminal = column(layout.terminal, "terminal") if layout.terminal in names or isinstance(layout.terminal, int) \
        else None
    body = rows[layout.header_rows:len(rows) - layout.footer_rows]
    lines = []
    for n, row in enumerate(body, start=layout.header_rows + 1):
        cells = [c.strip().strip("`").strip() for c in row]
        where = f"line {n}: "
        try:
            raw_amount = cells[c_amount]
            reference = cells[c_ref]
            at = _time(cells[c_time], where, layout.time_format)
        except IndexError:
            raise StatementError(f"{where}fewer values than the mapped columns") from None
        if layout.amount_unit == "fen":
            if not re.match(r"^-?[0-9]+$", raw_amount):
                raise StatementError(f"{where}not an amount in fen: {raw_amount!r}")
            fen = int(raw_amount)
        else:
            fen = yuan_to_fen(raw_amount, where=where)
        refund = (cells[c_refund] in layout.refund_values) if c_refund is not None else fen < 0
        lines.append(StatementLine("bank", "refund" if refund else "payment", reference,
                                   (cells[c_order] or None) if c_order is not None else None, abs(fen), at,
                                   terminal=(cells[c_terminal] or None) if c_terminal is not None else None))
    return lines


def write_bank(lines: Iterable[StatementLine], layout: BankLayout = BankLayout()) -> bytes:
    """``lines`` as a settlement file of ``layout`` (named columns only; the tests' and the simulator's bank)."""
    specs = [("reference", layout.reference), ("amount", layout.amount), ("time", layout.time)]
    if layout.refund_column is not None:
        specs.append(("refund", layout.refund_column))
    if layout.order is not None:
        specs.append(("order", layout.order))
    if layout.terminal is not None:
        specs.append(("terminal", layout.terminal))
    if any(isinstance(spec, int) for _, spec in specs):
        width = max(spec for _, spec in specs if isinstance(spec, int))
        header = [f"列{i + 1}" for i in range(width)]
        for _, spec in specs:
            if not isinstance(spec, int):
                raise StatementError("write_bank: columns are all numbered or all named")
    else:
        header = [str(spec) for _, spec in specs]
    out = io.StringIO()
    w = csv.writer(out, delimiter=layout.delimiter, lineterminator="\r\n")
    for _ in range(max(layout.header_rows - 1, 0)):
        w.writerow(["收单机构对账文件"] + [""] * (len(header) - 1))
    if layout.header_rows:
        w.writerow(header)
    count = total = 0
    for x in lines:
        row = [""] * len(header)
        refund = x.kind == "refund"
        fen = -x.amount_fen if refund and layout.refund_column is None else x.amount_fen
        values = {"reference": x.provider_txn_id, "time": x.at.strftime(layout.time_format),
                  "amount": str(fen) if layout.amount_unit == "fen" else fen_to_yuan(fen),
                  "refund": layout.refund_values[0] if refund else "消费", "order": x.order_no or "",
                  "terminal": x.terminal or ""}
        for what, spec in specs:
            i = spec - 1 if isinstance(spec, int) else header.index(str(spec))
            row[i] = values[what]
        w.writerow(row)
        count += 1
        total += fen
    for _ in range(layout.footer_rows):
        w.writerow([f"合计 {count} 笔"] + [""] * (len(header) - 1))
    return out.getvalue().encode(layout.encoding)


def read_statement(provider: str, data: bytes | str, bank_layout: BankLayout | None = None) -> list[StatementLine]:
    if provider == "wechat":
        return read_wechat(data)
    if provider == "alipay":
        return read_alipay(data)
    if provider == "bank":
        return read_bank(data, bank_layout or BankLayout())
    raise StatementError(f"no statement layout for provider {provider!r}")


def write_statement(provider: str, lines: Iterable[StatementLine], bank_layout: BankLayout | None = None) -> bytes:
    """The day's ``lines`` as ``provider`` publishes its statement (the simulator serves its statements so)."""
    if provider == "wechat":
        return write_wechat(lines)
    if provider == "alipay":
        return write_alipay(lines)
    if provider == "bank":
        return write_bank(lines, bank_layout or BankLayout())
    raise StatementError(f"no statement layout for provider {provider!r}")


__all__ = ["BankLayout", "StatementError", "read_statement", "write_statement", "read_wechat", "write_wechat",
           "read_alipay", "write_alipay", "read_bank", "write_bank", "yuan_to_fen", "fen_to_yuan"]
