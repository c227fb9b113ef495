"""Receipt and report documents, independent of how they are output (ESC/POS, raster, PDF, screen).

A ``Document`` is a list of blocks; ``receipts.layout`` turns it into lines of a given width.
Text here is what a person reads: the builders in ``receipts.builders`` fill it from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Heading:
    """Double size (also for Chinese), centred."""

    text: str


@dataclass(frozen=True)
class Text:
    text: str
    align: str = "left"  # left, center, right
    # Break only at spaces (a line too narrow for a word breaks it anyway): figures such as meter readings
    # are never split across lines. Continuation lines keep the text's indent.
    keep_words: bool = False


@dataclass(frozen=True)
class Pair:
    """A label on the left and a value flush right (amounts)."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QRCode:
    data: str


@dataclass(frozen=True)
class Blank:
    lines: int = 1


Block = Union[Heading, Text, Pair, Rule, QRCode, Blank]


@dataclass(frozen=True)
class Document:
    kind: str  # payment, reversal, cash_movement, shift_report, test
    title: str
    blocks: tuple[Block, ...]
    kick_drawer: bool = False
    entity_id: str | None = None
    reprint: int = 0  # 0 for the original; the count for a 重打
    meta: dict = field(default_factory=dict)
