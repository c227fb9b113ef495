<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
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
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../shift_dialogs.py" line="56" />
        <source>结班 — 盲点现金</source>
        <translation>Close shift — blind count</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="58" />
        <source>请清点钱箱，按面额输入张数（系统不显示应有金额），回车提交</source>
        <translation>Count the drawer and enter the pieces of each denomination (the expected cash is not shown); Enter submits</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="72" />
        <source>长短款原因</source>
        <translation>Reason for the difference</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="74" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="75" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="82" />
        <source>提交 (Enter)</source>
        <translation>Submit (Enter)</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="118" />
        <source>长短款 </source>
        <translation>Over/short </translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../counter.py" line="69" />
        <source>供电营业厅收费柜台</source>
        <translation>Service hall counter cashier</translation>
    </message>
    <message>
        <location filename="../counter.py" line="97" />
        <source>户号 / 账单条码 / 姓名 / 地址 / 电话 / 表号 / 拼音首字母，回车查询</source>
        <translation>Account / bill barcode / name / address / phone / meter / pinyin initials, then Enter</translation>
    </message>
    <message>
        <location filename="../counter.py" line="107" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../counter.py" line="107" />
        <source>户名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../counter.py" line="107" />
        <location filename="../counter.py" line="292" />
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../counter.py" line="107" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../counter.py" line="108" />
        <location filename="../counter.py" line="127" />
        <source>欠费</source>
        <translation>Owed</translation>
    </message>
    <message>
        <location filename="../counter.py" line="115" />
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../counter.py" line="127" />
        <source>账期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../counter.py" line="127" />
        <source>电量kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <location filename="../counter.py" line="127" />
        <source>到期日</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../counter.py" line="128" />
        <source>逾期天数</source>
        <translation>Days late</translation>
    </message>
    <message>
        <location filename="../counter.py" line="128" />
        <source>违约金</source>
        <translation>Penalty</translation>
    </message>
    <message>
        <location filename="../counter.py" line="142" />
        <source>收费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../counter.py" line="154" />
        <source>非现金：交易参考号</source>
        <translation>Non-cash: transaction reference</translation>
    </message>
    <message>
        <location filename="../counter.py" line="167" />
        <source>确认收费 (Enter)</source>
        <translation>Take payment (Enter)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="170" />
        <source>本次金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../counter.py" line="171" />
        <source>付款方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../counter.py" line="172" />
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../counter.py" line="173" />
        <source>参考号</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../counter.py" line="174" />
        <source>已收</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../counter.py" line="175" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../counter.py" line="263" />
        <source>离线收费中：{age}；待上传 {count} 笔 {amount}，网络恢复后自动上传</source>
        <translation>Working offline: {age}; {count} payments ({amount}) waiting, uploaded when the network is back</translation>
    </message>
    <message>
        <location filename="../counter.py" line="274" />
        <source>✔ 已与上级系统核对应缴金额</source>
        <translation>✔ Amount due checked with the upstream</translation>
    </message>
    <message>
        <location filename="../counter.py" line="279" />
        <source>离线：按本地数据收费（{age}）</source>
        <translation>Offline: charging from the local copy ({age})</translation>
    </message>
    <message>
        <location filename="../counter.py" line="285" />
        <source>【已停电】</source>
        <translation>[DISCONNECTED]</translation>
    </message>
    <message>
        <location filename="../counter.py" line="287" />
        <source>【费控表】</source>
        <translation>[PREPAID METER]</translation>
    </message>
    <message>
        <location filename="../counter.py" line="292" />
        <source>预存余额</source>
        <translation>Prepaid balance</translation>
    </message>
    <message>
        <location filename="../counter.py" line="301" />
        <source>应缴合计 </source>
        <translation>Total due </translation>
    </message>
    <message>
        <location filename="../counter.py" line="381" />
        <source>请先查询客户</source>
        <translation>Look the customer up first</translation>
    </message>
    <message>
        <location filename="../counter.py" line="427" />
        <source>收费成功 {amount}，找零 {change}</source>
        <translation>Paid {amount}, change {change}</translation>
    </message>
    <message>
        <location filename="../counter.py" line="430" />
        <source>；已提交复电申请</source>
        <translation>; reconnection requested</translation>
    </message>
    <message>
        <location filename="../counter.py" line="469" />
        <source>设置已保存（营业厅与终端的更改在重新启动后生效）</source>
        <translation>Settings saved (hall and terminal changes apply after a restart)</translation>
    </message>
    <message>
        <location filename="../counter.py" line="494" />
        <source>该户没有违约金可减免</source>
        <translation>This account has no penalty to waive</translation>
    </message>
    <message>
        <location filename="../counter.py" line="506" />
        <source>已授权减免违约金 {amount}，应缴 {due}</source>
        <translation>Penalty waiver of {amount} authorized; due {due}</translation>
    </message>
    <message>
        <location filename="../counter.py" line="516" />
        <source>已冲正，退款 {amount}</source>
        <translation>Reversed, refunded {amount}</translation>
    </message>
    <message>
        <location filename="../counter.py" line="533" />
        <source>现金存取已登记</source>
        <translation>Cash movement recorded</translation>
    </message>
