"""en messages of the channels: the apps, mini programs, tax channel and counters a worker pays through."""

MESSAGES: dict[str, str] = {
    "error.UNKNOWN_CHANNEL": "There is no channel '{value}'; give one of: {choices} (see famcov policy).",
    "channel.heading": "Payment channels (the first is the default):",
    "channel.line": "  {id}  {name}{mark}",
    "channel.step": "    {n}. {action}: {where}",
    "channel.bring": "    Bring: {items}",
    "channel.mark": " (step words illustrative)",
    "channel.action.bind": "Bind",
    "channel.action.check": "Check",
    "channel.action.pay": "Pay",
    "channel.action.query": "Look up",
    "channel.action.revoke": "Revoke",
    "channel.action.unbind": "Unbind",
    "channel.action.return": "Return application",
    "channel.action.bring": "In person",
}
