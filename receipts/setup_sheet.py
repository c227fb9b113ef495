"""The setup sheet (设置单): what the technician's wizard set up on this PC, on paper or as a PDF, to leave in
the hall's folder: hall, terminal, upstream, printer, and where the data, logs and backups are.

Nothing secret is on it: no password, no token, no enrollment code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cashier import __version__
from cashier.files import writable_file
from cashier.firstrun import SetUp
from cashier.printer_uri import parse_printer_uri
from receipts.document import Blank, Document, Heading, Rule, Text

TITLE = {"zh": "收费终端设置单", "en": "Counter set-up sheet"}
LABELS = {
    "hall": ("营业厅", "Hall"),
    "terminal": ("终端", "Terminal"),
    "upstream": ("上级系统", "Upstream"),
    "printer": ("打印机", "Printer"),
    "language": ("界面语言", "Language"),
    "supervisor": ("班长账号", "Supervisor"),
    "data": ("数据目录", "Data folder"),
    "database": ("数据库", "Database"),
    "settings": ("设置文件", "Settings file"),
    "logs": ("日志目录", "Log folder"),
    "backups": ("备份目录", "Backup folder"),
    "version": ("程序版本", "Program version"),
    "when": ("设置时间", "Set up on"),
}


@dataclass(frozen=True)
class SetupSheet:
    setup: SetUp
    when: datetime  # local time of the set-up

    def rows(self, lang: str = "zh") -> list[tuple[str, str]]:
        """(label, value) in ``lang``: what the wizard's last page shows and the sheet prints."""
        zh = lang != "en"
        s, paths = self.setup.settings, self.setup.paths
        if not s.upstream.url:
            upstream = "未连接（离线使用；以后用 cashier-admin enroll 注册）" if zh else \
                "none (offline; enroll later with cashier-admin enroll)"
        elif self.setup.enrolled:
            upstream = f"{s.upstream.url}（已注册）" if zh else f"{s.upstream.url} (enrolled)"
        else:
            upstream = f"{s.upstream.url}（未注册：用 cashier-admin enroll 注册）" if zh else \
                f"{s.upstream.url} (not enrolled: cashier-admin enroll)"
        mode = ("图像模式" if zh else "raster") if s.printer.raster else ("中文字库模式" if zh else "text mode")
        if self.setup.supervisor:
            supervisor = f"{self.setup.supervisor}（首次登录须修改密码）" if zh else \
                f"{self.setup.supervisor} (changes the password at first sign-in)"
        else:
            supervisor = f"沿用本机已有的 {self.setup.kept_users} 个用户" if zh else \
                f"the {self.setup.kept_users} users already on this PC"
        values = {
            "hall": f"{s.hall.name}（{s.hall.code}）" if zh else f"{s.hall.name} ({s.hall.code})",
            "terminal": f"{s.terminal.name} {s.terminal.id}".strip(),
            "upstream": upstream,
            "printer": f"{s.printer.uri}，{s.printer.width} mm，{mode}" if zh else
                       f"{s.printer.uri}, {s.printer.width} mm, {mode}",
            "language": {"zh": "简体中文", "en": "English"}[s.ui.language],
            "supervisor": supervisor,
            "data": str(paths.data_dir),
            "database": str(paths.database),
            "settings": str(paths.config_file),
            "logs": str(paths.log_dir),
            "backups": str(paths.backup_dir),
            "version": __version__,
            "when": self.when.strftime("%Y-%m-%d %H:%M"),
        }
        return [(LABELS[key][0 if zh else 1], value) for key, value in values.items()]

    def document(self) -> Document:
        """The sheet as a receipt-width document (Chinese, as every paper of the hall)."""
        blocks: list = [Heading(TITLE["zh"]), Rule()]
        for label, value in self.rows("zh"):
            blocks.append(Text(f"{label}：{value}"))
        blocks += [Rule(), Text("本单不含密码和注册码，请与本机资料一同保存"), Blank()]
        return Document("setup_sheet", TITLE["zh"], tuple(blocks))

    def save_pdf(self, folder: Path) -> Path:
        """The sheet as an A4 PDF in ``folder`` (``D/reports/`` from the wizard), long folder names wrapped."""
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.pdfgen.canvas import Canvas

        from cashier import private
        from receipts.layout import wrap
        from receipts.pdf import register_font

        path = writable_file(folder, f"setup-sheet-{self.when.strftime('%Y%m%d-%H%M%S')}.pdf")
        font = register_font()
        canvas = Canvas(str(path), pagesize=A4)
        canvas.setTitle(TITLE["zh"])
        width, height = A4
        y = height - 25 * mm
        canvas.setFont(font, 18)
        canvas.drawCentredString(width / 2, y, TITLE["zh"])
        y -= 14 * mm
        for label, value in self.rows("zh"):
            canvas.setFont(font, 11)
            canvas.drawString(20 * mm, y, label)
            for piece in wrap(value, 64) or [""]:  # half-width columns: a folder name of any length, on the page
                canvas.drawString(50 * mm, y, piece)
                y -= 6.5 * mm
            y -= 2 * mm
        canvas.setFont(font, 9)
        canvas.drawString(20 * mm, y - 6 * mm, "本单不含密码和注册码，请与本机资料一同保存。")
        canvas.drawString(20 * mm, y - 20 * mm, "技术人员签字：________________        营业厅负责人签字：________________")
        private.create_file(path)  # 0600 like every file of the data folder, which reportlab's write keeps
        canvas.save()
        return path

    def print(self, preview_dir: Path) -> str:
        """On the configured printer (a PDF printer saves it, the preview printer draws it); where it went.
        A printer that fails raises PrintError with the reason."""
        from receipts.transports import send, write_preview

        printer = self.setup.settings.printer
        target = parse_printer_uri(printer.uri)
        doc = self.document()
        if target.kind == "pdf":
            return str(self.save_pdf(Path(target.path) if target.path else self.setup.paths.data_dir / "reports"))
        if target.kind == "preview":
            from receipts.raster import render_image

            return str(write_preview(preview_dir, "setup-sheet", render_image(doc, printer.width)))
        from receipts.escpos_render import render_escpos

        send(printer.uri, render_escpos(doc, printer.width, raster=printer.raster))
        return printer.uri