</context>
<context>
    <name>ExposureDialog</name>
    <message>
        <location filename="../authorize.py" line="66" />
        <source>离线收费超限 — 需班长授权</source>
        <translation>Offline limit reached — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="74" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="74" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="74" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="75" />
        <source>授权继续收费 (Enter)</source>
        <translation>Authorize further payments (Enter)</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="76" />
        <source>本班未上传总额上限</source>
        <translation>Limit of unsent payments this shift</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../first_run.py" line="37" />
        <source>首次设置（技术人员）</source>
        <translation>First-run set-up (technician)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="40" />
        <source>营业厅和终端</source>
        <translation>Hall and terminal</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="40" />
        <source>本机在营业厅里的身份</source>
        <translation>This PC's place in the hall</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="45" />
        <source>营业厅编码</source>
        <translation>Hall code</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="46" />
        <source>营业厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="47" />
        <source>终端编号</source>
        <translation>Terminal id</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="48" />
        <source>窗口名称</source>
        <translation>Window name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="54" />
        <source>上级系统</source>
        <translation>Upstream</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="54" />
        <source>地址和一次性注册码；不填则本机离线使用，以后可用 cashier-admin enroll 注册</source>
        <translation>Address and one-time code; leave empty to work offline and enroll later with cashier-admin enroll</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="61" />
        <source>测试连接</source>
        <translation>Test the connection</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="63" />
        <source>上级系统地址</source>
        <translation>Upstream URL</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="64" />
        <source>注册码</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="68" />
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="68" />
        <source>选择打印机并打印测试页</source>
        <translation>Choose the printer and print a test page</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="74" />
        <source>打印测试页</source>
        <translation>Print a test page</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="76" />
        <source>打印机地址</source>
        <translation>Printer URI</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="77" />
        <source>纸宽 mm</source>
        <translation>Paper width mm</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="81" />
        <source>语言和班长账号</source>
        <translation>Language and supervisor</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="82" />
        <source>第一个班长账号；班长首次登录时须修改密码</source>
        <translation>The first supervisor; they change the password at first sign-in</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="96" />
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="97" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="98" />
        <source>班长姓名</source>
        <translation>Supervisor's name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="99" />
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="100" />
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="102" />
        <source>完成设置</source>
        <translation>Finish set-up</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="124" />
        <source>有注册码时必须填写上级系统地址</source>
        <translation>A code needs the upstream address</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="128" />
        <source>请填写班长用户名</source>
        <translation>Fill in the supervisor's user name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="131" />
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="142" />
        <source>请先填写上级系统地址</source>
        <translation>Fill in the upstream address first</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="146" />
        <source>连接成功（上级系统 {v}）</source>
        <translation>Connected (upstream {v})</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="168" />
        <source>测试页已发送：{where}</source>
        <translation>Test page sent: {where}</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="175" />
        <source>正在保存设置……</source>
        <translation>Saving the set-up…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="26" />
        <source>供电营业厅收费柜台 — 登录</source>
        <translation>Counter cashier — sign in</translation>
    </message>
    <message>
        <location filename="../login.py" line="39" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../login.py" line="40" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../login.py" line="44" />
        <source>登录 (Enter)</source>
        <translation>Sign in (Enter)</translation>
    </message>
    <message>
        <location filename="../login.py" line="49" />
        <source>演示用户（密码均为 {password}）：</source>
        <translation>Demo users (password {password}):</translation>
    </message>
    <message>
        <location filename="../login.py" line="57" />
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location filename="../login.py" line="88" />
        <source>首次登录请先修改密码（请联系班长或技术人员）</source>
        <translation>Change your password before the first sign-in (ask a supervisor or technician)</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../shift_dialogs.py" line="21" />
        <source>开班 — 清点备用金</source>
        <translation>Open shift — count the float</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="23" />
        <source>按面额输入备用金张数，回车确认，Esc 取消</source>
        <translation>Enter the float by denomination; Enter confirms, Esc cancels</translation>
    </message>
    <message>
        <location filename="../shift_dialogs.py" line="28" />
        <source>开班 (Enter)</source>
        <translation>Open shift (Enter)</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../counter.py" line="46" />
        <source>凭证预览</source>
        <translation>Receipt preview</translation>
    </message>
    <message>
        <location filename="../counter.py" line="53" />
        <source>关闭 (Enter)</source>
        <translation>Close (Enter)</translation>
    </message>
