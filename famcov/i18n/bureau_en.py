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
}
