"""Logging never writes secrets; every message exists in Chinese and English with the same fields."""

import ast
import logging
import re
import string
from pathlib import Path

import pytest

from cashier.errors import AmountError, CashierError
from cashier.i18n import normalize_language, set_language, translate
from cashier.logs import LOG_FILE_NAME, redact, setup_logging
from cashier.messages import MESSAGES

ROOT = Path(__file__).parent.parent


def test_every_message_has_chinese_and_english_with_the_same_placeholders():
    formatter = string.Formatter()
    for key, texts in MESSAGES.items():
        assert set(texts) == {"zh", "en"}, key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), f"{key}: Chinese text expected"
        fields = [{f for _, f, _, _ in formatter.parse(t) if f} for t in (texts["zh"], texts["en"])]
        assert fields[0] == fields[1], key


def _error_class_names(cls=CashierError):
    names = {cls.__name__}
    for sub in cls.__subclasses__():
        names |= _error_class_names(sub)
    return names


def test_every_message_key_used_in_the_code_exists():
    raisers = _error_class_names() | {"translate", "_bad"}
    used = set()
    for path in list((ROOT / "cashier").rglob("*.py")) + list((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in raisers:
                    if isinstance(node.args[0].value, str) and "." in node.args[0].value:
                        used.add(node.args[0].value)
    assert used, "the scan found no message keys: it is broken"
    assert used - set(MESSAGES) == set()


def test_language_switch_and_fallbacks():
    err = AmountError("amount.zero")
    assert str(err) == "金额不能为零"
    set_language("en_US.UTF-8")
    assert str(err) == "The amount cannot be zero"
    assert normalize_language("zh-CN") == "zh" and normalize_language("fr") == "zh"
    assert translate("no.such.key", n=1).startswith("no.such.key")
    assert isinstance(err, CashierError) and isinstance(err, ValueError)


@pytest.mark.parametrize(
    "line, secret",
    [
        ("login password=hunter2 for cashier1", "hunter2"),
        ('{"token": "abcd1234efgh"}', "abcd1234efgh"),
        ("Authorization: Bearer eyJhbGciOi", "eyJhbGciOi"),
        ("enroll_code=493-201 accepted", "493-201"),
        ("card 6222021234567890123 paid", "1234567890"),
    ],
)
def test_redact_removes_secrets(line, secret):
    assert secret not in redact(line)


def test_log_file_rotates_is_utc_and_holds_no_secret(tmp_path):
    path = setup_logging(tmp_path / "logs", "INFO", max_bytes=10_000, backup_count=3)
    logger = logging.getLogger("cashier.test")
    for i in range(1000):
        logger.info("payment %s by cashier1 password=%s", i, "s3cret-pass")
    logging.getLogger().handlers[-1].flush()
    files = sorted((tmp_path / "logs").iterdir())
    assert path.name == LOG_FILE_NAME and len(files) == 4  # current + 3 rotated
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "s3cret-pass" not in text and "password=***" in text
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(\d\d:\d\d:\d\d \+08:00\) INFO cashier.test",
                    path.read_text(encoding="utf-8"))
