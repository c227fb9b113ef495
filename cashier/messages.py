"""Every user-facing message of the core, in Simplified Chinese (first) and English.

Keys are grouped by the room they come from: ``amount.*``, ``config.*``, ``store.*``,
``doctor.*``, ``cli.*``. Placeholders use ``str.format`` names.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # amounts typed by a person
    "amount.empty": {"zh": "请输入金额", "en": "Please enter an amount"},
    "amount.invalid": {
        "zh": "金额格式不正确：“{text}”（应为数字，如 12 或 12.50）",
        "en": "Not a valid amount: \"{text}\" (use digits such as 12 or 12.50)",
    },
    "amount.negative": {"zh": "金额不能为负数：“{text}”", "en": "The amount cannot be negative: \"{text}\""},
    "amount.too_many_decimals": {
        "zh": "金额最多两位小数（精确到分）：“{text}”",
        "en": "At most two decimal places (to the fen): \"{text}\"",
    },
    "amount.zero": {"zh": "金额不能为零", "en": "The amount cannot be zero"},
    "amount.too_large": {
        "zh": "金额过大：“{text}”（上限 {limit}）",
        "en": "Amount too large: \"{text}\" (limit {limit})",
    },
    # cashier-upstream reconcile (对账)
    "reconcile.bad_date": {"zh": "日期格式不正确：“{text}”（应为 YYYY-MM-DD）",
                           "en": "Not a date: \"{text}\" (use YYYY-MM-DD)"},
    "reconcile.bad_config": {"zh": "支付配置无法使用：{reason}", "en": "The payments settings cannot be used: {reason}"},
    "reconcile.file_needs_provider": {"zh": "指定对账单文件时须用 --provider 指明渠道（wechat、alipay 或 bank）",
                                      "en": "With --statement, say whose it is: --provider wechat, alipay or bank"},
    "reconcile.no_source": {"zh": "没有对账单来源：请用 --statement 指定文件（并用 --provider 指明渠道），或用 --payments 指定支付配置",
                            "en": "No statement to reconcile: give --statement FILE with --provider, or --payments "
                                  "with the providers' settings"},
    "reconcile.no_source_for": {"zh": "渠道 {provider} 没有对账单来源：支付配置中没有它，请用 --statement 指定文件",
                                "en": "No statement for {provider}: it is not in the payments settings; give "
                                      "--statement FILE"},
    "reconcile.unreadable": {"zh": "无法读取对账单 {file}：{reason}", "en": "Cannot read the statement {file}: {reason}"},
    "reconcile.download_failed": {"zh": "无法从 {provider} 下载对账单：{reason}",
                                  "en": "Cannot download the statement from {provider}: {reason}"},
    "reconcile.bad_statement": {"zh": "{provider} 对账单格式不正确：{reason}",
                                "en": "The {provider} statement cannot be read: {reason}"},
    "reconcile.provider_wechat": {"zh": "微信支付", "en": "WeChat Pay"},
    "reconcile.provider_alipay": {"zh": "支付宝", "en": "Alipay"},
    "reconcile.provider_bank": {"zh": "银行卡（收单行）", "en": "bank card (acquirer)"},
    "reconcile.head": {"zh": "对账 {date} · {provider}", "en": "Reconciliation {date} · {provider}"},
    "reconcile.figures": {
        "zh": "  对账单 {lines} 笔：收款 ¥{statement}，退款 ¥{refunds}；账内 {payments} 笔收费：¥{ledger}，冲正退款 ¥{ledger_refunds}；相符 {matched} 笔",
        "en": "  statement {lines} lines: paid ¥{statement}, refunded ¥{refunds}; ledger {payments} payments: "
              "¥{ledger}, refunded by reversal ¥{ledger_refunds}; {matched} matched"},
    "reconcile.ok": {"zh": "  账款相符", "en": "  reconciled: no differences"},
    "reconcile.mismatches": {"zh": "  不符 {count} 项（新告警 {new} 条）：",
                             "en": "  {count} difference(s) ({new} new alarm(s)):"},
    "reconcile.columns": {"zh": "  类型           交易号                            对账单金额     账内金额  终端     收费员     单据",
                          "en": "  kind           reference                          statement       ledger  terminal cashier    document"},
    "reconcile.kind_charged_not_recorded": {"zh": "已扣款未入账", "en": "charged, not recorded"},
    "reconcile.kind_reference_unknown": {"zh": "渠道无此交易", "en": "reference unknown"},
    "reconcile.kind_amount_differs": {"zh": "金额不符", "en": "amount differs"},
    "reconcile.kind_refund_differs": {"zh": "退款不符", "en": "refund differs"},
    # settings
    "config.syntax": {
        "zh": "配置文件 {file} 语法错误：{reason}",
        "en": "Syntax error in settings file {file}: {reason}",
    },
    "config.encoding": {
        "zh": "配置文件 {file} 不是 UTF-8 编码",
        "en": "Settings file {file} is not UTF-8 encoded",
    },
    "config.unreadable": {
        "zh": "无法读取配置文件 {file}：{reason}",
        "en": "Cannot read settings file {file}: {reason}",
    },
    "config.unknown_key": {
        "zh": "配置文件 {file} 中有未知的配置项：{field}",
        "en": "Unknown setting in {file}: {field}",
    },
    "config.invalid_value": {
        "zh": "配置文件 {file} 中配置项 {field} 的值无效：{reason}",
        "en": "Invalid value for {field} in {file}: {reason}",
    },
    "config.refused_value": {
        "zh": "配置项 {field} 的值无效：{reason}。配置文件 {file} 未改动。",
        "en": "Invalid value for {field}: {reason}. Settings file {file} was left unchanged.",
    },
    "config.unwritable": {
        "zh": "配置文件 {file} 无法写入：{reason}。原配置未改动。",
        "en": "Settings file {file} cannot be written: {reason}. The previous settings are unchanged.",
    },
    "config.reason.too_long": {"zh": "太长，最多 {limit} 个字符", "en": "too long: at most {limit} characters"},
    "config.reason.too_short": {"zh": "太短，至少 {limit} 个字符", "en": "too short: at least {limit} characters"},
    "config.reason.too_many": {"zh": "太多，最多 {limit} 项", "en": "too many: at most {limit} items"},
    "config.reason.pattern": {
        "zh": "格式不对（只能用英文字母、数字、- 和 _，不能为空）",
        "en": "wrong form (letters, digits, - and _ only, not empty)",
    },
    "config.reason.at_least": {"zh": "不能小于 {limit}", "en": "must be at least {limit}"},
    "config.reason.more_than": {"zh": "必须大于 {limit}", "en": "must be more than {limit}"},
    "config.reason.at_most": {"zh": "不能大于 {limit}", "en": "must be at most {limit}"},
    "config.reason.less_than": {"zh": "必须小于 {limit}", "en": "must be less than {limit}"},
    "config.reason.one_of": {"zh": "只能是 {choices} 之一", "en": "must be one of {choices}"},
    "config.reason.integer": {"zh": "应为整数", "en": "must be a whole number"},
    "config.reason.number": {"zh": "应为数字", "en": "must be a number"},
    "config.reason.boolean": {"zh": "应为 true 或 false", "en": "must be true or false"},
    "config.reason.text": {"zh": "应为文字（用英文双引号括起来）", "en": "must be text (in double quotes)"},
    "config.reason.missing": {"zh": "缺少此项", "en": "missing"},
    "config.reason.section": {"zh": "应为一节配置（[节名]）", "en": "must be a section ([name])"},
    "config.reason.other": {"zh": "不符合要求（{text}）", "en": "not accepted ({text})"},
    "config.reason.timezone": {
        "zh": "不认识的时区“{value}”（例如 Asia/Shanghai）",
        "en": "unknown time zone \"{value}\" (e.g. Asia/Shanghai)",
    },
    "config.reason.http_url": {
        "zh": "应以 http:// 或 https:// 开头",
        "en": "must start with http:// or https://",
    },
    "config.reason.collector_required": {
        "zh": "开启走收（door_to_door.enabled = true）时必须填写收费员（door_to_door.collector）",
        "en": "door_to_door.collector is required when door_to_door.enabled is true",
    },
    # the file system's refusals, in words (the C library's are English only)
    "os.no_space": {"zh": "磁盘已满", "en": "the disk is full"},
    "os.read_only": {"zh": "磁盘或文件夹只读", "en": "the disk or folder is read-only"},
    "os.denied": {"zh": "没有写入权限", "en": "permission denied"},
    "os.not_found": {"zh": "文件夹不存在", "en": "the folder does not exist"},
    "os.not_a_folder": {"zh": "路径中有一段是文件而不是文件夹", "en": "part of the path is a file, not a folder"},
    "os.is_a_folder": {"zh": "这是一个文件夹，不是文件", "en": "it is a folder, not a file"},
    "os.exists": {"zh": "已存在同名文件", "en": "a file of that name exists"},
    "os.other": {"zh": "系统错误 {errno}（{text}）", "en": "system error {errno} ({text})"},
    "config.bad_override": {
        "zh": "无法识别的参数“{text}”，应为 节.键=值，例如 printer.width=58",
        "en": "Cannot read override \"{text}\": use section.key=value, e.g. printer.width=58",
    },
    "printer.bad_uri": {
        "zh": "打印机地址“{uri}”无效：{reason}",
        "en": "Invalid printer URI \"{uri}\": {reason}",
    },
    "printer.uri.no_scheme": {"zh": "应写成 类型://…，类型有 {kinds}", "en": "expected kind://…, kinds: {kinds}"},
    "printer.uri.unknown_kind": {"zh": "不认识的类型 {kind}，类型有 {kinds}", "en": "unknown kind {kind}; kinds: {kinds}"},
    "printer.uri.bad_port": {"zh": "端口应为 1 到 65535 的数字", "en": "the port must be a number from 1 to 65535"},
    "printer.uri.no_host": {"zh": "缺少地址，例如 tcp://192.0.2.10:9100", "en": "missing host, e.g. tcp://192.0.2.10:9100"},
    "printer.uri.bad_usb": {"zh": "应写成 usb://厂商号:产品号（十六进制），例如 usb://0416:5011", "en": "expected usb://VID:PID in hex, e.g. usb://0416:5011"},
    "printer.uri.no_device": {"zh": "缺少串口，例如 serial:///dev/ttyS0 或 serial://COM3", "en": "missing device, e.g. serial:///dev/ttyS0 or serial://COM3"},
    "printer.uri.bad_baud": {"zh": "波特率应为 {rates} 之一", "en": "the baud rate must be one of {rates}"},
    "printer.uri.no_name": {"zh": "缺少打印机名称", "en": "missing printer name"},
    "printer.uri.no_path": {"zh": "缺少文件路径，例如 file:///tmp/receipt.bin", "en": "missing path, e.g. file:///tmp/receipt.bin"},
    # the customer's side: pole display (客显), voice
    "pole.bad_uri": {
        "zh": "客显地址无效“{uri}”：应为 off、serial://COM3?baud=2400、serial:///dev/ttyUSB0?baud=2400 或 tcp://地址:端口",
        "en": "invalid pole display URI \"{uri}\": use off, serial://COM3?baud=2400, serial:///dev/ttyUSB0?baud=2400 or tcp://host:port",
    },
    "pole.not_answering": {"zh": "客显 {uri} 无响应：{reason}", "en": "pole display {uri} not answering: {reason}"},
    "pole.ok": {"zh": "客显 {uri} 正常", "en": "pole display {uri} OK"},
    "doctor.voice_off": {"zh": "语音播报：未开启（[voice] enabled = false）", "en": "voice: off ([voice] enabled = false)"},
    "doctor.voice_unchecked": {
        "zh": "语音播报：安装版不在此检查，柜台启动时日志会写明所用语音",
        "en": "voice: not checked in an installed build; the counter's log names the voice it uses",
    },
    "doctor.voice_none": {
        "zh": "语音播报：没有可用的中文语音（{what}），柜台将不播报。Windows：安装中文语音包（设置 → 时间和语言 → 语音）；"
              "UOS/麒麟：sudo apt install speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libpulse0",
        "en": "voice: no Chinese voice available ({what}); the counter stays silent. Windows: add a Chinese voice "
              "(Settings → Time & language → Speech); UOS/Kylin: sudo apt install speech-dispatcher "
              "speech-dispatcher-espeak-ng espeak-ng libpulse0",
    },
    "doctor.voice_ok": {"zh": "语音播报：{what}", "en": "voice: {what}"},
    # local store
    "store.empty_file": {
        "zh": "数据库文件 {file} 为空（0 字节），可能已被截断。请从备份恢复；若确需重新开始，请先移走该文件。",
        "en": "Database file {file} is empty (0 bytes) and may have been truncated. Restore it from a backup, or move it away to start afresh.",
    },
    "store.not_sqlite": {
        "zh": "文件 {file} 不是 SQLite 数据库（文件头不正确），未做任何修改。",
        "en": "{file} is not an SQLite database (bad header); it was left untouched.",
    },
    "store.truncated": {
        "zh": "数据库文件 {file} 不完整：应有 {expected} 字节，实际只有 {actual} 字节。请从备份恢复，文件未做任何修改。",
        "en": "Database file {file} is truncated: {expected} bytes expected, {actual} found. Restore it from a backup; it was left untouched.",
    },
    "store.corrupt": {
        "zh": "数据库文件 {file} 已损坏：{reason}。请从备份恢复，文件未做任何修改。",
        "en": "Database file {file} is damaged: {reason}. Restore it from a backup; it was left untouched.",
    },
    "store.not_ours": {
        "zh": "文件 {file} 不是本收费程序的数据库，未做任何修改。",
        "en": "{file} is not a database of this cashier program; it was left untouched.",
    },
    "store.too_new": {
        "zh": "数据库 {file} 由更新版本的程序写入（结构版本 {schema}，本程序最高支持 {supported}）。请安装新版本程序；数据库未做任何修改。",
        "en": "Database {file} was written by a newer version of the program (schema {schema}; this one supports up to {supported}). Install the newer program; the database was left untouched.",
    },
    "store.needs_upgrade": {
        "zh": "数据库 {file} 的结构版本为 {schema}，需要升级到 {supported}（运行 cashier-admin init）",
        "en": "Database {file} has schema {schema} and needs upgrading to {supported} (run cashier-admin init)",
    },
    "store.backup_failed": {
        "zh": "备份数据库 {file} 失败：{reason}；未进行升级。",
        "en": "Backing up {file} failed: {reason}; nothing was upgraded.",
    },
    "store.migration_failed": {
        "zh": "升级数据库 {file} 失败：{reason}。数据库保持升级前的状态，升级前的备份在 backups 目录。",
        "en": "Upgrading {file} failed: {reason}. The database is as it was before; the pre-upgrade backup is in the backups folder.",
    },
    "store.data_dir_unwritable": {
        "zh": "数据目录 {dir} 无法写入：{reason}",
        "en": "Data directory {dir} is not writable: {reason}",
    },
    "store.busy": {
        "zh": "数据库 {file} 正忙（另一个程序正在写入），请稍后重试",
        "en": "Database {file} is busy (another program is writing); try again shortly",
    },
    "store.disk_full": {
        "zh": "磁盘已满，数据库 {file} 无法写入：本次操作没有保存。请清理磁盘空间（或联系技术人员）后重试。",
        "en": "The disk is full; database {file} cannot be written and this action was not saved. Free some disk space (or call the technician) and try again.",
    },
    "store.malformed": {
        "zh": "数据库 {file} 已损坏（文件内容有错），本次操作没有保存。请停止收费，由技术人员用 cashier-admin restore 从备份恢复。",
        "en": "Database {file} is damaged (its content is malformed); this action was not saved. Stop taking payments and have the technician restore it from a backup (cashier-admin restore).",
    },
    "store.damaged_refused": {
        "zh": "数据库 {file} 已损坏，暂停收费以免款项记入损坏的数据库。请技术人员用 cashier-admin restore 从备份恢复后再收费。",
        "en": "Database {file} is damaged: payments are refused so that no money goes into it. Have the technician restore it from a backup (cashier-admin restore), then take payments again.",
    },
    "store.read_only": {
        "zh": "数据库 {file} 只读（文件或所在文件夹不允许写入），本次操作没有保存。请技术人员检查文件夹权限或磁盘。",
        "en": "Database {file} is read-only (the file or its folder cannot be written); this action was not saved. Have the technician check the folder's permissions or the disk.",
    },
    "store.cant_open": {
        "zh": "无法打开数据库 {file}（文件夹不可访问或只读）。请技术人员检查数据目录。",
        "en": "Cannot open database {file} (its folder cannot be reached or is read-only). Have the technician check the data folder.",
    },
    "store.io_error": {
        "zh": "读写数据库 {file} 出错：{reason}。本次操作没有保存。",
        "en": "Reading or writing database {file} failed: {reason}. This action was not saved.",
    },
    "store.unknown_revision": {
        "zh": "数据库 {file} 的结构版本“{revision}”本程序不认识（本程序最高支持结构版本 {supported}），可能由更新版本的程序写入。请安装新版本程序；数据库未做任何修改。",
        "en": "Database {file} has a schema revision \"{revision}\" this program does not know (it supports up to schema {supported}); a newer program probably wrote it. Install the newer program; the database was left untouched.",
    },
    "store.sqlite_found": {
        "zh": "SQLite 检查发现 {n} 处问题（第一处：{first}）",
        "en": "SQLite's check found {n} problem(s) (the first: {first})",
    },
    "store.quick_check_failed": {
        "zh": "数据库 {file} 检查未通过：{reason}。请停止收费，用 cashier-admin restore 从备份恢复；文件未做任何修改。",
        "en": "Database {file} failed its check: {reason}. Stop taking payments and restore it from a backup (cashier-admin restore); the file was left untouched.",
    },
    # doctor
    "doctor.config_ok": {"zh": "配置：{file}", "en": "settings: {file}"},
    "doctor.config_defaults": {"zh": "配置：未找到 {file}，使用内置默认值", "en": "settings: {file} not found, using built-in defaults"},
    "doctor.data_dir_missing": {
        "zh": "数据目录：{dir} 不存在（运行 cashier-admin init 创建）",
        "en": "data directory: {dir} does not exist (run cashier-admin init)",
    },
    "doctor.data_dir_ok": {"zh": "数据目录：{dir} 可写", "en": "data directory: {dir} is writable"},
    "doctor.private_ok": {
        "zh": "访问权限：数据目录 {dir} 和数据库仅本系统用户可读",
        "en": "permissions: the data folder {dir} and the database are readable by this OS user only",
    },
    "doctor.private_open": {
        "zh": "访问权限：其他系统用户可以读取 {paths}（客户姓名、电话和密码散列）。下次启动 cashier 或运行 "
              "cashier-admin init 时会自动改为仅本用户可读；也可以现在运行 chmod -R go-rwx {dir}",
        "en": "permissions: other OS users can read {paths} (customers' names, phones and password hashes). The next "
              "start of cashier or cashier-admin init makes them private to this user; or run chmod -R go-rwx {dir} now",
    },
    "doctor.private_windows": {
        "zh": "访问权限：数据目录 {dir} 位于本用户的个人文件夹，Windows 只允许本用户和管理员访问",
        "en": "permissions: the data folder {dir} is in this user's profile, which Windows opens to this user and administrators only",
    },
    "doctor.db_missing": {
        "zh": "数据库：{file} 不存在（运行 cashier-admin init 创建）",
        "en": "database: {file} does not exist (run cashier-admin init)",
    },
    "doctor.db_ok": {
        "zh": "数据库：完整性正常，结构版本 {schema}（当前程序 {supported}）",
        "en": "database: integrity ok, schema {schema} (this program: {supported})",
    },
    "doctor.db_outdated": {
        "zh": "数据库：结构版本 {schema} 低于当前程序的 {supported}（运行 cashier-admin init 升级）",
        "en": "database: schema {schema} is older than this program's {supported} (run cashier-admin init)",
    },
    "doctor.db_integrity": {"zh": "数据库：完整性检查失败：{reason}", "en": "database: integrity check failed: {reason}"},
    "doctor.disk_ok": {"zh": "磁盘空间：剩余 {free}", "en": "disk space: {free} free"},
    "doctor.disk_low": {
        "zh": "磁盘空间：只剩 {free}（至少需要 {needed}）",
        "en": "disk space: only {free} free (at least {needed} needed)",
    },
    "doctor.printer_pdf": {"zh": "打印机：收据存为 PDF，文件夹 {folder}", "en": "printer: receipts saved as PDF in {folder}"},
    "doctor.printer_preview": {"zh": "打印机：预览打印机（不出纸）", "en": "printer: preview printer (no paper)"},
    "doctor.printer_ok": {"zh": "打印机：{uri} 可连接", "en": "printer: {uri} reachable"},
    "doctor.printer_fail": {"zh": "打印机：{uri} 无法连接：{reason}", "en": "printer: {uri} unreachable: {reason}"},
    "doctor.printer_unchecked": {
        "zh": "打印机：{uri}（此类连接无法在此检查，请用 print-test 试打）",
        "en": "printer: {uri} (this kind cannot be checked here; use print-test)",
    },
    "doctor.printer_bad_uri": {"zh": "打印机：地址无效“{uri}”：{reason}", "en": "printer: invalid URI \"{uri}\": {reason}"},
    "doctor.upstream_none": {"zh": "上级系统：未配置（离线使用）", "en": "upstream: not configured (offline use)"},
    "doctor.policy_local": {"zh": "违约金政策：按本机 [penalty] 设置计算（{digest}），未配置上游",
                            "en": "Penalty policy: this PC's [penalty] settings ({digest}); no upstream configured"},
    "doctor.policy_not_yet": {"zh": "违约金政策：尚未收到上游的政策（上游未同步或版本较旧），暂按本机 [penalty] 设置计算（{digest}）",
                              "en": "Penalty policy: none received from the upstream yet (not synced, or an older "
                                    "upstream); this PC's [penalty] settings ({digest}) apply for now"},
    "doctor.policy_upstream": {"zh": "违约金政策：上游版本 {version}（{digest}）",
                               "en": "Penalty policy: the upstream's, version {version} ({digest})"},
    "doctor.policy_upstream_local_differs": {
        "zh": "违约金政策：上游版本 {version}（{digest}）；本机 [penalty] 设置（{local}）与之不同，已不使用",
        "en": "Penalty policy: the upstream's, version {version} ({digest}); this PC's different [penalty] settings "
              "({local}) are not used"},
    "doctor.policy_unreadable": {"zh": "违约金政策：本机保存的上游政策无法读取，请执行一次同步",
                                 "en": "Penalty policy: the upstream's policy held here cannot be read; run a sync"},
    "doctor.font_ok": {"zh": "中文字体：{font}", "en": "Chinese font: {font}"},
    "doctor.font_none": {
        "zh": "中文字体：未找到，无法打印图形小票、预览和 PDF（请安装 {package}）",
        "en": "Chinese font: none found, raster receipts, previews and PDFs cannot be drawn (install {package})",
    },
    "doctor.font_rare_ok": {"zh": "生僻字字体：{fonts}（可显示 {chars} 等扩展区汉字）",
                            "en": "rare-character font: {fonts} (draws {chars} and other CJK extension characters)"},
    "doctor.font_rare_missing": {
        "zh": "生僻字字体：未安装，户名中的 {chars} 等字在小票和 PDF 上将印成 □（请安装 {package}）",
        "en": "rare-character font: none installed, {chars} and the like in names print as □ on receipts and PDFs "
              "(install {package})",
    },
    "doctor.upstream_ok": {"zh": "上级系统：{url} 应答正常（上级系统版本 {version}）",
                           "en": "upstream: {url} answers (cashier upstream, version {version})"},
    "doctor.upstream_not_protocol": {
        "zh": "上级系统：{url} 有应答，但不是收费系统的上级接口（GET {path} 返回 {answer}）；请核对地址（协议、主机、端口、路径）",
        "en": "upstream: {url} answers, but not as the cashier's upstream (GET {path} gave {answer}); check the "
              "address (scheme, host, port, path)"},
    "doctor.not_enrolled": {
        "zh": "终端凭据：本终端尚未在 {url} 注册，无法上传收费；请用一次性注册码执行 cashier-admin enroll --upstream {url} --code 注册码",
        "en": "terminal credentials: this terminal is not enrolled with {url}, so nothing can be uploaded; run "
              "cashier-admin enroll --upstream {url} --code CODE with a one-time code"},
    "doctor.credentials_unreadable": {"zh": "终端凭据：{reason}；请重新注册（cashier-admin enroll）",
                                      "en": "terminal credentials: {reason}; re-enroll (cashier-admin enroll)"},
    "doctor.credentials_refused": {
        "zh": "终端凭据：上级系统拒绝本终端（{terminal}，营业厅 {hall}）的凭据（{reason}）：凭据已被吊销或不属于此上级系统，"
              "请向上级系统管理员申请新的一次性注册码后重新注册（cashier-admin enroll）",
        "en": "terminal credentials: the upstream refused this terminal's credentials ({terminal}, hall {hall}; "
              "{reason}): revoked, or issued by another upstream; get a new one-time code from the upstream's "
              "operator and re-enroll (cashier-admin enroll)"},
    "doctor.credentials_ok": {"zh": "终端凭据：上级系统接受本终端 {terminal}（营业厅 {hall}）",
                              "en": "terminal credentials: accepted by the upstream for terminal {terminal} (hall {hall})"},
    "doctor.credentials_other": {
        "zh": "终端凭据：凭据属于终端 {terminal}、营业厅 {hall}，而配置写的是终端 {local_terminal}、营业厅 {local_hall}；"
              "收费单据会以凭据中的终端上传，请改正配置或重新注册",
        "en": "terminal credentials: issued to terminal {terminal} of hall {hall}, but the settings say terminal "
              "{local_terminal} of hall {local_hall}; uploads go as the credentials' terminal: fix the settings or "
              "re-enroll"},
    "doctor.clock_ok": {"zh": "时钟：与上级系统相差 {skew}（上级系统时间 {server}）",
                        "en": "clock: {skew} from the upstream's (upstream time {server})"},
    "doctor.clock_warn": {
        "zh": "时钟：本机比上级系统{direction} {skew}（上级系统时间 {server}，超过 {limit} 将不被上级系统认可）；请校准系统时间（开启网络校时 NTP）",
        "en": "clock: this PC is {skew} {direction} the upstream (upstream time {server}; past {limit} the upstream "
              "does not accept it); set the system clock (turn on network time, NTP)"},
    "doctor.clock_fail": {
        "zh": "时钟：本机比上级系统{direction} {skew}，超过上级系统允许的 {limit}：收费时间和营业日可能记错；请立即校准系统时间（开启网络校时 NTP）",
        "en": "clock: this PC is {skew} {direction} the upstream, past the {limit} it accepts: payment times and "
              "business dates may be wrong; set the system clock now (turn on network time, NTP)"},
    "doctor.clock_ahead": {"zh": "快", "en": "ahead of"},
    "doctor.clock_behind": {"zh": "慢", "en": "behind"},
    "doctor.sync_ok": {"zh": "同步：上次成功 {last}（{age}前）；待上传 {pending} 笔（{amount}）",
                       "en": "sync: last successful round {last} ({age} ago); {pending} uploads pending ({amount})"},
    "doctor.sync_never": {
        "zh": "同步：注册后尚未成功同步过；待上传 {pending} 笔（{amount}）{error}",
        "en": "sync: no successful round since enrollment; {pending} uploads pending ({amount}){error}"},
    "doctor.sync_failing": {
        "zh": "同步：最近一轮失败（{error}）；上次成功 {last}（{age}前）；待上传 {pending} 笔（{amount}）",
        "en": "sync: the last round failed ({error}); last successful round {last} ({age} ago); {pending} uploads "
              "pending ({amount})"},
    "doctor.sync_held": {
        "zh": "同步：{held} 笔上传被上级系统拒收或有冲突，需班长处理（cashier-admin conflicts list）",
        "en": "sync: {held} uploads refused by the upstream or in conflict, waiting for a supervisor "
              "(cashier-admin conflicts list)"},
    "doctor.sync_exposed": {
        "zh": "同步：离线已超过上限（上次成功 {last}，待上传 {pending} 笔 {amount}；上限 {max_hours} 小时、{max_amount}）："
              "每班收费需班长批准；请先查明同步失败的原因{error}",
        "en": "sync: past the offline cap (last successful round {last}, {pending} uploads pending, {amount}; cap "
              "{max_hours} h, {max_amount}): every shift needs a supervisor's approval to take payments; find why sync "
              "fails{error}"},
    "doctor.sync_last_error": {"zh": "（最近的错误：{error}）", "en": " (last error: {error})"},
    "doctor.never": {"zh": "从未", "en": "never"},
    "duration.days": {"zh": "{n} 天", "en": "{n} d"},
    "duration.hours": {"zh": "{n} 小时", "en": "{n} h"},
    "duration.minutes": {"zh": "{n} 分", "en": "{n} min"},
    "duration.seconds": {"zh": "{n} 秒", "en": "{n} s"},
    "doctor.upstream_fail": {"zh": "上级系统：{url} 无法连接：{reason}", "en": "upstream: {url} unreachable: {reason}"},
    # search and quote
    "search.empty": {"zh": "请输入户号、条码、姓名、地址、电话或表号", "en": "Type an account number, barcode, name, address, phone or meter number"},
    "search.nothing_found": {"zh": "未找到“{query}”", "en": "Nothing found for \"{query}\""},
    "quote.bad_account": {
        "zh": "户号“{account}”格式不正确（应为 {length} 位数字）",
        "en": "Account number \"{account}\" is not valid ({length} digits expected)",
    },
    "quote.unknown_account": {"zh": "户号 {account} 不存在", "en": "No account {account}"},
    "date.invalid": {
        "zh": "日期“{text}”格式不正确（应为 YYYY-MM-DD，例如 2026-03-01）",
        "en": "Date \"{text}\" is not valid (use YYYY-MM-DD, e.g. 2026-03-01)",
    },
    "search.more": {"zh": "……结果较多，只显示前面部分，请输入更完整的信息", "en": "…more results; type more to narrow them down"},
    "match.account": {"zh": "户号", "en": "account"},
    "match.bill": {"zh": "账单条码", "en": "bill barcode"},
    "match.meter": {"zh": "表号", "en": "meter"},
    "match.phone": {"zh": "电话", "en": "phone"},
    "match.account_prefix": {"zh": "户号前缀", "en": "account prefix"},
    "match.phone_suffix": {"zh": "电话尾号", "en": "phone ending"},
    "match.name_exact": {"zh": "姓名", "en": "name"},
    "match.name": {"zh": "姓名含", "en": "name contains"},
    "match.initials": {"zh": "拼音首字母", "en": "pinyin initials"},
    "match.address": {"zh": "地址含", "en": "address contains"},
    "class.residential": {"zh": "居民", "en": "residential"},
    "class.commercial": {"zh": "一般工商业", "en": "commercial"},
    "class.industrial": {"zh": "大工业", "en": "large industry"},
    "class.agricultural": {"zh": "农业生产", "en": "agricultural"},
    "flag.disconnected": {"zh": "已停电", "en": "disconnected"},
    "flag.prepaid_meter": {"zh": "费控表", "en": "prepaid meter"},
    "flag.none": {"zh": "正常", "en": "normal"},
    "special.dibao": {"zh": "低保户", "en": "minimum-income household"},
    "special.wubao": {"zh": "五保户", "en": "five-guarantee household"},
    "special.elderly_alone": {"zh": "独居老人", "en": "elderly living alone"},
    "special.disabled": {"zh": "残疾人", "en": "disabled"},
    "quote.account": {"zh": "户号", "en": "Account"},
    "quote.address": {"zh": "地址", "en": "Address"},
    "quote.phone": {"zh": "电话", "en": "Phone"},
    "quote.flags": {"zh": "状态", "en": "Status"},
    "quote.on": {"zh": "计算日期", "en": "Quoted for"},
    "quote.col.period": {"zh": "账期", "en": "Period"},
    "quote.col.kwh": {"zh": "电量kWh", "en": "kWh"},
    "quote.col.principal": {"zh": "电费", "en": "Billed"},
    "quote.col.outstanding": {"zh": "欠费", "en": "Owed"},
    "quote.col.due": {"zh": "到期日", "en": "Due"},
    "quote.col.days": {"zh": "逾期天数", "en": "Days late"},
    "quote.col.rate": {"zh": "违约金率(天数×日率)", "en": "Rate (days × per day)"},
    "quote.col.penalty": {"zh": "违约金", "en": "Penalty"},
    "quote.minimum_note": {"zh": "* 不足 1 元的违约金按 1 元收取", "en": "* a penalty under ￥1 is charged as ￥1"},
    "quote.no_arrears": {"zh": "无欠费", "en": "Nothing owed"},
    "quote.total_principal": {"zh": "欠费合计", "en": "Owed"},
    "quote.total_penalty": {"zh": "违约金合计", "en": "Penalty"},
    "quote.total_due": {"zh": "应缴合计", "en": "Total due"},
    "quote.prepaid_balance": {"zh": "预存余额", "en": "Prepaid balance"},
    "seed.bad_count": {"zh": "客户数应在 1 到 5,000,000 之间，收到 {count}", "en": "The number of accounts must be 1 to 5,000,000, got {count}"},
    "seed.not_empty": {
        "zh": "数据库 {file} 中已有数据；演示数据只能写入新的空数据目录",
        "en": "Database {file} already holds data; demo data goes only into a new, empty data folder",
    },
    "seed.done": {
        "zh": "已生成 {accounts} 户、{bills} 张账单（欠费 {arrears} 户，停电 {disconnected} 户）、{users} 个演示用户，用时 {seconds} 秒：{file}",
        "en": "Created {accounts} accounts, {bills} bills ({arrears} in arrears, {disconnected} disconnected) and {users} demo users in {seconds} s: {file}",
    },
    # users and approvals
    "auth.forbidden": {"zh": "{user} 无权{action}：需要{roles}登录", "en": "{user} may not {action}: a {roles} must sign in"},
    "permission.payment.take": {"zh": "收费", "en": "take payments"},
    "permission.shift.open": {"zh": "开班", "en": "open a shift"},
    "permission.shift.cash": {"zh": "存取现金", "en": "move cash in or out"},
    "permission.shift.close": {"zh": "结班", "en": "close a shift"},
    "permission.shift.review": {"zh": "复核班次", "en": "review shifts"},
    "permission.day.settle": {"zh": "日结", "en": "settle the day"},
    "permission.approve": {"zh": "授权", "en": "authorize"},
    "permission.users.manage": {"zh": "管理用户", "en": "manage users"},
    "permission.settings.change": {"zh": "更改设置", "en": "change the settings"},
    "permission.settings.basic": {"zh": "更改打印机、上级系统地址或界面语言", "en": "change the printer, the upstream address or the language"},
    "permission.receipt.reprint": {"zh": "重打凭证", "en": "reprint receipts"},
    "permission.report.view": {"zh": "查看报表", "en": "view the reports"},
    "role.cashier": {"zh": "收费员", "en": "cashier"},
    "role.supervisor": {"zh": "班长", "en": "supervisor"},
    "role.technician": {"zh": "技术人员", "en": "technician"},
    "roles.cashier_supervisor": {"zh": "收费员或班长", "en": "cashier or supervisor"},
    "roles.supervisor_technician": {"zh": "班长或技术人员", "en": "supervisor or technician"},
    "auth.must_change_password": {"zh": "首次登录请先修改密码", "en": "Change your password before anything else"},
    "auth.bad_credentials": {"zh": "用户名或密码错误，还可尝试 {left} 次", "en": "Wrong user name or password: {left} tries left"},
    "auth.locked": {"zh": "密码错误次数过多，账号已锁定至 {until}", "en": "Too many wrong passwords: locked until {until}"},
    "auth.password_too_short": {"zh": "密码至少需要 {length} 位", "en": "The password needs at least {length} characters"},
    "auth.password_unchanged": {"zh": "新密码不能与旧密码相同", "en": "The new password must differ from the old one"},
    "auth.password_rules": {
        "zh": "新密码至少 {length} 位，不能与旧密码相同",
        "en": "The new password: at least {length} characters, not the old one",
    },
    "auth.passwords_differ": {"zh": "两次输入的新密码不一致", "en": "The two new passwords differ"},
    "auth.password_changed": {"zh": "密码已修改", "en": "Password changed"},
    # managing users (人员管理): the supervisor's workspace and cashier-admin users
    "users.cashiers_only": {
        "zh": "{user} 只能管理收费员账号；{role}账号需要技术人员管理",
        "en": "{user} manages cashiers only: a {role}'s account is a technician's to manage",
    },
    "users.sign_in_first": {"zh": "请先登录", "en": "Sign in first"},
    "users.not_yourself": {
        "zh": "不能在这里重置或停用自己的账号；修改自己的密码请按 Ctrl+Shift+P",
        "en": "You cannot reset or deactivate your own account here; Ctrl+Shift+P changes your own password",
    },
    "users.unknown": {"zh": "没有用户 {username}", "en": "No user {username}"},
    "users.inactive": {"zh": "用户 {username} 已停用", "en": "User {username} is deactivated"},
    "users.bad_role": {"zh": "角色“{role}”无效，应为 {roles} 之一", "en": "Invalid role \"{role}\": use one of {roles}"},
    "users.name_too_long": {"zh": "姓名最多 {length} 个字", "en": "The name takes at most {length} characters"},
    "users.state.active": {"zh": "正常", "en": "active"},
    "users.state.must_change": {"zh": "待改密码", "en": "must change password"},
    "users.state.locked": {"zh": "已锁定", "en": "locked"},
    "users.state.inactive": {"zh": "已停用", "en": "deactivated"},
    "users.added": {
        "zh": "已新增{role} {username}（{name}）。初始密码（只显示这一次）：{password}\n请交给本人；首次登录时必须修改。",
        "en": "Added {role} {username} ({name}). Initial password (shown this once only): {password}\n"
              "Hand it to them in person; they must change it at their first sign-in.",
    },
    "users.reset": {
        "zh": "已重置 {username}（{name}）的密码。新密码（只显示这一次）：{password}\n请交给本人；下次登录时必须修改。",
        "en": "Reset the password of {username} ({name}). New password (shown this once only): {password}\n"
              "Hand it to them in person; they must change it at their next sign-in.",
    },
    "users.unlocked": {"zh": "已解锁 {username}（{name}），密码不变", "en": "Unlocked {username} ({name}); the password is unchanged"},
    "users.deactivated": {
        "zh": "已停用 {username}（{name}）：不能再登录，收费和班次记录保留",
        "en": "Deactivated {username} ({name}): no more sign-ins; their payments and shifts stay",
    },
    "users.deactivate_confirm": {
        "zh": "要停用 {username}，请加上 --yes 再运行一次",
        "en": "To deactivate {username}, run the command again with --yes",
    },
    "users.list_head": {"zh": "用户名 / 姓名 / 角色 / 状态", "en": "user / name / role / state"},
    "users.none": {"zh": "还没有任何用户", "en": "No users yet"},
    "auth.bad_username": {"zh": "用户名“{username}”无效", "en": "Invalid user name \"{username}\""},
    "auth.user_exists": {"zh": "用户名 {username} 已存在", "en": "User {username} already exists"},
    "auth.reason_required": {"zh": "请填写原因", "en": "A reason is required"},
    "auth.not_supervisor": {"zh": "{user} 不是班长，不能授权", "en": "{user} is not a supervisor and cannot authorize"},
    "auth.self_approval": {"zh": "不能由本人授权自己的操作", "en": "Nobody may authorize their own action"},
    "auth.approval_required": {"zh": "此操作需要班长授权（{action}）", "en": "This needs a supervisor's authorization ({action})"},
    "auth.approval_used": {"zh": "该授权已使用过，请重新授权", "en": "That authorization was already used; authorize again"},
    "auth.approval_expired": {"zh": "授权已过期，请重新授权", "en": "The authorization has expired; authorize again"},
    "auth.approval_other": {"zh": "该授权是给其他收费员的", "en": "That authorization was given to another cashier"},
    "auth.approval_amount": {
        "zh": "授权金额为 {approved} 分，本次需要 {asked} 分，请重新授权",
        "en": "Authorized for {approved} fen but {asked} fen is needed; authorize again",
    },
    # shifts and cash
    "shift.none_open": {"zh": "本窗口没有已开班的班次，请先开班", "en": "No open shift at this terminal: open one first"},
    "shift.already_open": {"zh": "本窗口已有开着的班次", "en": "This terminal already has an open shift"},
    "shift.not_yours": {"zh": "当前班次不是您开的", "en": "The open shift belongs to another cashier"},
    "shift.reason_required": {
        "zh": "{over_short}，请填写原因",
        "en": "{over_short}: a reason is required",
    },
    "shift.short": {"zh": "短款 {amount}", "en": "Short {amount}"},
    "shift.over": {"zh": "长款 {amount}", "en": "Over {amount}"},
    "shift.even": {"zh": "无长短款", "en": "No over/short"},
    "reversal.choose": {"zh": "请先在列表中选择要冲正的收费记录", "en": "Choose the payment to reverse in the list first"},
    "reversal.none_today": {"zh": "本窗口今天没有可冲正的收费", "en": "No payment at this terminal today to reverse"},
    "shift.not_closed": {"zh": "该班次尚未结班或已签核", "en": "That shift is not closed or already signed off"},
    "shift.self_review": {"zh": "班长不能签核自己的班次", "en": "A supervisor cannot sign off their own shift"},
    "cash.bad_denomination": {"zh": "无效的面额：{value}", "en": "Not a renminbi denomination: {value}"},
    "cash.bad_count": {"zh": "{denomination} 的张数无效：{count}", "en": "Invalid count for {denomination}: {count}"},
    "cash.bad_purpose": {"zh": "无效的款项用途：{purpose}", "en": "Invalid purpose: {purpose}"},
    "cash.bad_amount": {"zh": "金额无效", "en": "Invalid amount"},
    "cash.reason_required": {"zh": "请填写缴款/取款原因", "en": "Give a reason for this cash movement"},
    "cash.not_enough": {"zh": "钱箱现金不足 {amount}", "en": "The drawer does not hold {amount}"},
    "day.already_settled": {"zh": "{date} 已经日结", "en": "{date} is already settled"},
    "day.shifts_pending": {"zh": "还有 {count} 个班次未结班或未签核", "en": "{count} shift(s) are not closed or not signed off"},
    "day.no_shifts": {"zh": "{date} 没有班次", "en": "No shifts on {date}"},
    "day.not_settled": {"zh": "找不到日结记录 {date}", "en": "No day-end settlement {date}"},
    "settings.technician_only": {
        "zh": "{user} 只能更改打印机、上级系统地址和界面语言；{keys} 需要技术人员登录后更改",
        "en": "{user} may change the printer, the upstream address and the language only; {keys} need a technician",
    },
    "settings.enrolled_identity": {
        "zh": "本机已在上级系统注册为营业厅 {hall} 的终端 {terminal}，不能在这里改营业厅代码或终端号；"
              "要改，请先申请新的注册码，再用 cashier-admin enroll 重新注册",
        "en": "This PC is enrolled upstream as terminal {terminal} of hall {hall}: the hall code and terminal id "
              "cannot change here; get a new code and enroll again with cashier-admin enroll",
    },
    "door.not_assigned": {
        "zh": "户号 {account} 不在收费员 {collector} 的走收客户清单中（走收只服务清单内的特殊群体和老年客户）",
        "en": "Account {account} is not on {collector}'s door-to-door list (only the assigned special-group and elderly customers)",
    },
    "door.collector_required": {"zh": "请用 --collector 指定收费员姓名", "en": "Name the collector with --collector"},
    "door.not_enabled": {"zh": "本机未开启走收模式（用 --collector 开启）", "en": "Door-to-door mode is off (switch it on with --collector)"},
    "door.switched_on": {
        "zh": "已开启走收模式，收费员 {collector}；出发前请先联网同步一次（cashier-admin sync）",
        "en": "Door-to-door mode on for {collector}; sync once before leaving (cashier-admin sync)",
    },
    "door.switched_off": {"zh": "已关闭走收模式", "en": "Door-to-door mode off"},
    "door.list_head": {
        "zh": "收费员 {collector} 的走收客户 {n} 户，其中欠费 {owing} 户，应缴合计 {due}",
        "en": "{collector}'s door-to-door customers: {n}, {owing} owing, {due} due in all",
    },
    "door.cash_only": {"zh": "走收只收现金", "en": "Door-to-door collection takes cash only"},
    "export.unwritable": {
        "zh": "无法写入文件夹 {folder}：{reason}。请选择其他文件夹（如“文档”或U盘）",
        "en": "Cannot write to the folder {folder}: {reason}. Choose another folder (such as Documents or a USB drive)",
    },
    "export.nothing": {"zh": "没有可导出的数据", "en": "Nothing to export"},
    "export.bad_format": {"zh": "只能导出为 .csv 或 .xlsx 文件：{file}", "en": "Export to a .csv or .xlsx file only: {file}"},
    "export.sheet.collector": {"zh": "收费员回收率 {period}", "en": "Collectors {period}"},
    "export.sheet.area": {"zh": "供电所回收率 {period}", "en": "Areas {period}"},
    "export.sheet.total": {"zh": "合计 {period}", "en": "Total {period}"},
    "export.sheet.arrears": {"zh": "欠费清单", "en": "Arrears"},
    "export.total": {"zh": "合计", "en": "Total"},
    "export.yes": {"zh": "是", "en": "yes"},
    "export.col.rank": {"zh": "排名", "en": "Rank"},
    "export.col.name": {"zh": "名称", "en": "Name"},
    "export.col.accounts": {"zh": "户数", "en": "Accounts"},
    "export.col.billed": {"zh": "应收(元)", "en": "Billed (yuan)"},
    "export.col.collected": {"zh": "实收(元)", "en": "Collected (yuan)"},
    "export.col.rate": {"zh": "回收率(%)", "en": "Rate (%)"},
    "export.col.arrears": {"zh": "欠费(元)", "en": "Arrears (yuan)"},
    "export.col.account_no": {"zh": "户号", "en": "Account"},
    "export.col.class": {"zh": "用户类别", "en": "Class"},
    "export.col.station": {"zh": "供电所", "en": "Station"},
    "export.col.area": {"zh": "台区", "en": "Transformer area"},
    "export.col.collector": {"zh": "责任收费员", "en": "Collector"},
    "export.col.bucket": {"zh": "账龄(天)", "en": "Overdue bucket (days)"},
    "export.col.overdue_days": {"zh": "逾期天数", "en": "Days overdue"},
    "export.col.bills": {"zh": "欠费账单数", "en": "Bills"},
    "export.col.principal": {"zh": "欠费(元)", "en": "Arrears (yuan)"},
    "export.col.penalty": {"zh": "违约金(元)", "en": "Penalty (yuan)"},
    "export.col.total": {"zh": "合计(元)", "en": "Total (yuan)"},
    "export.col.notified": {"zh": "催费通知日", "en": "Notice issued"},
    "export.col.candidate": {"zh": "停电候选", "en": "Disconnection candidate"},
    # payments
    "payment.bad_amount": {"zh": "金额无效：{amount}", "en": "Invalid amount: {amount}"},
    "payment.no_tender": {"zh": "请选择付款方式", "en": "Choose how the customer pays"},
    "sale.amount_required": {"zh": "请先输入本次金额", "en": "Type the amount to pay first"},
    "sale.tendered_required": {
        "zh": "请输入顾客所付金额（实收）；本次金额 {amount}",
        "en": "Type what the customer hands over (tendered); the amount is {amount}",
    },
    "sale.already_paid": {"zh": "这笔已收费完成，请查询下一位客户", "en": "This sale is paid; look up the next customer"},
    "sale.committing": {"zh": "正在保存上一笔收费，请稍候", "en": "The payment is being saved; one moment"},
    "sale.stale": {
        "zh": "该户欠费已变化（{before} → {now}），已刷新，请核对后再收费",
        "en": "The account's dues changed ({before} → {now}); refreshed, check before taking payment",
    },
    "sale.confirm_change": {"zh": "找零 {change}：请核对实收 {tendered}", "en": "Change {change}: check tendered {tendered}"},
    "sale.confirm_prepaid": {
        "zh": "其中 {prepaid} 存入预存电费（应缴 {due}）",
        "en": "{prepaid} of it goes to the prepaid balance (due {due})",
    },
    "cash.note_yuan": {"zh": "{n}元", "en": "¥{n}"},
    "cash.note_jiao": {"zh": "{n}角", "en": "¥0.{n}0"},
    "cash.note_fen": {"zh": "{n}分", "en": "¥0.0{n}"},
    "form.reason_required": {"zh": "请填写原因", "en": "Give the reason"},
    "form.supervisor_required": {"zh": "请输入班长用户名", "en": "Type the supervisor's user name"},
    "form.password_required": {"zh": "请班长输入密码", "en": "The supervisor types their password"},
    "tender.cash": {"zh": "现金", "en": "Cash"},
    "tender.bank_card": {"zh": "银行卡", "en": "Bank card"},
    "tender.wechat": {"zh": "微信支付", "en": "WeChat Pay"},
    "tender.alipay": {"zh": "支付宝", "en": "Alipay"},
    "tender.e_bao": {"zh": "电e宝", "en": "e-Bao"},
    "tender.prepaid_card": {"zh": "充值卡", "en": "Prepaid card"},
    "payment.bad_tender": {"zh": "不支持的付款方式：{kind}", "en": "Unknown means of payment: {kind}"},
    "payment.bad_tender_amount": {"zh": "付款金额无效：{amount}", "en": "Invalid tender amount: {amount}"},
    "payment.reference_required": {
        "zh": "{kind} 付款需要填写交易参考号（最多 64 位）",
        "en": "A {kind} payment needs its transaction reference (up to 64 characters)",
    },
    "payment.tender_short": {"zh": "实收 {tendered} 不足应收 {amount}", "en": "Tendered {tendered} is short of {amount}"},
    "payment.change_from_card": {
        "zh": "非现金付款 {non_cash} 超过本次金额 {amount}：只有现金可以找零",
        "en": "Non-cash {non_cash} exceeds the amount {amount}: only cash gives change",
    },
    "payment.below_penalty": {
        "zh": "本次金额 {amount} 不足以支付 {period} 账期的违约金 {penalty}",
        "en": "{amount} does not cover the penalty {penalty} of the {period} bill",
    },
    "payment.quote_changed": {
        "zh": "该户应缴金额已变化（原 {before}，现 {now}），请重新查询",
        "en": "The amount due changed ({before} → {now}); look the account up again",
    },
    "payment.waiver_too_large": {"zh": "减免 {waiver} 超过违约金 {penalty}", "en": "Waiver {waiver} exceeds the penalty {penalty}"},
    "payment.waiver_unused": {"zh": "有 {waiver} 的减免未用上，请调整金额", "en": "{waiver} of the waiver is not used; adjust the amount"},
    "payment.id_conflict": {"zh": "收费单号 {id} 已用于另一笔收费", "en": "Payment id {id} belongs to a different payment"},
    "reversal.unknown": {"zh": "找不到收费记录 {id}", "en": "No payment {id}"},
    "reversal.not_a_payment": {"zh": "冲正记录不能再冲正", "en": "A reversal cannot be reversed"},
    "reversal.already": {"zh": "这笔收费已经冲正过", "en": "This payment is already reversed"},
    "reversal.not_today": {"zh": "只能冲正当日的收费（该笔为 {date}）", "en": "Only today's payments can be reversed (this one is from {date})"},
    "reversal.later_payment": {
        "zh": "该户之后又有收费，请先冲正后面的收费",
        "en": "A later payment touched the same bills: reverse that one first",
    },
    "reversal.balance_used": {"zh": "预存余额已不足 {credit}，不能冲正", "en": "The prepaid balance no longer holds {credit}"},
    "document.too_long": {
        "zh": "{field} 太长：最多 {max} 个字符",
        "en": "{field} is too long: at most {max} characters",
    },
    "document.bad_characters": {
        "zh": "{field} 含有不能上传的字符（控制字符或不允许的符号）",
        "en": "{field} holds characters that cannot be uploaded (control characters or symbols not allowed)",
    },
    "document.invalid": {"zh": "单据内容不能上传：{field}（{reason}）", "en": "This document cannot be uploaded: {field} ({reason})"},
    "audit.ok": {"zh": "审计日志完整：共 {count} 条", "en": "Audit log intact: {count} entries"},
    "audit.broken": {
        "zh": "审计日志在第 {id} 条处被破坏（{problem}），共检查 {count} 条",
        "en": "Audit log broken at entry {id} ({problem}); {count} entries checked",
    },
    "audit.altered": {"zh": "被修改", "en": "altered"},
    "audit.anchors_ok": {
        "zh": "审计日志与上级系统保存的 {count} 个链头一致", "en": "Audit log holds all {count} chain heads the upstream keeps",
    },
    "audit.anchor_truncated": {
        "zh": "审计日志被截断：上级系统保存了第 {seq} 条的链头，本机已没有这一条",
        "en": "Audit log truncated: the upstream holds the chain head at entry {seq}, which is gone here",
    },
    "audit.anchor_rewritten": {
        "zh": "审计日志被重写：第 {seq} 条的哈希与上级系统保存的链头不同",
        "en": "Audit log rewritten: entry {seq} no longer has the hash the upstream holds",
    },
    "records.bill_differs": {
        "zh": "账单 {bill}（户号 {account}）本机欠费 {local}，与上级系统不符（应为 {expected}）：本机数据被改动过，请核查并执行 cashier-admin sync --refetch",
        "en": "Bill {bill} (account {account}) owes {local} here but {expected} by the upstream: the local data was "
              "changed; look into it, then run cashier-admin sync --refetch"},
    "records.balance_differs": {
        "zh": "户号 {account} 本机预存余额 {local}，与上级系统不符（应为 {expected}）：本机数据被改动过，请核查并执行 cashier-admin sync --refetch",
        "en": "Account {account} has a prepaid balance of {local} here but {expected} by the upstream: the local data "
              "was changed; look into it, then run cashier-admin sync --refetch"},
    "records.upstream_ok": {
        "zh": "与上级系统核对：{accounts} 户预存余额、{bills} 张账单一致（{stale} 项本机尚未同步到最新，下次同步后再核）",
        "en": "Against the upstream: {accounts} prepaid balances and {bills} bills agree ({stale} rows not yet "
              "pulled in their newest version; checked after the next sync)"},
    "records.ok": {"zh": "收费、冲正、缴取款、交班记录与审计日志一致", "en": "Payments, reversals, cash movements and shift closes match the audit log"},
    "records.altered": {
        "zh": "{kind} {id} 被修改：记录内容与审计日志中的摘要不符",
        "en": "{kind} {id} altered: its rows no longer match the digest in the audit log",
    },
    "records.unchained": {
        "zh": "{kind} {id} 没有审计记录：不是由收费程序写入的",
        "en": "{kind} {id} has no audit entry: it was not written by the cashier program",
    },
    "records.deleted": {
        "zh": "{kind} {id} 被删除：审计日志中有，数据库中没有",
        "en": "{kind} {id} deleted: it is in the audit log but not in the database",
    },
    "records.outbox_altered": {
        "zh": "{kind} {id} 的上传内容被修改：与审计日志中的摘要不符",
        "en": "{kind} {id}: the body queued for upload was altered (it does not match the audit log)",
    },
    "records.outbox_missing": {
        "zh": "{kind} {id} 的上传记录被删除", "en": "{kind} {id}: its upload queue entry was deleted",
    },
    "records.kind_payment": {"zh": "收费", "en": "Payment"},
    "records.kind_reversal": {"zh": "冲正", "en": "Reversal"},
    "records.kind_cash_movement": {"zh": "缴取款", "en": "Cash movement"},
    "records.kind_shift_close": {"zh": "交班", "en": "Shift close"},
    "records.kind_evaluation": {"zh": "服务评价", "en": "Service evaluation"},
    "doctor.audit_ok": {
        "zh": "审计日志：{count} 条完整，收费记录与之一致", "en": "audit log: {count} entries intact, money records match it",
    },
    "doctor.audit_broken": {"zh": "审计日志：{problem}（共 {count} 处问题，运行 cashier-admin audit-verify 查看全部）",
                            "en": "audit log: {problem} ({count} problem(s) in all; run cashier-admin audit-verify "
                                  "to list them)"},
    "audit.inserted": {"zh": "被插入", "en": "inserted"},
    "audit.deleted": {"zh": "被删除", "en": "deleted"},
    "font.none": {
        "zh": "未找到中文字体（请安装 {hint}）",
        "en": "No Chinese font found (install {hint})",
    },
    "font.missing_override": {"zh": "CASHIER_CJK_FONT 指定的字体不存在：{path}", "en": "CASHIER_CJK_FONT points to a missing file: {path}"},
    "printer.refused": {"zh": "打印机 {where} 拒绝连接（未开机或地址错误）", "en": "Printer {where} refused the connection (off, or wrong address)"},
    "printer.timeout": {"zh": "连接打印机 {where} 超时", "en": "Connecting to printer {where} timed out"},
    "printer.unreachable": {"zh": "无法连接打印机 {where}：{reason}", "en": "Cannot reach printer {where}: {reason}"},
    "printer.paper_out": {"zh": "打印机 {where} 缺纸，请装纸后重打", "en": "Printer {where} is out of paper: load paper and reprint"},
    "printer.stalled": {"zh": "打印机 {where} 停止接收数据，凭证可能未打出", "en": "Printer {where} stopped taking data; the receipt may not have printed"},
    "printer.dropped": {"zh": "打印机 {where} 中途断开，凭证可能未打全", "en": "Printer {where} dropped the connection mid-job; the receipt may be incomplete"},
    "printer.unconfirmed": {"zh": "打印机 {where} 未回应，请确认凭证是否打出", "en": "Printer {where} did not answer; check whether the receipt printed"},
    "printer.offline": {"zh": "打印机 {where} 处于离线状态，凭证未打出", "en": "Printer {where} is offline; the receipt did not print"},
    "printer.cover_open": {"zh": "打印机 {where} 机盖打开，请合上机盖后重打", "en": "Printer {where} has its cover open: close it and reprint"},
    "printer.cutter_error": {"zh": "打印机 {where} 切刀故障，请排除后重打", "en": "Printer {where} has a cutter error: clear it and reprint"},
    "printer.unrecoverable": {"zh": "打印机 {where} 出现不可恢复的故障，请关机检修", "en": "Printer {where} has an unrecoverable error: switch it off and have it checked"},
    "printer.recoverable_error": {"zh": "打印机 {where} 出现故障（如过热），恢复后请重打", "en": "Printer {where} reports an error (overheating, say); reprint once it recovers"},
    "printer.feeding": {"zh": "打印机 {where} 正在走纸（有人按着进纸键），请稍后重打", "en": "Printer {where} is feeding paper (the FEED button is held); reprint in a moment"},
    "printer.not_a_printer": {"zh": "{where} 的回应不是小票打印机的状态（收到 {byte}），请检查打印机地址",
                              "en": "{where} answered something that is not a receipt printer's status (got {byte}); check the printer address"},
    "printer.paper_near_end": {"zh": "打印机纸将用完，请准备换纸", "en": "The printer's paper is running low: have a new roll ready"},
    "printer.driver_missing": {"zh": "{kind} 打印机需要安装 {package}", "en": "A {kind} printer needs {package} installed"},
    "print.printed": {"zh": "凭证已打印", "en": "Receipt printed"},
    "print.saved_pdf": {"zh": "收据已存为 PDF：{file}", "en": "Receipt saved as PDF: {file}"},
    "print.queued": {"zh": "收费已成功，凭证未打出（{reason}），已放入补打队列", "en": "Payment saved; the receipt did not print ({reason}) and waits in the reprint queue"},
    "print.printing": {"zh": "正在打印凭证…", "en": "Printing the receipt…"},
    "print.reprinted": {"zh": "凭证已重打（第{count}次）", "en": "Receipt reprinted (reprint no. {count})"},
    "print.still_queued": {"zh": "凭证仍未打出（{reason}），留在补打队列", "en": "The receipt still did not print ({reason}); it stays in the reprint queue"},
    "print.unknown_job": {"zh": "补打队列中没有这张凭证（编号 {id}），可能已打出", "en": "No receipt {id} in the reprint queue; it may have printed already"},
    # CLI
    "cli.init_created": {"zh": "已创建数据库 {file}（结构版本 {schema}）", "en": "Created database {file} (schema {schema})"},
    "cli.init_upgraded": {
        "zh": "已将数据库 {file} 从结构版本 {old} 升级到 {schema}；升级前的备份：{backup}",
        "en": "Upgraded database {file} from schema {old} to {schema}; backup taken before: {backup}",
    },
    "cli.init_current": {"zh": "数据库 {file} 已是最新（结构版本 {schema}）", "en": "Database {file} is up to date (schema {schema})"},
    "cli.config_written": {"zh": "已写入默认配置 {file}", "en": "Wrote default settings to {file}"},
    "cli.doctor_failed": {"zh": "检查未通过：{count} 项失败", "en": "Check failed: {count} problem(s)"},
    "cli.doctor_passed": {"zh": "全部检查通过", "en": "All checks passed"},
    "cli.print_test_preview": {"zh": "测试页已生成预览图：{file}", "en": "Test page drawn as a preview: {file}"},
    "cli.print_test_sent": {
        "zh": "测试页已发送到 {uri}（{bytes} 字节，{width} mm，{mode}）",
        "en": "Test page sent to {uri} ({bytes} bytes, {width} mm, {mode})",
    },
    "cli.mode_text": {"zh": "中文字库模式", "en": "text mode"},
    "cli.mode_raster": {"zh": "图像模式", "en": "raster mode"},
    "cli.error": {"zh": "错误：{message}", "en": "Error: {message}"},
    # the technician's first-run set-up (cashier.firstrun, the wizard, cashier-admin init)
    "setup.code_unknown": {"zh": "注册码无效：上级系统不认识这个注册码，请核对（注意 0/O、1/I 不会出现）或申请新的注册码",
                           "en": "The enrollment code is not valid: the upstream does not know it. Check it, or ask for a "
                                 "new one"},
    "setup.code_used": {"zh": "注册码已被使用过（每个注册码只能用一次）：请申请新的注册码",
                        "en": "The enrollment code was already used (a code works once): ask for a new one"},
    "setup.code_expired": {"zh": "注册码已过期：请申请新的注册码", "en": "The enrollment code has expired: ask for a new one"},
    "setup.code_needs_url": {"zh": "有注册码时必须填写上级系统地址", "en": "An enrollment code needs the upstream's address"},
    "setup.not_upstream": {
        "zh": "{url} 上有网页服务，但不是收费上级系统（HTTP {status}）：请核对地址和端口",
        "en": "{url} answers, but it is not the cashier's upstream (HTTP {status}): check the address and port",
    },
    "setup.connection_ok": {"zh": "连接成功（上级系统 {version}）", "en": "Connected (upstream {version})"},
    "setup.code_valid": {
        "zh": "连接成功（上级系统 {version}）。注册码有效：营业厅 {hall}，终端 {terminal}，有效期至 {until}（尚未使用）",
        "en": "Connected (upstream {version}). The code is valid for hall {hall}, terminal {terminal}, until {until} "
              "(not used yet)",
    },
    "setup.demo_identity": {
        "zh": "营业厅编码 {code} 和名称“{name}”是演示营业厅的：请填写本营业厅的编码和名称",
        "en": "Hall code {code} and name “{name}” are the demo hall's: type this hall's own code and name",
    },
    "setup.password_mismatch": {"zh": "两次输入的密码不一致", "en": "The two passwords differ"},
    "setup.pending": {
        "zh": "本机尚未完成设置：技术人员启动 cashier 时会打开设置向导（营业厅、终端、上级系统、打印机、第一个班长账号）",
        "en": "This PC is not set up yet: starting cashier opens the technician's wizard (hall, terminal, upstream, "
              "printer, the first supervisor)",
    },
    "sync.unreachable": {"zh": "无法连接上级系统 {url}：{reason}", "en": "Cannot reach the upstream {url}: {reason}"},
    "sync.enroll_refused": {"zh": "上级系统拒绝注册：{reason}", "en": "The upstream refused the enrollment: {reason}"},
    "sync.enroll_other_terminal": {
        "zh": "本机已有终端 {local} 的收费记录，不能注册为终端 {terminal}；请为 {local} 申请注册码",
        "en": "This PC holds payments of terminal {local}; it cannot enroll as {terminal}. Ask for a code for {local}",
    },
    "sync.not_enrolled": {
        "zh": "本终端尚未注册到上级系统：先运行 cashier-admin enroll --upstream URL --code 注册码",
        "en": "This terminal is not enrolled: run cashier-admin enroll --upstream URL --code CODE first",
    },
    "sync.refused": {"zh": "上级系统拒绝：{reason}", "en": "The upstream refused: {reason}"},
    "sync.busy": {
        "zh": "本机的另一个同步正在进行（收费程序或另一个 cashier-admin sync），请等它结束后再试",
        "en": "Another sync of this data folder is running (the counter or another cashier-admin sync); "
              "try again when it has finished",
    },
    "sync.sequence_unconfirmed": {
        "zh": "本机数据已从备份恢复，收据号尚未与上级系统核对：请先连上上级系统同步一次（cashier-admin sync），之后才能收费",
        "en": "This PC was restored from a backup and its receipt numbers are not yet checked with the upstream: "
              "sync once with the upstream (cashier-admin sync) before taking money",
    },
    "sync.sequence_unconfirmed_short": {
        "zh": "收据号待与上级系统核对，暂不能收费",
        "en": "Receipt numbers not yet checked with the upstream: no payments yet",
    },
    "sync.sequence_moved": {
        "zh": "本机收据号只到 {was}，上级系统已有到 {last} 的记录（从较早的备份恢复？）：下一张收据号为 {next}",
        "en": "This PC numbered receipts up to {was} but the upstream holds up to {last} (restored from an older "
              "backup?): the next receipt number is {next}",
    },
    "sync.terminal_key_unreadable": {
        "zh": "无法读取本机终端密钥：{reason}",
        "en": "Cannot read this PC's terminal key: {reason}",
    },
    "cli.restore_sequence_warning": {
        "zh": "注意：这份备份之后收取的款项只有上级系统有记录。本机在连上上级系统之前不能收费；"
              "连上后收据号会自动接在上级系统已有的最后一号之后。请现在运行 cashier-admin sync",
        "en": "Note: payments taken after this backup was made are known only to the upstream. This counter will not "
              "take money until it has reached the upstream; it will then number receipts on from the upstream's "
              "last number. Run cashier-admin sync now",
    },
    # why the upstream rejected a document pushed by this terminal: ItemResult.reason after "sync.rejected."
    "sync.rejected.other_terminal": {"zh": "该记录属于另一个终端", "en": "The document belongs to another terminal"},
    "sync.rejected.other_hall": {
        "zh": "该记录的营业厅与本终端注册的营业厅不同",
        "en": "The document names another hall than the one this terminal is enrolled in",
    },
    "sync.rejected.kind_mismatch": {"zh": "记录类型与其内容不符", "en": "The document's kind does not match its content"},
    # the link to the upstream (TLS): refused before anything is sent, or said loudly when allowed
    "sync.plain_http_refused": {
        "zh": "拒绝使用上级系统地址 {url}：这是发往其他机器的未加密 http://，收费数据和本终端的凭据会以明文经过网络。"
              "请改用 https://；确需明文（例如受控的测试网络）时，在配置文件 [upstream] 中设置 allow_plain_http = true",
        "en": "Refusing the upstream address {url}: it is unencrypted http:// to another machine, so payments and this "
              "terminal's credentials would cross the network in clear. Use https://; if plain HTTP is really meant "
              "(a closed test network), set allow_plain_http = true in [upstream] of the settings file",
    },
    "sync.plain_http_allowed": {
        "zh": "警告：上级系统 {url} 使用未加密的 http://（[upstream] allow_plain_http = true）："
              "收费数据和本终端的凭据以明文经过网络，请尽快改用 https://",
        "en": "WARNING: the upstream {url} is unencrypted http:// ([upstream] allow_plain_http = true): payments and "
              "this terminal's credentials cross the network in clear; move to https:// soon",
    },
    "sync.tls_unverified": {
        "zh": "警告：不校验上级系统 {url} 的证书（[upstream] verify_tls = false）：网络上任何人都能冒充上级系统。"
              "营业厅自己的 CA 请写在 [upstream] ca_file，并恢复 verify_tls = true",
        "en": "WARNING: the upstream {url} is used without checking its certificate ([upstream] verify_tls = false): "
              "anyone on the network can pose as the upstream. Put the hall's own CA in [upstream] ca_file and set "
              "verify_tls = true again",
    },
    "sync.tls_untrusted": {
        "zh": "上级系统 {url} 的证书不受信任：{reason}。若上级系统使用营业厅自己的 CA，请在 [upstream] ca_file "
              "中填写该 CA 证书文件（PEM）；并核对地址中的主机名与证书一致",
        "en": "The upstream {url} presented a certificate this terminal does not trust: {reason}. If the upstream uses "
              "the hall's own CA, put that CA's certificate file (PEM) in [upstream] ca_file, and check that the "
              "host name in the address is the certificate's",
    },
    "sync.ca_file_unreadable": {
        "zh": "无法读取 [upstream] ca_file 指定的 CA 证书 {file}：{reason}（应为 PEM 格式的证书文件）",
        "en": "Cannot read the CA certificate {file} named in [upstream] ca_file: {reason} (a PEM certificate file "
              "is expected)",
    },
    # why the upstream rejected a reversal (冲正) pushed by this terminal: ItemResult.reason after "sync.rejected."
    "sync.rejected.unknown_original": {"zh": "上级系统没有被冲正的那笔收费", "en": "The upstream does not hold the payment being reversed"},
    "sync.rejected.original_not_a_payment": {"zh": "被冲正的记录不是收费", "en": "The record being reversed is not a payment"},
    "sync.rejected.original_other_hall": {"zh": "被冲正的收费属于其他营业厅", "en": "The payment being reversed belongs to another hall"},
    "sync.rejected.original_other_terminal": {
        "zh": "被冲正的收费由本厅另一个收费窗口收取，只能由该窗口冲正",
        "en": "The payment being reversed was taken at another counter of this hall; only that counter may reverse it",
    },
    "sync.rejected.original_rejected": {"zh": "被冲正的收费已被上级系统拒收", "en": "The upstream rejected the payment being reversed"},
    "sync.rejected.original_other_account": {"zh": "冲正的户号与原收费不同", "en": "The reversal names another account than the payment"},
    "sync.rejected.already_reversed": {"zh": "这笔收费在上级系统已经冲正过", "en": "The upstream already holds a reversal of this payment"},
    "sync.rejected.reversal_other_day": {"zh": "冲正与原收费不在同一营业日", "en": "The reversal is not on the payment's business day"},
    "sync.rejected.reversal_amounts_differ": {
        "zh": "冲正金额（实收、预存、减免）与原收费不符",
        "en": "The reversal's amounts (applied, prepaid credit, waived) differ from the payment's",
    },
    "sync.rejected.reversal_allocations_differ": {
        "zh": "冲正的账单分配与原收费不符",
        "en": "The reversal's allocation to bills differs from the payment's",
    },
    "sync.rejected.reversal_tenders_differ": {
        "zh": "冲正退款方式与原收费不符（非现金原路退回，现金退实收减找零）",
        "en": "The reversal's refund differs from the payment's (non-cash back the way it came, cash net of change)",
    },
    # why the upstream rejected a payment's dates or approval (upstream/checks.py)
    "sync.rejected.date_in_future": {
        "zh": "收费时间晚于上级系统的时间：请核对本机时钟，由班长与上级系统核实处理",
        "en": "The payment is dated later than the upstream's clock: check this PC's clock; a supervisor settles it with the upstream",
    },
    "sync.rejected.date_too_old": {
        "zh": "收费时间早于上级系统允许的离线补传期限：由班长与上级系统核实处理（款项保留在本机）",
        "en": "The payment is older than the upstream's offline window: a supervisor settles it with the upstream (kept on this PC)",
    },
    "sync.rejected.date_mismatch": {
        "zh": "营业日与收费时间不是同一天", "en": "The business date is not the day the payment was taken",
    },
    "sync.rejected.waiver_without_approval": {
        "zh": "违约金减免没有班长授权记录", "en": "The penalty waiver carries no supervisor's approval",
    },
    "sync.rejected.reversal_without_approval": {
        "zh": "冲正没有班长授权记录", "en": "The reversal carries no supervisor's approval",
    },
    "lookup.not_in_hall": {
        "zh": "本营业厅没有户号 {account}。如是其他营业厅的客户，可跨厅查询（收费界面的“跨厅查询”或 cashier-admin lookup --other-hall），上级系统会记录每次跨厅查询",
        "en": "Account {account} is not this hall's. For a customer of another hall, look it up across halls (the counter's "
              "\"other hall\" lookup or cashier-admin lookup --other-hall); the upstream records every such lookup",
    },
    "lookup.unknown": {"zh": "上级系统中没有户号 {account}（任何营业厅都没有）", "en": "The upstream has no account {account} in any hall"},
    "sync.exposure_exceeded": {
        "zh": "离线已 {hours} 小时、未上传 {pending}（上限 {max_hours} 小时 / {max_pending}）：继续收费需班长授权",
        "en": "Offline {hours} h with {pending} not uploaded (limit {max_hours} h / {max_pending}): a supervisor must approve further payments",
    },
    "cli.enrolled": {
        "zh": "已注册：营业厅 {hall}，终端 {terminal}；凭据保存在 {file}",
        "en": "Enrolled: hall {hall}, terminal {terminal}; credentials saved in {file}",
    },
    "cli.sync_done": {
        "zh": "同步完成：上传 {pushed}；下载 {accounts} 户、{bills} 张账单{snapshot}；待上传 {pending} 笔，待处理 {held} 笔",
        "en": "Sync done: pushed {pushed}; pulled {accounts} accounts, {bills} bills{snapshot}; {pending} waiting, {held} held for a supervisor",
    },
    "cli.sync_snapshot": {"zh": "（全量）", "en": " (full snapshot)"},
    "cli.sync_nothing": {"zh": "无", "en": "nothing"},
    "maint.no_database": {"zh": "没有数据库 {file}", "en": "No database {file}"},
    "maint.no_backup": {"zh": "找不到备份文件 {file}", "en": "No backup file {file}"},
    "maint.backup_damaged": {"zh": "备份 {file} 已损坏，不能恢复：{reason}", "en": "Backup {file} is damaged and cannot be restored: {reason}"},
    "maint.in_use": {
        "zh": "数据库 {file} 正被收费程序使用：请先退出所有收费窗口再恢复",
        "en": "Database {file} is in use: close the counter program before restoring",
    },
    "backup.bad_name": {
        "zh": "备份应写到一个文件夹或 .zip 文件：{file}",
        "en": "Back up to a folder or a .zip file: {file}",
    },
    "backup.disk_full": {
        "zh": "备份失败：{file} 所在磁盘已满。请换一个位置（--to）或清理磁盘后重试；没有留下不完整的备份。",
        "en": "Backup failed: the disk of {file} is full. Choose another place (--to) or free some space; no partial backup was left.",
    },
    "backup.read_only": {
        "zh": "备份失败：{file} 不能写入（只读或没有权限）。请换一个位置（--to）；没有留下不完整的备份。",
        "en": "Backup failed: {file} cannot be written (read-only or no permission). Choose another place (--to); no partial backup was left.",
    },
    "backup.io_error": {
        "zh": "备份失败：写入 {file} 出错：{reason}；没有留下不完整的备份。",
        "en": "Backup failed: writing to {file} failed: {reason}; no partial backup was left.",
    },
    "backup.source_damaged": {
        "zh": "数据库 {file} 已损坏，备份没有写出：{reason}。请停止收费，用 cashier-admin restore 从以前的备份恢复。",
        "en": "Database {file} is damaged, so no backup was written: {reason}. Stop taking payments and restore an earlier backup (cashier-admin restore).",
    },
    "backup.counts_differ": {
        "zh": "备份校验失败：{file} 的备份与原库记录数不一致（原库 {source}，备份 {copy}），没有写出备份。请重试。",
        "en": "Backup check failed: the copy of {file} differs from it (source {source}, copy {copy}); nothing was written. Try again.",
    },
    "backup.settings_unreadable": {
        "zh": "无法读取配置文件 {file}：{reason}；没有写出备份。",
        "en": "Cannot read settings file {file}: {reason}; no backup was written.",
    },
    "backup.no_manifest": {
        "zh": "{file} 不是本程序的备份（缺少或无法识别 manifest.json），未做任何修改。",
        "en": "{file} is not a backup of this program (manifest.json missing or unreadable); nothing was changed.",
    },
    "backup.format_too_new": {
        "zh": "备份 {file} 由更新版本的程序写出（备份格式 {version}），请安装新版本程序再恢复；未做任何修改。",
        "en": "Backup {file} was written by a newer program (backup format {version}); install it to restore. Nothing was changed.",
    },
    "backup.member_missing": {
        "zh": "备份 {file} 不完整：缺少 {member}，不能恢复；未做任何修改。",
        "en": "Backup {file} is incomplete: {member} is missing; nothing was changed.",
    },
    "backup.hash_mismatch": {
        "zh": "备份 {file} 中的 {member} 与清单记录的校验值（sha256）不符，文件已被改动或损坏，不能恢复；未做任何修改。",
        "en": "{member} in backup {file} does not match the sha256 in its manifest (changed or damaged); nothing was changed.",
    },
    "backup.zip_damaged": {"zh": "压缩包已损坏（{text}）", "en": "the zip is damaged ({text})"},
    "backup.settings_bad": {
        "zh": "备份 {file} 中的配置文件无法读取：{reason}；未做任何修改。",
        "en": "The settings in backup {file} cannot be read: {reason}; nothing was changed.",
    },
    "restore.disk_full": {
        "zh": "恢复失败：{file} 所在磁盘已满。请清理磁盘后重试；当前数据库未被替换。",
        "en": "Restore failed: the disk of {file} is full. Free some space and try again; the current database was not replaced.",
    },
    "restore.read_only": {
        "zh": "恢复失败：{file} 不能写入（只读或没有权限）；当前数据库未被替换。",
        "en": "Restore failed: {file} cannot be written (read-only or no permission); the current database was not replaced.",
    },
    "restore.io_error": {
        "zh": "恢复失败：写入 {file} 出错：{reason}；当前数据库未被替换。",
        "en": "Restore failed: writing to {file} failed: {reason}; the current database was not replaced.",
    },
    "cli.restore_settings": {"zh": "配置已从备份恢复到 {file}", "en": "Settings restored from the backup to {file}"},
    "cli.restore_no_settings": {
        "zh": "这是只含数据库的旧备份：配置未改动",
        "en": "This is an old database-only backup: the settings were left as they are",
    },
    "cli.restore_enroll_again": {
        "zh": "备份不含上级系统凭据（出于安全考虑，凭据从不放进备份）：本机没有营业厅 {hall} 终端 {terminal} 的凭据，"
              "请用新的一次性注册码重新注册：cashier-admin enroll --upstream URL --code 注册码",
        "en": "Backups never hold the upstream credentials (on purpose): this PC has none for hall {hall}, terminal {terminal}; "
              "enroll again with a new one-time code: cashier-admin enroll --upstream URL --code CODE",
    },
    "cli.backup_done": {
        "zh": "已备份到 {file}（{size}，完整性检查通过{settings}）：{counts}",
        "en": "Backed up to {file} ({size}, integrity check passed{settings}): {counts}",
    },
    "cli.backup_settings": {"zh": "，含配置文件，不含上级系统凭据", "en": "; settings included, upstream credentials not"},
    "cli.backup_no_settings": {"zh": "，没有配置文件", "en": "; there is no settings file"},
    "cli.restore_done": {
        "zh": "已从 {file} 恢复（结构版本 {old} → {new}）：{counts}；恢复前的数据库保存在 {saved}",
        "en": "Restored from {file} (schema {old} → {new}): {counts}; the previous database is kept as {saved}",
    },
    "cli.restore_confirm": {
        "zh": "将用 {file} 替换当前数据库（当前数据库会先另存）。确认请加 --yes",
        "en": "This replaces the current database with {file} (the current one is saved first). Add --yes to confirm",
    },
    "cli.logs_exported": {"zh": "日志已导出到 {file}（已去除密码和凭据）", "en": "Logs exported to {file} (passwords and credentials removed)"},
    "cli.upstream_valid_hours": {
        "zh": "注册码有效时长“{text}”无效：应为 {low} 到 {high} 之间的整数小时（最长 {days} 天）",
        "en": "Invalid code validity \"{text}\": a whole number of hours from {low} to {high} (at most {days} days)",
    },
    "cli.upstream_max_body": {
        "zh": "请求体上限“{text}”无效：应为 {low} 到 {high} 之间的整数（单位 MiB）",
        "en": "Invalid request body limit \"{text}\": a whole number of MiB from {low} to {high}",
    },
    "cli.upstream_tls_pair": {
        "zh": "--tls-cert 和 --tls-key 须同时给出（证书和它的私钥，PEM 格式）",
        "en": "--tls-cert and --tls-key go together (the certificate and its private key, PEM)",
    },
    "cli.upstream_tls_password_alone": {
        "zh": "--tls-key-password-file 只用于 --tls-key 给出的加密私钥",
        "en": "--tls-key-password-file is only for an encrypted key given with --tls-key",
    },
    "cli.upstream_tls_file": {
        "zh": "无法读取 {option} 文件 {file}：{reason}",
        "en": "Cannot read the {option} file {file}: {reason}",
    },
    "cli.upstream_tls_not_pem": {
        "zh": "{option} 文件 {file} 不是 PEM 格式（找不到“-----BEGIN {what}-----”）",
        "en": "The {option} file {file} is not PEM (no \"-----BEGIN {what}-----\" in it)",
    },
    "cli.upstream_tls_passphrase": {
        "zh": "私钥 {key_file} 已加密，口令缺失或不对：请用 --tls-key-password-file 给出存放口令的文件",
        "en": "The private key {key_file} is encrypted and its passphrase is missing or wrong: give the file holding it "
              "with --tls-key-password-file",
    },
    "cli.upstream_tls_mismatch": {
        "zh": "私钥 {key_file} 与证书 {cert} 不配对：请给出签发该证书时所用的私钥",
        "en": "The private key {key_file} does not belong to the certificate {cert}: give the key the certificate was "
              "issued for",
    },
    "cli.upstream_tls_bad": {
        "zh": "无法载入证书 {cert} 和私钥 {key_file}：{reason}（应为 PEM 格式；加密的私钥须用 --tls-key-password-file "
              "给出口令）",
        "en": "Cannot load the certificate {cert} and key {key_file}: {reason} (PEM is expected; an encrypted key needs "
              "its passphrase in --tls-key-password-file)",
    },
    "cli.upstream_plain_refused": {
        "zh": "拒绝在 {host} 上以未加密的 HTTP 提供服务：这不是本机地址，终端的凭据和收费数据会以明文经过网络。"
              "请用 --tls-cert 和 --tls-key 直接提供 HTTPS，或在 127.0.0.1 上服务、由反向代理（nginx、Caddy）"
              "对外提供 HTTPS；确需明文（受控的测试网络）时加 --insecure-http",
        "en": "Refusing to serve unencrypted HTTP on {host}: it is not a loopback address, so the terminals' "
              "credentials and payments would cross the network in clear. Serve HTTPS with --tls-cert and --tls-key, "
              "or serve on 127.0.0.1 behind a reverse proxy (nginx, Caddy) that speaks HTTPS; if plain HTTP is really "
              "meant (a closed test network), add --insecure-http",
    },
    "cli.upstream_plain_warning": {
        "zh": "警告：在 {host} 上以未加密的 HTTP 提供服务（--insecure-http）：终端的凭据和收费数据以明文经过网络",
        "en": "WARNING: serving unencrypted HTTP on {host} (--insecure-http): the terminals' credentials and payments "
              "cross the network in clear",
    },
    "cli.upstream_limit": {
        "zh": "条数“{text}”无效：应为 {low} 到 {high} 之间的整数", "en": "Invalid count \"{text}\": a whole number from {low} to {high}",
    },
    "cli.upstream_demo_not_empty": {
        "zh": "上级系统已有 {accounts} 个户号：演示数据只导入空的上级系统，不与真实客户混在一起",
        "en": "The upstream already holds {accounts} accounts: import-demo fills only an empty one, never mixing "
              "made-up customers with real ones",
    },
    "cli.upstream_demo_hall": {
        "zh": "营业厅代码“{hall}”无效：1 到 32 个字母、数字、- 或 _",
        "en": "Invalid hall code \"{hall}\": 1 to 32 letters, digits, - or _",
    },
    "cli.upstream_demo_done": {
        "zh": "已为营业厅 {hall} 导入演示数据：{accounts} 个户号、{bills} 张账单（种子 {seed}，截至 {as_of}）",
        "en": "Imported a trial hall {hall}: {accounts} accounts and {bills} bills (seed {seed}, as of {as_of})",
    },
    "cli.upstream_skew": {
        "zh": "允许的时钟偏差“{text}”无效：应为 {low} 到 {high} 之间的整数分钟",
        "en": "Invalid clock skew \"{text}\": a whole number of minutes from {low} to {high}",
    },
    "cli.upstream_offline_days": {
        "zh": "离线补传期限“{text}”无效：应为 {low} 到 {high} 之间的整数天",
        "en": "Invalid offline window \"{text}\": a whole number of days from {low} to {high}",
    },
    "report.bad_period": {"zh": "起始日期 {start} 晚于截止日期 {end}", "en": "The period starts ({start}) after it ends ({end})"},
    "report.future_period": {
        "zh": "统计期从 {start} 开始，还没到（今天 {today}）", "en": "The period starts {start}, which has not come yet (today {today})",
    },
    "report.future_day": {"zh": "统计日 {day} 还没到", "en": "{day} has not come yet"},
    "report.collector_unknown": {
        "zh": "没有任何客户的责任收费员是“{collector}”", "en": "No account has \"{collector}\" as its responsible collector",
    },
    "report.empty_period": {"zh": "{start} 至 {end} 没有到期的账单", "en": "No bills fell due from {start} to {end}"},
    # why the upstream held an upload (rejected or in conflict), other than a reversal's checks above
    "sync.rejected.unknown_payment": {
        "zh": "上级系统还没有被评价的那笔收费（收费上传后可重新上传）",
        "en": "The upstream does not hold the payment being rated yet (retry once the payment is uploaded)",
    },
    "sync.rejected.payment_other_terminal": {
        "zh": "被评价的收费属于另一个终端", "en": "The payment being rated belongs to another terminal",
    },
    "sync.rejected.unknown_account": {"zh": "上级系统没有这个户号", "en": "The upstream has no such account"},
    "sync.rejected.id_reused": {
        "zh": "同一单据号已以不同内容上传过，上级系统保留先到的那份",
        "en": "This document id was uploaded before with other content; the upstream keeps the first",
    },
    "sync.rejected.sequence_reused": {
        "zh": "这个收据号在上级系统已属于本终端的另一笔单据（可能恢复过旧备份）",
        "en": "The upstream holds another document of this terminal under this receipt number (an older backup restored?)",
    },
    "sync.rejected.malformed": {"zh": "上级系统认为单据格式不对：{detail}", "en": "The upstream found the document malformed: {detail}"},
    # service evaluation (服务评价器)
    "evaluations.header": {"zh": "{day} 服务评价（按收费员）", "en": "Service evaluations of {day}, per cashier"},
    "evaluations.row": {
        "zh": "{hall}  {cashier}：非常满意 {very}，满意 {satisfied}，不满意 {unsatisfied}，未评价 {unrated}，满意率 {rate}",
        "en": "{hall}  {cashier}: very satisfied {very}, satisfied {satisfied}, unsatisfied {unsatisfied}, "
              "not rated {unrated}, satisfied {rate}",
    },
    "evaluations.none": {"zh": "当日没有服务评价", "en": "No service evaluations that day"},
    "evaluation.rating.very_satisfied": {"zh": "非常满意", "en": "Very satisfied"},
    "evaluation.rating.satisfied": {"zh": "满意", "en": "Satisfied"},
    "evaluation.rating.unsatisfied": {"zh": "不满意", "en": "Unsatisfied"},
    "evaluation.rating.unrated": {"zh": "未评价", "en": "Not rated"},
    "evaluation.bad_rating": {
        "zh": "无效的评价：{rating}（应为 非常满意、满意、不满意 或 未评价）",
        "en": "Not a rating: {rating} (very satisfied, satisfied, unsatisfied or not rated)",
    },
    "evaluation.unknown_payment": {
        "zh": "没有收费单 {payment}，无法记录评价", "en": "No payment {payment}: the rating cannot be recorded",
    },
    "evaluation.not_a_payment": {
        "zh": "{payment} 是冲正，不是收费：只能评价收费", "en": "{payment} is a reversal: only a payment is rated",
    },
    "evaluation.already": {
        "zh": "收费单 {payment} 已经评价过，每笔收费只记录一次评价",
        "en": "Payment {payment} has already been rated: one rating per payment",
    },
    "evaluation.bad_range": {
        "zh": "日期范围不对：{first} 晚于 {last}", "en": "Bad date range: {first} is after {last}",
    },
    # held uploads (待班长处理): cashier-admin conflicts and the supervisor's screen
    "held.kind.payment": {"zh": "收费", "en": "payment"},
    "held.kind.reversal": {"zh": "冲正", "en": "reversal"},
    "held.kind.cash_movement": {"zh": "现金存取", "en": "cash movement"},
    "held.kind.shift_close": {"zh": "结班", "en": "shift close"},
    "held.kind.evaluation": {"zh": "服务评价", "en": "service evaluation"},
    "held.status.rejected": {"zh": "拒收", "en": "rejected"},
    "held.status.conflict": {"zh": "冲突", "en": "conflict"},
    "held.status.resolved": {"zh": "已处理", "en": "resolved"},
    "held.status.pending": {"zh": "待上传", "en": "waiting to upload"},
    "held.status.accepted": {"zh": "已入账", "en": "accepted"},
    "held.status.duplicate": {"zh": "已入账（重复上传）", "en": "accepted (sent twice)"},
    "held.action.retry": {"zh": "重新上传", "en": "retry"},
    "held.action.accept_upstream": {"zh": "以上级系统为准", "en": "accept the upstream's answer"},
    "held.action.dismiss": {"zh": "不再上传", "en": "dismiss"},
    "held.effect.retry": {
        "zh": "重新上传：放回待上传，下一轮同步时上传；上级系统若仍拒收，会再次出现在这里",
        "en": "Retry: back in the upload queue for the next sync round; if the upstream still refuses it, it is held here again",
    },
    "held.effect.accept_upstream": {
        "zh": "以上级系统的答复为准，不再上传；本机记录保留，金额仍计入本机班次",
        "en": "The upstream's answer stands: not sent again; the local record stays and its money stays in the shift",
    },
    "held.effect.dismiss": {
        "zh": "不再上传；本机记录保留，金额仍计入本机班次",
        "en": "Dismissed: not sent again; the local record stays and its money stays in the shift",
    },
    "held.kept_money": {
        "zh": "本机记录保留，金额 {amount} 计入本机班次合计；上级系统未入账，对账时以此说明差额",
        "en": "The local record stays and {amount} counts in this PC's shift totals; the upstream has not booked it: "
              "this explains the difference when reconciling",
    },
    "held.kept_record": {
        "zh": "本机记录保留；上级系统未入账",
        "en": "The local record stays; the upstream has not booked it",
    },
    "held.record.payment": {
        "zh": "收费 {number}  户号 {account}  {amount}  收费员 {cashier}  {at}",
        "en": "payment {number}  account {account}  {amount}  cashier {cashier}  {at}",
    },
    "held.record.reversal": {
        "zh": "冲正 {number}  户号 {account}  退款 {amount}  冲正收费 {original}  {at}",
        "en": "reversal {number}  account {account}  refund {amount}  of payment {original}  {at}",
    },
    "held.record.cash_movement": {
        "zh": "现金{direction} {number}  {amount}  {reason}  {at}",
        "en": "cash {direction} {number}  {amount}  {reason}  {at}",
    },
    "held.record.shift_close": {
        "zh": "结班 营业日 {date}  收费员 {cashier}  实点现金 {counted}  长短款 {over_short}",
        "en": "shift close, business date {date}  cashier {cashier}  counted cash {counted}  over/short {over_short}",
    },
    "held.record.evaluation": {
        "zh": "服务评价 收费 {number}  {rating}  收费员 {cashier}  {at}",
        "en": "service evaluation of payment {number}  {rating}  cashier {cashier}  {at}",
    },
    "held.record.missing": {"zh": "本机没有对应的记录（{kind} {id}）", "en": "No local record for it ({kind} {id})"},
    "held.direction.in": {"zh": "存入", "en": "in"},
    "held.direction.out": {"zh": "取出", "en": "out"},
    "held.hint": {
        "zh": "{n} 笔上传被上级系统拒收或冲突，待班长处理：cashier-admin conflicts list",
        "en": "{n} upload(s) refused or in conflict, held for a supervisor: cashier-admin conflicts list",
    },
    "held.none": {"zh": "没有待班长处理的上传", "en": "No upload is held for a supervisor"},
    "held.list_head": {"zh": "待班长处理的上传 {n} 笔：", "en": "{n} upload(s) held for a supervisor:"},
    "held.list_resolved_head": {"zh": "已处理 {n} 笔：", "en": "{n} resolved:"},
    "held.show.item": {"zh": "上传编号 {id}：{kind}，{status}", "en": "Upload {id}: {kind}, {status}"},
    "held.show.record": {"zh": "本机记录：{record}", "en": "Local record: {record}"},
    "held.show.upstream": {
        "zh": "上级系统答复：{status}，原因：{reason}（{at}，共上传 {attempts} 次）",
        "en": "The upstream answered: {status}, because: {reason} ({at}, sent {attempts} time(s))",
    },
    "held.show.upstream_code": {"zh": "原因代码：{code}", "en": "Reason code: {code}"},
    "held.show.kept": {"zh": "保留情况：{kept}", "en": "What is kept: {kept}"},
    "held.show.resolution": {
        "zh": "{at} {who} 处理：{action}，原因：{reason}（当时上级系统：{status}，{note}）",
        "en": "{at} {who}: {action}, because: {reason} (the upstream had said: {status}, {note})",
    },
    "held.show.payload": {"zh": "上传内容（本机）：", "en": "Body sent (local):"},
    "held.show.actions": {
        "zh": "处理：cashier-admin conflicts resolve {id} --action retry|accept-upstream|dismiss --reason 原因 --supervisor 用户名",
        "en": "Resolve: cashier-admin conflicts resolve {id} --action retry|accept-upstream|dismiss --reason WHY --supervisor NAME",
    },
    "held.resolved": {"zh": "已处理上传 {id}（{record}）：{effect}", "en": "Upload {id} ({record}) resolved. {effect}"},
    "held.not_found": {"zh": "没有编号为 {id} 的上传", "en": "No upload numbered {id}"},
    "held.not_held": {
        "zh": "上传 {id} 当前为“{status}”，不是待班长处理的项目",
        "en": "Upload {id} is {status}, not held for a supervisor",
    },
    "held.bad_action": {
        "zh": "处理方式“{action}”无效：应为 retry（重新上传）、accept-upstream（以上级系统为准）或 dismiss（不再上传）",
        "en": "Unknown resolution \"{action}\": use retry, accept-upstream or dismiss",
    },
    "held.retry_conflict": {
        "zh": "冲突不能重新上传：上级系统已保存这个单据号或收据号的另一份内容，重传仍是冲突；请选择“以上级系统为准”或“不再上传”",
        "en": "A conflict cannot be retried: the upstream holds other content under this id or receipt number, so it "
              "would conflict again; accept the upstream's answer or dismiss it",
    },
    "held.reason_too_long": {"zh": "原因最多 {limit} 个字", "en": "The reason is at most {limit} characters"},
    "held.password_prompt": {"zh": "班长 {user} 的密码：", "en": "Password of supervisor {user}: "},
    "held.supervisor_required": {
        "zh": "处理待处理上传需要班长授权：请加 --supervisor 用户名（密码在提示时输入，或放在环境变量 CASHIER_SUPERVISOR_PASSWORD）",
        "en": "Resolving a held upload needs a supervisor: add --supervisor NAME (the password is asked for, or read from "
              "CASHIER_SUPERVISOR_PASSWORD)",
    },
    # scan-to-pay (付款码)
    "scan.bad_code": {
        "zh": "不是可识别的付款码：{code}（{length} 位）。微信付款码 18 位、以 10–15 开头；支付宝 16–24 位、以 25–30 开头；"
              "云闪付 19 位、以 62 开头",
        "en": "Not a payment code we know: {code} ({length} digits). WeChat codes are 18 digits starting 10–15; "
              "Alipay 16–24 digits starting 25–30; UnionPay QuickPass 19 digits starting 62",
    },
    "scan.offline": {
        "zh": "上级系统无法连接，不能扫码收款：请改收现金或银行卡；微信/支付宝手工填写交易号需班长授权并列入对账",
        "en": "The upstream cannot be reached: no scan-to-pay. Take cash or a bank card; a WeChat/Alipay payment with a "
              "typed reference needs a supervisor's approval and is marked for reconciliation",
    },
    "scan.unavailable": {
        "zh": "上级系统未开通扫码支付，不能扫码收款：请改收现金或银行卡",
        "en": "The upstream has no payment provider: no scan-to-pay. Take cash or a bank card",
    },
    "scan.not_enrolled": {
        "zh": "本机未注册到上级系统，不能扫码收款",
        "en": "This terminal is not enrolled with an upstream: no scan-to-pay",
    },
    "scan.door_to_door": {"zh": "走收只收现金，不能扫码收款", "en": "Door-to-door collection takes cash only: no scan-to-pay"},
    "scan.in_progress": {"zh": "这笔收费正在扫码支付中，请等待结果", "en": "This payment is already being paid by scan: wait for it"},
    "scan.unknown_intent": {"zh": "没有扫码记录 {id}", "en": "No scan payment {id}"},
    "scan.typed_with_waiver": {
        "zh": "减免违约金的收费不能手工填写微信/支付宝交易号：请扫码或改用其他方式",
        "en": "A payment with a penalty waiver cannot take a typed WeChat/Alipay reference: scan the code or take "
              "another means of payment",
    },
    "scan.typed_reason": {
        "zh": "手工填写交易号（未扫码），待对账：{reason}",
        "en": "Typed reference (not scanned), to be reconciled: {reason}",
    },
    "scan.paid": {"zh": "扫码收款成功 {amount}（交易号 {txn}）", "en": "Paid by scan: {amount} (transaction {txn})"},
    "scan.failed": {"zh": "扫码收款失败：{reason}", "en": "Scan payment failed: {reason}"},
    "scan.cancelled": {"zh": "扫码收款已撤销：{reason}", "en": "Scan payment cancelled: {reason}"},
    "scan.held": {"zh": "顾客已付款，尚未入账：{reason}", "en": "The customer has paid; not recorded yet: {reason}"},
    "scan.no_shift": {
        "zh": "本机没有开着的班次，开班后自动入账",
        "en": "No shift is open here: it is recorded as soon as one opens",
    },
    "scan.waiting_password": {"zh": "请顾客输入密码…（Esc 撤销）", "en": "Waiting for the customer's password… (Esc cancels)"},
    "scan.unknown": {
        "zh": "支付结果未确认，正在查询…（Esc 撤销）",
        "en": "The payment's outcome is not known yet: asking… (Esc cancels)",
    },
    "scan.cancelling": {"zh": "正在撤销…", "en": "Cancelling…"},
    "scan.left_open": {
        "zh": "支付结果仍未确认：已记录，系统将自动核实并入账或撤销，请勿重复收费（可先收下一位）",
        "en": "The outcome is still not known: it is recorded and will be checked and finished automatically; do not "
              "charge again",
    },
    "scan.pending_count": {"zh": "扫码待确认 {n} 笔", "en": "{n} scan payment(s) not confirmed"},
    "scan.refund_pending": {"zh": "退款处理中", "en": "Refund in progress"},
    "scan.refund_refunded": {"zh": "已退款", "en": "Refunded"},
    "scan.refund_failed": {"zh": "退款失败", "en": "Refund failed"},
    "scan.review_refunds": {"zh": "扫码退款未完成 {n} 笔：", "en": "{n} scan refund(s) not confirmed:"},
    "scan.refunds_pending": {"zh": "扫码退款处理中 {n} 笔", "en": "{n} scan refund(s) in progress"},
    "scan.refunds_failed": {
        "zh": "扫码退款失败 {n} 笔（需班长与支付机构处理）",
        "en": "{n} scan refund(s) failed (a supervisor settles them with the provider)",
    },
    "scan.reason.balance": {"zh": "顾客余额不足", "en": "The customer's balance is not enough"},
    "scan.reason.code_expired": {"zh": "付款码已过期，请顾客刷新付款码", "en": "The code has expired: ask for a fresh one"},
    "scan.reason.code_invalid": {"zh": "付款码无效，请顾客刷新付款码", "en": "The code is not valid: ask for a fresh one"},
    "scan.reason.gave_up": {"zh": "顾客未完成支付", "en": "The customer did not finish paying"},
    "scan.reason.cancelled": {"zh": "订单已撤销", "en": "The order was cancelled"},
    "scan.reason.buyer": {"zh": "顾客账户受限，请换其他方式", "en": "The customer's account is restricted: use another means"},
    "scan.reason.risk": {"zh": "支付机构风险控制拒绝", "en": "Refused by the provider's risk control"},
    "scan.reason.offline": {"zh": "上级系统无法连接", "en": "The upstream could not be reached"},
    "scan.reason.unavailable": {"zh": "上级系统未开通扫码支付", "en": "The upstream has no payment provider"},
    "scan.reason.never_placed": {"zh": "订单未送达支付机构，未扣款", "en": "The order never reached the provider: nothing charged"},
    "scan.reason.refused": {"zh": "上级系统拒绝", "en": "Refused by the upstream"},
    "scan.reason.none": {"zh": "未说明原因", "en": "no reason given"},
    "scan.state.paid": {"zh": "扫码入账", "en": "scan paid"},
    "scan.state.failed": {"zh": "扫码失败", "en": "scan failed"},
    "scan.state.cancelled": {"zh": "扫码撤销", "en": "scan cancelled"},
    "scan.state.refund_refunded": {"zh": "已退款", "en": "refunded"},
    "scan.state.refund_failed": {"zh": "退款失败", "en": "refund failed"},
    "sync.scan_done": {"zh": "扫码：{what}。", "en": "Scan: {what}."},
    "cli.scan_paid": {
        "zh": "扫码收款成功：{amount}，{provider} 交易号 {txn}，收费单 {payment}",
        "en": "Paid by scan: {amount}, {provider} transaction {txn}, payment {payment}",
    },
    "cli.scan_no_cashier": {
        "zh": "没有开着的班次：扫码收款记入开着的班次，请先在柜台开班（或用 --cashier 指定开班的收费员）",
        "en": "No shift is open: a scan payment goes into the open shift; open one at the counter first",
    },
    "cli.scan_not_shift_cashier": {
        "zh": "{user} 不是当前班次的收费员，也不是班长",
        "en": "{user} is neither the open shift's cashier nor a supervisor",
    },
}
