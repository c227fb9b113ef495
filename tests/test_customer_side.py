"""The customer's side in the core: its settings, the feed's privacy, and the pole display's bytes."""

from datetime import date

import pytest

from cashier.customer_side import CustomerSide, CustomerView, Stage
from cashier.errors import ConfigError
from cashier.pole_display import frame_for, parse_pole_uri, pole_number
from cashier.rules.quote import AccountQuote, BillQuote
from cashier.settings import Paths, load_settings


def paths_with(tmp_path, text):
    paths = Paths.resolve(tmp_path / "hall")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths


def test_customer_display_and_voice_defaults(tmp_path):
    settings = load_settings(Paths.resolve(tmp_path / "hall")).settings
    assert settings.customer_display.mode == "off" and settings.customer_display.pole == "off"
    assert settings.customer_display.screen_index == 1
    assert not settings.voice.enabled and settings.voice.rate == 0 and settings.voice.volume == 80


@pytest.mark.parametrize("pole", ["off", "serial://COM3?baud=2400", "serial:///dev/ttyUSB0?baud=2400",
                                  "tcp://192.0.2.7:4001"])
def test_pole_uris_of_the_printer_schemes_are_accepted(tmp_path, pole):
    paths = paths_with(tmp_path, f'[customer_display]\nmode = "screen"\nscreen_index = 0\npole = "{pole}"\n')
    cfg = load_settings(paths).settings.customer_display
    assert (cfg.mode, cfg.screen_index, cfg.pole) == ("screen", 0, pole)


@pytest.mark.parametrize(("text", "field", "said"), [
    ('[customer_display]\nmode = "second"\n', "customer_display.mode", "window"),
    ("[customer_display]\nscreen_index = 9\n", "customer_display.screen_index", "8"),
    ('[customer_display]\npole = "usb://0416:5011"\n', "customer_display.pole", "serial://COM3?baud=2400"),
    ('[customer_display]\npole = "serial://COM3?baud=2401"\n', "customer_display.pole", "2400"),
    ('[customer_display]\npole = "COM3"\n', "customer_display.pole", "tcp"),
    ("[voice]\nrate = 11\n", "voice.rate", "10"),
    ("[voice]\nvolume = -1\n", "voice.volume", "0"),
    ("[evaluation]\ntimeout_seconds = 2\n", "evaluation.timeout_seconds", "5"),
    ('[evaluation]\nenabled = "yes please"\n', "evaluation.enabled", ""),
    ('[voice]\nenabled = "maybe"\n', "voice.enabled", ""),
    ("[customer_display]\ncolour = 1\n", "customer_display.colour", ""),
])
def test_bad_customer_side_settings_name_the_field(tmp_path, text, field, said):
    with pytest.raises(ConfigError) as info:
        load_settings(paths_with(tmp_path, text))
    assert field in str(info.value) and said in info.value.message("en")
    assert field in info.value.message("zh")


def quote(name="张三明", account="3101000001") -> AccountQuote:
    bill = BillQuote(1, "B1", "202601", 120, 29254, 29254, date(2026, 2, 25), 5, (), 421, False)
    return AccountQuote(1, account, name, "城关镇人民路3栋501室", "13812341234", "residential", date(2026, 3, 2),
                        (bill,), 5000, False, False, None, 1)


def test_the_feed_masks_the_name_and_keeps_nothing_after_idle():
    feed = CustomerSide()
    seen: list[CustomerView] = []
    feed.listeners.append(seen.append)
    feed.set_elderly(True)
    feed.selected(quote(), 29675)
    view = feed.view
    assert view.masked_name == "张*明" and view.say == "请支付二百九十六元七角五分"
    assert "张三明" not in repr(view) and "13812341234" not in repr(view) and "人民路" not in repr(view)
    feed.tendered(30000, 325)
    assert feed.view.stage is Stage.TENDERED and feed.view.say == ""
    feed.idle()
    assert feed.view == CustomerView(Stage.IDLE, elderly=True)  # only the elderly flag stays
    feed.tendered(100, 0)  # a late keystroke after the sale ended shows nothing
    assert feed.view == CustomerView(Stage.IDLE, elderly=True)


def test_a_listener_that_fails_does_not_stop_the_others():
    feed = CustomerSide()
    got = []
    feed.listeners += [lambda v: 1 / 0, got.append]
    feed.selected(quote(), 29675)
    assert got and got[-1].account_no == "3101000001"


@pytest.mark.parametrize(("fen", "digits"), [
    (0, b"0.00"), (5, b"0.05"), (29254, b"292.54"), (123456, b"1234.56"), (9999999, b"99999.99"),
    (10000000, b"100000"),  # ￥100,000.00: 9 characters with decimals; whole yuan
    (12345678, b"123456"),  # the fen dropped, never rounded up
    (9999999999, b"99999999"), (10000000000, b""),
])
def test_pole_numbers_fit_eight_characters(fen, digits):
    assert pole_number(fen) == digits and len(digits) <= 8


def test_pole_frames_per_stage():
    selected = CustomerView(Stage.SELECTED, due_fen=29254)
    assert frame_for(selected) == b"\x0c\x1bs2\x1bQA292.54\r"
    assert frame_for(CustomerView(Stage.TENDERED, due_fen=29254, received_fen=30000)) == b"\x0c\x1bs3\x1bQA300.00\r"
    assert frame_for(CustomerView(Stage.PAID, received_fen=30000, change_fen=746)) == b"\x0c\x1bs4\x1bQA7.46\r"
    assert frame_for(CustomerView(Stage.PAID, received_fen=29254)) == b"\x0c\x1bs3\x1bQA292.54\r"
    assert frame_for(CustomerView(Stage.PASSWORD, due_fen=29254)) == b"\x0c\x1bs2\x1bQA292.54\r"
    assert frame_for(CustomerView()) == b"\x0c\x1bs0"
    assert frame_for(CustomerView(Stage.RATING)) == b"\x0c\x1bs0"


def test_pole_uri_off_and_refused_kinds():
    assert parse_pole_uri("off") is None and parse_pole_uri(" OFF ") is None
    assert parse_pole_uri("tcp://10.0.0.5:4001").port == 4001
    with pytest.raises(ConfigError):
        parse_pole_uri("preview://")


def test_doctor_says_when_no_chinese_voice_is_there(monkeypatch):
    import sys

    from cashier.doctor import check_voice
    from cashier.settings import VoiceSettings

    monkeypatch.setenv("CASHIER_LANG", "zh")
    assert check_voice(VoiceSettings(enabled=False)).status == "SKIP"
    said = 'import json; print(json.dumps({"ok": %s, "what": "%s"}))'
    ok = check_voice(VoiceSettings(enabled=True), [sys.executable, "-c", said % ("True", "speechd: Mandarin")])
    assert ok.status == "OK" and "Mandarin" in ok.message
    none = check_voice(VoiceSettings(enabled=True), [sys.executable, "-c", said % ("False", "no Chinese voice")])
    assert none.status == "WARN" and "speech-dispatcher" in none.message and "no Chinese voice" in none.message
    broken = check_voice(VoiceSettings(enabled=True), [sys.executable, "-c", "print('Segmentation fault')"])
    assert broken.status == "WARN"
    # The counter's own check, as doctor runs it: whatever this machine has, a clear answer.
    real = check_voice(VoiceSettings(enabled=True))
    assert real.status in ("OK", "WARN") and real.message
