"""Renminbi in the drawer: denominations and counts (点钞).

A count is a mapping from denomination in fen to a number of notes or coins. Notes of
100, 50, 20, 10, 5 and 1 yuan; 1 yuan, 5 jiao and 1 jiao coins (and notes); 5, 2 and 1 fen
coins are still legal tender and turn up in halls that collect to the fen.
"""

from __future__ import annotations

import json
from typing import Mapping

from cashier.errors import DomainError
from cashier.i18n import translate

DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1)
MAX_PIECES = 100_000


def denomination_label(fen: int) -> str:
    """100元, 5角, 1分 (English: ¥100, ¥0.50, ¥0.01)."""
    if fen >= 100:
        return translate("cash.note_yuan", n=fen // 100)
    if fen >= 10:
        return translate("cash.note_jiao", n=fen // 10)
    return translate("cash.note_fen", n=fen)


def count_total(counts: Mapping[int, int]) -> int:
    """Validate a drawer count and return its value in fen."""
    total = 0
    for denomination, pieces in counts.items():
        if int(denomination) not in DENOMINATIONS_FEN:
            raise DomainError("cash.bad_denomination", value=denomination)
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 0 or pieces > MAX_PIECES:
            raise DomainError("cash.bad_count", denomination=denomination_label(int(denomination)), count=pieces)
        total += int(denomination) * pieces
    return total


def counts_json(counts: Mapping[int, int]) -> str:
    return json.dumps({str(int(d)): int(n) for d, n in sorted(counts.items(), reverse=True) if n}, sort_keys=False)


def counts_from_json(text: str | None) -> dict[int, int]:
    return {int(d): int(n) for d, n in json.loads(text or "{}").items()}
