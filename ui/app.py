"""``cashier``: the counter program's entry point.

The counter window arrives with the workstation issue; until then this entry point prepares
the data folder (so ``cashier --demo`` shows that the installation works) and says so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from cashier import __version__
from cashier.errors import CashierError
from cashier.i18n import language_from_environment, set_language, translate
from cashier.settings import Paths, load_settings
from cashier.store import Store


DEMO_ACCOUNTS = 20_000


def main(argv: Sequence[str] | None = None) -> int:
    set_language(language_from_environment())
    parser = argparse.ArgumentParser(prog="cashier", description="供电营业厅收费柜台 (counter cashier)")
    parser.add_argument("--demo", action="store_true", help="演示模式 (demo on embedded defaults)")
    parser.add_argument("--data-dir", metavar="DIR", help="数据目录 (data folder)")
    parser.add_argument("--version", action="version", version=f"cashier {__version__}")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or (str(Path(tempfile.gettempdir()) / "hall-cashier-demo") if args.demo else None)
    paths = Paths.resolve(data_dir)
    try:
        loaded = load_settings(paths)
        set_language(loaded.settings.ui.language)
        if args.demo and not paths.database.exists():
            from cashier.demo.seed import seed_database

            report = seed_database(paths.database, DEMO_ACCOUNTS)
            print(translate("seed.done", accounts=report.accounts, bills=report.bills,
                            arrears=report.accounts_in_arrears, disconnected=report.disconnected,
                            users=report.users, seconds=f"{report.seconds:.1f}", file=str(report.path)))
        Store.open(paths.database, backup_dir=paths.backup_dir).close()
    except CashierError as exc:
        print(translate("cli.error", message=str(exc)), file=sys.stderr)
        return 3
    print(f"{paths.database}: OK")
    print(translate("cli.gui_missing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
