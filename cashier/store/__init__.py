"""Local SQLite store: models, schema migrations and the unit of work."""

from cashier.store.database import Store

__all__ = ["Store"]
