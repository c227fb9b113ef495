"""Report tables to CSV (UTF-8 with BOM, so Excel shows the Chinese) and XLSX (openpyxl).

Amounts are written in yuan with two decimals, computed from fen exactly (Decimal), never
through a float; rates in percent. A folder that cannot be written is a clear error and no
half-written file is left behind: the file is written beside its final name, then renamed.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cashier.collection import ArrearsAccount, CollectionReport
from cashier.errors import DomainError
from cashier.i18n import translate


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]
    money_columns: frozenset[int] = frozenset()


def collection_tables(report: CollectionReport) -> list[Table]:
    header = [translate("export.col.rank"), translate("export.col.name"), translate("export.col.accounts"),
              translate("export.col.billed"), translate("export.col.collected"), translate("export.col.rate"),
              translate("export.col.arrears")]
    money = frozenset({3, 4, 6})

    def rows(lines) -> list[list]:
        return [[rank, x.key, x.accounts, yuan(x.billed_fen), yuan(x.collected_fen), x.rate, yuan(x.arrears_fen)]
                for rank, x in enumerate(lines, 1)]

    total = report.total
    period = f"{report.start.isoformat()}~{report.end.isoformat()}"
    return [
        Table(translate("export.sheet.collector", period=period), header, rows(report.by_collector), money),
        Table(translate("export.sheet.area", period=period), header, rows(report.by_area), money),
        Table(translate("export.sheet.total", period=period), header[1:],
              [[translate("export.total"), total.accounts, yuan(total.billed_fen), yuan(total.collected_fen), total.rate,
                yuan(total.arrears_fen)]], frozenset({2, 3, 5})),
    ]


def arrears_table(accounts: list[ArrearsAccount]) -> Table:
    header = [translate(f"export.col.{k}") for k in (
        "account_no", "name", "class", "station", "area", "collector", "bucket", "overdue_days", "bills",
        "principal", "penalty", "total", "notified", "candidate")]
    rows = [[a.account_no, a.name, translate(f"class.{a.customer_class}"), a.station or "", a.transformer_area or "",
             a.collector or "", a.bucket, a.overdue_days, a.bills, yuan(a.principal_fen), yuan(a.penalty_fen),
             yuan(a.total_fen), a.notified_on.isoformat() if a.notified_on else "",
             translate("export.yes") if a.disconnection_candidate else ""] for a in accounts]
    return Table(translate("export.sheet.arrears"), header, rows, frozenset({9, 10, 11}))


def write(path: Path, tables: list[Table]) -> Path:
    """Write ``tables`` to ``path``: .xlsx one sheet each, .csv one after another (title line, header, rows)."""
    path = Path(path)
    if not any(t.rows for t in tables):
        raise DomainError("export.nothing")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DomainError("export.bad_format", file=path.name)
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            _csv(partial, tables)
        else:
            _xlsx(partial, tables)
        os.replace(partial, path)
    except OSError as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise DomainError("export.unwritable", folder=str(path.parent), reason=exc.strerror or str(exc)) from None
    return path


def _csv(path: Path, tables: list[Table]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        for number, table in enumerate(tables):
            if number:
                out.writerow([])
            if len(tables) > 1:
                out.writerow([table.title])
            out.writerow(table.header)
            out.writerows([str(v) if isinstance(v, Decimal) else v for v in row] for row in table.rows)


def _xlsx(path: Path, tables: list[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        # Sheet names: at most 31 characters, none of []:*?/\
        sheet = book.create_sheet(("".join(c for c in table.title if c not in "[]:*?/\\"))[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        for col in table.money_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
                cell.number_format = "#,##0.00"
        for i, title in enumerate(table.header, 1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(10, len(str(title)) * 2 + 2)
        sheet.freeze_panes = "A2"
    book.save(path)
