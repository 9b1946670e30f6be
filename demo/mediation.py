"""The demo county's mediation: a mediator per village (一村一调解员) and at the
town and county committees, the "1131" professionals, rooms at every center (two
at the county), the subsidy rate, the agreement template, and mediations in every
state on demo matters. Idempotent: reference data by name or username; the
mediations are written once, on demo matters that already exist (none: none)."""
from datetime import date
from random import Random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.reference import DEMO_PASSWORD, center_name
from governance.choices import Role
from governance.models import Category, Organisation, Region, User
from mediation.choices import MediatorKind
from mediation.models import AgreementTemplate, Mediation, MediationRules, MediatorProfile, Room, SubsidyRate
from mediation.services.agreements import DEFAULT_CLOSING, DEFAULT_PREAMBLE, DEFAULT_TITLE

# Village mediators (一村一调解员), by village name; 青山村's is the demo account village_mediator.
VILLAGE_MEDIATORS = [
    ("石桥村", "mediator_shiqiao", ("钱", "玉兰")), ("桃源村", "mediator_taoyuan", ("冯", "建平")),
    ("临河村", "mediator_linhe", ("郑", "秀英")), ("柳湾村", "mediator_liuwan", ("何", "德胜")),
    ("新塘村", "mediator_xintang", ("许", "春梅")), ("东湖社区", "mediator_donghu", ("沈", "立新")),
    ("湖滨社区", "mediator_hubin", ("韩", "丽华")), ("文昌社区", "mediator_wenchang", ("杨", "志刚")),
]
# Committees: (body, username, name, kind, specialties, languages, quota)
BODY_MEDIATORS = [
    ("青山镇人民调解委员会", "mediator_qingshan_town", ("罗", "友良"), MediatorKind.PEOPLES,
     ["neighbourhood", "housing_land"], ["普通话", "客家话"], 6),
    ("临河镇人民调解委员会", "mediator_linhe_town", ("邓", "美玲"), MediatorKind.PEOPLES,
     ["marriage_family", "debt"], ["普通话"], 6),
    ("东湖街道人民调解委员会", "mediator_donghu_town", ("曹", "文斌"), MediatorKind.PEOPLES,
     ["property_management", "consumer"], ["普通话"], 6),
    ("县房产物业调解委员会", "mediator_property", ("彭", "国庆"), MediatorKind.INDUSTRY,
     ["property_management", "housing_land"], ["普通话"], 8),
    ("县婚姻家庭调解委员会", "mediator_family", ("罗", "大姐"), MediatorKind.INDUSTRY,
     ["marriage_family"], ["普通话", "客家话"], 8),
    ("县医疗卫生调解委员会", "mediator_medical", ("蒋", "卫东"), MediatorKind.INDUSTRY, ["medical"], ["普通话"], 5),
    ("县交通事故调解委员会", "mediator_traffic", ("唐", "振华"), MediatorKind.INDUSTRY,
     ["traffic_accident"], ["普通话"], 8),
    ("县劳动社保调解委员会", "mediator_labour", ("袁", "红霞"), MediatorKind.INDUSTRY, ["labour"], ["普通话"], 8),
    ("县联合专业调解委员会", "mediator_joint", ("潘", "晓东"), MediatorKind.INDUSTRY,
     ["consumer", "finance", "education", "environment", "debt", "online"], ["普通话", "英语"], 6),
    ("老兵家事纠纷调解室", "mediator_veteran", ("魏", "长山"), MediatorKind.PEOPLES,
     ["marriage_family", "neighbourhood"], ["普通话", "客家话"], 4),
    ("县法院诉调对接工作室", "mediator_court", ("姚", "敏"), MediatorKind.JUDICIAL,
     ["debt", "labour", "traffic_accident"], ["普通话"], 10),
]
# The "1131" professionals who are not mediators: (organisation, username, name, role).
PROFESSIONALS = [
    ("县法律援助中心", "aid_lawyer", ("高", "律"), Role.HANDLER),
    ("县心理咨询室", "counsellor", ("林", "静"), Role.HANDLER),
    ("县信访局", "petition_officer", ("梁", "卫国"), Role.HANDLER),
]
EXISTING = {"mediator": (["neighbourhood", "debt", "marriage_family", "other"], ["普通话"], 8),
            "village_mediator": (["neighbourhood", "marriage_family", "housing_land"], ["普通话", "客家话"], 5)}
