"""Personal data shown only as far as the job needs: masked names (张*明) and phones (138****1234)."""

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
