"""cashier.money: parsing what a cashier types, formatting, and 人民币大写."""

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cashier.errors import AmountError
from cashier.money import MAX_AMOUNT_FEN, fen_from_decimal, fen_to_decimal, format_fen, parse_amount, rmb_upper


@pytest.mark.parametrize(
    "text, fen",
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("０.０５", 5),
        ("１２.５０", 1250),
        ("１２．５０", 1250),
        ("￥12.50", 1250),
        ("¥12.50", 1250),
        ("12.50元", 1250),
        ("￥１，２３４.５元", 123450),
        (" 1,234.50 ", 123450),
        ("1234.5", 123450),
        (".5", 50),
        ("12.", 1200),
        ("+3", 300),
        ("999999999.99", MAX_AMOUNT_FEN),
    ],
)
def test_parse_amount_accepts_what_cashiers_type(text, fen):
    assert parse_amount(text) == fen


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "amount.empty"),
        ("   ", "amount.empty"),
        ("-1", "amount.negative"),
        ("－1", "amount.negative"),
        ("￥-1.00", "amount.negative"),
        ("1.234", "amount.too_many_decimals"),
        ("1e9", "amount.invalid"),
        ("abc", "amount.invalid"),
        ("12元5角", "amount.invalid"),
        ("1,23.00", "amount.invalid"),
        ("1 234", "amount.invalid"),
        ("NaN", "amount.invalid"),
        ("inf", "amount.invalid"),
        ("0x10", "amount.invalid"),
        (".", "amount.invalid"),
        ("0", "amount.zero"),
        ("0.00", "amount.zero"),
        ("1000000000", "amount.too_large"),
        ("9" * 200, "amount.invalid"),
    ],
)
def test_parse_amount_refuses_bad_input_with_a_specific_reason(text, key):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert info.value.key == key
    assert info.value.message("zh") and info.value.message("en")
    assert info.value.message("zh") != info.value.message("en")


def test_amount_error_names_the_input_in_chinese_and_english():
    with pytest.raises(AmountError) as info:
        parse_amount("1.234")
    assert "1.234" in info.value.message("zh") and "两位小数" in info.value.message("zh")
    assert "1.234" in info.value.message("en") and "two decimal" in info.value.message("en")


def test_zero_is_accepted_only_when_asked_and_limit_is_configurable():
    assert parse_amount("0", allow_zero=True) == 0
    with pytest.raises(AmountError) as info:
        parse_amount("5000.01", max_fen=500000)
    assert info.value.key == "amount.too_large"
    assert "￥5,000.00" in str(info.value)


@pytest.mark.parametrize(
    "fen, text",
    [(0, "￥0.00"), (5, "￥0.05"), (123450, "￥1,234.50"), (-1200, "-￥12.00"), (MAX_AMOUNT_FEN, "￥999,999,999.99")],
)
def test_format_fen_uses_full_width_yuan_sign_and_grouping(fen, text):
    assert format_fen(fen) == text
    assert "\u00a5" not in format_fen(fen)


def test_format_fen_refuses_floats_and_bools():
    with pytest.raises(TypeError):
        format_fen(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_fen(True)


amounts = st.integers(min_value=1, max_value=MAX_AMOUNT_FEN)


@given(amounts)
@example(1)
@example(MAX_AMOUNT_FEN)
def test_parse_and_format_round_trip(fen):
    assert parse_amount(format_fen(fen)) == fen
    assert parse_amount(format_fen(fen, symbol=False, grouping=False)) == fen
    assert parse_amount(str(fen_to_decimal(fen))) == fen
    full_width = str(fen_to_decimal(fen)).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_amount(full_width + "元") == fen


def test_fen_from_decimal_is_exact():
    assert fen_from_decimal("12.34") == 1234
    assert fen_from_decimal(Decimal("0.1")) == 10
    for bad in ("0.001", "abc", "NaN", "Infinity"):
        with pytest.raises(AmountError):
            fen_from_decimal(bad)


# --- 人民币大写 -----------------------------------------------------------------------
DESIGN_EXAMPLES = {140950: "壹仟肆佰零玖元伍角", 600714: "陆仟零柒元壹角肆分", 1000: "壹拾元整"}

HAND_CASES = {
    0: "零元整",
    1: "壹分",
    10: "壹角",
    55: "伍角伍分",
    100: "壹元整",
    105: "壹元零伍分",
    1600: "壹拾陆元整",
    32504: "叁佰贰拾伍元零肆分",
    168032: "壹仟陆佰捌拾元叁角贰分",
    10700053: "壹拾万柒仟元伍角叁分",
    10050000: "壹拾万零伍佰元整",
    1001000: "壹万零壹拾元整",
    100000000: "壹佰万元整",
    10007000000: "壹亿零柒万元整",
    10000000500: "壹亿零伍元整",
    99_999_999_999: "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    99_999_999_900: "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整",
}


@pytest.mark.parametrize("fen, text", sorted({**DESIGN_EXAMPLES, **HAND_CASES}.items()))
def test_rmb_upper_hand_written_cases(fen, text):
    assert rmb_upper(fen) == text


_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT = {"拾": 10, "佰": 100, "仟": 1000}


def read_rmb_upper(text: str) -> int:
    """An independent reader of 大写金额 (written for the test, not shared with the code)."""
    body = text.removesuffix("整")
    yuan_text, _, frac_text = body.partition("元") if "元" in body else ("", "", body)
    total = section = digit = 0
    for ch in yuan_text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            section += digit * _UNIT[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            raise ValueError(f"unexpected {ch!r} in {text}")
    total += section + digit
    cents = 0
    for match in re.finditer(r"([零壹贰叁肆伍陆柒捌玖])([角分]?)", frac_text):
        if match.group(2) == "角":
            cents += _DIGIT[match.group(1)] * 10
        elif match.group(2) == "分":
            cents += _DIGIT[match.group(1)]
    return total * 100 + cents


@given(amounts)
@example(1000)
@example(100)
@example(10_0000_0000)
def test_rmb_upper_reads_back_and_follows_zero_and_zheng_rules(fen):
    text = rmb_upper(fen)
    assert read_rmb_upper(text) == fen
    assert set(text) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in text
    for bad in ("零元", "零万", "零亿", "零整", "零角", "零拾", "零佰", "零仟"):
        assert bad not in text
    assert not text.startswith("零")
    assert text.endswith("整") == (fen % 100 == 0)
    yuan, cents = divmod(fen, 100)
    if yuan and cents and cents < 10:
        assert f"元零{'零壹贰叁肆伍陆柒捌玖'[cents]}分" in text
    if yuan and cents and cents % 10 == 0:
        assert text.endswith("角")
    if str(yuan).startswith("1") and len(str(yuan)) in (2, 6, 10):
        assert text.startswith("壹拾")
    if not yuan:
        assert "元" not in text


def test_rmb_upper_refuses_negative_and_too_large():
    with pytest.raises(AmountError):
        rmb_upper(-1)
    with pytest.raises(AmountError):
        rmb_upper(MAX_AMOUNT_FEN + 1)
    with pytest.raises(TypeError):
        rmb_upper(100.0)  # type: ignore[arg-type]