</context>
<context>
    <name>ReprintQueueDialog</name>
    <message>
        <location filename="../reprint_queue.py" line="24" />
        <source>补打队列</source>
        <translation>Reprint queue</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="27" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="27" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="27" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="34" />
        <source>重打所选 (Enter)</source>
        <translation>Reprint the selected (Enter)</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="50" />
        <source>收费凭证</source>
        <translation>Payment receipt</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="50" />
        <source>冲正凭证</source>
        <translation>Reversal receipt</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="50" />
        <source>存取款单</source>
        <translation>Cash slip</translation>
    </message>
    <message>
        <location filename="../reprint_queue.py" line="58" />
        <source>没有待补打的凭证</source>
        <translation>Nothing waits to be reprinted</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <location filename="../reversal.py" line="43" />
        <source>冲正 — 需班长授权</source>
        <translation>Reversal — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="46" />
        <source>单号</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="46" />
        <source>户号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="46" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="46" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="50" />
        <source>冲正原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="50" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="50" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="51" />
        <source>授权并冲正 (Enter)</source>
        <translation>Authorize and reverse (Enter)</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="62" />
        <source>已冲正</source>
        <translation>reversed</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="71" />
        <source>请选择要冲正的收费记录</source>
        <translation>Choose the payment to reverse</translation>
    </message>
    <message>
        <location filename="../reversal.py" line="76" />
        <source>请填写冲正原因</source>
        <translation>Give the reason for the reversal</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="25" />
        <source>系统设置（技术人员）</source>
        <translation>Settings (technician)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="38" />
        <source>图像模式（打印机无中文字库）</source>
        <translation>Raster mode (printer without a Chinese font)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="54" />
        <source>营业厅编码</source>
        <translation>Hall code</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="54" />
        <source>营业厅名称</source>
        <translation>Hall name</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="55" />
        <source>终端编号</source>
        <translation>Terminal id</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="55" />
        <source>窗口名称</source>
        <translation>Window name</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="56" />
        <source>打印机地址</source>
        <translation>Printer URI</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="56" />
        <source>纸宽 mm</source>
        <translation>Paper width mm</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="57" />
        <source>上级系统地址</source>
        <translation>Upstream URL</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="58" />
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="58" />
        <source>无操作锁屏（分钟，0 为不锁）</source>
        <translation>Idle lock (minutes, 0 = never)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="59" />
        <source>技术人员用户名</source>
        <translation>Technician user name</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="59" />
        <source>技术人员密码</source>
        <translation>Technician password</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64" />
        <source>保存 (Enter)</source>
        <translation>Save (Enter)</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status.py" line="41" />
        <source>打印机：就绪</source>
        <translation>Printer: ready</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>{state} · 待上传 {count} 笔</source>
        <translation>{state} · {count} waiting to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="81" />
        <source>尚未从上级系统取得数据</source>
        <translation>no data from the upstream yet</translation>
    </message>
    <message>
        <location filename="../status.py" line="83" />
        <source>{n} 分钟前</source>
        <translation>{n} min ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="84" />
        <source>{n} 小时前</source>
        <translation>{n} h ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="85" />
        <source>{n} 天前</source>
        <translation>{n} days ago</translation>
    </message>
    <message>
        <location filename="../status.py" line="86" />
        <source>数据截至 {when}（{ago}）</source>
        <translation>data as of {when} ({ago})</translation>
    </message>
    <message>
        <location filename="../status.py" line="92" />
        <source>未连接上级系统 · 待上传 {count} 笔</source>
        <translation>No upstream · {count} to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="94" />
        <source>在线 · 待上传 {count} 笔</source>
        <translation>Online · {count} to upload</translation>
    </message>
    <message>
        <location filename="../status.py" line="96" />
        <source>离线 · 待上传 {count} 笔 · {age}</source>
        <translation>Offline · {count} to upload · {age}</translation>
    </message>
    <message>
        <location filename="../status.py" line="99" />
        <source> · {n} 笔待班长处理</source>
        <translation> · {n} held for a supervisor</translation>
    </message>
    <message>
        <location filename="../status.py" line="103" />
        <source>收费员：{name}</source>
        <translation>Cashier: {name}</translation>
    </message>
    <message>
        <location filename="../status.py" line="104" />
        <source>班次：{opened} 开班</source>
        <translation>Shift: opened {opened}</translation>
    </message>
    <message>
        <location filename="../status.py" line="105" />
        <source>班次：未开班 (F2)</source>
        <translation>Shift: not open (F2)</translation>
    </message>
    <message>
        <location filename="../status.py" line="106" />
        <source>营业日 {date}</source>
        <translation>Business date {date}</translation>
    </message>
    <message>
        <location filename="../status.py" line="108" />
        <source>补打队列 {n} 张</source>
        <translation>{n} receipt(s) to reprint</translation>
    </message>
    <message>
        <location filename="../status.py" line="113" />
        <source>打印机：</source>
        <translation>Printer: </translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../idle.py" line="23" />
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../idle.py" line="25" />
        <source>收费台已锁定</source>
        <translation>The counter is locked</translation>
    </message>
    <message>
        <location filename="../idle.py" line="31" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../idle.py" line="32" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../idle.py" line="36" />
        <source>解锁 (Enter)</source>
        <translation>Unlock (Enter)</translation>
    </message>
    <message>
        <location filename="../idle.py" line="53" />
        <source>只有本班收费员或班长可以解锁</source>
        <translation>Only this shift's cashier or a supervisor can unlock</translation>
    </message>
</context>
<context>
    <name>WaiverDialog</name>
    <message>
        <location filename="../authorize.py" line="23" />
        <source>违约金减免 — 需班长授权</source>
        <translation>Penalty waiver — supervisor authorization</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="25" />
        <source>户号 {account}，违约金 {penalty}</source>
        <translation>Account {account}, penalty {penalty}</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="30" />
        <source>减免金额</source>
        <translation>Waive</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="29" />
        <source>减免原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="29" />
        <source>班长用户名</source>
        <translation>Supervisor user name</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="29" />
        <source>班长密码</source>
        <translation>Supervisor password</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="30" />
        <source>授权减免 (Enter)</source>
        <translation>Authorize the waiver (Enter)</translation>
    </message>
    <message>
        <location filename="../authorize.py" line="42" />
        <source>减免不能超过违约金 {penalty}</source>
        <translation>Cannot waive more than the penalty {penalty}</translation>
    </message>
</context>
</TS>