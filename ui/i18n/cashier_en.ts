<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ArrearsTab</name>
    <message>
        <location filename="../arrears_view.py" line="147" />
        <source>统计 (F5)</source>
        <translation>Count (F5)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="151" />
        <source>统计日</source>
        <translation>As of</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="160" />
        <source>欠费账龄分布（天，元）</source>
        <translation>Arrears by days overdue (yuan)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="160" />
        <source>欠费金额</source>
        <translation>Arrears</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="162" />
        <source>近12个月月末欠费总额（元）</source>
        <translation>Total arrears at each month end, last 12 months (yuan)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="162" />
        <source>月末欠费</source>
        <translation>Month-end arrears</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="180" />
        <source>户号或户名</source>
        <translation>Account number or name</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="182" />
        <source>仅停电候选</source>
        <translation>Disconnection candidates only</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="185" />
        <source>账龄</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="185" />
        <source>供电所</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="186" />
        <source>收费员</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="186" />
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="211" />
        <source>为所选客户生成催费通知单 (Ctrl+N)</source>
        <translation>Arrears notices for the selection (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="214" />
        <source>导出清单 (Ctrl+E)</source>
        <translation>Export the list (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="251" />
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="270" />
        <source>欠费 {n} 户，欠费 {p}，违约金 {f}，停电候选 {c} 户</source>
        <translation>{n} accounts in arrears, arrears {p}, penalty {f}, {c} disconnection candidates</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="277" />
        <location filename="../arrears_view.py" line="278" />
        <source>(未指定)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="288" />
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="303" />
        <source>显示 {n} 户，欠费 {p}</source>
        <translation>Showing {n} accounts, arrears {p}</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="315" />
        <source>请先在清单中选择客户（Ctrl+A 全选当前筛选结果）</source>
        <translation>Select customers in the list first (Ctrl+A selects all shown)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="318" />
        <source>一次最多生成 2000 份通知单，请缩小筛选范围</source>
        <translation>At most 2,000 notices at a time; narrow the filter</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="344" />
        <source>已生成 {n} 份催费通知单：{file}（已记录通知日期）</source>
        <translation>{n} arrears notices written: {file} (notice dates recorded)</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="353" />
        <source>导出欠费清单</source>
        <translation>Export the arrears list</translation>
    </message>
    <message>
        <location filename="../arrears_view.py" line="361" />
        <source>已导出 {n} 户到 {file}</source>
        <translation>Exported {n} accounts to {file}</translation>
    </message>
</context>
<context>
    <name>CashMovementDialog</name>
    <message>
        <location filename="../cash_dialog.py" line="22" />
        <source>现金存取</source>
        <translation>Cash in / out</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="26" />
        <source>解款（银行上门收款）</source>
        <translation>Bank pickup</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="27" />
        <source>交款（交班长）</source>
        <translation>Turn in to the supervisor</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="28" />
        <source>补充备用金</source>
        <translation>Top up the float</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="29" />
        <source>其他取出</source>
        <translation>Other cash out</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="29" />
        <source>其他存入</source>
        <translation>Other cash in</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="35" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="36" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="37" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../cash_dialog.py" line="41" />
        <source>确认 (Enter)</source>
        <translation>Confirm (Enter)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../password.py" line="75" />
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <location filename="../password.py" line="85" />
        <source>修改密码 (Enter)</source>
        <translation>Change it (Enter)</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <location filename="../charts.py" line="181" />
        <source>项目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../shift_dialogs.py" line="105" />
        <source>结班 — 盲点现金</source>
        <translation>Close shift — blind count</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="107" />
        <source>请清点钱箱，按面额输入张数（系统不显示应有金额），回车提交</source>
        <translation>Count the drawer and enter the pieces of each denomination (the expected cash is not shown); Enter submits</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="121" />
        <source>长短款原因</source>
        <translation>Reason for the difference</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="123" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="124" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="131" />
        <source>提交 (Enter)</source>
        <translation>Submit (Enter)</translation>
    </message>
</context>
<context>
    <name>CollectionTab</name>
    <message>
        <location filename="../collection_view.py" line="71" />
        <source>全部收费员</source>
        <translation>All collectors</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="72" />
        <source>统计 (F5)</source>
        <translation>Count (F5)</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="74" />
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="76" />
        <source>导出 Excel (Ctrl+E)</source>
        <translation>Export Excel (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="78" />
        <source>到期日从</source>
        <translation>Due from</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="78" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="79" />
        <source>收费员</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="93" />
        <source>收费员回收率（%，低于平均的标红）</source>
        <translation>Collection rate by collector (%, below average in red)</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="93" />
        <location filename="../collection_view.py" line="95" />
        <source>回收率</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="95" />
        <source>供电所回收率（%，低于平均的标红）</source>
        <translation>Collection rate by station (%, below average in red)</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="134" />
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="151" />
        <source>{start} 至 {end} 没有到期的账单，请换一个统计期</source>
        <translation>No bills fell due from {start} to {end}; choose another period</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="155" />
        <source>{start} 至 {end}：应收 {billed}，实收 {got}，回收率 {rate}%，欠费 {owed}</source>
        <translation>{start} to {end}: billed {billed}, collected {got}, rate {rate}%, arrears {owed}</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="166" />
        <source>请先统计一个有账单的统计期，再导出</source>
        <translation>Count a period with bills first, then export</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="170" />
        <source>导出回收统计</source>
        <translation>Export collection figures</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="177" />
        <source>已导出到 {file}</source>
        <translation>Exported to {file}</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../users_view.py" line="49" />
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
</context>
<context>
    <name>CountConfirmation</name>
    <message>
        <location filename="../shift_dialogs.py" line="69" />
        <source>确认实点现金</source>
        <translation>Confirm the counted cash</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="71" />
        <source>请核对钱箱实点现金（共 {n} 张/枚）：</source>
        <translation>Check the cash counted in the drawer ({n} notes and coins):</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="76" />
        <source>确认后提交结班；提交后实点金额记入审计，不能撤回。</source>
        <translation>Confirming closes the shift; the count is then recorded in the audit log and cannot be withdrawn.</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="78" />
        <source>返回重点 (Esc)</source>
        <translation>Back to the count (Esc)</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="82" />
        <source>确认结班 (Enter)</source>
        <translation>Close the shift (Enter)</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../counter.py" line="80" />
        <source>走收（上门收费）</source>
        <translation>Door-to-door collection</translation>
    </message>
    <message>
        <location filename="../counter.py" line="82" />
        <source>供电营业厅收费柜台</source>
        <translation>Service hall counter cashier</translation>
    </message>
    <message>
        <location filename="../counter.py" line="136" />
        <source>户号 / 账单条码 / 姓名 / 地址 / 电话 / 表号 / 拼音首字母，回车查询</source>
        <translation>Account / bill barcode / name / address / phone / meter / pinyin initials, then Enter</translation>
    </message>
    <message>
        <location filename="../counter.py" line="162" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../counter.py" line="162" />
        <source>户名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../counter.py" line="162" />
        <location filename="../counter.py" line="551" />
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../counter.py" line="162" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../counter.py" line="191" />
        <source>欠费</source>
        <translation>Owed</translation>
    </message>
    <message>
        <location filename="../counter.py" line="176" />
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../counter.py" line="191" />
        <source>账期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../counter.py" line="191" />
        <source>电量kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <location filename="../counter.py" line="191" />
        <source>到期日</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../counter.py" line="192" />
        <source>逾期天数</source>
        <translation>Days late</translation>
    </message>
    <message>
        <location filename="../counter.py" line="192" />
        <source>违约金</source>
        <translation>Penalty</translation>
    </message>
    <message>
        <location filename="../counter.py" line="210" />
        <source>收费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../counter.py" line="222" />
        <source>顾客所付金额</source>
        <translation>what the customer hands over</translation>
    </message>
    <message>
        <location filename="../counter.py" line="225" />
        <source>非现金：交易参考号</source>
        <translation>Non-cash: transaction reference</translation>
    </message>
    <message>
        <location filename="../counter.py" line="239" />
        <source>确认收费 (Enter)</source>
        <translation>Take payment (Enter)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="248" />
        <source>本次金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../counter.py" line="249" />
        <source>付款方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../counter.py" line="250" />
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../counter.py" line="247" />
        <source>参考号</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../counter.py" line="147" />
        <source>跨厅查询 (Ctrl+K)</source>
        <translation>Other hall (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="149" />
        <source>向上级系统查询其他营业厅的客户；上级系统会记录每次跨厅查询</source>
        <translation>Ask the upstream for a customer of another hall; the upstream records every such lookup</translation>
    </message>
    <message>
        <location filename="../counter.py" line="161" />
        <source>应缴
(含违约金)</source>
        <translation>Due
(incl. penalty)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="161" />
        <source>欠费
(不含违约金)</source>
        <translation>Arrears
(excl. penalty)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="252" />
        <source>已收</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../counter.py" line="253" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../counter.py" line="401" />
        <source>其他营业厅的客户：按 Ctrl+K 跨厅查询</source>
        <translation>A customer of another hall: Ctrl+K looks it up</translation>
    </message>
    <message>
        <location filename="../counter.py" line="412" />
        <source>正在向上级系统跨厅查询 {number}…</source>
        <translation>Looking {number} up in the other halls…</translation>
    </message>
    <message>
        <location filename="../counter.py" line="434" />
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../counter.py" line="474" />
        <source>走收模式：仅现金，仅限清单内 {n} 户；待上传 {count} 笔 {amount}。回营业厅连上网络后按 Ctrl+U 同步</source>
        <translation>Door-to-door: cash only, the {n} listed customers only; {count} ({amount}) to upload. Back at the hall, press Ctrl+U to sync</translation>
    </message>
    <message>
        <location filename="../counter.py" line="478" />
        <source>离线收费中：{age}；待上传 {count} 笔 {amount}，网络恢复后自动上传</source>
        <translation>Working offline: {age}; {count} payments ({amount}) waiting, uploaded when the network is back</translation>
    </message>
    <message>
        <location filename="../counter.py" line="489" />
        <source>走收：按出发前同步的数据收费（{age}）</source>
        <translation>Door-to-door: charging from the data synced before leaving ({age})</translation>
    </message>
    <message>
        <location filename="../counter.py" line="493" />
        <source>✔ 其他营业厅的客户（跨厅查询）：已与上级系统核对应缴金额</source>
        <translation>✔ A customer of another hall (cross-hall lookup): dues checked with the upstream</translation>
    </message>
    <message>
        <location filename="../counter.py" line="495" />
        <source>✔ 已与上级系统核对应缴金额</source>
        <translation>✔ Amount due checked with the upstream</translation>
    </message>
    <message>
        <location filename="../counter.py" line="497" />
        <source>上级系统中没有这个户号：按本地数据收费，请与客户核实户号</source>
        <translation>The upstream has no such account: charging from the local copy; check the number with the customer</translation>
    </message>
    <message>
        <location filename="../counter.py" line="499" />
        <source>上级系统正在同步：本次按本地数据收费</source>
        <translation>The upstream is syncing: charging from the local copy this time</translation>
    </message>
    <message>
        <location filename="../counter.py" line="501" />
        <source>离线：按本地数据收费（{age}）</source>
        <translation>Offline: charging from the local copy ({age})</translation>
    </message>
    <message>
        <location filename="../counter.py" line="539" />
        <source>【已停电】</source>
        <translation>[DISCONNECTED]</translation>
    </message>
    <message>
        <location filename="../counter.py" line="541" />
        <source>【费控表】</source>
        <translation>[PREPAID METER]</translation>
    </message>
    <message>
        <location filename="../counter.py" line="546" />
        <source>【已结清】</source>
        <translation>[Paid up]</translation>
    </message>
    <message>
        <location filename="../counter.py" line="551" />
        <source>预存余额</source>
        <translation>Prepaid balance</translation>
    </message>
    <message>
        <location filename="../counter.py" line="564" />
        <source>应缴合计 </source>
        <translation>Total due </translation>
    </message>
    <message>
        <location filename="../counter.py" line="566" />
        <source>（已减免违约金 {amount}）</source>
        <translation>(penalty {amount} waived) </translation>
    </message>
    <message>
        <location filename="../counter.py" line="574" />
        <source>户号 {account} 已授权的违约金减免 {amount} 未使用，已作废</source>
        <translation>The penalty waiver of {amount} approved for account {account} was not used and has lapsed</translation>
    </message>
    <message>
        <location filename="../counter.py" line="759" />
        <location filename="../counter.py" line="774" />
        <source>请先查询客户</source>
        <translation>Look the customer up first</translation>
    </message>
    <message>
        <location filename="../counter.py" line="765" />
        <source>请扫描顾客的付款码</source>
        <translation>Scan the customer's payment code</translation>
    </message>
    <message>
        <location filename="../counter.py" line="774" />
        <source>正在读取客户，请稍候</source>
        <translation>Reading the customer, one moment</translation>
    </message>
    <message>
        <location filename="../counter.py" line="833" />
        <source>已返回，请修改金额</source>
        <translation>Back: correct the amount</translation>
    </message>
    <message>
        <location filename="../counter.py" line="900" />
        <source>收费成功 {amount}，找零 {change}</source>
        <translation>Paid {amount}, change {change}</translation>
    </message>
    <message>
        <location filename="../counter.py" line="903" />
        <source>；存入预存 {amount}</source>
        <translation>; {amount} to the prepaid balance</translation>
    </message>
    <message>
        <location filename="../counter.py" line="905" />
        <source>；已提交复电申请</source>
        <translation>; reconnection requested</translation>
    </message>
    <message>
        <location filename="../counter.py" line="941" />
        <source>关爱模式已开启：客户显示大字，语音放慢并重复</source>
        <translation>Elderly mode on: large type for the customer, slower prompts said twice</translation>
    </message>
    <message>
        <location filename="../counter.py" line="941" />
        <source>关爱模式已关闭</source>
        <translation>Elderly mode off</translation>
    </message>
    <message>
        <location filename="../counter.py" line="985" />
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1009" />
        <source>班长工作台需要班长登录：按 Ctrl+Shift+L 换班长登录（班次保持不变）</source>
        <translation>The supervisor's workspace needs a supervisor: Ctrl+Shift+L lets one sign in (the shift stays open)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1051" />
        <source>此窗口不支持签退</source>
        <translation>This window cannot sign out</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1110" />
        <source>已冲正，退款 {amount}（{how}）</source>
        <translation>Reversed: {amount} refunded ({how})</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1079" />
        <source>该户没有违约金可减免</source>
        <translation>This account has no penalty to waive</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1099" />
        <source>已授权减免违约金 {amount}，应缴 {due}</source>
        <translation>Penalty waiver of {amount} authorized; due {due}</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1133" />
        <source>没有分配给收费员 {name} 的走收客户：请在营业厅联网后按 Ctrl+U 同步</source>
        <translation>No door-to-door customers for {name}: sync at the hall with Ctrl+U</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1155" />
        <source>正在与上级系统同步…</source>
        <translation>Syncing with the upstream…</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1174" />
        <source>已开班，可以收费</source>
        <translation>Shift opened: ready to take payments</translation>
    </message>
    <message>
        <location filename="../counter.py" line="1182" />
        <source>现金存取已登记</source>
        <translation>Cash movement recorded</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../customer_display.py" line="51" />
        <source>95598 供电服务热线（24 小时）</source>
        <translation>95598 power service hotline (24 hours)</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="52" />
        <source>“网上国网”App：交费、查询电费、办理业务</source>
        <translation>State Grid Online app: pay, check your bills, apply for services</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="53" />
        <source>微信、支付宝：搜索“国网”或“生活缴费”交电费</source>
        <translation>WeChat or Alipay: search for State Grid or utility bills to pay</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="54" />
        <source>营业厅自助终端：刷卡或扫码交费</source>
        <translation>Self-service terminals in the hall: pay by card or QR code</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="138" />
        <source>客户显示</source>
        <translation>Customer display</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="162" />
        <source>关爱模式</source>
        <translation>Elderly mode</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="191" />
        <source>欢迎光临</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="274" />
        <source>客户显示：本机只有一个显示器，改为窗口显示</source>
        <translation>Customer display: this PC has one screen, shown as a window</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="294" />
        <source>户号 {account}　户名 {name}</source>
        <translation>Account {account}　Name {name}</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="297" />
        <source>应缴金额</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="297" />
        <source>本次交费</source>
        <translation>Paid now</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="300" />
        <source>人民币（大写）</source>
        <translation>In words (RMB) </translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="304" />
        <source>实收　{amount}</source>
        <translation>Received　{amount}</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="305" />
        <source>找零　{amount}</source>
        <translation>Change　{amount}</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="308" />
        <location filename="../customer_display.py" line="312" />
        <source>预存余额　{amount}</source>
        <translation>Prepaid balance　{amount}</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="310" />
        <source>（本次存入 {amount}）</source>
        <translation> (credited now {amount})</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="318" />
        <source>请输入支付密码</source>
        <translation>Enter payment password</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="320" />
        <source>收费成功，请收好凭证</source>
        <translation>Paid — please keep your receipt</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="324" />
        <source>扫码查询本次交费
{number}</source>
        <translation>Scan to look this payment up
{number}</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="346" />
        <source>无欠费账单</source>
        <translation>No open bills</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="363" />
        <source>账期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="363" />
        <source>电量kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="363" />
        <source>电费</source>
        <translation>Charge</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="363" />
        <source>违约金</source>
        <translation>Penalty</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="373" />
        <source>另有 {n} 期，合计 {amount}</source>
        <translation>{n} more bills, {amount} in all</translation>
    </message>
    <message>
        <location filename="../customer_display.py" line="377" />
        <source>已减免违约金 {amount}</source>
        <translation>Penalty waived {amount}</translation>
    </message>
</context>
<context>
    <name>DayTab</name>
    <message>
        <location filename="../supervisor.py" line="210" />
        <source>日结并生成缴款单 (Ctrl+Enter)</source>
        <translation>Settle the day and print the deposit slip (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="213" />
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="221" />
        <source>各柜台净收（元）</source>
        <translation>Net by counter (yuan)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="221" />
        <location filename="../supervisor.py" line="223" />
        <source>净收</source>
        <translation>Net</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="223" />
        <source>各付款方式净收（元）</source>
        <translation>Net by tender (yuan)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="225" />
        <source>每小时收费笔数</source>
        <translation>Payments per hour</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="225" />
        <source>笔数</source>
        <translation>Payments</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="232" />
        <source>打开所在文件夹 (Ctrl+O)</source>
        <translation>Open its folder (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="267" />
        <source>已连接上级系统：本营业厅其他柜台今天还没有上传收费</source>
        <translation>Upstream reached: no other counter of this hall has uploaded today</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="269" />
        <source>本机柜台按本机数据；其他柜台 {n} 个按已上传数据</source>
        <translation>This counter from this PC; {n} other counter(s) as uploaded</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="271" />
        <source>上级系统不可达：只显示本机柜台</source>
        <translation>Upstream unreachable: this counter only</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="272" />
        <source>当日净收 {total}（{n} 笔，冲正 {r} 笔）</source>
        <translation>Net today {total} ({n} payments, {r} reversals)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="275" />
        <location filename="../supervisor.py" line="278" />
        <source>已日结</source>
        <translation>Settled</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="277" />
        <source>未结班</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="277" />
        <source>待签核</source>
        <translation>To sign off</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="277" />
        <source>已签核</source>
        <translation>Signed off</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="278" />
        <source>其他柜台已结班</source>
        <translation>Closed at other counters</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="280" />
        <source>当日没有班次</source>
        <translation>No shifts that day</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="309" />
        <source>日结完成：应缴存现金 {deposit}。日结报表和缴款单（PDF）已保存到：
{file}</source>
        <translation>Day settled: cash to deposit {deposit}. The day's report and deposit slip (PDF) are saved in:
{file}</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <location filename="../evaluation_panel.py" line="32" />
        <source>请您对本次服务进行评价</source>
        <translation>Please rate our service</translation>
    </message>
    <message>
        <location filename="../evaluation_panel.py" line="41" />
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_panel.py" line="41" />
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_panel.py" line="42" />
        <source>不满意</source>
        <translation>Unsatisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_panel.py" line="95" />
        <source>{n} 秒后自动结束</source>
        <translation>Closes in {n} s</translation>
    </message>
</context>
<context>
    <name>EvaluationTab</name>
    <message>
        <location filename="../evaluation_view.py" line="43" />
        <source>查询 (F5)</source>
        <translation>Load (F5)</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="46" />
        <location filename="../evaluation_view.py" line="53" />
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="48" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="53" />
        <source>收费员</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="53" />
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="53" />
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="53" />
        <source>不满意</source>
        <translation>Unsatisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="54" />
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="54" />
        <source>满意率</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="97" />
        <source>合计：非常满意 {a}，满意 {b}，不满意 {c}，未评价 {d}；满意率 {rate}</source>
        <translation>In all: very satisfied {a}, satisfied {b}, unsatisfied {c}, not rated {d}; satisfied {rate}</translation>
    </message>
    <message>
        <location filename="../evaluation_view.py" line="100" />
        <source>所选营业日没有服务评价</source>
        <translation>No service evaluations on these business days</translation>
    </message>
</context>
<context>
    <name>ExposureDialog</name>
    <message>
        <location filename="../authorize.py" line="93" />
        <source>离线收费超限 — 需班长授权</source>
        <translation>Offline limit reached — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="100" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="100" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="100" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="100" />
        <source>授权继续收费 (Enter)</source>
        <translation>Authorize further payments (Enter)</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="99" />
        <source>本班未上传总额上限</source>
        <translation>Limit of unsent payments this shift</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../first_run.py" line="47" />
        <source>首次设置（技术人员）</source>
        <translation>First-run set-up (technician)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="60" />
        <source>测试连接（并核对注册码）</source>
        <translation>Test the connection (and check the code)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="67" />
        <source>营业厅和终端</source>
        <translation>Hall and terminal</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="76" />
        <source>营业厅编码</source>
        <translation>Hall code</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="77" />
        <source>营业厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="78" />
        <source>终端编号</source>
        <translation>Terminal id</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="79" />
        <source>窗口名称</source>
        <translation>Window name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="53" />
        <source>上级系统</source>
        <translation>Upstream</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="53" />
        <source>地址和一次性注册码；不填则本机离线使用，以后可用 cashier-admin enroll 注册</source>
        <translation>Address and one-time code; leave empty to work offline and enroll later with cashier-admin enroll</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="62" />
        <source>上级系统地址</source>
        <translation>Upstream URL</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="63" />
        <source>注册码</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="67" />
        <source>本机在营业厅里的身份；有注册码时，编码和终端编号以注册码为准</source>
        <translation>This PC's place in the hall; with an enrollment code, the code decides the hall code and terminal id</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="69" />
        <source>如 3201001（上级系统给的营业厅编码）</source>
        <translation>e.g. 3201001 (the hall code the upstream gave)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="71" />
        <source>如 城关供电营业厅</source>
        <translation>e.g. 城关供电营业厅 (the hall's name on receipts)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="73" />
        <source>如 T03（字母、数字、- 或 _）</source>
        <translation>e.g. T03 (letters, digits, - or _)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="75" />
        <source>如 3号窗口</source>
        <translation>e.g. 3号窗口 (window 3)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="84" />
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="84" />
        <source>选择打印机并打印测试页</source>
        <translation>Choose the printer and print a test page</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="92" />
        <source>图像模式（打印机没有中文字库、测试页汉字乱码时勾选）</source>
        <translation>Raster mode (tick it for a printer without a Chinese font: the test page's Chinese comes out garbled)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="95" />
        <source>打印测试页</source>
        <translation>Print a test page</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="97" />
        <source>打印机地址</source>
        <translation>Printer URI</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="98" />
        <source>纸宽 mm</source>
        <translation>Paper width mm</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="103" />
        <source>语言和班长账号</source>
        <translation>Language and supervisor</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="104" />
        <source>第一个班长账号：初始密码至少 {n} 位，班长首次登录时须修改密码</source>
        <translation>The first supervisor: an initial password of at least {n} characters, changed at the first sign-in</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="151" />
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="241" />
        <source>正在连接……</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="255" />
        <source>；已按注册码填入营业厅编码和终端编号</source>
        <translation>; the hall code and terminal id are now the code's</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="282" />
        <source>汉字乱码或缺字时勾选图像模式再试</source>
        <translation>Chinese garbled or missing? Tick raster mode and print again</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="328" />
        <source>正在打印设置单……</source>
        <translation>Printing the setup sheet…</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="330" />
        <source>设置单已发送：{where}</source>
        <translation>Setup sheet sent: {where}</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="338" />
        <source>设置单已存为 PDF：{file}</source>
        <translation>Setup sheet saved as PDF: {file}</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="122" />
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="123" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="124" />
        <source>班长姓名</source>
        <translation>Supervisor's name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="125" />
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="126" />
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="130" />
        <source>设置完成</source>
        <translation>Set-up done</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="131" />
        <source>请打印设置单或存为 PDF，与本机资料一同保存</source>
        <translation>Print the setup sheet or save it as a PDF, and keep it with this PC's papers</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="138" />
        <source>打印设置单</source>
        <translation>Print the setup sheet</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="140" />
        <source>存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="150" />
        <source>完成设置</source>
        <translation>Finish set-up</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="224" />
        <source>本机数据库已有 {n} 个用户：沿用现有账号，不再创建班长</source>
        <translation>This PC's database already has {n} users: they stay, no supervisor is created</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="237" />
        <source>请先填写上级系统地址</source>
        <translation>Fill in the upstream address first</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="283" />
        <source>测试页已发送：{where}</source>
        <translation>Test page sent: {where}</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="290" />
        <source>正在打印测试页……</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="300" />
        <source>正在保存设置……</source>
        <translation>Saving the set-up…</translation>
    </message>
</context>
<context>
    <name>HeldTab</name>
    <message>
        <location filename="../held_view.py" line="51" />
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="51" />
        <source>单据</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="51" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="51" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="52" />
        <source>上级系统答复</source>
        <translation>Upstream's answer</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="64" />
        <location filename="../held_view.py" line="119" />
        <location filename="../held_view.py" line="195" />
        <source>没有待班长处理的上传</source>
        <translation>No upload is held for a supervisor</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="80" />
        <source>处理原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="80" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="80" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="81" />
        <source>授权并处理 (Enter)</source>
        <translation>Authorize and resolve (Enter)</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="82" />
        <source>处理方式</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <location filename="../held_view.py" line="152" />
        <source>上级系统答复：</source>
        <translation>The upstream answered: </translation>
    </message>
    <message>
        <location filename="../held_view.py" line="152" />
        <source>保留情况：</source>
        <translation>What is kept: </translation>
    </message>
    <message>
        <location filename="../held_view.py" line="160" />
        <source>处理记录：</source>
        <translation>Decisions so far:</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="37" />
        <source>供电营业厅收费柜台 — 登录</source>
        <translation>Counter cashier — sign in</translation>
    </message>
    <message>
        <location filename="../login.py" line="55" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../login.py" line="56" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../login.py" line="74" />
        <location filename="../login.py" line="192" />
        <source>登录 (Enter)</source>
        <translation>Sign in (Enter)</translation>
    </message>
    <message>
        <location filename="../login.py" line="79" />
        <source>演示用户（密码均为 {password}）：</source>
        <translation>Demo users (password {password}):</translation>
    </message>
    <message>
        <location filename="../login.py" line="86" />
        <location filename="../login.py" line="122" />
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location filename="../login.py" line="145" />
        <source>{name}，请先设置自己的新密码（初始密码或重置的密码不能继续使用）</source>
        <translation>{name}, choose your own password first (an initial or reset password cannot be used further)</translation>
    </message>
    <message>
        <location filename="../login.py" line="150" />
        <source>修改密码并登录 (Enter)</source>
        <translation>Change and sign in (Enter)</translation>
    </message>
</context>
<context>
    <name>NewPasswordFields</name>
    <message>
        <location filename="../password.py" line="50" />
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <location filename="../password.py" line="51" />
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location filename="../password.py" line="52" />
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../shift_dialogs.py" line="28" />
        <source>开班 — 清点备用金</source>
        <translation>Open shift — count the float</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="30" />
        <source>按面额输入备用金张数，回车确认，Esc 取消</source>
        <translation>Enter the float by denomination; Enter confirms, Esc cancels</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="35" />
        <source>开班 (Enter)</source>
        <translation>Open shift (Enter)</translation>
    </message>
</context>
<context>
    <name>PasswordShownDialog</name>
    <message>
        <location filename="../users_view.py" line="64" />
        <source>新密码（只显示这一次）</source>
        <translation>New password (shown this once only)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="79" />
        <source>密码重置后只显示这一次：请当面交给本人。下次登录时必须改成自己的密码。</source>
        <translation>Shown this once only: hand it to them in person. At their next sign-in they must choose their own.</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="80" />
        <source>初始密码只显示这一次：请当面交给本人。首次登录时必须改成自己的密码。</source>
        <translation>Shown this once only: hand it to them in person. At their first sign-in they must choose their own.</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="84" />
        <source>已交给本人 (Enter)</source>
        <translation>Handed over (Enter)</translation>
    </message>
</context>
<context>
    <name>RankTable</name>
    <message>
        <location filename="../collection_view.py" line="34" />
        <source>排名</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="34" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="34" />
        <source>户数</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="34" />
        <source>应收</source>
        <translation>Billed</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="35" />
        <source>实收金额</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="35" />
        <source>欠费金额</source>
        <translation>Arrears</translation>
    </message>
    <message>
        <location filename="../collection_view.py" line="35" />
        <source>回收率</source>
        <translation>Rate</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../receipt_preview.py" line="28" />
        <source>凭证预览</source>
        <translation>Receipt preview</translation>
    </message>
    <message>
        <location filename="../receipt_preview.py" line="42" />
        <source>关闭 (Enter)</source>
        <translation>Close (Enter)</translation>
    </message>
</context>
<context>
    <name>ReconcileTab</name>
    <message>
        <location filename="../reconcile_view.py" line="32" />
        <source>微信支付</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="32" />
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="32" />
        <source>银行卡</source>
        <translation>Bank card</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="39" />
        <source>已扣款未入账</source>
        <translation>Charged, not recorded</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="39" />
        <source>顾客已付款但没有收费记录：补记收费或原路退款</source>
        <translation>The customer paid but no payment was recorded: record it or refund it</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="40" />
        <source>渠道无此交易</source>
        <translation>Unknown to the provider</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="40" />
        <source>收费记录的交易号渠道没有：核对是否输错或虚构</source>
        <translation>The provider has no such transaction: check for a mistyped or invented reference</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="41" />
        <source>金额不符</source>
        <translation>Amounts differ</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="41" />
        <source>双方都有此交易但金额不同：核对凭证和渠道记录</source>
        <translation>Both have it with other amounts: check the receipt and the provider's record</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="42" />
        <source>退款不符</source>
        <translation>Refunds differ</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="42" />
        <source>退款与冲正对不上：核对冲正和渠道退款</source>
        <translation>Refund and reversal disagree: check both</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="50" />
        <source>相符</source>
        <translation>Agrees</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="51" />
        <source>{n} 条未处理：见下方差异明细</source>
        <translation>{n} open: see the differences below</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="102" />
        <source>查询 (F5)</source>
        <translation>Load (F5)</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="105" />
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="111" />
        <location filename="../reconcile_view.py" line="117" />
        <source>渠道</source>
        <translation>Provider</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="111" />
        <source>对账时间</source>
        <translation>Reconciled at</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="111" />
        <source>对账单笔数</source>
        <translation>Statement lines</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="111" />
        <source>对账单金额</source>
        <translation>Statement amount</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="111" />
        <source>对账单退款</source>
        <translation>Statement refunds</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="112" />
        <source>本厅笔数</source>
        <translation>Hall payments</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="112" />
        <source>本厅金额</source>
        <translation>Hall amount</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="112" />
        <source>本厅退款</source>
        <translation>Hall refunds</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="112" />
        <location filename="../reconcile_view.py" line="117" />
        <source>差异</source>
        <translation>Differences</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="115" />
        <source>差异明细（每条差异也已在上级系统报警）</source>
        <translation>Differences (each is also an alarm on the upstream)</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="117" />
        <source>交易号</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="117" />
        <source>对账单</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="117" />
        <source>本厅记录</source>
        <translation>Hall's record</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="117" />
        <source>柜台</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="117" />
        <source>收费员</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="118" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="118" />
        <source>处理</source>
        <translation>What to do</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="137" />
        <source>本机没有连接上级系统：对账结果在上级系统（cashier-upstream reconcile）</source>
        <translation>This counter has no upstream: reconciliation is on the upstream (cashier-upstream reconcile)</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="140" />
        <source>正在查询上级系统…</source>
        <translation>Asking the upstream…</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="163" />
        <source>上级系统不提供对账结果（版本较旧）</source>
        <translation>The upstream does not offer reconciliation (an older version)</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="165" />
        <source>上级系统不可达，稍后按 F5 再查：{error}</source>
        <translation>The upstream cannot be reached; press F5 later: {error}</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="176" />
        <source>尚未对账</source>
        <translation>Not reconciled yet</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="194" />
        <source>已消除</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="194" />
        <source>未处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="202" />
        <source>{day} 尚未与任何渠道对账</source>
        <translation>{day}: not reconciled with any provider yet</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="204" />
        <source>{day} 有 {n} 条差异未处理</source>
        <translation>{day}: {n} differences open</translation>
    </message>
    <message>
        <location filename="../reconcile_view.py" line="206" />
        <source>{day} 已对账的渠道全部相符</source>
        <translation>{day}: every reconciled provider agrees</translation>
    </message>
</context>
<context>
    <name>ReprintQueueDialog</name>
    <message>
        <location filename="../reprint_queue.py" line="36" />
        <source>补打队列</source>
        <translation>Reprint queue</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="39" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="39" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="39" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="39" />
        <source>流水号</source>
        <translation>Serial no.</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="40" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="40" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="56" />
        <source>打印所选 (Enter)</source>
        <translation>Print the selected (Enter)</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="84" />
        <source>交班单</source>
        <translation>Shift report</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="89" />
        <source>未确认打出（打印中或程序中断）</source>
        <translation>Not confirmed printed (printing, or the program stopped)</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="99" />
        <source>（重打第{n}次）</source>
        <translation> (reprint no. {n})</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="120" />
        <source>正在打印 {number}…</source>
        <translation>Printing {number}…</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="83" />
        <source>收费凭证</source>
        <translation>Payment receipt</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="83" />
        <source>冲正凭证</source>
        <translation>Reversal receipt</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="83" />
        <source>存取款单</source>
        <translation>Cash slip</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="50" />
        <source>没有待补打的凭证</source>
        <translation>Nothing waits to be reprinted</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <location filename="../reversal.py" line="37" />
        <source>冲正 — 需班长授权</source>
        <translation>Reversal — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="39" />
        <source>选择今天的一笔收费（↑↓），回车填写冲正原因、班长用户名和密码，回车授权并冲正；Esc 取消</source>
        <translation>Choose one of today's payments (↑↓); Enter, then the reason, the supervisor's name and password, each with Enter, reverses it; Esc cancels</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="42" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="42" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="42" />
        <source>户名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="42" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="42" />
        <source>流水号</source>
        <translation>Serial no.</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="43" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="43" />
        <source>付款方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="61" />
        <source>冲正原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="61" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="61" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="62" />
        <source>授权并冲正 (Enter)</source>
        <translation>Authorize and reverse (Enter)</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="78" />
        <source>已冲正</source>
        <translation>reversed</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="118" />
        <source>冲正 {number}  户号 {account} {name}  退款 {amount}</source>
        <translation>Reverse {number}  account {account} {name}  refund {amount}</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="160" />
        <source>请输入班长用户名</source>
        <translation>Enter the supervisor's user name</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="156" />
        <source>请填写冲正原因</source>
        <translation>Give the reason for the reversal</translation>
    </message>
</context>
<context>
    <name>ReviewTab</name>
    <message>
        <location filename="../supervisor.py" line="58" />
        <source>柜台</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="58" />
        <source>收费员</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="58" />
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="58" />
        <source>净收</source>
        <translation>Net</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="59" />
        <location filename="../supervisor.py" line="147" />
        <source>长短款</source>
        <translation>Over/short</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="59" />
        <source>迟到</source>
        <translation>Late</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="69" />
        <location filename="../supervisor.py" line="113" />
        <location filename="../supervisor.py" line="172" />
        <source>没有待签核的班次</source>
        <translation>No shifts waiting for sign-off</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="77" />
        <source>签核意见（有长短款或迟到收费时必填）</source>
        <translation>Comment (required with an over/short or late payments)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="80" />
        <source>签核 (Enter)</source>
        <translation>Sign off (Enter)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="126" />
        <source>开班 {opened}，结班 {closed}</source>
        <translation>Opened {opened}, closed {closed}</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="136" />
        <source>收费笔数 / 金额</source>
        <translation>Payments / amount</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="137" />
        <source>冲正笔数 / 金额</source>
        <translation>Reversals / amount</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="139" />
        <source>违约金减免</source>
        <translation>Penalty waived</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="140" />
        <source>重打次数</source>
        <translation>Reprints</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="141" />
        <source>备用金</source>
        <translation>Float</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="143" />
        <source>交款</source>
        <translation>Turned in</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="143" />
        <source>解款</source>
        <translation>Bank pickup</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="143" />
        <source>取出</source>
        <translation>Taken out</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="145" />
        <source>应有现金</source>
        <translation>Expected cash</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="146" />
        <source>实点现金</source>
        <translation>Counted cash</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="151" />
        <source>长短款原因：{reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="153" />
        <source>超限已由 {name} 授权</source>
        <translation>Above the limit, authorized by {name}</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="155" />
        <source>结班后到达上级系统的收费 {n} 笔：</source>
        <translation>{n} payments reached the upstream after the close:</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="176" />
        <source>该班次有长短款或结班后到达的收费，请填写签核意见</source>
        <translation>This shift has an over/short or late payments: add a comment</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="187" />
        <source>已签核 {terminal} {cashier} 的班次</source>
        <translation>Signed off the shift of {cashier} at {terminal}</translation>
    </message>
</context>
<context>
    <name>SaleConfirmDialog</name>
    <message>
        <location filename="../sale_confirm.py" line="23" />
        <source>请核对金额</source>
        <translation>Check the amounts</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="28" />
        <source>找零金额较大，请核对实收</source>
        <translation>Large change: check what was tendered</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="30" />
        <source>多收部分将存入预存电费</source>
        <translation>The part above the dues goes to the prepaid balance</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="36" />
        <source>应缴</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="36" />
        <source>本次金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="37" />
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="39" />
        <source>存入预存（预存电费）</source>
        <translation>To the prepaid balance</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="40" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="54" />
        <source>返回修改 (Enter / Esc)</source>
        <translation>Back to correct (Enter / Esc)</translation>
    </message>
    <message>
        <location filename="../sale_confirm.py" line="59" />
        <source>确认收费 (Y)</source>
        <translation>Take the payment (Y)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="41" />
        <source>图像模式（打印机无中文字库）</source>
        <translation>Raster mode (printer without a Chinese font)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64" />
        <source>班长或技术人员</source>
        <translation>Supervisor or technician</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="69" />
        <source>界面语言（下次启动生效）</source>
        <translation>Language (from the next start)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="71" />
        <source>仅技术人员</source>
        <translation>Technician only</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="74" />
        <source>营业厅编码</source>
        <translation>Hall code</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="74" />
        <source>营业厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="75" />
        <source>终端编号</source>
        <translation>Terminal id</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="75" />
        <source>窗口名称</source>
        <translation>Window name</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="85" />
        <source>保存人用户名</source>
        <translation>Saved by (user name)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="86" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="67" />
        <source>打印机地址</source>
        <translation>Printer URI</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="28" />
        <source>系统设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="67" />
        <source>纸宽 mm</source>
        <translation>Paper width mm</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="68" />
        <source>上级系统地址</source>
        <translation>Upstream URL</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="76" />
        <source>无操作锁屏（分钟，0 为不锁）</source>
        <translation>Idle lock (minutes, 0 = never)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="76" />
        <source>大字显示（下次启动生效）</source>
        <translation>Large print (from the next start)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81" />
        <source>营业厅、终端和上级系统地址的更改在下次启动时生效。</source>
        <translation>Changes to the hall, the terminal and the upstream address take effect at the next start.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="90" />
        <source>保存 (Enter)</source>
        <translation>Save (Enter)</translation>
    </message>
</context>
<context>
    <name>ShiftReportDialog</name>
    <message>
        <location filename="../shift_dialogs.py" line="228" />
        <source>已结班 — 交班单</source>
        <translation>Shift closed — hand-over slip</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="230" />
        <source>实点现金 {amount}</source>
        <translation>Counted cash {amount}</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="237" />
        <location filename="../shift_dialogs.py" line="267" />
        <source>正在打印交班单…</source>
        <translation>Printing the hand-over slip…</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="249" />
        <source>存为 PDF (Ctrl+S)</source>
        <translation>Save as PDF (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="253" />
        <source>打开所在文件夹 (Ctrl+O)</source>
        <translation>Open its folder (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="257" />
        <source>关闭 (Enter)</source>
        <translation>Close (Enter)</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="273" />
        <source>交班单未打出：{reason}。可按 Ctrl+S 存为 PDF，或稍后在补打队列重打</source>
        <translation>The hand-over slip did not print: {reason}. Ctrl+S saves it as a PDF, or reprint it later from the queue</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="279" />
        <location filename="../shift_dialogs.py" line="313" />
        <source>交班单已存为 PDF：{file}</source>
        <translation>Hand-over slip saved as PDF: {file}</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="281" />
        <source>交班单已打印，请收费员和班长签字</source>
        <translation>Hand-over slip printed: cashier and supervisor sign it</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="293" />
        <source>交班单未打出：{reason}。可按 Ctrl+S 存为 PDF</source>
        <translation>The hand-over slip did not print: {reason}. Ctrl+S saves it as a PDF</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status.py" line="39" />
        <source>打印机：就绪</source>
        <translation>Printer: ready</translation>
    </message>
    <message>
        <location filename="../status.py" line="74" />
        <source>正在检查数据库…</source>
        <translation>Checking the database…</translation>
    </message>
    <message>
        <location filename="../status.py" line="76" />
        <source>数据库检查完成</source>
        <translation>Database check done</translation>
    </message>
    <message>
        <location filename="../status.py" line="78" />
        <source>数据库已损坏，暂停收费：请技术人员用 cashier-admin restore 从备份恢复</source>
        <translation>The database is damaged; payments are stopped: the technician restores it from a backup (cashier-admin restore)</translation>
    </message>
    <message>
        <location filename="../status.py" line="79" />
        <source>数据库已损坏，暂停收费</source>
        <translation>Database damaged: payments stopped</translation>
    </message>
    <message>
        <location filename="../status.py" line="87" />
        <source>客显无响应</source>
        <translation>Pole display not answering</translation>
    </message>
    <message>
        <location filename="../status.py" line="130" />
        <source>尚未从上级系统取得数据</source>
        <translation>no data from the upstream yet</translation>
    </message>
    <message>
        <location filename="../status.py" line="132" />
        <source>{n} 分钟前</source>
        <translation>{n} min ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="133" />
        <source>{n} 小时前</source>
        <translation>{n} h ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="134" />
        <source>{n} 天前</source>
        <translation>{n} days ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="135" />
        <source>数据截至 {when}（{ago}）</source>
        <translation>data as of {when} ({ago})</translation>
    </message>
    <message>
        <location filename="../status.py" line="146" />
        <source>未连接上级系统 · 待上传 {count} 笔</source>
        <translation>No upstream · {count} to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="148" />
        <source>正在连接上级系统… · 待上传 {count} 笔</source>
        <translation>Connecting to the upstream… · {count} to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="150" />
        <source>在线 · 待上传 {count} 笔</source>
        <translation>Online · {count} to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="152" />
        <source>离线 · 待上传 {count} 笔 · {age}</source>
        <translation>Offline · {count} to upload · {age}</translation>
    </message>
    <message>
        <location filename="../status.py" line="155" />
        <source> · {n} 笔待班长处理</source>
        <translation> · {n} held for a supervisor</translation>
    </message>
    <message>
        <location filename="../status.py" line="167" />
        <source>收费员：{name}</source>
        <translation>Cashier: {name}</translation>
    </message>
    <message>
        <location filename="../status.py" line="168" />
        <source>班次：{opened} 开班</source>
        <translation>Shift: opened {opened}</translation>
    </message>
    <message>
        <location filename="../status.py" line="169" />
        <source>班次：未开班 (F2)</source>
        <translation>Shift: not open (F2)</translation>
    </message>
    <message>
        <location filename="../status.py" line="170" />
        <source>营业日 {date}</source>
        <translation>Business date {date}</translation>
    </message>
    <message>
        <location filename="../status.py" line="174" />
        <source>补打队列 {n} 张 (Ctrl+P)</source>
        <translation>{n} in the reprint queue (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../status.py" line="178" />
        <source>就绪</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../status.py" line="189" />
        <source>打印机：</source>
        <translation>Printer: </translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../supervisor.py" line="334" />
        <source>班长工作台</source>
        <translation>Supervisor's workspace</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="345" />
        <source>班次复核 (Alt+1)</source>
        <translation>Shift review (Alt+1)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="346" />
        <source>日结与当日概览 (Alt+2)</source>
        <translation>Day-end and the day (Alt+2)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="347" />
        <source>欠费预警 (Alt+3)</source>
        <translation>Arrears early warning (Alt+3)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="348" />
        <source>回收责任制 (Alt+4)</source>
        <translation>Collection responsibility (Alt+4)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="349" />
        <source>待处理上传 (Alt+5)</source>
        <translation>Held uploads (Alt+5)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="350" />
        <source>人员 (Alt+6)</source>
        <translation>Staff (Alt+6)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="351" />
        <source>渠道对账 (Alt+7)</source>
        <translation>Reconciliation (Alt+7)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="352" />
        <source>服务评价 (Alt+8)</source>
        <translation>Service evaluation (Alt+8)</translation>
    </message>
    <message>
        <location filename="../supervisor.py" line="355" />
        <source>人员 (Alt+1)</source>
        <translation>Staff (Alt+1)</translation>
    </message>
</context>
<context>
    <name>TypedReferenceDialog</name>
    <message>
        <location filename="../authorize.py" line="136" />
        <source>手工填写微信/支付宝交易号 — 需班长授权</source>
        <translation>Typed WeChat/Alipay reference — a supervisor approves</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="138" />
        <source>未扫码收款（如离线）：交易号由收费员手工填写，无法当场核实到账，将列入对账。</source>
        <translation>Not scanned (offline, for instance): the reference is typed by the cashier and cannot be checked now; it will be reconciled with the provider's statement.</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="141" />
        <source>手工交易号金额</source>
        <translation>Amount with a typed reference</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="142" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="142" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="142" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="142" />
        <source>授权 (Enter)</source>
        <translation>Approve (Enter)</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../idle.py" line="39" />
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../idle.py" line="42" />
        <source>收费台已锁定</source>
        <translation>The counter is locked</translation>
    </message>
    <message>
        <location filename="../idle.py" line="48" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../idle.py" line="49" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../idle.py" line="53" />
        <source>解锁 (Enter)</source>
        <translation>Unlock (Enter)</translation>
    </message>
    <message>
        <location filename="../idle.py" line="59" />
        <source>签退，换人登录 (Ctrl+Shift+L)</source>
        <translation>Sign out for another user (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <location filename="../idle.py" line="78" />
        <source>只有本班收费员或班长可以解锁</source>
        <translation>Only this shift's cashier or a supervisor can unlock</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <location filename="../users_view.py" line="108" />
        <location filename="../users_view.py" line="148" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="108" />
        <location filename="../users_view.py" line="149" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="108" />
        <location filename="../users_view.py" line="150" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="108" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="116" />
        <source>重置密码 (Ctrl+R)</source>
        <translation>Reset password (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="118" />
        <source>解锁 (Ctrl+K)</source>
        <translation>Unlock (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="120" />
        <source>停用 (Ctrl+D)</source>
        <translation>Deactivate (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="132" />
        <source>新增人员 (Ctrl+N)</source>
        <translation>Add a person (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="143" />
        <source>新增 (Enter)</source>
        <translation>Add (Enter)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="146" />
        <source>初始密码由系统生成，只显示一次；首次登录时必须修改。</source>
        <translation>The initial password is generated and shown once; it must be changed at the first sign-in.</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="218" />
        <source>已重置 {username} 的密码</source>
        <translation>Password of {username} reset</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="219" />
        <source>已新增 {username}</source>
        <translation>Added {username}</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="231" />
        <source>请先在列表中选择一个人</source>
        <translation>Choose a person in the list first</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="254" />
        <source>重置密码</source>
        <translation>Reset the password</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="255" />
        <source>为 {name}（{username}）生成新密码？原密码立即失效，新密码只显示一次。</source>
        <translation>Make a new password for {name} ({username})? The old one stops working now; the new one is shown once.</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="257" />
        <source>重置 (Enter)</source>
        <translation>Reset (Enter)</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="279" />
        <source>停用账号</source>
        <translation>Deactivate the account</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="280" />
        <source>停用 {name}（{username}）？停用后不能再登录，收费和班次记录保留。</source>
        <translation>Deactivate {name} ({username})? They can no longer sign in; their payments and shifts stay.</translation>
    </message>
    <message>
        <location filename="../users_view.py" line="282" />
        <source>停用 (Enter)</source>
        <translation>Deactivate (Enter)</translation>
    </message>
</context>
<context>
    <name>WaiverDialog</name>
    <message>
        <location filename="../authorize.py" line="53" />
        <source>违约金减免 — 需班长授权</source>
        <translation>Penalty waiver — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="55" />
        <source>户号 {account}，违约金 {penalty}</source>
        <translation>Account {account}, penalty {penalty}</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="57" />
        <source>减免金额</source>
        <translation>Waive</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="58" />
        <source>减免原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="58" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="58" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="58" />
        <source>授权减免 (Enter)</source>
        <translation>Authorize the waiver (Enter)</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="65" />
        <source>减免不能超过违约金 {penalty}</source>
        <translation>Cannot waive more than the penalty {penalty}</translation>
    </message>
</context>
<context>
    <name>panel</name>
    <message>
        <location filename="../customer_side.py" line="81" />
        <source>服务评价</source>
        <translation>Service evaluation</translation>
    </message>
</context>
<context>
    <name>self.w</name>
    <message>
        <location filename="../scan_pay.py" line="176" />
        <source>请顾客输入密码…</source>
        <translation>Waiting for the customer's password…</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="176" />
        <source>Esc 撤销</source>
        <translation>Esc cancels</translation>
    </message>
</context>
<context>
    <name>w</name>
    <message>
        <location filename="../scan_pay.py" line="130" />
        <source>请先查询客户</source>
        <translation>Look the customer up first</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="146" />
        <source>已收足，无需扫码</source>
        <translation>Already covered: nothing to scan</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="159" />
        <source>云闪付</source>
        <translation>UnionPay QuickPass</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="162" />
        <source>{amount}　付款码 {code}</source>
        <translation>{amount}　code {code}</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="163" />
        <source>正在提交 {provider} 付款…</source>
        <translation>Sending the {provider} payment…</translation>
    </message>
    <message>
        <location filename="../scan_pay.py" line="216" />
        <source>{provider}扫码收款成功 {amount}</source>
        <translation>Paid by {provider} scan: {amount}</translation>
    </message>
</context>
</TS>