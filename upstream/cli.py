"""``cashier-upstream``: the reference upstream service (arrives with the sync issue)."""

from __future__ import annotations

import sys


def main() -> int:
    print("cashier-upstream: the reference upstream service is not part of this build yet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
