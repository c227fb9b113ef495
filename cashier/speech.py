"""Spoken amounts (语音播报): what the counter says to the customer, in spoken Chinese, not 大写.

``spoken_amount(fen)`` reads an amount the way a cashier says it aloud: 97025 → 九百七十元二角五分,
1000 → 十元, 101000 → 一千零一十元, 100500 → 一千零五元, 1005 → 十元零五分, 5 → 五分, 0 → 零元,
10000000 → 十万元, 100000100 → 一百万零一元.

Rules:
- groups of four digits with 万 and 亿 (万亿 above); zeros between digits, and a group that starts
  with zeros after a higher group, are one 零; trailing zeros are not said;
- a leading 一十 is said 十 (十元, 十五万元); inside a number it keeps its 一 (一千零一十元);
- 二, never 两: a text-to-speech voice reads 二 the same everywhere, and 两百/二百 are both heard as
  the same figure, so one form keeps the tests and the screen's text identical to what is heard;
- 角 and 分: 0 角 before a non-zero 分 is 零 when yuan were said (十元零五分), nothing under one
  yuan (五分); no 整.

Phrases: ``pay_phrase`` (请支付…), ``paid_phrase`` (收您…，找零…，请收好凭证), ``PASSWORD_PHRASE``.
Qt-free; playback is the UI's (``ui.speaker``).
"""

from __future__ import annotations

from cashier.money import chinese_section

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_GROUP_UNITS = ("", "万", "亿", "万亿")

PASSWORD_PHRASE = "请输入密码"


def _group(section: int) -> str:
    """0..9999 without its group unit; inner zeros become one 零, trailing zeros are silent."""
    return chinese_section(section, _DIGITS, _SMALL_UNITS)


def spoken_integer(number: int) -> str:
    """A whole number in spoken Chinese (0 → 零, 10 → 十, 1010 → 一千零一十, 100001 → 十万零一)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"not a non-negative integer: {number!r}")
    if number == 0:
        return "零"
    groups: list[int] = []
    while number:
        number, section = divmod(number, 10_000)
        groups.append(section)
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("too large to say")
    out: list[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        section = groups[index]
        if section == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or section < 1000):
            out.append("零")
        need_zero = False
        out.append(_group(section) + _GROUP_UNITS[index])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def spoken_amount(fen: int) -> str:
    """Fen as said aloud: 97025 → 九百七十元二角五分; 0 → 零元 (see the module's rules)."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise ValueError(f"not an amount in fen: {fen!r}")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return "零元"
    out = spoken_integer(yuan) + "元" if yuan else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen_digit:
        if yuan and not jiao:
            out += "零"
        out += _DIGITS[fen_digit] + "分"
    return out


def pay_phrase(due_fen: int) -> str:
    """请支付九百七十元二角五分"""
    return "请支付" + spoken_amount(due_fen)


def paid_phrase(received_fen: int, change_fen: int) -> str:
    """收您一千元，找零二十九元七角五分，请收好凭证 (no 找零 when there is no change)."""
    text = "收您" + spoken_amount(received_fen)
    if change_fen:
        text += "，找零" + spoken_amount(change_fen)
    return text + "，请收好凭证"
