"""The technician's first-run wizard: hall and terminal, upstream and enrollment code, printer
with a test print, language, and the first supervisor. Nothing is written until Finish; a
cancelled wizard leaves the PC exactly as it was (and shows again next start)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWizard, QWizardPage,
)

from cashier.errors import CashierError
from cashier.firstrun import FirstRunChoices, apply, check_upstream, existing_users, settings_from
from cashier.settings import Paths, Settings
from ui.ops import Op
from ui.widgets import MessageLine


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
        self.finishing = False
        self.setObjectName("first_run")
        self.setWindowTitle(self.tr("首次设置（技术人员）"))
        defaults = Settings()

        page, form, self.hall_message = _page(self.tr("营业厅和终端"), self.tr("本机在营业厅里的身份"))
        self.hall_code = QLineEdit(defaults.hall.code)
        self.hall_name = QLineEdit(defaults.hall.name)
        self.terminal_id = QLineEdit(defaults.terminal.id)
        self.terminal_name = QLineEdit(defaults.terminal.name)
        for label, widget, name in ((self.tr("营业厅编码"), self.hall_code, "hall_code"),
                                    (self.tr("营业厅名称"), self.hall_name, "hall_name"),
                                    (self.tr("终端编号"), self.terminal_id, "terminal_id"),
                                    (self.tr("窗口名称"), self.terminal_name, "terminal_name")):
            widget.setObjectName(name)
            form.addRow(label, widget)
        self.addPage(page)

        page, form, self.upstream_message = _page(
            self.tr("上级系统"), self.tr("地址和一次性注册码；不填则本机离线使用，以后可用 cashier-admin enroll 注册"))
        self.upstream = QLineEdit()
        self.upstream.setObjectName("upstream")
        self.upstream.setPlaceholderText("https://…")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.test_connection = QPushButton(self.tr("测试连接"))
        self.test_connection.clicked.connect(self._test_connection)
        form.addRow(self.tr("上级系统地址"), self.upstream)
        form.addRow(self.tr("注册码"), self.code)
        form.addRow("", self.test_connection)
        self.addPage(page)

        page, form, self.printer_message = _page(self.tr("打印机"), self.tr("选择打印机并打印测试页"))
        self.printer_uri = QLineEdit(defaults.printer.uri)
        self.printer_uri.setObjectName("printer_uri")
        self.printer_uri.setPlaceholderText("tcp://192.168.1.50:9100 · usb://VID:PID · serial://COM3 · preview://")
        self.printer_width = QComboBox()
        self.printer_width.addItems(["80", "58"])
        self.test_print = QPushButton(self.tr("打印测试页"))
        self.test_print.clicked.connect(self._test_print)
        form.addRow(self.tr("打印机地址"), self.printer_uri)
        form.addRow(self.tr("纸宽 mm"), self.printer_width)
        form.addRow("", self.test_print)
        self.addPage(page)

        page, form, self.last_message = _page(self.tr("语言和班长账号"),
                                              self.tr("第一个班长账号；班长首次登录时须修改密码"))
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
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
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成设置"))
        self.keeps_users = 0
        Op(self, lambda: existing_users(self.paths)).success(self._users_found).run_in_background()
        self.resize(640, 420)

    def choices(self) -> FirstRunChoices:
        return FirstRunChoices(
            hall_code=self.hall_code.text(), hall_name=self.hall_name.text(), terminal_id=self.terminal_id.text(),
            terminal_name=self.terminal_name.text(), printer_uri=self.printer_uri.text(),
            printer_width=int(self.printer_width.currentText()), language=self.language.currentData(),
            supervisor_username=self.supervisor.text().strip(), supervisor_name=self.supervisor_name.text(),
            supervisor_password=self.password.text(), upstream_url=self.upstream.text().strip(),
            enrollment_code=self.code.text().strip())

    # --- checks as the technician goes -----------------------------------------------------
    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt's name
        page = self.currentId()
        try:
            settings_from(self.choices())
        except CashierError as exc:
            if page in (0, 1, 2):
                [self.hall_message, self.upstream_message, self.printer_message][page].error(str(exc))
                return False
        if page == 1 and self.code.text().strip() and not self.upstream.text().strip():
            self.upstream_message.error(self.tr("有注册码时必须填写上级系统地址"))
            return False
        if page == 3:
            if self.keeps_users:
                pass  # the database's users stay; no supervisor to create
            elif not self.supervisor.text().strip():
                self.last_message.error(self.tr("请填写班长用户名"))
                return False
            elif self.password.text() != self.password2.text():
                self.last_message.error(self.tr("两次输入的密码不一致"))
                return False
            if self.finishing:
                return True  # applied: let the wizard close
            self._finish()
            return False  # closes once the background set-up has succeeded
        return True

    def _users_found(self, count: int) -> None:
        self.keeps_users = count
        if count:
            for field in (self.supervisor, self.supervisor_name, self.password, self.password2):
                field.setEnabled(False)
            self.last_message.ok(self.tr("本机数据库已有 {n} 个用户：沿用现有账号，不再创建班长").format(n=count))

    def _test_connection(self) -> None:
        url = self.upstream.text().strip()
        if not url:
            self.upstream_message.error(self.tr("请先填写上级系统地址"))
            return
        self.test_connection.setEnabled(False)
        Op(self, lambda: check_upstream(url)) \
            .success(lambda version: self.upstream_message.ok(self.tr("连接成功（上级系统 {v}）").format(v=version))) \
            .failure(lambda exc: self.upstream_message.error(str(exc))) \
            .always(lambda: self.test_connection.setEnabled(True)).run_in_background()

    def _test_print(self) -> None:
        from receipts.builders import Hall
        from receipts.printing import print_test_page

        uri, width = self.printer_uri.text().strip() or "preview://", int(self.printer_width.currentText())
        hall = Hall(self.hall_name.text(), self.terminal_id.text(), self.terminal_name.text())

        def run() -> str:
            import tempfile
            from pathlib import Path

            # Not in the data folder: nothing of an unfinished set-up is written there.
            previews = Path(tempfile.gettempdir()) / "hall-cashier-setup"
            page = print_test_page(uri, width, False, hall, previews)
            return str(page.preview) if page.preview is not None else uri

        self.test_print.setEnabled(False)
        Op(self, run).success(lambda where: self.printer_message.ok(self.tr("测试页已发送：{where}").format(where=where))) \
            .failure(lambda exc: self.printer_message.error(str(exc))) \
            .always(lambda: self.test_print.setEnabled(True)).run_in_background()

    def _finish(self) -> None:
        choices = self.choices()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.last_message.ok(self.tr("正在保存设置……"))
        Op(self, lambda: apply(self.paths, choices)).success(self._done).failure(self._failed).run_in_background()

    def _done(self, settings: Settings) -> None:
        self.settings = settings
        self.finishing = True
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.last_message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))

