"""The demo county 示范县: places, organisations, categories and accounts.

Everything here is idempotent (looked up by code, name or username), so
``seed_demo`` can run on every start. The matter generator is in
``demo.cases``.
"""
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from governance.choices import OrganisationKind as K
from governance.choices import RegionLevel, Role
from governance.choices import StationMode as M
from governance.models import Category, Organisation, Region, SignalRule, TierRule, User
from governance.timers.defaults import ensure_default_signal_rules, ensure_default_tier_rules

DEMO_PASSWORD = "demo12345"
COUNTY_CODE = "339901000000"
COUNTY_NAME = "示范县"

# Town code suffix, name, [(village code suffix, name)]: 12-digit statistical codes
# (6 county + 3 town + 3 village). 街道 hold 社区, 镇 hold 村.
TOWNS = [
    ("001", "青山镇", [("001", "青山村"), ("002", "石桥村"), ("003", "桃源村")]),
    ("002", "临河镇", [("001", "临河村"), ("002", "柳湾村"), ("003", "新塘村")]),
    ("003", "东湖街道", [("001", "东湖社区"), ("002", "湖滨社区"), ("003", "文昌社区")]),
]
GRID_ORDINALS = ["第一", "第二", "第三"]
GRIDS_PER_VILLAGE = 3
MICRO_GRIDS = 2  # under the first grid of every village

# code, name: the classes of DOMAIN.md, in display order.
CATEGORIES = [
    ("marriage_family", "婚姻家庭"),
    ("neighbourhood", "邻里"),
    ("labour", "劳资"),
    ("property_management", "物业"),
    ("consumer", "消费"),
    ("housing_land", "房产/土地"),
    ("medical", "医疗"),
    ("traffic_accident", "交通事故"),
    ("finance", "金融"),
    ("education", "教育"),
    ("environment", "环保"),
    ("debt", "债务"),
    ("land_acquisition", "征地拆迁"),
    ("online", "网络"),
    ("other", "其他"),
]

# Departments stationed at the county center: name, short name, mode, categories.
DEPARTMENTS = [
    ("县公安局", "公安", M.RESIDENT, ["traffic_accident", "neighbourhood", "online"]),
    ("县检察院", "检察", M.ON_CALL, ["other"]),
    ("县法院", "法院", M.RESIDENT, ["debt", "finance", "marriage_family"]),
    ("县司法局", "司法", M.RESIDENT, ["neighbourhood", "debt", "other"]),
    ("县信访局", "信访", M.RESIDENT, ["land_acquisition", "other"]),
    ("县人社局", "人社", M.RESIDENT, ["labour"]),
    ("县住建局", "住建", M.RESIDENT, ["property_management", "housing_land"]),
    ("县卫健局", "卫健", M.ROTATING, ["medical"]),
    ("县教体局", "教体", M.ROTATING, ["education"]),
    ("县自然资源局", "自然资源", M.ROTATING, ["housing_land", "land_acquisition"]),
    ("县市场监管局", "市场监管", M.ROTATING, ["consumer", "online"]),
    ("县生态环境局", "生态环境", M.ON_CALL, ["environment"]),
    ("县民政局", "民政", M.ROTATING, ["marriage_family"]),
    ("县妇联", "妇联", M.ROTATING, ["marriage_family"]),
    ("县总工会", "工会", M.ROTATING, ["labour"]),
    ("县金融办", "金融办", M.ON_CALL, ["finance", "debt"]),
    ("县交通运输局", "交通运输", M.ON_CALL, ["traffic_accident"]),
]

