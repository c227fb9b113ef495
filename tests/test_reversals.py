"""What the reversal dialog offers: today's payments of this terminal, newest first, reversed ones marked."""

from datetime import timedelta

import pytest


from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.reversals import ReversiblePayment, todays_payments


def test_todays_payments_newest_first_with_masked_name_tenders_and_reversed_mark(hall):
    t = hall.terminal
    first = take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    reverse_payment(t, hall.cashier, first.payment_id, hall.approve("reversal", first.payment_id), "重复")
    second = take_payment(t, hall.cashier, "3101000004", 20100,
                          [TenderLine("wechat", 10000, "42000001"), TenderLine("cash", 10100)])
    rows = todays_payments(t)
    assert all(isinstance(r, ReversiblePayment) for r in rows)
    assert [(r.payment_id, r.seq, r.reversed) for r in rows] == [(second.payment_id, 3, False), (first.payment_id, 1, True)]
    newest = rows[0]
    assert (newest.account_no, newest.masked_name, newest.amount_fen, newest.tenders) == \
        ("3101000004", "单*", 20100, ("wechat", "cash"))
    assert rows[1].amount_fen == 29254 and rows[1].tenders == ("cash",)


def test_yesterdays_payments_are_not_offered(hall):
    t = hall.terminal
    take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    hall.clock.at += timedelta(days=1)
    assert todays_payments(t) == []
