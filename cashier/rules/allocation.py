"""How a payment is applied to an account's bills (销账): penalty first, oldest bill first.

The counter allocates with this when it takes money; the upstream applies every pushed payment
to its own bills with the same function, so both sides book the same lines.
"""

from __future__ import annotations

from cashier.errors import DomainError
from cashier.money import format_fen
from cashier.rules.quote import AccountQuote, BillQuote


def allocate(quote: AccountQuote, amount_fen: int, waiver_fen: int) -> list[tuple[BillQuote, int, int, int]]:
    """(bill, penalty paid, penalty waived, principal paid) oldest bill first, penalty before principal.

    The first bill touched must get at least its penalty (less the waiver); a remainder too small
    for the next bill's penalty is left over (it becomes prepaid balance).
    """
    remaining, waiver_left, lines = amount_fen, waiver_fen, []
    for q in quote.bills:
        waived = min(waiver_left, q.penalty_fen)
        penalty_due = q.penalty_fen - waived
        if remaining < penalty_due or (remaining == 0 and not waived):
            if not lines:
                raise DomainError("payment.below_penalty", amount=format_fen(amount_fen),
                                  penalty=format_fen(penalty_due), period=q.period)
            break
        waiver_left -= waived
        remaining -= penalty_due
        principal = min(remaining, q.outstanding_fen)
        remaining -= principal
        lines.append((q, penalty_due, waived, principal))
    if waiver_left:
        raise DomainError("payment.waiver_unused", waiver=format_fen(waiver_left))
    return lines
