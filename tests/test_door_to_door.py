"""Door-to-door collection in the core: the assigned list, the caps, the settings and the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cashier import shifts
from admin.cli import main
from cashier.door_to_door import assigned_customers
from cashier.errors import ConfigError, DomainError
from cashier.payments import TenderLine, take_payment
from cashier.printer_uri import parse_printer_uri
from cashier.settings import Paths, SyncSettings, load_settings
from cashier.sync.engine import set_state
from tests.helpers.hall import add_account, make_hall


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    add_account(h.store, "3101000021", name="甲", special_group="wubao", collector="刘建国", station="B所",
                bills=[("202601", 3000, date(2026, 2, 25))])
    add_account(h.store, "3101000022", name="乙", special_group="elderly_alone", collector="刘建国", station="A所")
    add_account(h.store, "3101000023", name="丙", special_group="disabled", collector="刘建国", station="A所",
                bills=[("202512", 9000, date(2026, 1, 25))])
    add_account(h.store, "3101000024", name="丁", collector="刘建国", bills=[("202601", 3000, date(2026, 2, 25))])
    yield h
    h.store.close()


def test_the_list_is_the_collectors_special_groups_owing_first_in_route_order(hall):
    with hall.store.read() as s:
        customers = assigned_customers(s, "刘建国", date(2026, 3, 2))
        nobody = assigned_customers(s, "没有这个人", date(2026, 3, 2))
    assert [c.account_no for c in customers] == ["3101000023", "3101000021", "3101000022"]
    assert [c.arrears_fen for c in customers] == [9000, 3000, 0]
    assert customers[0].due_fen > 9000  # with the penalty of 36 days
    assert nobody == []


def test_the_amount_cap_still_holds_out_there(hall):
    t = hall.terminal
    t.door_to_door = "刘建国"
    t.exposure = SyncSettings(max_offline_hours=1, max_unsynced_fen=10000)
    with t.store.transaction() as s:
        set_state(s, last_success_at=(t.clock.now() - timedelta(days=5)).isoformat())
    shifts.open_shift(t, hall.cashier, {1000: 5})
    take_payment(t, hall.cashier, "3101000021", 3000, [TenderLine("cash", 3000)])  # 5 days offline: fine
    with pytest.raises(DomainError) as info:
        take_payment(t, hall.cashier, "3101000023", 9500, [TenderLine("cash", 10000)])  # 3,000 + 9,500 > 10,000
    assert info.value.key == "sync.exposure_exceeded"


def test_settings_need_a_collector_and_the_pdf_printer_parses(tmp_path):
    (tmp_path / "cashier.toml").write_text("[door_to_door]\nenabled = true\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(Paths.resolve(tmp_path))
    assert "door_to_door" in str(info.value)
    assert parse_printer_uri("pdf://").path == ""
    assert parse_printer_uri("pdf:///home/collector/收据").path == "/home/collector/收据"
    assert parse_printer_uri("pdf://D:/收据").path == "D:/收据"  # a Windows laptop


def test_cashier_admin_switches_door_to_door_on_lists_and_off(hall, tmp_path, capsys):
    d = str(tmp_path)
    assert main(["--data-dir", d, "door-to-door", "--list"]) == 3
    assert "未开启走收" in capsys.readouterr().err
    assert main(["--data-dir", d, "door-to-door", "--collector", "刘建国", "--list"]) == 0
    out = capsys.readouterr().out
    assert "已开启走收模式" in out and "走收客户 3 户，其中欠费 2 户" in out
    assert out.index("3101000023") < out.index("3101000021") < out.index("3101000022")
    assert "3101000024" not in out
    assert load_settings(Paths.resolve(tmp_path)).settings.door_to_door.collector == "刘建国"
    assert main(["--data-dir", d, "door-to-door", "--off"]) == 0
    assert not load_settings(Paths.resolve(tmp_path)).settings.door_to_door.enabled
    assert main(["--data-dir", d, "door-to-door", "--collector", " "]) == 3
    assert "--collector" in capsys.readouterr().err
