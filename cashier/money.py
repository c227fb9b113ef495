"""Money: integer fen (分) everywhere in the core; ``Decimal`` only at the edges.

``parse_amount`` reads what a cashier typed, ``format_fen`` shows fen on screen and on
receipts (``￥1,234.50``, full-width U+FFE5), ``rmb_upper`` writes 人民币（大写） under the
People's Bank of China rules (正确填写票据和结算凭证的基本规定).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from cashier.errors import AmountError

YUAN_SIGN = "\uffe5"  # ￥ full-width; never U+00A5 on screen or receipt
FEN_PER_YUAN = 100
#: Largest amount a person may type: 999,999,999.99 yuan (what rmb_upper and receipts cover).
MAX_AMOUNT_FEN = 99_999_999_999

_MAX_INPUT_CHARS = 40
# After NFKC: optional currency sign, digits with optional proper thousands grouping,
# optional fraction, optional 元 (or 圆).
_AMOUNT_RE = re.compile(
    r"""^(?P<sign>[-+−])?\s*[¥]?\s*(?P<sign2>[-+−])?\s*
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)?
        (?:\.(?P<frac>\d*))?
        \s*(?:元|圆)?$""",
    re.VERBOSE,
)


def parse_amount(text: str, *, allow_zero: bool = False, max_fen: int = MAX_AMOUNT_FEN) -> int:
    """Parse a typed amount in yuan (``12``, ``12.5``, ``￥1,234.50``, ``１２.５０元``) into fen.

    Refuses, with a specific ``AmountError``: empty text, anything that is not a plain
    decimal number (``abc``, ``1e9``), negative amounts, more than 2 decimals, zero unless
    ``allow_zero``, and amounts above ``max_fen``.
    """
    if text is None or not str(text).strip():
        raise AmountError("amount.empty")
    raw = str(text)
    if len(raw) > _MAX_INPUT_CHARS:
        raise AmountError("amount.invalid", text=raw[:_MAX_INPUT_CHARS] + "…")
    normalized = unicodedata.normalize("NFKC", raw).strip()
    normalized = normalized.replace("，", ",").replace("。", ".").replace("．", ".")
    match = _AMOUNT_RE.match(normalized)
    if not match or (match["int"] is None and not match["frac"]):
        raise AmountError("amount.invalid", text=raw.strip())
    if match["sign"] in ("-", "−") or match["sign2"] in ("-", "−"):
        raise AmountError("amount.negative", text=raw.strip())
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise AmountError("amount.too_many_decimals", text=raw.strip())
    whole = (match["int"] or "0").replace(",", "")
    fen = int(whole) * FEN_PER_YUAN + int((frac + "00")[:2])
    if fen == 0 and not allow_zero:
        raise AmountError("amount.zero")
    if fen > max_fen:
        raise AmountError("amount.too_large", text=raw.strip(), limit=format_fen(max_fen))
    return fen


def fen_from_decimal(value: Decimal | str | int) -> int:
    """Exact yuan → fen for values read from files or the network; refuses sub-fen parts."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountError("amount.invalid", text=str(value)) from None
    if not amount.is_finite():
        raise AmountError("amount.invalid", text=str(value))
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise AmountError("amount.too_many_decimals", text=str(value))
    return int(fen)


def fen_to_decimal(fen: int) -> Decimal:
    """Fen → yuan as an exact Decimal with two places."""
    return (Decimal(_require_int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_fen(fen: int, *, symbol: bool = True, grouping: bool = True) -> str:
    """``123450`` → ``￥1,234.50``; negative as ``-￥12.00``. Same text on screen and receipt."""
    fen = _require_int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{YUAN_SIGN if symbol else ''}{whole}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = ("", "万", "亿", "万亿")


def chinese_section(section: int, digits: str = _DIGITS, units: tuple[str, ...] = _SMALL_UNITS) -> str:
    """A 4-digit section (0..9999) without its section unit; inner zeros become one 零, trailing ones are silent.

    With the uppercase numerals by default (壹…玖, 拾佰仟); ``cashier.speech`` reads amounts aloud with the
    ordinary ones (一…九, 十百千)."""
    out: list[str] = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = section // 10**position % 10
        if digit == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(digits[digit] + units[position])
    return "".join(out)


_section_upper = chinese_section


def _integer_upper(yuan: int) -> str:
    if yuan == 0:
        return ""
    sections: list[int] = []
    while yuan:
        yuan, section = divmod(yuan, 10_000)
        sections.append(section)
    out: list[str] = []
    need_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            need_zero = bool(out)
            continue
        # 零 before a section with leading zeros (壹拾万零伍佰) or after skipped zeros.
        if out and (need_zero or section < 1000):
            out.append("零")
        need_zero = False
        out.append(_section_upper(section) + _SECTION_UNITS[index])
    return "".join(out)


def rmb_upper(fen: int) -> str:
    """Chinese uppercase amount (大写金额) for receipts and documents, without the 人民币 prefix.

    Rules (PBoC): 壹拾 keeps its 壹; zeros between digits are one 零; a zero 角 before a
    non-zero 分 is written 零; an amount without 角 and 分 ends in 元整; no 整 after 角 or 分;
    under one yuan starts at the 角 or 分 (伍角, 伍分); 0 is 零元整.
    140950 → 壹仟肆佰零玖元伍角; 600714 → 陆仟零柒元壹角肆分; 1000 → 壹拾元整.
    """
    fen = _require_int(fen)
    if fen < 0:
        raise AmountError("amount.negative", text=format_fen(fen))
    if fen > MAX_AMOUNT_FEN:
        raise AmountError("amount.too_large", text=format_fen(fen), limit=format_fen(MAX_AMOUNT_FEN))
    yuan, cents = divmod(fen, FEN_PER_YUAN)
    jiao, fen_digit = divmod(cents, 10)
    integer = _integer_upper(yuan)
    if not cents:
        return (integer or "零") + "元整"
    out = integer + "元" if integer else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif integer:
        out += "零"  # 壹佰元零伍分: the empty 角 must be written
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    return out


def _require_int(value: object) -> int:
    # bool is an int subclass; True fen is a bug, not money.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"amounts are integer fen, got {type(value).__name__}")
    return value
