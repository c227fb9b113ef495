"""The technician's first-run wizard: hall and terminal, upstream and enrollment code (checked,
not used, by 测试连接), printer with a test print (text or raster), language, and the first
supervisor; then a summary that prints or saves the setup sheet. Nothing is written until
完成设置, and there everything is validated before the one-time code is spent; a cancelled
wizard leaves the PC exactly as it was (and shows again next start)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWizard, QWizardPage,
)

from cashier.errors import CashierError
from cashier.firstrun import (CodeCheck, FirstRunChoices, SetUp, apply, base_settings, check_supervisor,
                              check_upstream, existing_users, prefill, settings_from)
from cashier.i18n import translate
from cashier.settings import Paths, Settings
from ui.ops import Op
from ui.widgets import MessageLine

UPSTREAM, HALL, PRINTER, PEOPLE, SUMMARY = range(5)  # the code, checked first, names the hall and terminal


def _page(title: str, subtitle: str) -> tuple[QWizardPage, QFormLayout, MessageLine]:
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(subtitle)
    layout = QVBoxLayout(page)
    form = QFormLayout()
    layout.addLayout(form)
    message = MessageLine()
    layout.addWidget(message)
    return page, form, message


class FirstRunWizard(QWizard):
    def __init__(self, paths: Paths) -> None:
        super().__init__()
        self.paths = paths
        self.settings: Settings | None = None
        self.setup: SetUp | None = None
        self.sheet = None
        self._busy: set[str] = set()
        self.setObjectName("first_run")
        self.setWindowTitle(self.tr("首次设置（技术人员）"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        own = prefill(paths)  # this PC's own hall when its file names one; nothing of the demo hall

        page, form, self.upstream_message = _page(
            self.tr("上级系统"), self.tr("地址和一次性注册码；不填则本机离线使用，以后可用 cashier-admin enroll 注册"))
        self.upstream = QLineEdit(own.upstream.url if own else "")
        self.upstream.setObjectName("upstream")
        self.upstream.setPlaceholderText("https://…")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.test_connection = QPushButton(self.tr("测试连接（并核对注册码）"))
        self.test_connection.clicked.connect(self._test_connection)
        form.addRow(self.tr("上级系统地址"), self.upstream)
        form.addRow(self.tr("注册码"), self.code)
        form.addRow("", self.test_connection)
        self.addPage(page)

        page, form, self.hall_message = _page(self.tr("营业厅和终端"), self.tr("本机在营业厅里的身份；有注册码时，编码和终端编号以注册码为准"))
        self.hall_code = QLineEdit(own.hall.code if own else "")
        self.hall_code.setPlaceholderText(self.tr("如 3201001（上级系统给的营业厅编码）"))
        self.hall_name = QLineEdit(own.hall.name if own else "")
        self.hall_name.setPlaceholderText(self.tr("如 城关供电营业厅"))
        self.terminal_id = QLineEdit(own.terminal.id if own else "")
        self.terminal_id.setPlaceholderText(self.tr("如 T03（字母、数字、- 或 _）"))
        self.terminal_name = QLineEdit(own.terminal.name if own else "")
        self.terminal_name.setPlaceholderText(self.tr("如 3号窗口"))
        for label, widget, name in ((self.tr("营业厅编码"), self.hall_code, "hall_code"),
                                    (self.tr("营业厅名称"), self.hall_name, "hall_name"),
                                    (self.tr("终端编号"), self.terminal_id, "terminal_id"),
                                    (self.tr("窗口名称"), self.terminal_name, "terminal_name")):
            widget.setObjectName(name)
            form.addRow(label, widget)
        self.addPage(page)

        page, form, self.printer_message = _page(self.tr("打印机"), self.tr("选择打印机并打印测试页"))
        self.printer_uri = QLineEdit(own.printer.uri if own else "")
        self.printer_uri.setObjectName("printer_uri")
        self.printer_uri.setPlaceholderText("tcp://192.168.1.50:9100 · usb://VID:PID · serial://COM3 · pdf:// · preview://")
        self.printer_width = QComboBox()
        self.printer_width.addItems(["80", "58"])
        if own and own.printer.width == 58:
            self.printer_width.setCurrentIndex(1)
        self.raster = QCheckBox(self.tr("图像模式（打印机没有中文字库、测试页汉字乱码时勾选）"))
        self.raster.setObjectName("raster")
        self.raster.setChecked(bool(own and own.printer.raster))
        self.test_print = QPushButton(self.tr("打印测试页"))
        self.test_print.clicked.connect(self._test_print)
        form.addRow(self.tr("打印机地址"), self.printer_uri)
        form.addRow(self.tr("纸宽 mm"), self.printer_width)
        form.addRow("", self.raster)
        form.addRow("", self.test_print)
        self.addPage(page)

        page, form, self.last_message = _page(self.tr("语言和班长账号"),
                                              self.tr("第一个班长账号：初始密码至少 {n} 位，班长首次登录时须修改密码").format(
                                                  n=base_settings(paths).auth.min_password_length))
        page.setCommitPage(True)  # 完成设置 applies everything; there is no going back after it
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
        if own and own.ui.language == "en":
            self.language.setCurrentIndex(1)
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisor")
        self.supervisor_name = QLineEdit()
        self.supervisor_name.setObjectName("supervisor_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("界面语言"), self.language)
        form.addRow(self.tr("班长用户名"), self.supervisor)
        form.addRow(self.tr("班长姓名"), self.supervisor_name)
        form.addRow(self.tr("初始密码"), self.password)
        form.addRow(self.tr("再输一次"), self.password2)
        self.addPage(page)

        page = QWizardPage()
        page.setTitle(self.tr("设置完成"))
        page.setSubTitle(self.tr("请打印设置单或存为 PDF，与本机资料一同保存"))
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.print_sheet = QPushButton(self.tr("打印设置单"))
        self.print_sheet.clicked.connect(self._print_sheet)
        self.save_sheet = QPushButton(self.tr("存为 PDF"))
        self.save_sheet.clicked.connect(self._save_sheet)
        buttons.addWidget(self.print_sheet)
        buttons.addWidget(self.save_sheet)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.summary_message = MessageLine()
        layout.addWidget(self.summary_message)
        self.addPage(page)

        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("完成设置"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("开始使用"))
        self.keeps_users = 0
        Op(self, lambda: existing_users(self.paths)).success(self._users_found).run_in_background()
        self.resize(720, 480)

    def choices(self) -> FirstRunChoices:
        return FirstRunChoices(
            hall_code=self.hall_code.text(), hall_name=self.hall_name.text(), terminal_id=self.terminal_id.text(),
            terminal_name=self.terminal_name.text(), printer_uri=self.printer_uri.text(),
            printer_width=int(self.printer_width.currentText()), language=self.language.currentData(),
            supervisor_username=self.supervisor.text().strip(), supervisor_name=self.supervisor_name.text(),
            supervisor_password=self.password.text(), upstream_url=self.upstream.text().strip(),
            enrollment_code=self.code.text().strip(), printer_raster=self.raster.isChecked(),
            supervisor_password_again=self.password2.text())

    # --- checks as the technician goes -----------------------------------------------------
    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt's name
        page = self.currentId()
        if page == SUMMARY:
            return True
        if page == UPSTREAM:
            return self._upstream_ok()
        messages = {HALL: self.hall_message, PRINTER: self.printer_message, PEOPLE: self.last_message}
        try:
            settings = settings_from(self.choices())
        except CashierError as exc:
            if page in (HALL, PRINTER):
                messages[page].error(str(exc))
                return False
            settings = None
        if page == PEOPLE:
            if self.setup is not None:
                return True  # applied: on to the summary
            if not self.keeps_users and settings is not None:
                try:
                    check_supervisor(settings, self.choices())
                except CashierError as exc:
                    self.last_message.error(str(exc))
                    return False
            self._finish()
            return False  # goes on once the background set-up has succeeded
        messages[page].clear()
        return True

    def _upstream_ok(self) -> bool:
        """The upstream page alone: its address well formed, a code only with an address."""
        from pydantic import ValidationError

        from cashier.settings import UpstreamSettings, describe_validation_error

        try:
            UpstreamSettings(url=self.upstream.text().strip())
        except ValidationError as exc:
            self.upstream_message.error(str(describe_validation_error(exc, "upstream")))
            return False
        if self.code.text().strip() and not self.upstream.text().strip():
            self.upstream_message.error(translate("setup.code_needs_url"))
            return False
        return True

    def reject(self) -> None:
        """Cancel (Esc, the window's close) before 完成设置 leaves the PC as it was; after it, the PC is set up and
        the program goes on to the login as 开始使用 does."""
        if self.setup is not None:
            self.accept()
        else:
            super().reject()

    def _users_found(self, count: int) -> None:
        self.keeps_users = count
        if count:
            for field in (self.supervisor, self.supervisor_name, self.password, self.password2):
                field.setEnabled(False)
            self.last_message.ok(self.tr("本机数据库已有 {n} 个用户：沿用现有账号，不再创建班长").format(n=count))

    def _run(self, name: str, button: QPushButton, fn, done, failed) -> None:
        """Background work for a button. The button stays enabled (a disabled one hands the focus to the next
        button, < 上一步, and the technician's next Enter would go back); a second press while it runs is ignored."""
        if name in self._busy:
            return
        self._busy.add(name)
        Op(self, fn).success(done).failure(failed).always(lambda: self._busy.discard(name)).run_in_background()

    def _test_connection(self) -> None:
        url = self.upstream.text().strip()
        if not url:
            self.upstream_message.error(self.tr("请先填写上级系统地址"))
            self.upstream.setFocus()
            return
        code = self.code.text().strip()
        self.upstream_message.ok(self.tr("正在连接……"))
        self._run("connection", self.test_connection, lambda: check_upstream(url, code), self._connection_ok,
                  self._connection_failed)

    def _connection_ok(self, check: CodeCheck) -> None:
        if not check.hall_code:
            self.upstream_message.ok(translate("setup.connection_ok", version=check.version))
        else:
            until = _local(check.expires_at)
            text = translate("setup.code_valid", version=check.version, hall=check.hall_code,
                             terminal=check.terminal_id, until=until)
            if (self.hall_code.text().strip(), self.terminal_id.text().strip()) != (check.hall_code, check.terminal_id):
                self.hall_code.setText(check.hall_code)  # the code decides them: what the PC will be enrolled as
                self.terminal_id.setText(check.terminal_id)
                text += self.tr("；已按注册码填入营业厅编码和终端编号")
            self.upstream_message.ok(text)
        self.button(QWizard.WizardButton.NextButton).setFocus()  # the next Enter goes on

    def _connection_failed(self, exc: BaseException) -> None:
        self.upstream_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
        refused_code = isinstance(exc, CashierError) and exc.key.startswith("setup.code_")
        (self.code if refused_code else self.upstream).setFocus()

    def _test_print(self) -> None:
        from receipts.builders import Hall
        from receipts.printing import print_test_page

        uri, width = self.printer_uri.text().strip() or "preview://", int(self.printer_width.currentText())
        raster = self.raster.isChecked()
        hall = Hall(self.hall_name.text(), self.terminal_id.text(), self.terminal_name.text())

        def run() -> str:
            import tempfile
            from pathlib import Path

            # Not in the data folder: nothing of an unfinished set-up is written there.
            previews = Path(tempfile.gettempdir()) / "hall-cashier-setup"
            page = print_test_page(uri, width, raster, hall, previews)
            return str(page.preview) if page.preview is not None else uri

        def printed(where: str) -> None:
            hint = "" if raster else "  " + self.tr("汉字乱码或缺字时勾选图像模式再试")
            self.printer_message.ok(self.tr("测试页已发送：{where}").format(where=where) + hint)
            self.button(QWizard.WizardButton.NextButton).setFocus()

        def failed(exc: BaseException) -> None:
            self.printer_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
            self.printer_uri.setFocus()

        self.printer_message.ok(self.tr("正在打印测试页……"))
        self._run("print", self.test_print, run, printed, failed)

    def _finish(self) -> None:
        if "finish" in self._busy:
            return
        choices = self.choices()
        if self.keeps_users:
            choices.supervisor_password_again = None
        self.button(QWizard.WizardButton.CommitButton).setEnabled(False)
        self.last_message.ok(self.tr("正在保存设置……"))
        self._busy.add("finish")
        Op(self, lambda: apply(self.paths, choices)).success(self._done).failure(self._failed) \
            .always(lambda: self._busy.discard("finish")).run_in_background()

    def _done(self, setup: SetUp) -> None:
        from receipts.setup_sheet import SetupSheet

        self.setup, self.settings = setup, setup.settings
        self.sheet = SetupSheet(setup, datetime.now())
        rows = self.sheet.rows(setup.settings.ui.language)
        self.summary.setText("<table>" + "".join(
            f"<tr><td><b>{label}</b>&nbsp;&nbsp;</td><td>{_html(value)}</td></tr>" for label, value in rows) + "</table>")
        self.button(QWizard.WizardButton.CommitButton).setEnabled(True)
        self.next()
        self.button(QWizard.WizardButton.FinishButton).setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.CommitButton).setEnabled(True)
        self.last_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))

    def _print_sheet(self) -> None:
        if self.sheet is None:
            return
        import tempfile
        from pathlib import Path

        sheet = self.sheet
        self.summary_message.ok(self.tr("正在打印设置单……"))
        self._run("sheet", self.print_sheet, lambda: sheet.print(Path(tempfile.gettempdir()) / "hall-cashier-setup"),
                  lambda where: self.summary_message.ok(self.tr("设置单已发送：{where}").format(where=where)),
                  lambda exc: self.summary_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc)))

    def _save_sheet(self) -> None:
        if self.sheet is None:
            return
        sheet, folder = self.sheet, self.paths.data_dir / "reports"
        self._run("pdf", self.save_sheet, lambda: sheet.save_pdf(folder),
                  lambda path: self.summary_message.ok(self.tr("设置单已存为 PDF：{file}").format(file=str(path))),
                  lambda exc: self.summary_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc)))


def _local(at: datetime | None) -> str:
    """An upstream's UTC time as this PC's local time."""
    from datetime import timezone

    if at is None:
        return ""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone().strftime("%Y-%m-%d %H:%M")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
