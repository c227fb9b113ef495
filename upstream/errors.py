"""A refusal the upstream answers with: an HTTP status, a stable code and a message for the person reading it."""

from __future__ import annotations


class Refusal(Exception):
    """A refusal with an HTTP status and a stable code; ``message`` is for the person reading it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
