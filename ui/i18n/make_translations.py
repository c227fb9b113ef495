"""Regenerates cashier_en.ts from the sources (pyside6-lupdate), fills in the English below,
and compiles cashier_en.qm (pyside6-lrelease). Simplified Chinese is the source language.

    .venv/bin/python ui/i18n/make_translations.py
"""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UI = HERE.parent
BIN = Path(sys.executable).parent

ENGLISH = {
    # the service evaluator (服务评价器) and the supervisor's satisfaction tab (issue 19)
    "请您对本次服务进行评价": "Please rate our service", "非常满意": "Very satisfied", "满意": "Satisfied",
    "不满意": "Unsatisfied", "{n} 秒后自动结束": "Closes in {n} s", "服务评价": "Service evaluation",
    "服务评价 (Alt+8)": "Service evaluation (Alt+8)", "至": "to", "未评价": "Not rated", "满意率": "Satisfied",
    "合计：非常满意 {a}，满意 {b}，不满意 {c}，未评价 {d}；满意率 {rate}":
        "In all: very satisfied {a}, satisfied {b}, unsatisfied {c}, not rated {d}; satisfied {rate}",
    "所选营业日没有服务评价": "No service evaluations on these business days",
    # the supervisor's reconciliation with the payment providers (渠道对账, issue 18)
    "渠道对账 (Alt+7)": "Reconciliation (Alt+7)", "微信支付": "WeChat Pay", "支付宝": "Alipay", "银行卡": "Bank card",
    "已扣款未入账": "Charged, not recorded",
    "顾客已付款但没有收费记录：补记收费或原路退款": "The customer paid but no payment was recorded: record it or refund it",
    "渠道无此交易": "Unknown to the provider",
    "收费记录的交易号渠道没有：核对是否输错或虚构": "The provider has no such transaction: check for a mistyped or invented reference",
    "金额不符": "Amounts differ", "双方都有此交易但金额不同：核对凭证和渠道记录":
        "Both have it with other amounts: check the receipt and the provider's record",
    "退款不符": "Refunds differ", "退款与冲正对不上：核对冲正和渠道退款": "Refund and reversal disagree: check both",
    "查询 (F5)": "Load (F5)", "渠道": "Provider", "对账时间": "Reconciled at", "对账单笔数": "Statement lines",
    "对账单金额": "Statement amount", "对账单退款": "Statement refunds", "本厅笔数": "Hall payments",
    "本厅金额": "Hall amount", "本厅退款": "Hall refunds", "差异": "Differences",
    "差异明细（每条差异也已在上级系统报警）": "Differences (each is also an alarm on the upstream)",
    "交易号": "Transaction", "对账单": "Statement", "本厅记录": "Hall's record", "柜台": "Counter",
    "收费员": "Cashier", "状态": "State", "处理": "What to do", "尚未对账": "Not reconciled yet",
    "已消除": "Resolved", "未处理": "Open",
    "本机没有连接上级系统：对账结果在上级系统（cashier-upstream reconcile）":
        "This counter has no upstream: reconciliation is on the upstream (cashier-upstream reconcile)",
    "正在查询上级系统…": "Asking the upstream…", "上级系统不提供对账结果（版本较旧）":
        "The upstream does not offer reconciliation (an older version)",
    "上级系统不可达，稍后按 F5 再查：{error}": "The upstream cannot be reached; press F5 later: {error}",
    "{day} 尚未与任何渠道对账": "{day}: not reconciled with any provider yet",
    "{day} 有 {n} 条差异未处理": "{day}: {n} differences open",
    "{day} 已对账的渠道全部相符": "{day}: every reconciled provider agrees",
    "相符": "Agrees", "{n} 条未处理：见下方差异明细": "{n} open: see the differences below",
    # scan-to-pay at the counter (付款码)
    "正在提交 {provider} 付款…": "Sending the {provider} payment…", "{amount}　付款码 {code}": "{amount}　code {code}",
    "请顾客输入密码…": "Waiting for the customer's password…", "Esc 撤销": "Esc cancels",
    "已收足，无需扫码": "Already covered: nothing to scan", "云闪付": "UnionPay QuickPass",
    "请扫描顾客的付款码": "Scan the customer's payment code",
    "{provider}扫码收款成功 {amount}": "Paid by {provider} scan: {amount}",
    "已开班，可以收费": "Shift opened: ready to take payments",
    "欠费\n(不含违约金)": "Arrears\n(excl. penalty)", "应缴\n(含违约金)": "Due\n(incl. penalty)",
    "手工填写微信/支付宝交易号 — 需班长授权": "Typed WeChat/Alipay reference — a supervisor approves",
    "未扫码收款（如离线）：交易号由收费员手工填写，无法当场核实到账，将列入对账。":
        "Not scanned (offline, for instance): the reference is typed by the cashier and cannot be checked now; "
        "it will be reconciled with the provider's statement.",
    "手工交易号金额": "Amount with a typed reference", "授权 (Enter)": "Approve (Enter)",
    # the customer display (客户显示), the pole display and 关爱模式 (issue 19)
    "客户显示": "Customer display", "关爱模式": "Elderly mode", "欢迎光临": "Welcome",
    "户号 {account}　户名 {name}": "Account {account}　Name {name}", "本次交费": "Paid now", "应缴金额": "Amount due",
    "人民币（大写）": "In words (RMB) ", "实收　{amount}": "Received　{amount}", "找零　{amount}": "Change　{amount}",
    "预存余额　{amount}": "Prepaid balance　{amount}", "（本次存入 {amount}）": " (credited now {amount})",
    "请输入支付密码": "Enter payment password", "收费成功，请收好凭证": "Paid — please keep your receipt",
    "扫码查询本次交费\n{number}": "Scan to look this payment up\n{number}", "无欠费账单": "No open bills",
    "电费": "Charge", "另有 {n} 期，合计 {amount}": "{n} more bills, {amount} in all",
    "已减免违约金 {amount}": "Penalty waived {amount}",
    "客户显示：本机只有一个显示器，改为窗口显示": "Customer display: this PC has one screen, shown as a window",
    "关爱模式已开启：客户显示大字，语音放慢并重复": "Elderly mode on: large type for the customer, slower prompts said twice",
    "关爱模式已关闭": "Elderly mode off", "客显无响应": "Pole display not answering",
    # the customer display's embedded notices (a hall's own notices.txt is shown as written)
    "95598 供电服务热线（24 小时）": "95598 power service hotline (24 hours)",
    "“网上国网”App：交费、查询电费、办理业务": "State Grid Online app: pay, check your bills, apply for services",
    "微信、支付宝：搜索“国网”或“生活缴费”交电费": "WeChat or Alipay: search for State Grid or utility bills to pay",
    "营业厅自助终端：刷卡或扫码交费": "Self-service terminals in the hall: pay by card or QR code",
    # the counter's cross-hall lookup (跨厅查询)
    "跨厅查询 (Ctrl+K)": "Other hall (Ctrl+K)",
    "向上级系统查询其他营业厅的客户；上级系统会记录每次跨厅查询":
        "Ask the upstream for a customer of another hall; the upstream records every such lookup",
    "其他营业厅的客户：按 Ctrl+K 跨厅查询": "A customer of another hall: Ctrl+K looks it up",
    "正在向上级系统跨厅查询 {number}…": "Looking {number} up in the other halls…",
    "✔ 其他营业厅的客户（跨厅查询）：已与上级系统核对应缴金额":
        "✔ A customer of another hall (cross-hall lookup): dues checked with the upstream",
    # the start's quick check of the database, in the status bar
    "正在检查数据库…": "Checking the database…", "数据库检查完成": "Database check done",
    "数据库已损坏，暂停收费": "Database damaged: payments stopped",
    "数据库已损坏，暂停收费：请技术人员用 cashier-admin restore 从备份恢复":
        "The database is damaged; payments are stopped: the technician restores it from a backup (cashier-admin restore)",
    # the counter: the sale's confirmation, the panel, the status bar
    "【已结清】": "[Paid up]", "多收部分将存入预存电费": "The part above the dues goes to the prepaid balance",
    "存入预存（预存电费）": "To the prepaid balance", "就绪": "ready", "已返回，请修改金额": "Back: correct the amount",
    "应缴": "Due", "找零金额较大，请核对实收": "Large change: check what was tendered", "正在读取…": "Reading…",
    "正在读取客户，请稍候": "Reading the customer, one moment",
    "正在连接上级系统… · 待上传 {count} 笔": "Connecting to the upstream… · {count} to upload",
    "此窗口不支持签退": "This window cannot sign out",
    "班长工作台需要班长登录：按 Ctrl+Shift+L 换班长登录（班次保持不变）":
        "The supervisor's workspace needs a supervisor: Ctrl+Shift+L lets one sign in (the shift stays open)",
    "确认收费 (Y)": "Take the payment (Y)", "补打队列 {n} 张 (Ctrl+P)": "{n} in the reprint queue (Ctrl+P)",
    "请核对金额": "Check the amounts", "返回修改 (Enter / Esc)": "Back to correct (Enter / Esc)",
    "顾客所付金额": "what the customer hands over", "；存入预存 {amount}": "; {amount} to the prepaid balance",
    "（已减免违约金 {amount}）": "(penalty {amount} waived) ",
    "户号 {account} 已授权的违约金减免 {amount} 未使用，已作废":
        "The penalty waiver of {amount} approved for account {account} was not used and has lapsed",
    "已冲正，退款 {amount}（{how}）": "Reversed: {amount} refunded ({how})",
    # blind close, the 交班单 and the reversal dialog; the day-end settlement's PDF
    "确认实点现金": "Confirm the counted cash", "请核对钱箱实点现金（共 {n} 张/枚）：": "Check the cash counted in the drawer ({n} notes and coins):",
    "确认后提交结班；提交后实点金额记入审计，不能撤回。":
        "Confirming closes the shift; the count is then recorded in the audit log and cannot be withdrawn.",
    "返回重点 (Esc)": "Back to the count (Esc)", "确认结班 (Enter)": "Close the shift (Enter)",
    "已结班 — 交班单": "Shift closed — hand-over slip", "实点现金 {amount}": "Counted cash {amount}",
    "正在打印交班单…": "Printing the hand-over slip…", "存为 PDF (Ctrl+S)": "Save as PDF (Ctrl+S)",
    "打开所在文件夹 (Ctrl+O)": "Open its folder (Ctrl+O)", "交班单已存为 PDF：{file}": "Hand-over slip saved as PDF: {file}",
    "交班单已打印，请收费员和班长签字": "Hand-over slip printed: cashier and supervisor sign it",
    "交班单未打出：{reason}。可按 Ctrl+S 存为 PDF": "The hand-over slip did not print: {reason}. Ctrl+S saves it as a PDF",
    "交班单未打出：{reason}。可按 Ctrl+S 存为 PDF，或稍后在补打队列重打":
        "The hand-over slip did not print: {reason}. Ctrl+S saves it as a PDF, or reprint it later from the queue",
    "冲正 {number}  户号 {account} {name}  退款 {amount}": "Reverse {number}  account {account} {name}  refund {amount}",
    "请输入班长用户名": "Enter the supervisor's user name",
    "选择今天的一笔收费（↑↓），回车填写冲正原因、班长用户名和密码，回车授权并冲正；Esc 取消":
        "Choose one of today's payments (↑↓); Enter, then the reason, the supervisor's name and password, "
        "each with Enter, reverses it; Esc cancels",
    "日结完成：应缴存现金 {deposit}。日结报表和缴款单（PDF）已保存到：\n{file}":
        "Day settled: cash to deposit {deposit}. The day's report and deposit slip (PDF) are saved in:\n{file}",
    "上级系统": "Upstream", "两次输入的密码不一致": "The two passwords differ", "再输一次": "Again",
    "初始密码": "Initial password",
    "地址和一次性注册码；不填则本机离线使用，以后可用 cashier-admin enroll 注册":
        "Address and one-time code; leave empty to work offline and enroll later with cashier-admin enroll",
    "完成设置": "Finish set-up", "打印机": "Printer", "打印测试页": "Print a test page",
    "有注册码时必须填写上级系统地址": "A code needs the upstream address", "本机在营业厅里的身份": "This PC's place in the hall",
    "正在保存设置……": "Saving the set-up…", "注册码": "Enrollment code", "测试连接": "Test the connection",
    "测试页已发送：{where}": "Test page sent: {where}", "班长姓名": "Supervisor's name",
    "第一个班长账号；班长首次登录时须修改密码": "The first supervisor; they change the password at first sign-in",
    "营业厅和终端": "Hall and terminal", "语言和班长账号": "Language and supervisor",
    "请先填写上级系统地址": "Fill in the upstream address first", "请填写班长用户名": "Fill in the supervisor's user name",
    "连接成功（上级系统 {v}）": "Connected (upstream {v})", "选择打印机并打印测试页": "Choose the printer and print a test page",
    "首次设置（技术人员）": "First-run set-up (technician)",
    " · {n} 笔待班长处理": " · {n} held for a supervisor", "{n} 分钟前": "{n} min ago", "{n} 天前": "{n} days ago",
    "{n} 小时前": "{n} h ago", "✔ 已与上级系统核对应缴金额": "✔ Amount due checked with the upstream",
    "在线 · 待上传 {count} 笔": "Online · {count} to upload", "尚未从上级系统取得数据": "no data from the upstream yet",
    "授权继续收费 (Enter)": "Authorize further payments (Enter)", "数据截至 {when}（{ago}）": "data as of {when} ({ago})",
    "未连接上级系统 · 待上传 {count} 笔": "No upstream · {count} to upload",
    "本班未上传总额上限": "Limit of unsent payments this shift",
    "离线 · 待上传 {count} 笔 · {age}": "Offline · {count} to upload · {age}",
    "离线收费中：{age}；待上传 {count} 笔 {amount}，网络恢复后自动上传":
        "Working offline: {age}; {count} payments ({amount}) waiting, uploaded when the network is back",
    "离线收费超限 — 需班长授权": "Offline limit reached — supervisor authorization",
    "离线：按本地数据收费（{age}）": "Offline: charging from the local copy ({age})",
    "结班 — 盲点现金": "Close shift — blind count",
    "请清点钱箱，按面额输入张数（系统不显示应有金额），回车提交":
        "Count the drawer and enter the pieces of each denomination (the expected cash is not shown); Enter submits",
    "长短款原因": "Reason for the difference",
    "班长用户名": "Supervisor user name",
    "班长密码": "Supervisor password",
    "提交 (Enter)": "Submit (Enter)",
    "长短款 ": "Over/short ",
    "供电营业厅收费柜台": "Service hall counter cashier",
    "户号 / 账单条码 / 姓名 / 地址 / 电话 / 表号 / 拼音首字母，回车查询":
        "Account / bill barcode / name / address / phone / meter / pinyin initials, then Enter",
    "户号": "Account", "户名": "Name", "电话": "Phone", "地址": "Address", "欠费": "Owed", "客户": "Customer",
    "账期": "Period", "电量kWh": "kWh", "到期日": "Due", "逾期天数": "Days late", "违约金": "Penalty",
    "收费": "Payment", "非现金：交易参考号": "Non-cash: transaction reference", "确认收费 (Enter)": "Take payment (Enter)",
    "本次金额": "Amount", "付款方式": "Tender", "实收": "Tendered", "参考号": "Reference", "已收": "Taken",
    "找零": "Change", "【已停电】": "[DISCONNECTED]", "【费控表】": "[PREPAID METER]", "应缴合计 ": "Total due ",
    "请先查询客户": "Look the customer up first", "收费成功 {amount}，找零 {change}": "Paid {amount}, change {change}",
    "；已提交复电申请": "; reconnection requested", "已冲正，退款 {amount}": "Reversed, refunded {amount}",
    "供电营业厅收费柜台 — 登录": "Counter cashier — sign in", "用户名": "User name", "密码": "Password",
    "签退，换人登录 (Ctrl+Shift+L)": "Sign out for another user (Ctrl+Shift+L)",
    "登录 (Enter)": "Sign in (Enter)", "演示用户（密码均为 {password}）：": "Demo users (password {password}):",
    "开班 — 清点备用金": "Open shift — count the float",
    "按面额输入备用金张数，回车确认，Esc 取消": "Enter the float by denomination; Enter confirms, Esc cancels",
    "开班 (Enter)": "Open shift (Enter)", "凭证预览": "Receipt preview", "关闭 (Enter)": "Close (Enter)",
    "冲正 — 需班长授权": "Reversal — supervisor authorization", "单号": "Receipt", "流水号": "Serial no.", "金额": "Amount", "状态": "Status",
    "冲正原因": "Reason", "授权并冲正 (Enter)": "Authorize and reverse (Enter)", "已冲正": "reversed",
    "请选择要冲正的收费记录": "Choose the payment to reverse", "请填写冲正原因": "Give the reason for the reversal",
    "打印机：就绪": "Printer: ready", "在线": "Online", "离线": "Offline",
    "{state} · 待上传 {count} 笔": "{state} · {count} waiting to upload", "收费员：{name}": "Cashier: {name}",
    "班次：{opened} 开班": "Shift: opened {opened}", "班次：未开班 (F2)": "Shift: not open (F2)",
    "营业日 {date}": "Business date {date}", "补打队列 {n} 张": "{n} receipt(s) to reprint", "打印机：": "Printer: ",
    "已锁定": "Locked", "收费台已锁定": "The counter is locked", "解锁 (Enter)": "Unlock (Enter)",
    "只有本班收费员或班长可以解锁": "Only this shift's cashier or a supervisor can unlock",
    "预存余额": "Prepaid balance",
    "系统设置": "Settings", "图像模式（打印机无中文字库）": "Raster mode (printer without a Chinese font)",
    "营业厅编码": "Hall code", "营业厅名称": "Hall name", "终端编号": "Terminal id", "窗口名称": "Window name",
    "打印机地址": "Printer URI", "纸宽 mm": "Paper width mm", "上级系统地址": "Upstream URL", "界面语言": "Language",
    "无操作锁屏（分钟，0 为不锁）": "Idle lock (minutes, 0 = never)",
    "保存 (Enter)": "Save (Enter)", "设置已保存": "Settings saved",
    "班长或技术人员": "Supervisor or technician", "仅技术人员": "Technician only",
    "界面语言（下次启动生效）": "Language (from the next start)", "大字显示（下次启动生效）": "Large print (from the next start)",
    "营业厅、终端和上级系统地址的更改在下次启动时生效。":
        "Changes to the hall, the terminal and the upstream address take effect at the next start.",
    "保存人用户名": "Saved by (user name)",
    # passwords: the forced change at sign-in, Ctrl+Shift+P; the staff tab (人员)
    "修改我的密码": "Change my password", "原密码": "Current password", "修改密码 (Enter)": "Change it (Enter)",
    "新密码": "New password", "返回 (Esc)": "Back (Esc)",
    "{name}，请先设置自己的新密码（初始密码或重置的密码不能继续使用）":
        "{name}, choose your own password first (an initial or reset password cannot be used further)",
    "修改密码并登录 (Enter)": "Change and sign in (Enter)",
    "新密码（只显示这一次）": "New password (shown this once only)",
    "密码重置后只显示这一次：请当面交给本人。下次登录时必须改成自己的密码。":
        "Shown this once only: hand it to them in person. At their next sign-in they must choose their own.",
    "初始密码只显示这一次：请当面交给本人。首次登录时必须改成自己的密码。":
        "Shown this once only: hand it to them in person. At their first sign-in they must choose their own.",
    "已交给本人 (Enter)": "Handed over (Enter)", "人员 (Alt+6)": "Staff (Alt+6)", "人员 (Alt+1)": "Staff (Alt+1)",
    "姓名": "Name", "角色": "Role", "重置密码 (Ctrl+R)": "Reset password (Ctrl+R)", "解锁 (Ctrl+K)": "Unlock (Ctrl+K)",
    "停用 (Ctrl+D)": "Deactivate (Ctrl+D)", "新增人员 (Ctrl+N)": "Add a person (Ctrl+N)", "新增 (Enter)": "Add (Enter)",
    "初始密码由系统生成，只显示一次；首次登录时必须修改。":
        "The initial password is generated and shown once; it must be changed at the first sign-in.",
    "已重置 {username} 的密码": "Password of {username} reset", "已新增 {username}": "Added {username}",
    "请先在列表中选择一个人": "Choose a person in the list first", "重置密码": "Reset the password",
    "为 {name}（{username}）生成新密码？原密码立即失效，新密码只显示一次。":
        "Make a new password for {name} ({username})? The old one stops working now; the new one is shown once.",
    "重置 (Enter)": "Reset (Enter)", "停用账号": "Deactivate the account",
    "停用 {name}（{username}）？停用后不能再登录，收费和班次记录保留。":
        "Deactivate {name} ({username})? They can no longer sign in; their payments and shifts stay.",
    "停用 (Enter)": "Deactivate (Enter)",
    "补打队列": "Reprint queue", "时间": "Time", "原因": "Reason", "重打所选 (Enter)": "Reprint the selected (Enter)",
    "收费凭证": "Payment receipt", "冲正凭证": "Reversal receipt", "存取款单": "Cash slip",
    "没有待补打的凭证": "Nothing waits to be reprinted",
    "打印所选 (Enter)": "Print the selected (Enter)", "交班单": "Shift report",
    "未确认打出（打印中或程序中断）": "Not confirmed printed (printing, or the program stopped)",
    "（重打第{n}次）": " (reprint no. {n})", "正在打印 {number}…": "Printing {number}…",
    "违约金减免 — 需班长授权": "Penalty waiver — supervisor authorization", "户号 {account}，违约金 {penalty}":
        "Account {account}, penalty {penalty}", "减免金额": "Waive", "减免原因": "Reason",
    "授权减免 (Enter)": "Authorize the waiver (Enter)", "减免不能超过违约金 {penalty}": "Cannot waive more than the penalty {penalty}",
    "该户没有违约金可减免": "This account has no penalty to waive",
    "已授权减免违约金 {amount}，应缴 {due}": "Penalty waiver of {amount} authorized; due {due}", "正在打开数据库…": "Opening the database…",
    "现金存取": "Cash in / out", "解款（银行上门收款）": "Bank pickup", "交款（交班长）": "Turn in to the supervisor",
    "补充备用金": "Top up the float", "其他取出": "Other cash out", "其他存入": "Other cash in", "类型": "Kind",
    "说明": "Note", "确认 (Enter)": "Confirm (Enter)", "现金存取已登记": "Cash movement recorded",
    # supervisor's workspace, arrears early warning, collection responsibility, door-to-door
    "(未指定)": "(none)", "{start} 至 {end} 没有到期的账单，请换一个统计期": "No bills fell due from {start} to {end}; choose another period",
    "{start} 至 {end}：应收 {billed}，实收 {got}，回收率 {rate}%，欠费 {owed}":
        "{start} to {end}: billed {billed}, collected {got}, rate {rate}%, arrears {owed}",
    "一次最多生成 2000 份通知单，请缩小筛选范围": "At most 2,000 notices at a time; narrow the filter",
    "为所选客户生成催费通知单 (Ctrl+N)": "Arrears notices for the selection (Ctrl+N)", "交款": "Turned in",
    "仅停电候选": "Disconnection candidates only", "供电所": "Station",
    "供电所回收率（%，低于平均的标红）": "Collection rate by station (%, below average in red)", "全部": "All",
    "全部收费员": "All collectors", "冲正笔数 / 金额": "Reversals / amount", "净收": "Net", "到期日从": "Due from",
    "取出": "Taken out", "各付款方式净收（元）": "Net by tender (yuan)", "各柜台净收（元）": "Net by counter (yuan)",
    "回收率": "Rate", "回收责任制 (Alt+4)": "Collection responsibility (Alt+4)", "备用金": "Float",
    "实点现金": "Counted cash", "导出 CSV": "Export CSV", "导出 Excel (Ctrl+E)": "Export Excel (Ctrl+E)",
    "导出回收统计": "Export collection figures", "导出欠费清单": "Export the arrears list",
    "导出清单 (Ctrl+E)": "Export the list (Ctrl+E)", "已导出 {n} 户到 {file}": "Exported {n} accounts to {file}",
    "已导出到 {file}": "Exported to {file}", "已日结": "Settled", "已签核": "Signed off",
    "已生成 {n} 份催费通知单：{file}（已记录通知日期）": "{n} arrears notices written: {file} (notice dates recorded)",
    "已签核 {terminal} {cashier} 的班次": "Signed off the shift of {cashier} at {terminal}", "应有现金": "Expected cash",
    "开班 {opened}，结班 {closed}": "Opened {opened}, closed {closed}",
    "当日净收 {total}（{n} 笔，冲正 {r} 笔）": "Net today {total} ({n} payments, {r} reversals)",
    "当日没有班次": "No shifts that day", "待签核": "To sign off", "户号或户名": "Account number or name",
    "收费员": "Collector", "收费员回收率（%，低于平均的标红）": "Collection rate by collector (%, below average in red)",
    "收费笔数 / 金额": "Payments / amount", "日结与当日概览 (Alt+2)": "Day-end and the day (Alt+2)",
    "日结完成：应缴存现金 {deposit}，日结报表和缴款单：{file}":
        "Day settled: cash to deposit {deposit}; report and deposit slip: {file}",
    "日结并生成缴款单 (Ctrl+Enter)": "Settle the day and print the deposit slip (Ctrl+Enter)",
    "显示 {n} 户，欠费 {p}": "Showing {n} accounts, arrears {p}", "月末欠费": "Month-end arrears",
    "未结班": "Open", "柜台": "Counter",
    "欠费 {n} 户，欠费 {p}，违约金 {f}，停电候选 {c} 户":
        "{n} accounts in arrears, arrears {p}, penalty {f}, {c} disconnection candidates",
    "欠费账龄分布（天，元）": "Arrears by days overdue (yuan)", "欠费金额": "Arrears",
    "欠费预警 (Alt+3)": "Arrears early warning (Alt+3)", "正在与上级系统同步…": "Syncing with the upstream…",
    "正在统计…": "Counting…", "每小时收费笔数": "Payments per hour",
    "没有分配给收费员 {name} 的走收客户：请在营业厅联网后按 Ctrl+U 同步":
        "No door-to-door customers for {name}: sync at the hall with Ctrl+U",
    "没有待签核的班次": "No shifts waiting for sign-off", "班次复核 (Alt+1)": "Shift review (Alt+1)",
    "班长工作台": "Supervisor's workspace", "班长工作台需要班长登录": "The supervisor's workspace needs a supervisor",
    "笔数": "Payments", "签核 (Enter)": "Sign off (Enter)",
    "签核意见（有长短款或迟到收费时必填）": "Comment (required with an over/short or late payments)", "类别": "Class",
    "结班后到达上级系统的收费 {n} 笔：": "{n} payments reached the upstream after the close:", "统计 (F5)": "Count (F5)",
    "统计日": "As of", "至": "to", "营业日": "Business day", "解款": "Bank pickup",
    "该班次有长短款或结班后到达的收费，请填写签核意见": "This shift has an over/short or late payments: add a comment",
    "请先在清单中选择客户（Ctrl+A 全选当前筛选结果）": "Select customers in the list first (Ctrl+A selects all shown)",
    "请先统计一个有账单的统计期，再导出": "Count a period with bills first, then export", "账龄": "Overdue",
    "走收模式：仅现金，仅限清单内 {n} 户；待上传 {count} 笔 {amount}。回营业厅连上网络后按 Ctrl+U 同步":
        "Door-to-door: cash only, the {n} listed customers only; {count} ({amount}) to upload. "
        "Back at the hall, press Ctrl+U to sync",
    "走收（上门收费）": "Door-to-door collection",
    "走收：按出发前同步的数据收费（{age}）": "Door-to-door: charging from the data synced before leaving ({age})",
    "超限已由 {name} 授权": "Above the limit, authorized by {name}",
    "近12个月月末欠费总额（元）": "Total arrears at each month end, last 12 months (yuan)",
    "违约金减免": "Penalty waived", "迟到": "Late", "重打次数": "Reprints", "长短款": "Over/short",
    "长短款原因：{reason}": "Reason: {reason}", "项目": "Item", "排名": "Rank", "名称": "Name", "户数": "Accounts",
    "应收": "Billed", "实收金额": "Collected",
    "本机柜台按本机数据；其他柜台 {n} 个按已上传数据": "This counter from this PC; {n} other counter(s) as uploaded",
    "上级系统不可达：只显示本机柜台": "Upstream unreachable: this counter only",
    "其他柜台已结班": "Closed at other counters",
    "上级系统中没有这个户号：按本地数据收费，请与客户核实户号":
        "The upstream has no such account: charging from the local copy; check the number with the customer",
    "上级系统正在同步：本次按本地数据收费": "The upstream is syncing: charging from the local copy this time",
    "已连接上级系统：本营业厅其他柜台今天还没有上传收费": "Upstream reached: no other counter of this hall has uploaded today",
    "本机数据库已有 {n} 个用户：沿用现有账号，不再创建班长":
        "This PC's database already has {n} users: they stay, no supervisor is created",
    # the first-run wizard: placeholders, the code check, raster, the summary and its setup sheet (issue 17)
    "如 3201001（上级系统给的营业厅编码）": "e.g. 3201001 (the hall code the upstream gave)",
    "如 城关供电营业厅": "e.g. 城关供电营业厅 (the hall's name on receipts)",
    "如 T03（字母、数字、- 或 _）": "e.g. T03 (letters, digits, - or _)", "如 3号窗口": "e.g. 3号窗口 (window 3)",
    "测试连接（并核对注册码）": "Test the connection (and check the code)",
    "图像模式（打印机没有中文字库、测试页汉字乱码时勾选）":
        "Raster mode (tick it for a printer without a Chinese font: the test page's Chinese comes out garbled)",
    "设置完成": "Set-up done",
    "请打印设置单或存为 PDF，与本机资料一同保存": "Print the setup sheet or save it as a PDF, and keep it with this PC's papers",
    "打印设置单": "Print the setup sheet", "存为 PDF": "Save as PDF", "开始使用": "Start",
    "正在连接……": "Connecting…", "；已按注册码填入营业厅编码和终端编号": "; the hall code and terminal id are now the code's",
    "汉字乱码或缺字时勾选图像模式再试": "Chinese garbled or missing? Tick raster mode and print again",
    "正在打印测试页……": "Printing the test page…", "正在打印设置单……": "Printing the setup sheet…",
    "本机在营业厅里的身份；有注册码时，编码和终端编号以注册码为准":
        "This PC's place in the hall; with an enrollment code, the code decides the hall code and terminal id",
    "第一个班长账号：初始密码至少 {n} 位，班长首次登录时须修改密码":
        "The first supervisor: an initial password of at least {n} characters, changed at the first sign-in",
    "设置单已发送：{where}": "Setup sheet sent: {where}", "设置单已存为 PDF：{file}": "Setup sheet saved as PDF: {file}",
    # the supervisor's held uploads (待处理上传)
    "待处理上传 (Alt+5)": "Held uploads (Alt+5)", "编号": "No.", "单据": "Document", "上级系统答复": "Upstream's answer",
    "没有待班长处理的上传": "No upload is held for a supervisor", "处理原因": "Reason", "处理方式": "Resolution",
    "授权并处理 (Enter)": "Authorize and resolve (Enter)", "上级系统答复：": "The upstream answered: ",
    "保留情况：": "What is kept: ", "处理记录：": "Decisions so far:",
}


def main() -> None:
    ts = HERE / "cashier_en.ts"
    sources = sorted(str(p) for p in UI.glob("*.py"))
    # -no-obsolete: a string gone from the code leaves the file (kept, it would count as untranslated below)
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)], check=True)
    tree = ET.parse(ts)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if source in ENGLISH:
            translation.text = ENGLISH[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.getroot().set("language", "en")
    tree.getroot().set("sourcelanguage", "zh_CN")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(HERE / "cashier_en.qm")], check=True)
    if missing:
        sys.exit("untranslated: " + " | ".join(missing))


if __name__ == "__main__":
    main()