# Other bodies at the county center: name, short name, kind, categories.
COUNTY_BODIES = [
    ("县人民调解委员会", "县调委会", K.MEDIATION_COMMITTEE, []),
    ("县房产物业调解委员会", "房产物业调委会", K.INDUSTRY_MEDIATION, ["property_management", "housing_land"]),
    ("县婚姻家庭调解委员会", "婚姻家庭调委会", K.INDUSTRY_MEDIATION, ["marriage_family"]),
    ("县医疗卫生调解委员会", "医调委", K.INDUSTRY_MEDIATION, ["medical"]),
    ("县交通事故调解委员会", "交调委", K.INDUSTRY_MEDIATION, ["traffic_accident"]),
    ("县劳动社保调解委员会", "劳动社保调委会", K.INDUSTRY_MEDIATION, ["labour"]),
    ("县联合专业调解委员会", "联合调委会", K.INDUSTRY_MEDIATION,
     ["consumer", "finance", "education", "environment", "debt", "online", "other"]),
    ("老兵家事纠纷调解室", "老兵调解室", K.STUDIO, ["marriage_family", "neighbourhood"]),
    ("县法院共享法庭", "共享法庭", K.COURT_STATION, ["debt", "finance", "marriage_family", "traffic_accident"]),
    ("县法院诉调对接工作室", "诉调对接", K.COURT_STATION, ["debt", "labour", "traffic_accident"]),
    ("县法律援助中心", "法律援助", K.LEGAL_AID, []),
    ("县心理咨询室", "心理咨询室", K.COUNSELLING, []),
]



def center_name(region):
    """(name, short name) of the center at a county, town or village (one per region)."""
    if region.level == RegionLevel.COUNTY:
        return f"{region.name}社会治理中心", "县中心"
    if region.level == RegionLevel.TOWN:
        return f"{region.name}社会治理中心", f"{region.name}中心"
    return f"{region.name}社会治理工作站", f"{region.name}工作站"


# username, role, (last, first), organisation key, phone. Organisation keys:
# "county", "town1", "town2", "village1" (centers) or an organisation name.
ACCOUNTS = [
    ("admin", Role.ADMIN, ("赵", "志强"), "county", "13900000001"),
    ("leader", Role.LEADER, ("陈", "国华"), "county", "13900000002"),
    ("clerk", Role.CLERK, ("李", "晓燕"), "county", "13900000003"),
    ("town_clerk", Role.CLERK, ("王", "丽"), "town1", "13900000004"),
    ("other_town_clerk", Role.CLERK, ("刘", "洋"), "town2", "13900000005"),
    ("mediator", Role.MEDIATOR, ("张", "德明"), "县人民调解委员会", "13900000006"),
    ("village_mediator", Role.MEDIATOR, ("周", "桂英"), "village1", "13900000007"),
    ("gridworker", Role.GRID_WORKER, ("吴", "海波"), "village1", "13900000008"),
    ("handler", Role.HANDLER, ("孙", "建军"), "县人社局", "13900000009"),
]

@dataclass
class SeedReport:
    created: dict = field(default_factory=lambda: {"regions": 0, "organisations": 0, "categories": 0, "accounts": 0})


def _region(report, code, name, level, parent=None):
    region = Region.objects.filter(code=code).first()
    if region is None:
        create = {"code": code, "name": name, "level": level}
        if parent is None:
            region = Region.objects.add_root(create_kwargs=create)
        else:
            region = Region.objects.add_child(parent, create_kwargs=create)
        report.created["regions"] += 1
    elif (region.name, region.level) != (name, level):
        region.name, region.level = name, level
        region.save(update_fields=["name", "level"])
    return region


def seed_regions(report):
    """The county, its towns and villages, three grids per village, two
    micro-grids under each village's first grid. Returns {code: Region}."""
    regions = {}
    county = _region(report, COUNTY_CODE, COUNTY_NAME, RegionLevel.COUNTY)
    regions[county.code] = county
    for town_suffix, town_name, villages in TOWNS:
        town = _region(report, f"{COUNTY_CODE[:6]}{town_suffix}000", town_name, RegionLevel.TOWN, county)
        regions[town.code] = town
        for village_suffix, village_name in villages:
            village_code = f"{COUNTY_CODE[:6]}{town_suffix}{village_suffix}"
            village = _region(report, village_code, village_name, RegionLevel.VILLAGE, town)
            regions[village.code] = village
            for g in range(1, GRIDS_PER_VILLAGE + 1):
                grid_code = f"{village_code}{g:02d}"
                grid = _region(report, grid_code, f"{village_name}{GRID_ORDINALS[g - 1]}网格", RegionLevel.GRID, village)
                regions[grid.code] = grid
                if g != 1:
                    continue
                for m in range(1, MICRO_GRIDS + 1):
                    # Communities have buildings; villages have villager groups.
                    micro_name = f"{m}号楼" if village_name.endswith("社区") else f"{m}组"
                    micro = _region(report, f"{grid_code}{m:02d}", micro_name, RegionLevel.MICRO_GRID, grid)
                    regions[micro.code] = micro
    return regions


