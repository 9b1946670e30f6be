"""The demo county's intake: windows at the county and town centers, the clerks
at them, and the Open311 key ``demo-open311-key``. Idempotent."""
from governance.models import Organisation, User
from intake.models import ApiKey, Window, WindowKind

DEMO_OPEN311_KEY = "demo-open311-key"
COUNTY_WINDOWS = [
    (1, WindowKind.GENERAL, "综合受理"),
    (2, WindowKind.GENERAL, "综合受理"),
    (3, WindowKind.LEGAL_AID, "法律援助"),
    (4, WindowKind.LEGAL_ADVICE, "法律咨询"),
    (5, WindowKind.LITIGATION_PETITION, "涉诉信访接待"),
    (6, WindowKind.CASE_FILING, "立案登记"),
    (7, WindowKind.JUDICIAL_CONFIRMATION, "司法确认"),
]
CLERK_WINDOWS = {"clerk": 1, "town_clerk": 1, "other_town_clerk": 1}


def seed_intake():
    for clerk_name, number in CLERK_WINDOWS.items():
        clerk = User.objects.filter(username=clerk_name).select_related("organisation").first()
        if clerk is None or clerk.organisation is None:
            continue
        center = clerk.organisation
        rows = COUNTY_WINDOWS if center.region.level == "county" else [(1, WindowKind.GENERAL, "综合受理")]
        for window_number, kind, name in rows:
            Window.objects.get_or_create(center=center, number=window_number, defaults={"kind": kind, "name": name})
        Window.objects.get(center=center, number=number).clerks.add(clerk)
    ApiKey.objects.get_or_create(key=DEMO_OPEN311_KEY, defaults={"name": "示范县12345热线", "channel": "hotline"})
    return Organisation.objects.filter(windows__isnull=False).distinct().count()
