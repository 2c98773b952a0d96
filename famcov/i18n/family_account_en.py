"""en messages: 亲情账户: binding, face verification, unbinding, the family view."""

MESSAGES: dict[str, str] = {
    "bind.done": "Bound {name} ({id}, {relation}) to the family account.",
    "unbind.done": "Ended the binding of {name} ({id}) on {date}; its history is kept.",
    "family.title": "{name}'s family account",
    "family.active": "bound",
    "family.ended": "ended ({date})",
    "family.none": "not enrolled",
    "family.employee": "employee insurance",
    "family.empty": "No family member is bound yet.",
    "family.temporary_note": "Members without face verification are temporary members: they can be paid for, nothing else.",
    "member.short.temporary": "temporary",
    "member.short.full": "full member",
    "unbind.released": "The cross-province relation ends with it: the unused quota of {amount} yuan is spendable again.",
    "verify.done": "{name} ({id}) passed face verification (simulated) and is now a full member.",
    "family.col.member": "Member",
}
