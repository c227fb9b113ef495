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
