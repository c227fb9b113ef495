"""Personal data shown only as far as the job needs: masked names (张*明) and phones (138****1234).

Who sees what (issue 14):

- The cashier's own screen (search results, account panel) faces the cashier, who must confirm
  the customer's identity and tell two 王芳 apart: it shows the full name. A phone there is
  shown in full only when the cashier searched by that very phone (the customer said it aloud,
  so nothing new is revealed); otherwise masked (``phone_for_results``). The account panel,
  opened for one customer, shows full values.
- The customer's side (receipts, receipt PDFs, the customer display, pole displays) and every
  other list (reversal choices, technician CLI) mask names and phones: it may be read by people
  other than the customer, or by the next customer in the queue.
- Logs never carry names or phones at all.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三明 → 张*明, 王芳 → 王*, 欧阳娜娜 → 欧**娜; company names keep their head and tail."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 2) + name[-1]
    # Long names are companies or shops: the middle is what identifies, mask it.
    keep = max(2, len(name) // 4)
    return name[:keep] + "*" * (len(name) - 2 * keep) + name[-keep:]


def mask_phone(phone: str | None) -> str:
    """13812341234 → 138****1234; short numbers keep only their last 4 digits."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def phone_for_results(phone: str | None, searched_by_this_phone: bool) -> str:
    """The phone as the cashier's result list shows it: in full only if the cashier typed it whole.

    A search by the last 4 digits is not "by this phone": the other 7 digits stay masked.
    """
    if searched_by_this_phone:
        return (phone or "").strip()
    return mask_phone(phone)
