"""zh messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "guard.state_path": "这个路径上不可能有状态文件（{detail}）；请用 --state 另选一个文件",
    "doctor.problem.NAME_HOLDS_ID": "{where} 处的姓名里有身份证号（{name}）；famcov 不接受含数字的姓名，可能被手工改过；请改回本人姓名。",
    "guard.state_empty": "--state 给出的文件名是空的；请给出状态文件的路径，或不加 --state 使用默认文件",
    "guard.state_own_file": "{path} 是 famcov 放在状态文件旁边的锁文件或备份（以 .lock 或 .bak 结尾），不能当作状态文件；请用 --state 给出状态文件本身的名字",
    "guard.lock_lost": "famcov 持有 {path} 的锁期间，锁文件被删除或替换，可能有另一个 famcov 同时在写；为了不丢失任何一方的修改，这次什么也没有写入；请再试一次。",
    "guard.csv_line": "这一行无法按 CSV 读取（某一格超过 131072 个字符，或引号没有闭合）；请修改这一行",
    "guard.name_too_long": "文件名太长（每一级名字最多 255 字节）；请换一个短一些的名字",
    "guard.is_folder": "这是一个文件夹",
    "error.FILE_UNUSABLE": "famcov 无法使用 {path}（{problem}）；{outcome}。请检查路径和权限，或换一个位置。",
    "error.OUT_OF_MEMORY": "famcov 内存不足；{outcome}。这么大的状态文件或导入文件需要更多内存：请释放内存、放宽限制（ulimit -v），或把导入文件分成几份。",
    "error.BAD_SCENARIO": "培训场景文件 {file} 无法使用：{problem}。请修正它，或把它移出数据文件夹（FAMCOV_DATA_DIR）。",
    "guard.outcome_saved": "在此之前修改已经保存，请先查询，不要重复操作",
    "guard.outcome_nothing": "什么也没有写入",
    "guard.data.unreadable": "无法读取（{detail}）",
    "guard.data.not_regular": "它不是普通文件（管道、设备或文件夹），famcov 不读这样的文件",
    "guard.data.too_large": "超过 {limit} MB，不像是数据文件",
    "guard.data.not_utf8": "不是 UTF-8 文本（第 {offset} 字节）",
    "guard.data.too_deep": "JSON 嵌套超过 {limit} 层",
    "guard.data.malformed": "不是有效的 JSON（{detail}）",
    "guard.data.not_object": "不是 JSON 对象",
    "guard.interrupted_kept": "已中断。状态文件没有被替换；只写入了它的一份备份：{backup}。",
}
