"""zh messages: The setup side, what the bureau's records hold: init, admin, import."""

MESSAGES: dict[str, str] = {
    "init.done": "已创建状态文件 {path}。",
    "init.demo_next": "下一步：运行 famcov 进入向导，或 famcov family --payer 张伟 查看家庭成员。",
    "admin.worker_added": "已登记职工 {name}（{id}），参保地 {region}，个人账户余额 {balance} 元。",
    "admin.enrolled": "已登记 {name}（{id}）{year} 年度在{region}的居民医保参保。",
    "admin.employee": "已登记 {name}（{id}）参加职工医保。",
    "admin.paid_elsewhere": "已记录 {id} 的 {year} 年度保费已通过{channel}缴纳。",
    "admin.credited": "已向 {name} 的个人账户划入 {amount} 元，余额 {balance} 元。",
    "admin.imported": "已导入 {total} 条记录：职工 {worker}、居民参保 {resident}、职工医保人员 {employee}、其他渠道缴费 {paid}。",
    "import.bad_header": "第 {line} 行：表头应为 kind,id,name,region,year,balance,status,channel。",
    "import.bad_line": "第 {line} 行：{reason}",
    "import.columns": "应有 8 列，实际 {value} 列。",
    "import.missing": "{kind} 类记录必须填写 {flag} 列，请在这一列填上。",
    "import.unused": "{value} 类记录不使用 {flag} 列，请留空。",
    "import.unreadable": "无法读取 {file}：{problem}。",
    "import.too_large": "文件超过 {limit} MB，famcov 不读这么大的文件；请分成几个文件导入",
    "import.not_regular": "这不是普通文件（可能是管道或设备）；请给出一个文件，或用 - 从标准输入读取",
    "import.not_found": "没有这个文件，请检查路径",
    "import.no_permission": "没有读取权限",
    "import.not_utf8": "文件不是 UTF-8 编码",
    "admin.moved": "已将 {name} 的参保地改为{region}；其跨省共济关系随之终止，未用额度已退回。",
}
