"""Errors a person can cause or must act on; each carries a message key for translation.

The UI shows them, the CLI prints them, nothing swallows them. ``str(error)`` is the
message in the current language (``cashier.i18n``); ``error.message('en')`` any other.
"""

from __future__ import annotations

from cashier.i18n import translate


class CashierError(Exception):
    """Base of every error meant for a cashier, supervisor or technician to read."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        return translate(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class AmountError(CashierError, ValueError):
    """An amount typed, scanned or read that is not a valid sum of money."""


class ConfigError(CashierError):
    """The settings file or a command-line override is malformed."""


class StoreError(CashierError):
    """The local database cannot be opened, upgraded or written."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer version of the program; it is left untouched."""


class DatabaseCorrupt(StoreError):
    """The database file is damaged, truncated or not ours; it is left untouched."""


class DataDirError(StoreError):
    """The data directory cannot be created or written."""


class DomainError(CashierError):
    """A business rule refused the action (penalty, payment, shift ...)."""
