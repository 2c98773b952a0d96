"""zh messages of the third round of guarantees (issue 20): IDs in names, data
folders, OS errors said in a sentence, locks and paths."""

MESSAGES: dict[str, str] = {
    "doctor.problem.NAME_HOLDS_ID": "{where} 处的姓名里有身份证号（{name}）；famcov 不接受含数字的姓名，可能被手工改过；请改回本人姓名。",
    "guard.state_empty": "--state 给出的文件名是空的；请给出状态文件的路径，或不加 --state 使用默认文件",
    "guard.state_own_file": "{path} 是 famcov 放在状态文件旁边的锁文件或备份（以 .lock 或 .bak 结尾），不能当作状态文件；请用 --state 给出状态文件本身的名字",
    "guard.lock_lost": "famcov 持有 {path} 的锁期间，锁文件被删除或替换，可能有另一个 famcov 同时在写；为了不丢失任何一方的修改，这次什么也没有写入；请再试一次。",
}
