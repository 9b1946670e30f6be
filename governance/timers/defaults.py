"""The default tier rules a new center starts with; admins change them in the admin."""

# kind -> {tier: (limit, unit)}
DEFAULT_TIER_RULES = {
    "dispute": {"village": (5, "working_days"), "town": (10, "working_days"), "county": (30, "working_days")},
    "grid_event": {"village": (3, "working_days"), "town": (5, "working_days"), "county": (10, "working_days")},
    # 信访工作条例: 15 days to register and forward (art. 22), 60 days to handle (art. 34);
    # the petitions issue adds the statutory steps.
    "petition": {"village": (5, "working_days"), "town": (15, "working_days"), "county": (60 * 24, "hours")},
    "consultation": {"village": (1, "working_days"), "town": (2, "working_days"), "county": (3, "working_days")},
}


def ensure_default_tier_rules(tier_rule_model) -> int:
    """Create the kind-wide defaults that are missing (never overwrites an admin's rule).

    Takes the model class so the data migration can pass its historical model.
    """
    created = 0
    for kind, tiers in DEFAULT_TIER_RULES.items():
        for tier, (limit, unit) in tiers.items():
            _, was_created = tier_rule_model.objects.get_or_create(
                kind=kind, tier=tier, category=None,
                defaults={"limit": limit, "unit": unit, "remind_at_percent": 80},
            )
            created += was_created
    return created


# signal -> (threshold, tier it escalates to at once)
DEFAULT_SIGNAL_RULES = {
    "police_referral": (3, "county"),  # the third police referral of the same matter
    "extreme_risk": (1, "county"),  # staff flag a risk of extreme action
}


def ensure_default_signal_rules(signal_rule_model) -> int:
    created = 0
    for signal, (threshold, tier) in DEFAULT_SIGNAL_RULES.items():
        _, was_created = signal_rule_model.objects.get_or_create(
            signal=signal, defaults={"threshold": threshold, "to_tier": tier}
        )
        created += was_created
    return created