PHONE_BASE = 13900000100


def _person(username, role, name, organisation, password, index):
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.organisation, user.is_active, user.is_staff = role, organisation, True, True
    user.last_name, user.first_name = name
    user.phone = user.phone or str(PHONE_BASE + index)
    user.password = password  # reset on every run, like the other demo accounts
    user.save()
    return user


def _profile(user, body, kind, specialties, languages, quota):
    profile, _created = MediatorProfile.objects.update_or_create(
        user=user, defaults={"body": body, "kind": kind, "languages": languages, "monthly_quota": quota})
    profile.specialties.set(Category.objects.filter(code__in=specialties))
    return profile


def seed_people():
    """The mediators, their profiles, and the 1131 professionals."""
    password = make_password(DEMO_PASSWORD)
    orgs = {org.name: org for org in Organisation.objects.select_related("region")}
    villages = {region.name: region for region in Region.objects.filter(level="village")}
    index = 0
    for village, username, name in VILLAGE_MEDIATORS:
        if village not in villages:
            continue
        station = orgs[center_name(villages[village])[0]]
        user = _person(username, Role.MEDIATOR, name, station, password, index := index + 1)
        _profile(user, station, MediatorKind.PEOPLES, ["neighbourhood", "marriage_family", "housing_land"],
                 ["普通话"], 5)
    for body, username, name, kind, specialties, languages, quota in BODY_MEDIATORS:
        if body in orgs:
            user = _person(username, Role.MEDIATOR, name, orgs[body], password, index := index + 1)
            _profile(user, orgs[body], kind, specialties, languages, quota)
    for organisation, username, name, role in PROFESSIONALS:
        if organisation in orgs:
            _person(username, role, name, orgs[organisation], password, index := index + 1)
    for username, (specialties, languages, quota) in EXISTING.items():
        user = User.objects.filter(username=username).select_related("organisation").first()
        if user is not None and user.organisation is not None:
            _profile(user, user.organisation, MediatorKind.PEOPLES, specialties, languages, quota)


def seed_rooms():
    """A room at every village station, one at every town center, two at the county."""
    for center in Organisation.objects.filter(kind="center").select_related("region"):
        names = {"county": [("第一调解室", 12), ("第二调解室", 8)], "town": [("人民调解室", 10)],
                 "village": [("调解室", 6)]}.get(center.region.level, [])
        for name, capacity in names:
            Room.objects.get_or_create(center=center, name=name, defaults={
                "capacity": capacity, "location": f"{center.short_name or center.name}二楼"})


def seed_rules():
    MediationRules.current()
    SubsidyRate.objects.get_or_create(valid_from=date(2026, 1, 1), defaults={
        "base_amount": 800, "per_case_amount": 200, "note": "县司法局：以案定补，超出月度定额每件200元"})
    if not AgreementTemplate.objects.filter(is_default=True).exists():
        AgreementTemplate.objects.get_or_create(name="人民调解协议书（通用）", defaults={
            "title": DEFAULT_TITLE, "preamble": DEFAULT_PREAMBLE, "closing": DEFAULT_CLOSING, "is_default": True})


@transaction.atomic
def seed_mediation(seed=2026):
    """Everything above; then, once, mediations in every state on demo matters."""
    seed_people()
    seed_rooms()
    seed_rules()
    if Mediation.objects.exists():
        return 0
    from demo.mediation_records import seed_records

    return seed_records(Random(seed))

