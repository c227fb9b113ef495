"""cashier.settings: one typed settings object from TOML, with clear errors naming the field or line."""

from decimal import Decimal

import pytest

from cashier.errors import ConfigError
from cashier.rules.penalty import CustomerClass
from cashier.settings import Paths, Settings, load_settings, save_settings


def paths_for(tmp_path):
    return Paths.resolve(tmp_path / "hall")


def write(tmp_path, text):
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths


def test_missing_file_gives_defaults_and_data_dir_holds_everything(tmp_path):
    loaded = load_settings(paths_for(tmp_path))
    assert not loaded.from_file
    s = loaded.settings
    assert (s.hall.timezone, s.printer.uri, s.printer.width, s.ui.language) == ("Asia/Shanghai", "preview://", 80, "zh")
    assert loaded.paths.database == tmp_path / "hall" / "cashier.db"
    assert loaded.paths.log_dir == tmp_path / "hall" / "logs"


def test_file_values_and_overrides_apply(tmp_path):
    paths = write(tmp_path, '[hall]\ncode = "GZ001"\nname = "城关营业厅"\n[printer]\nuri = "tcp://127.0.0.1:9100"\nwidth = 58\n')
    s = load_settings(paths, ["printer.width=80", "ui.language=en", "upstream.url=https://up.example/api/"]).settings
    assert s.hall.name == "城关营业厅" and s.printer.uri == "tcp://127.0.0.1:9100"
    assert s.printer.width == 80 and s.ui.language == "en"
    assert s.upstream.url == "https://up.example/api"


def test_save_and_load_round_trip(tmp_path):
    paths = paths_for(tmp_path)
    original = Settings()
    original.terminal.id = "T07"
    original.penalty.minimum_enabled = False
    save_settings(original, paths.config_file)
    assert load_settings(paths).settings == original


def test_penalty_policy_comes_from_settings(tmp_path):
    paths = write(tmp_path, '[penalty]\nminimum_enabled = false\n[penalty.rates.residential]\nsame_year = "0.5"\nlater_year = "0.5"\n')
    policy = load_settings(paths).settings.penalty.policy()
    assert policy.rates_for("residential").same_year == Decimal("0.5")
    assert policy.rates_for(CustomerClass.COMMERCIAL).later_year == Decimal(3)  # untouched default
    assert policy.minimum_enabled is False


@pytest.mark.parametrize(
    "text, key, names",
    [
        ("[hall]\ncode = \"X\"\ncolour = \"red\"\n", "config.unknown_key", "hall.colour"),
        ("[halls]\ncode = \"X\"\n", "config.unknown_key", "halls"),
        ("[printer]\nwidth = 57\n", "config.invalid_value", "printer.width"),
        ("[printer]\nuri = \"lpt1\"\n", "config.invalid_value", "printer.uri"),
        ("[ui]\nidle_lock_minutes = \"soon\"\n", "config.invalid_value", "ui.idle_lock_minutes"),
        ("[ui]\nscale_percent = 120\n", "config.invalid_value", "ui.scale_percent"),
        ("[ui]\nscale_percent = \"150%\"\n", "config.invalid_value", "ui.scale_percent"),
        ("[ui]\nscale_percent = 1.5\n", "config.invalid_value", "ui.scale_percent"),
        ("[hall]\ntimezone = \"Mars/Base\"\n", "config.invalid_value", "hall.timezone"),
        ("[upstream]\nurl = \"ftp://x\"\n", "config.invalid_value", "upstream.url"),
        ("[hall]\ncode = \"X\"\ncode = \"Y\"\n", "config.syntax", "line 3"),
        ("[hall\ncode = 1\n", "config.syntax", "line 1"),
    ],
)
def test_bad_settings_file_names_the_file_and_the_field_or_line(tmp_path, text, key, names):
    paths = write(tmp_path, text)
    before = paths.config_file.read_bytes()
    with pytest.raises(ConfigError) as info:
        load_settings(paths)
    assert info.value.key == key
    for lang in ("zh", "en"):
        assert names in info.value.message(lang)
        assert str(paths.config_file) in info.value.message(lang)
    assert paths.config_file.read_bytes() == before


def test_bad_override_is_explained(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(paths_for(tmp_path), ["printer.width"])
    assert info.value.key == "config.bad_override" and "printer.width=58" in str(info.value)
    with pytest.raises(ConfigError) as info:
        load_settings(paths_for(tmp_path), ["printer.speed=3"])
    assert info.value.key == "config.unknown_key" and "printer.speed" in str(info.value)


def test_non_utf8_file_is_explained(tmp_path):
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.config_file.write_bytes('[hall]\nname = "营业厅"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as info:
        load_settings(paths)
    assert info.value.key == "config.encoding"


def test_platform_folders_are_used_without_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    paths = Paths.resolve()
    assert str(paths.config_file).startswith(str(tmp_path / "cfg"))
    assert str(paths.data_dir).startswith(str(tmp_path / "data"))


def test_large_print_scale_is_one_of_the_offered_steps(tmp_path):
    """[ui] scale_percent: 100 (default), 125, 150, 175 or 200, from the file or a --set override."""
    assert load_settings(paths_for(tmp_path)).settings.ui.scale_percent == 100
    paths = write(tmp_path, "[ui]\nscale_percent = 150\n")
    assert load_settings(paths).settings.ui.scale_percent == 150
    assert load_settings(paths, ["ui.scale_percent=200"]).settings.ui.scale_percent == 200
    with pytest.raises(ConfigError) as info:
        load_settings(paths, ["ui.scale_percent=300"])
    assert info.value.key == "config.invalid_value" and "ui.scale_percent" in str(info.value)
    assert "175" in info.value.message("en")  # the message lists the steps allowed


def test_large_print_scale_survives_a_save(tmp_path):
    paths = paths_for(tmp_path)
    settings = Settings()
    settings.ui.scale_percent = 175
    save_settings(settings, paths.config_file)
    assert "scale_percent = 175" in paths.config_file.read_text(encoding="utf-8")
    assert load_settings(paths).settings.ui.scale_percent == 175
