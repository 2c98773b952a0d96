"""zh messages of the channels: the apps, mini programs, tax channel and counters a worker pays through."""

MESSAGES: dict[str, str] = {
    "error.UNKNOWN_CHANNEL": "没有渠道“{value}”，请填写以下之一：{choices}（famcov policy 可查看）。",
    "channel.heading": "缴费渠道（第一个为默认）：",
    "channel.line": "  {id}　{name}{mark}",
    "channel.step": "    {n}. {action}：{where}",
    "channel.bring": "    需携带：{items}",
    "channel.mark": "（步骤文字为示意）",
    "channel.action.bind": "绑定",
    "channel.action.check": "信息校验",
    "channel.action.pay": "缴费",
    "channel.action.query": "查询",
    "channel.action.revoke": "撤销",
    "channel.action.unbind": "解绑",
    "channel.action.return": "返还申请",
    "channel.action.bring": "现场办理",
}
