"""Plain-text views for the technician CLI: quotes and search results in aligned columns."""

from __future__ import annotations

from cashier.i18n import translate
from cashier.money import format_fen
from cashier.privacy import mask_phone
from cashier.quote import AccountQuote
from cashier.search import SearchResult
from cashier.textwidth import display_width, pad, truncate

CLASS_KEYS = {c: f"class.{c}" for c in ("residential", "commercial", "industrial", "agricultural")}


def _rates(bill) -> str:
    return "+".join(f"{days}×{rate.normalize()}‰" for days, rate in bill.rates_per_mille) or "-"


def quote_text(q: AccountQuote) -> str:
    t = translate
    flags = []
    if q.disconnected:
        flags.append(t("flag.disconnected"))
    if q.prepaid_meter:
        flags.append(t("flag.prepaid_meter"))
    if q.special_group:
        flags.append(t(f"special.{q.special_group}"))
    lines = [
        f"{t('quote.account')} {q.account_no}  {q.name}  {t(CLASS_KEYS[q.customer_class])}",
        f"{t('quote.address')} {q.address}",
        f"{t('quote.phone')} {mask_phone(q.phone) or '-'}",
        f"{t('quote.flags')} {' | '.join(flags) if flags else t('flag.none')}",
        f"{t('quote.on')} {q.on.isoformat()}",
        "",
    ]
    headers = [t(k) for k in ("quote.col.period", "quote.col.kwh", "quote.col.principal", "quote.col.outstanding",
                              "quote.col.due", "quote.col.days", "quote.col.rate", "quote.col.penalty")]
    rows = [
        [f"{b.period[:4]}-{b.period[4:]}", str(b.kwh), format_fen(b.principal_fen), format_fen(b.outstanding_fen),
         b.due_date.isoformat(), str(b.overdue_days), _rates(b) + ("*" if b.minimum_applied else ""),
         format_fen(b.penalty_fen)]
        for b in q.bills
    ]
    if rows:
        widths = [max(display_width(r[i]) for r in rows + [headers]) for i in range(len(headers))]
        right = {1, 2, 3, 5, 7}
        for row in [headers] + rows:
            lines.append("  ".join(pad(c, widths[i], "right" if i in right else "left") for i, c in enumerate(row)).rstrip())
        if any(b.minimum_applied for b in q.bills):
            lines.append(t("quote.minimum_note"))
    else:
        lines.append(t("quote.no_arrears"))
    lines += [
        "",
        f"{t('quote.total_principal')} {format_fen(q.principal_fen)}   "
        f"{t('quote.total_penalty')} {format_fen(q.penalty_fen)}   {t('quote.total_due')} {format_fen(q.total_due_fen)}",
        f"{t('quote.prepaid_balance')} {format_fen(q.prepaid_balance_fen)}",
    ]
    return "\n".join(lines)


def search_text(result: SearchResult) -> str:
    if not result.hits:
        return translate(result.message_key or "search.nothing_found", query=result.query)
    lines = []
    for h in result.hits:
        lines.append("  ".join([
            h.account_no, pad(h.name_masked, 8), pad(h.phone_masked or "-", 11), pad(truncate(h.address, 40), 40),
            pad(format_fen(h.arrears_fen), 12, "right"), translate(f"match.{h.match}"),
        ]))
    if result.truncated:
        lines.append(translate("search.more"))
    return "\n".join(lines)
