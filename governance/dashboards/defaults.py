"""The early-warning thresholds a new county starts with; admins change them (admin: 预警规则)."""

# kind -> (threshold, factor)
DEFAULT_RULES = {
    "spike": (5, None),  # 5 matters of one category in one village within 7 days
    "surge": (10, 2),  # a town's week at least twice its 4-week average (and at least 10)
    "repeat_petitioner": (3, None),  # the same person petitions 3 times within 90 days
    "police_referrals": (3, None),  # an open matter with 3 police referrals
    "group_petition": (5, None),  # a petition by 5 or more people
}