def seed_categories(report):
    categories = {}
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category, created = Category.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10, "is_active": True}
        )
        report.created["categories"] += created
        categories[code] = category
    return categories


def _organisation(report, categories, name, short_name, kind, region, station_mode="", category_codes=()):
    org, created = Organisation.objects.update_or_create(
        name=name,
        defaults={"short_name": short_name, "kind": kind, "region": region, "station_mode": station_mode},
    )
    report.created["organisations"] += created
    if category_codes or not created:
        org.categories.set([categories[code] for code in category_codes])
    return org


def seed_organisations(report, regions, categories):
    """A center at every county/town/village place, plus the county's
    stationed departments and mediation bodies, and a town people's
    mediation committee per town. Returns {name: Organisation}."""
    orgs = {}
    county = regions[COUNTY_CODE]
    for region in regions.values():
        if region.level in (RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE):
            name, short = center_name(region)
            orgs[name] = _organisation(report, categories, name, short, K.CENTER, region)
            if region.level == RegionLevel.TOWN:
                name = f"{region.name}人民调解委员会"
                orgs[name] = _organisation(
                    report, categories, name, f"{region.name}调委会", K.MEDIATION_COMMITTEE, region
                )
    for name, short, mode, codes in DEPARTMENTS:
        orgs[name] = _organisation(report, categories, name, short, K.DEPARTMENT, county, mode, codes)
    for name, short, kind, codes in COUNTY_BODIES:
        orgs[name] = _organisation(report, categories, name, short, kind, county, "", codes)
    return orgs


def _town_code(index):
    return f"{COUNTY_CODE[:6]}{TOWNS[index][0]}000"


def _first_village_code():
    return f"{COUNTY_CODE[:6]}{TOWNS[0][0]}{TOWNS[0][2][0][0]}"


def seed_accounts(report, regions, orgs):
    """The demo accounts, password reset to DEMO_PASSWORD on every run. Their
    groups follow their roles (``User.save``; the groups come from the migrations)."""
    org_of = {
        "county": orgs[center_name(regions[COUNTY_CODE])[0]],
        "town1": orgs[center_name(regions[_town_code(0)])[0]],
        "town2": orgs[center_name(regions[_town_code(1)])[0]],
        "village1": orgs[center_name(regions[_first_village_code()])[0]],
    }
    # One hash for all (same salt): a production hasher is slow on purpose.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, role, (last, first), org_key, phone in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            report.created["accounts"] += 1
        superuser = role == Role.ADMIN
        user.organisation = org_of.get(org_key) or orgs[org_key]
        user.role = role
        user.last_name, user.first_name, user.phone = last, first, phone
        user.is_active = True
        user.is_superuser = superuser
        user.is_staff = role != Role.GRID_WORKER
        user.password = password
        user.save()
        users[username] = user
    return users


@transaction.atomic
def seed_reference():
    """Places, categories, organisations and accounts. Returns a SeedReport."""
    report = SeedReport()
    regions = seed_regions(report)
    categories = seed_categories(report)
    orgs = seed_organisations(report, regions, categories)
    seed_accounts(report, regions, orgs)
    ensure_default_tier_rules(TierRule)  # the migration seeds them; a flushed database gets them back
    ensure_default_signal_rules(SignalRule)
    return report
