"""One typed settings object, read from a TOML file, overridable by command-line flags.

Where things live:
- with ``--data-dir D``: everything in D (``D/cashier.toml``, ``D/cashier.db``, ``D/logs``,
  ``D/backups``), which is what a technician moving a hall PC or a test wants;
- otherwise the platform folders from ``platformdirs`` (config, data, logs).
Every key is declared once below with its type and default; an unknown key, a wrong type or
a TOML syntax error is a ``ConfigError`` naming the file and the field or line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cashier import private
from cashier.errors import ConfigError
from cashier.i18n import Phrase
from cashier.rules.penalty import ClassRates, CustomerClass, PenaltyPolicy

APP_NAME = "hall-cashier"
CONFIG_FILE_NAME = "cashier.toml"
DATABASE_FILE_NAME = "cashier.db"


class SettingProblem(ValueError):
    """What a validator below found wrong, as a message key (pydantic's own text is English only)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class HallSettings(_Section):
    code: str = Field("DEMO01", min_length=1, max_length=32)
    name: str = Field("演示供电营业厅", min_length=1, max_length=64)
    timezone: str = "Asia/Shanghai"
    account_number_length: int = Field(10, ge=6, le=20)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingProblem("config.reason.timezone", value=value) from None
        return value


class TerminalSettings(_Section):
    id: str = Field("T01", pattern=r"^[A-Za-z0-9_-]{1,16}$")
    name: str = Field("1号窗口", max_length=32)


class PrinterSettings(_Section):
    uri: str = "preview://"
    width: Literal[58, 80] = 80
    raster: bool = False

    @field_validator("uri")
    @classmethod
    def _valid_uri(cls, value: str) -> str:
        from cashier.printer_uri import parse_printer_uri

        try:
            parse_printer_uri(value)
        except ConfigError as exc:
            raise SettingProblem(exc.key, **exc.params) from None
        return value.strip()


class UpstreamSettings(_Section):
    url: str = ""
    verify_tls: bool = True  # false: anyone on the path can pose as the upstream (doctor and the log say so)
    # The hall's own CA (a PEM file): the upstream's certificate must chain to it, instead of to the system's CAs.
    ca_file: str = ""
    # Plain http:// to another machine than this one: payments and the terminal's token unencrypted on the
    # network. Refused unless this is true (then doctor, cashier-admin and the log say so).
    allow_plain_http: bool = False
    timeout_seconds: int = Field(10, ge=1, le=300)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise SettingProblem("config.reason.http_url")
        return value.rstrip("/")

    @field_validator("ca_file")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


ScalePercent = Literal[100, 125, 150, 175, 200]
SCALE_PERCENTS: tuple[int, ...] = get_args(ScalePercent)


class UiSettings(_Section):
    language: Literal["zh", "en"] = "zh"
    idle_lock_minutes: int = Field(5, ge=0, le=240)
    # Large print (大字模式): every window of the program drawn this much larger (QT_SCALE_FACTOR),
    # read at start; a QT_SCALE_FACTOR already in the environment wins.
    scale_percent: ScalePercent = 100


class PenaltyRates(_Section):
    same_year: Decimal = Field(ge=0, le=100)
    later_year: Decimal = Field(ge=0, le=100)


def _default_rates() -> dict[CustomerClass, PenaltyRates]:
    defaults = PenaltyPolicy().rates
    return {
        c: PenaltyRates(same_year=r.same_year, later_year=r.later_year)
        for c, r in defaults.items()
    }


class PenaltySettings(_Section):
    """Penalty policy numbers (‰ per day); defaults follow the supply rules."""

    minimum_fen: int = Field(100, ge=0, le=100_000)
    minimum_enabled: bool = True
    rates: dict[CustomerClass, PenaltyRates] = Field(default_factory=_default_rates)

    def policy(self) -> PenaltyPolicy:
        rates = {c: ClassRates(r.same_year, r.later_year) for c, r in _default_policy_rates().items()}
        for cls, r in self.rates.items():
            rates[CustomerClass(cls)] = ClassRates(r.same_year, r.later_year)
        return PenaltyPolicy(rates=rates, minimum_fen=self.minimum_fen, minimum_enabled=self.minimum_enabled)


def _default_policy_rates() -> dict[CustomerClass, ClassRates]:
    return dict(PenaltyPolicy().rates)


class AuthSettings(_Section):
    max_failures: int = Field(5, ge=1, le=20)
    lockout_minutes: int = Field(15, ge=1, le=24 * 60)
    min_password_length: int = Field(6, ge=4, le=64)
    approval_valid_minutes: int = Field(10, ge=1, le=120)


class ShiftSettings(_Section):
    over_short_limit_fen: int = Field(5000, ge=0, le=10_000_000)  # above it a supervisor approves


class SaleSettings(_Section):
    """Guards against slips of the hand at the counter (金额确认)."""

    # Cash change above this needs a confirmation that shows the amounts large: a customer hands over
    # notes until the bill is covered, so change above twice the largest note (￥100) is most often a
    # mistyped 实收 (10000 for 100.00).
    confirm_change_above_fen: int = Field(20000, ge=0, le=10_000_000)


class SyncSettings(_Section):
    """Upload and pull cadence, and the offline exposure cap (past it a supervisor approves)."""

    interval_seconds: int = Field(15, ge=1, le=3600)
    backoff_cap_seconds: int = Field(300, ge=1, le=3600)
    batch_size: int = Field(500, ge=1, le=500)
    max_offline_hours: int = Field(72, ge=1, le=24 * 30)
    max_unsynced_fen: int = Field(5_000_000, ge=0, le=10**12)  # ￥50,000 of payments not yet uploaded


class DoorToDoorSettings(_Section):
    """走收 (green channel): a collector's laptop, offline by design, serving the special-group and
    elderly customers assigned to ``collector`` (the name on their accounts); cash only."""

    enabled: bool = False
    collector: str = Field("", max_length=50)

    @model_validator(mode="after")
    def _collector_when_enabled(self) -> "DoorToDoorSettings":
        if self.enabled and not self.collector.strip():
            raise SettingProblem("config.reason.collector_required")
        return self


class CustomerDisplaySettings(_Section):
    """The customer's side of the counter (客户显示): a window or second screen, and an LED pole display (客显)."""

    # off: no customer window; window: an ordinary top-level window (客户显示) beside the counter, the demo's;
    # screen: full screen on the PC's screen number ``screen_index`` (0 is the first), when it has more than one.
    mode: Literal["off", "screen", "window"] = "off"
    screen_index: int = Field(1, ge=0, le=8)
    # The LED pole display: off, serial://COM3?baud=2400, serial:///dev/ttyUSB0?baud=2400 or tcp://host:port.
    pole: str = "off"

    @field_validator("pole")
    @classmethod
    def _valid_pole(cls, value: str) -> str:
        from cashier.pole_display import parse_pole_uri

        try:
            parse_pole_uri(value)
        except ConfigError as exc:
            raise SettingProblem(exc.key, **exc.params) from None
        return value.strip()


class VoiceSettings(_Section):
    """Spoken amounts (语音播报), offline text-to-speech with a Chinese voice (silent without one)."""

    enabled: bool = False
    rate: int = Field(0, ge=-10, le=10)  # tenths of the voice's range: -10 slowest, 0 the voice's own, 10 fastest
    volume: int = Field(80, ge=0, le=100)  # percent


class EvaluationSettings(_Section):
    """Service evaluation (服务评价器): after each payment the customer rates the service on the customer side."""

    enabled: bool = False
    timeout_seconds: int = Field(20, ge=5, le=120)  # no answer by then: recorded as unrated, never satisfied


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: int = Field(5_000_000, ge=10_000)
    backup_count: int = Field(10, ge=1, le=100)


class Settings(_Section):
    hall: HallSettings = Field(default_factory=HallSettings)
    terminal: TerminalSettings = Field(default_factory=TerminalSettings)
    printer: PrinterSettings = Field(default_factory=PrinterSettings)
    upstream: UpstreamSettings = Field(default_factory=UpstreamSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    penalty: PenaltySettings = Field(default_factory=PenaltySettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    shift: ShiftSettings = Field(default_factory=ShiftSettings)
    sale: SaleSettings = Field(default_factory=SaleSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    door_to_door: DoorToDoorSettings = Field(default_factory=DoorToDoorSettings)
    customer_display: CustomerDisplaySettings = Field(default_factory=CustomerDisplaySettings)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    evaluation: EvaluationSettings = Field(default_factory=EvaluationSettings)


@dataclass(frozen=True)
class Paths:
    """Where this installation keeps its files."""

    config_file: Path
    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE_NAME

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike | None = None, config_file: str | os.PathLike | None = None) -> "Paths":
        data_dir = data_dir or os.environ.get("CASHIER_DATA_DIR") or None
        if data_dir:
            base = Path(data_dir).expanduser().absolute()
            return cls(Path(config_file) if config_file else base / CONFIG_FILE_NAME, base, base / "logs")
        return cls(
            Path(config_file) if config_file else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME,
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    paths: Paths
    from_file: bool


# pydantic's error types that a technician's typing meets, said in our own words (zh and en).
_PYDANTIC_REASONS = {
    "string_too_long": ("config.reason.too_long", {"max_length": "limit"}),
    "string_too_short": ("config.reason.too_short", {"min_length": "limit"}),
    "too_long": ("config.reason.too_many", {"max_length": "limit"}),
    "string_pattern_mismatch": ("config.reason.pattern", {}),
    "greater_than_equal": ("config.reason.at_least", {"ge": "limit"}),
    "greater_than": ("config.reason.more_than", {"gt": "limit"}),
    "less_than_equal": ("config.reason.at_most", {"le": "limit"}),
    "less_than": ("config.reason.less_than", {"lt": "limit"}),
    "literal_error": ("config.reason.one_of", {"expected": "choices"}),
    "enum": ("config.reason.one_of", {"expected": "choices"}),
    "int_parsing": ("config.reason.integer", {}),
    "int_type": ("config.reason.integer", {}),
    "int_from_float": ("config.reason.integer", {}),
    "decimal_parsing": ("config.reason.number", {}),
    "decimal_type": ("config.reason.number", {}),
    "float_parsing": ("config.reason.number", {}),
    "float_type": ("config.reason.number", {}),
    "bool_parsing": ("config.reason.boolean", {}),
    "bool_type": ("config.reason.boolean", {}),
    "string_type": ("config.reason.text", {}),
    "missing": ("config.reason.missing", {}),
    "dict_type": ("config.reason.section", {}),
    "model_type": ("config.reason.section", {}),
    "model_attributes_type": ("config.reason.section", {}),
}


def validation_reason(error: dict) -> Phrase:
    """One pydantic error (from ``ValidationError.errors()``) as a phrase in the sentence's language."""
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, SettingProblem):
        return Phrase(cause.key, **cause.params)
    known = _PYDANTIC_REASONS.get(error["type"])
    if known is not None:
        key, renames = known
        # pydantic joins choices with an English "or" ("58 or 80"): a slash reads in both languages
        params = {ours: str(ctx.get(theirs, "?")).replace(" or ", " / ").replace(", ", " / ")
                  for theirs, ours in renames.items()}
        return Phrase(key, **params)
    return Phrase("config.reason.other", text=error.get("msg", error["type"]))


def describe_validation_error(error: ValidationError, file: str) -> ConfigError:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(root)"
    if first["type"] == "extra_forbidden":
        return ConfigError("config.unknown_key", file=file, field=field)
    return ConfigError("config.invalid_value", file=file, field=field, reason=validation_reason(first))


def parse_override(text: str) -> tuple[list[str], Any]:
    """``printer.width=58`` → (['printer', 'width'], 58); the value is read as TOML if it can be."""
    if "=" not in text:
        raise ConfigError("config.bad_override", text=text)
    key, raw = (part.strip() for part in text.split("=", 1))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+", key):
        raise ConfigError("config.bad_override", text=text)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.split("."), value


def load_settings(
    paths: Paths, overrides: list[str] | tuple[str, ...] = ()
) -> LoadedSettings:
    """Read ``paths.config_file`` (missing means defaults) and apply ``section.key=value`` overrides."""
    data: dict[str, Any] = {}
    from_file = paths.config_file.exists()
    file = str(paths.config_file)
    if from_file:
        try:
            data = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config.syntax", file=file, reason=str(exc)) from None
        except UnicodeDecodeError:
            raise ConfigError("config.encoding", file=file) from None
        except OSError as exc:
            raise ConfigError("config.unreadable", file=file, reason=exc.strerror or str(exc)) from None
    for text in overrides:
        keys, value = parse_override(text)
        node = data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ConfigError("config.bad_override", text=text)
        node[keys[-1]] = value
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, file if from_file or not overrides else "--set") from None
    return LoadedSettings(settings, paths, from_file)


def save_settings(settings: Settings, path: Path) -> None:
    """Validate the whole settings, then write atomically (temp file, fsync, rename): a crash or a full
    disk leaves the old file or the new one, never half of one and never a ``.tmp`` beside it.

    ``model_copy(update=...)`` skips validation, so what is written is checked here: a file that every
    later start would refuse is never written.
    """
    try:
        checked = Settings.model_validate(settings.model_dump(mode="json"))
    except ValidationError as exc:
        said = describe_validation_error(exc, str(path))
        if said.key == "config.invalid_value":  # nothing was written: the file keeps what it had
            said = ConfigError("config.refused_value", **said.params)
        raise said from None
    text = tomli_w.dumps(checked.model_dump(mode="json"))
    write_settings_text(text, path)


def write_settings_text(text: str, path: Path) -> None:
    """Put ``text`` at ``path`` atomically; a folder or disk that refuses is a ``ConfigError`` in words."""
    from cashier.store.faults import os_reason

    tmp = path.with_name(path.name + ".tmp")
    try:
        private.make_dir(path.parent)
        try:
            with open(private.create_file(tmp), "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise ConfigError("config.unwritable", file=str(path), reason=os_reason(exc)) from None
