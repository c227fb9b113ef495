"""Settings (Ctrl+Shift+S), locked by role: whoever saves types their own credentials here. The
printer, the upstream's address and the language a supervisor may change; the hall, the terminal,
large print and the idle lock only a technician (``cashier.configuration`` decides and names what
was refused). Every value is checked before anything is written; every change is audited."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from cashier import auth
from cashier.configuration import change_settings
from cashier.errors import CashierError, ConfigError
from cashier.settings import SCALE_PERCENTS, Settings, describe_validation_error
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changes: dict = {}
        self.setObjectName("settings")
        self.setWindowTitle(self.tr("系统设置"))
        s = ctx.settings
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.hall_code = QLineEdit(s.hall.code)
        self.hall_name = QLineEdit(s.hall.name)
        self.terminal_id = QLineEdit(s.terminal.id)
        self.terminal_name = QLineEdit(s.terminal.name)
        self.printer_uri = QLineEdit(s.printer.uri)
        self.printer_uri.setObjectName("printer_uri")
        self.printer_width = QComboBox()
        self.printer_width.addItems(["80", "58"])
        self.printer_width.setCurrentText(str(s.printer.width))
        self.printer_raster = QCheckBox(self.tr("图像模式（打印机无中文字库）"))
        self.printer_raster.setChecked(s.printer.raster)
        self.upstream = QLineEdit(s.upstream.url)
        self.upstream.setObjectName("upstream")
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if s.ui.language == "zh" else 1)
        self.scale = QComboBox()  # 大字显示: Qt reads the scale when the program starts, so it waits for the next start
        self.scale.setObjectName("scale")
        for percent in SCALE_PERCENTS:
            self.scale.addItem(f"{percent} %", percent)
        self.scale.setCurrentIndex(SCALE_PERCENTS.index(s.ui.scale_percent))
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setValue(s.ui.idle_lock_minutes)
        self.username = QLineEdit(ctx.actor.username if ctx.actor else "")
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Two groups side by side: what a supervisor may change, what only a technician may (fits 1280×800 at 150 %).
        groups = QHBoxLayout()
        basic = QGroupBox(self.tr("班长或技术人员"))
        basic.setObjectName("basic_settings")
        form = QFormLayout(basic)
        for label, widget in ((self.tr("打印机地址"), self.printer_uri), (self.tr("纸宽 mm"), self.printer_width),
                              ("", self.printer_raster), (self.tr("上级系统地址"), self.upstream),
                              (self.tr("界面语言（下次启动生效）"), self.language)):
            form.addRow(label, widget)
        technical = QGroupBox(self.tr("仅技术人员"))
        technical.setObjectName("technician_settings")
        form = QFormLayout(technical)
        for label, widget in ((self.tr("营业厅编码"), self.hall_code), (self.tr("营业厅名称"), self.hall_name),
                              (self.tr("终端编号"), self.terminal_id), (self.tr("窗口名称"), self.terminal_name),
                              (self.tr("大字显示（下次启动生效）"), self.scale), (self.tr("无操作锁屏（分钟，0 为不锁）"), self.idle)):
            form.addRow(label, widget)
        groups.addWidget(basic)
        groups.addWidget(technical)
        layout.addLayout(groups)
        later = QLabel(self.tr("营业厅、终端和上级系统地址的更改在下次启动时生效。"))
        later.setWordWrap(True)
        layout.addWidget(later)
        credentials = QFormLayout()
        credentials.addRow(self.tr("保存人用户名"), self.username)
        credentials.addRow(self.tr("密码"), self.password)
        layout.addLayout(credentials)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("保存 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        # Tab follows the screen: the left group, the right group, then who saves.
        order = [self.printer_uri, self.printer_width, self.printer_raster, self.upstream, self.language, self.hall_code,
                 self.hall_name, self.terminal_id, self.terminal_name, self.scale, self.idle, self.username, self.password]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        self.printer_uri.setFocus()

    def _new_settings(self) -> Settings:
        data = self.ctx.settings.model_dump(mode="json")
        data["hall"].update(code=self.hall_code.text().strip(), name=self.hall_name.text().strip())
        data["terminal"].update(id=self.terminal_id.text().strip(), name=self.terminal_name.text().strip())
        data["printer"].update(uri=self.printer_uri.text().strip(), width=int(self.printer_width.currentText()),
                               raster=self.printer_raster.isChecked())
        data["upstream"]["url"] = self.upstream.text().strip()
        data["ui"].update(language=self.language.currentData(), idle_lock_minutes=self.idle.value(),
                          scale_percent=self.scale.currentData())
        from pydantic import ValidationError

        try:
            new = Settings.model_validate(data)
        except ValidationError as exc:
            raise describe_validation_error(exc, str(self.ctx.paths.config_file)) from None
        from cashier.sync.client import plain_http

        if plain_http(new.upstream.url) and not new.upstream.allow_plain_http:  # the sync would refuse it
            raise ConfigError("sync.plain_http_refused", url=new.upstream.url)
        return new

    def submit(self) -> None:
        if not self.button.isEnabled():
            return
        try:
            new = self._new_settings()  # checked first: a value refused costs no sign-in attempt
        except ConfigError as exc:
            self.message.error(str(exc))
            return
        for field in (self.username, self.password):
            if not field.text().strip():  # Enter with nobody named: ask, never spend a sign-in attempt
                field.setFocus()
                return
        ctx = self.ctx
        username, password = self.username.text().strip(), self.password.text()

        def work():
            actor = auth.login(ctx.terminal, username, password)
            return new, change_settings(ctx.terminal, actor, ctx.paths.config_file, ctx.settings, new,
                                        ctx.paths.data_dir)

        self.button.setEnabled(False)
        Op(self, work).success(self._saved).failure(self._failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _saved(self, outcome) -> None:
        new, self.changes = outcome
        self.ctx.settings = new
        self.ctx.printer.settings = new.printer
        if "ui.language" in self.changes:
            from ui.translation import apply_language

            apply_language(new.ui.language)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.password.clear()
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
