"""en messages of the rules as the bureaus apply them (issue 18): a lapse waits inside
the window too, newborns, Hubei's return, the tax channel's payment method, values the
sources disagree on."""

MESSAGES: dict[str, str] = {
    "bureau.note.lapse_in_window": "Paid inside the concentrated window, but after a lapse in cover (Guobanfa [2024] No. 38: a waiting period for anyone who did not enrol in the window or was not continuously insured): a waiting period of {months} months, and benefits start on {date}.",
    "bureau.note.newborn_birth": "A newborn paid for within the set days of birth is covered from birth ({date}).",
    "bureau.note.newborn_late": "A newborn paid for after the set days from birth is covered from the payment date ({date}).",
    "bureau.note.repaired": "{repaired} missed years paid back: each takes 1 month off the extra waiting months (Guobanfa [2024] No. 38).",
    "bureau.review.newborn": "{date} (a newborn)",
    "bureau.review.lapse": "{date} (not continuously insured: a {months}-month waiting period)",
    "rule.YEAR_NOT_OPEN.newborn": "A newborn (born {date}) can be paid for the birth year {year} within {days} days of birth, even across the year end.",
    "bureau.word.paid_by_other": "{id} (the tax system records it in the relative's name only)",
    "bureau.word.paid_by_relative": "the relative",
    "bureau.mark.illustrative": " (illustrative)",
    "rulename.RETURN_TOO_SOON": "Days after paying",
    "rule.RETURN_TOO_SOON.passed": "The premium was paid on {paid}, {days} days or more ago{mark}: the return can be applied for.",
    "rule.RETURN_TOO_SOON.failed": "The premium was paid on {paid}; a return can be applied for {days} days after a successful payment{mark}: apply on or after {date}.",
    "rule.RETURN_TOO_SOON.skipped": "No tax-channel payment, so the days since paying were not checked.",
    "error.RETURN_TOO_SOON": "It is too soon after the payment to apply for the return; apply again in a few days.",
    "rulename.RETURN_YEAR_NOT_ALLOWED": "Years that can be returned",
    "rule.RETURN_YEAR_NOT_ALLOWED.passed": "{year} is among the years a return can be applied for ({first}-{last}){mark}.",
    "rule.RETURN_YEAR_NOT_ALLOWED.failed": "Returns can be applied for the current year and the next only ({first}-{last}){mark}, not for {year}.",
    "rule.RETURN_YEAR_NOT_ALLOWED.skipped": "The years that can be returned were not checked.",
    "error.RETURN_YEAR_NOT_ALLOWED": "Returns can be applied for the current year and the next only, not for this year.",
    "rule.INSUFFICIENT_BALANCE.bureau_return_equal": "The personal account holds {balance} yuan, only equal to the return of {amount} yuan; this province needs the balance to be greater than the amount, or the application fails.",
    "rule.INSUFFICIENT_BALANCE.bureau_equal": "The personal account holds {balance} yuan, only equal to the premium of {amount} yuan; this province needs the balance to be greater than the premium, or the payment fails. Pay the whole premium through another channel (tax bureau, bank, WeChat, Alipay) instead; a failed payment comes back in about {days} days with no action needed.",
    "bureau.return.to_bank": "The return of {amount} yuan comes out of your employee personal account and is paid to your own bank account (a Class I account is advised){mark}.",
    "bureau.return.reapply": "If the transfer fails (wrong bank details, an expired card), the amount taken from the personal account goes back to it and you apply again; do not apply again for the same relative and year before the transfer has succeeded{mark}.",
    "error.CHANNEL_NOT_ACCOUNT": "The channel {channel} does not pay out of the personal account ({method}); a proxy payment goes through one of: {choices}, and paying through this channel is famcov pay-tax.",
    "bureau.note.method": "Payment method ({channel}): {method}.",
    "bureau.wiz.method": "Payment method: {method}",
}
