"""Plain-text and JSON views of held uploads for ``cashier-admin conflicts`` (in the current language)."""

from __future__ import annotations

import json

from cashier.held_items import HeldDetail, HeldItem, local_stamp, reason_text
from cashier.i18n import translate
from cashier.textwidth import pad, truncate


def _status(item_status: str) -> str:
    return translate(f"held.status.{item_status}")


def held_list_text(items: list[HeldItem]) -> str:
    """One line per upload: number, kind, status, what it is here, and the upstream's reason in words."""
    held = [i for i in items if i.status != "resolved"]
    done = [i for i in items if i.status == "resolved"]
    if not items:
        return translate("held.none")
    lines = [translate("held.list_head", n=len(held)) if held else translate("held.none")]
    for group, head in ((held, None), (done, "held.list_resolved_head")):
        if not group:
            continue
        if head:
            lines += ["", translate(head, n=len(group))]
        for i in group:
            lines.append(f"  {i.outbox_id:>5}  {pad(_status(i.status), 8)} {truncate(i.record.describe(), 72)}")
            lines.append(f"         {translate('held.show.upstream_code', code=i.code or '-')}  {i.reason()}")
    if held:
        lines += ["", translate("held.show.actions", id="ID")]
    return "\n".join(lines)


def held_detail_text(d: HeldDetail, zone: str | None = None) -> str:
    """Times in the hall's ``zone`` (UTC, marked, without one)."""
    i = d.item
    # a resolved one was held as rejected or conflict: say what the upstream had answered
    answered = d.resolutions[-1].held_status if i.status == "resolved" and d.resolutions else i.status
    lines = [
        translate("held.show.item", id=i.outbox_id, kind=translate(f"held.kind.{i.kind}"), status=_status(i.status)),
        translate("held.show.record", record=i.record.describe()),
        translate("held.show.upstream", status=_status(answered), reason=i.reason(),
                  at=local_stamp(i.sent_at, zone), attempts=i.attempts),
        translate("held.show.upstream_code", code=i.code or "-"),
        translate("held.show.kept", kept=i.kept()),
    ]
    for r in d.resolutions:
        lines.append(translate("held.show.resolution", at=local_stamp(r.resolved_at, zone),
                               who=r.resolved_by, action=translate(f"held.action.{r.action}"), reason=r.reason,
                               status=_status(r.held_status), note=reason_text(r.upstream_note)))
    lines.append(translate("held.show.payload"))
    lines.append(json.dumps(d.payload, ensure_ascii=False, indent=2, sort_keys=True))
    if i.status in ("rejected", "conflict"):
        lines.append(translate("held.show.actions", id=i.outbox_id))
    return "\n".join(lines)


def held_item_json(i: HeldItem) -> dict:
    return {"id": i.outbox_id, "kind": i.kind, "entity_id": i.entity_id, "seq": i.seq, "status": i.status,
            "reason_code": i.code, "reason": i.reason(), "account_no": i.account_no, "amount_fen": i.amount_fen,
            "record": i.record.describe(), "kept": i.kept(), "attempts": i.attempts,
            "created_at": i.created_at.isoformat(), "sent_at": i.sent_at.isoformat() if i.sent_at else None}


def held_detail_json(d: HeldDetail) -> dict:
    return dict(held_item_json(d.item), payload=d.payload, resolutions=[
        {"action": r.action, "reason": r.reason, "held_status": r.held_status, "upstream_note": r.upstream_note,
         "resolved_by": r.resolved_by, "resolved_at": r.resolved_at.isoformat()} for r in d.resolutions])
