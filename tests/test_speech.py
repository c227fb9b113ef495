"""Spoken amounts against hand-checked readings (each one said aloud and written down by hand)."""

import pytest

from cashier.speech import PASSWORD_PHRASE, paid_phrase, pay_phrase, spoken_amount, spoken_integer

CASES = [
    # the cases
    (97025, "九百七十元二角五分"),
    (1000, "十元"),
    (101000, "一千零一十元"),
    (100500, "一千零五元"),
    (1005, "十元零五分"),
    (5, "五分"),
    (0, "零元"),
    (10000000, "十万元"),
    (100000100, "一百万零一元"),
    # under one yuan
    (50, "五角"),
    (55, "五角五分"),
    (1, "一分"),
    (10, "一角"),
    # 一十 only at the start
    (1100, "十一元"),
    (1500, "十五元"),
    (11000, "一百一十元"),
    (1000000, "一万元"),
    (1010000, "一万零一百元"),
    (1500000, "一万五千元"),
    (15000000, "十五万元"),
    (11000000, "十一万元"),
    (10100000, "十万一千元"),
    # 零 inside and across groups
    (20000, "二百元"),
    (20500, "二百零五元"),
    (100100, "一千零一元"),
    (100005, "一千元零五分"),
    (100050, "一千元五角"),
    (1000100, "一万零一元"),
    (10000100, "十万零一元"),
    (10010000, "十万零一百元"),
    (100100000, "一百万一千元"),  # 100,1000 元: the 千 of the lower group follows directly
    (100010000, "一百万零一百元"),
    (2000000000, "二千万元"),
    (10000000000, "一亿元"),
    (10000010000, "一亿零一百元"),
    (10100000000, "一亿零一百万元"),
    (99999999999, "九亿九千九百九十九万九千九百九十九元九角九分"),
    (222222, "二千二百二十二元二角二分"),
    (300001, "三千元零一分"),
    (9702500, "九万七千零二十五元"),
]


@pytest.mark.parametrize(("fen", "said"), CASES)
def test_spoken_amount_reads_as_a_person_says_it(fen, said):
    assert spoken_amount(fen) == said


def test_spoken_integer_zero_and_ten():
    assert spoken_integer(0) == "零"
    assert spoken_integer(10) == "十"
    assert spoken_integer(100001) == "十万零一"


@pytest.mark.parametrize("bad", [-1, 1.5, "12", True, None])
def test_spoken_amount_refuses_what_is_not_fen(bad):
    with pytest.raises(ValueError):
        spoken_amount(bad)


def test_phrases():
    assert pay_phrase(97025) == "请支付九百七十元二角五分"
    assert paid_phrase(100000, 2975) == "收您一千元，找零二十九元七角五分，请收好凭证"
    assert paid_phrase(97025, 0) == "收您九百七十元二角五分，请收好凭证"
    assert PASSWORD_PHRASE == "请输入密码"
