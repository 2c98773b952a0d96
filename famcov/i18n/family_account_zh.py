"""zh messages: 亲情账户: binding, face verification, unbinding, the family view."""

MESSAGES: dict[str, str] = {
    "bind.done": "已绑定 {name}（{id}，{relation}）到亲情账户。",
    "unbind.done": "已解除 {name}（{id}）的绑定（{date}），绑定历史仍保留。",
    "family.title": "{name} 的亲情账户",
    "family.active": "已绑定",
    "family.ended": "已解除（{date}）",
    "family.none": "未参保登记",
    "family.employee": "职工医保",
    "family.empty": "还没有绑定家庭成员。",
    "family.temporary_note": "未完成人脸认证的成员为临时成员：可为其代缴，不能使用其他共济服务。",
    "member.short.temporary": "临时成员",
    "member.short.full": "正式成员",
    "unbind.released": "跨省共济关系随之终止：未用的共济额度 {amount} 元已退回可用余额。",
    "verify.done": "{name}（{id}）已完成人脸认证（模拟），成为正式成员。",
    "family.col.member": "成员",
}
