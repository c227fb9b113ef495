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
    "config.bad_override": {
        "zh": "无法识别的参数“{text}”，应为 节.键=值，例如 printer.width=58",
        "en": "Cannot read override \"{text}\": use section.key=value, e.g. printer.width=58",
    },
    "printer.bad_uri": {
        "zh": "打印机地址“{uri}”无效：{reason}",
        "en": "Invalid printer URI \"{uri}\": {reason}",
    },
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
    # doctor
    "doctor.config_ok": {"zh": "配置：{file}", "en": "settings: {file}"},
    "doctor.config_defaults": {"zh": "配置：未找到 {file}，使用内置默认值", "en": "settings: {file} not found, using built-in defaults"},
    "doctor.data_dir_missing": {
        "zh": "数据目录：{dir} 不存在（运行 cashier-admin init 创建）",
        "en": "data directory: {dir} does not exist (run cashier-admin init)",
    },
    "doctor.data_dir_ok": {"zh": "数据目录：{dir} 可写", "en": "data directory: {dir} is writable"},
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
    "doctor.printer_preview": {"zh": "打印机：预览打印机（不出纸）", "en": "printer: preview printer (no paper)"},
    "doctor.printer_ok": {"zh": "打印机：{uri} 可连接", "en": "printer: {uri} reachable"},
    "doctor.printer_fail": {"zh": "打印机：{uri} 无法连接：{reason}", "en": "printer: {uri} unreachable: {reason}"},
    "doctor.printer_unchecked": {
        "zh": "打印机：{uri}（此类连接无法在此检查，请用 print-test 试打）",
        "en": "printer: {uri} (this kind cannot be checked here; use print-test)",
    },
    "doctor.printer_bad_uri": {"zh": "打印机：地址无效“{uri}”：{reason}", "en": "printer: invalid URI \"{uri}\": {reason}"},
    "doctor.upstream_none": {"zh": "上级系统：未配置（离线使用）", "en": "upstream: not configured (offline use)"},
    "doctor.upstream_ok": {"zh": "上级系统：{url} 可连接（HTTP {status}）", "en": "upstream: {url} reachable (HTTP {status})"},
    "doctor.upstream_fail": {"zh": "上级系统：{url} 无法连接：{reason}", "en": "upstream: {url} unreachable: {reason}"},
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
    "cli.error": {"zh": "错误：{message}", "en": "Error: {message}"},
    "cli.gui_missing": {
        "zh": "收费柜台界面尚未包含在此版本中。技术人员工具：cashier-admin --help",
        "en": "The counter window is not part of this build yet. Technician tools: cashier-admin --help",
    },
}
