"""The demo county's grid work: the admission list, reward rates, grid workers on
their grids (with two villages left uncovered and one worker without a grid, so
the coverage page has something to show), households, building heads, a village
clerk who runs 青山村's grid events, a 住建 handler, and, with demo matters, grid
events in every step of the loop, written through the grid services. Idempotent."""
import struct
import zlib
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from demo.reference import COUNTY_CODE, DEMO_PASSWORD, TOWNS, center_name
from governance.choices import RegionLevel, Role
from governance.models import Category, Organisation, Region, User
from grid.models import BuildingHead, EventType, GridAssignment, GridEvent, GridProfile, RewardRate
from grid.services import grids as grid_services

# code, name, category, admitted, becomes a dispute, handling limit, unit, step limit, unit, what it covers
EVENT_TYPES = [
    ("population", "人口信息登记", "other", True, False, 5, "working_days", 1, "working_days",
     "流动人口、新生儿、迁入迁出等信息采集与核对"),
    ("rental_housing", "出租房屋隐患", "housing_land", True, False, 3, "working_days", 1, "working_days",
     "群租、违规隔断、电动车室内充电、消防通道堵塞等出租房屋安全隐患"),
    ("fire_safety", "消防安全隐患", "other", True, False, 2, "working_days", 1, "working_days",
     "楼道堆物、私拉电线、消防设施损坏"),
    ("health", "卫生健康", "medical", True, False, 3, "working_days", 1, "working_days",
     "传染病线索、食品卫生、重点人群健康随访"),
    ("emergency", "突发事件", "other", True, False, 24, "hours", 2, "hours",
     "火情、管道爆裂、道路塌陷等需即时处置的突发情况"),
    ("dispute", "矛盾纠纷", "neighbourhood", True, True, 5, "working_days", 1, "working_days",
     "邻里、家庭、物业等矛盾纠纷，转为纠纷事项由村调解，逾期逐级上移"),
    ("environment", "环境卫生", "environment", True, False, 3, "working_days", 1, "working_days",
     "垃圾乱堆、污水外溢、焚烧秸秆"),
    # Not on the admission list: other departments' work that must not be pushed onto grid workers (减负).
    ("fee_collection", "代收代缴费用", "other", False, False, 5, "working_days", 1, "working_days",
     "医保、水电等费用的催缴代收，属职能部门工作，不得转嫁网格员"),
    ("business_statistics", "企业经营数据统计", "other", False, False, 5, "working_days", 1, "working_days",
     "企业报表填报与统计调查，不在准入清单"),
]
REWARD_RATES = [("一般线索", "20.00", "有效的一般隐患线索", 10), ("重要隐患", "50.00", "及时发现的重要安全隐患", 20),
                ("重大隐患", "100.00", "避免重大损失的隐患或风险线索", 30)]
# username, role, (last, first), organisation key (a village code or an organisation name), phone
ACCOUNTS = [
    ("village_clerk", Role.CLERK, ("郑", "晓梅"), "339901001001", "13900000010"),
    ("housing_handler", Role.HANDLER, ("钱", "立新"), "县住建局", "13900000011"),
    ("gridworker_shiqiao", Role.GRID_WORKER, ("冯", "志刚"), "339901001002", "13900000012"),
    ("gridworker_taoyuan", Role.GRID_WORKER, ("何", "丽娟"), "339901001003", "13900000013"),
    ("gridworker_linhe", Role.GRID_WORKER, ("许", "文斌"), "339901002001", "13900000014"),
    ("gridworker_liuwan", Role.GRID_WORKER, ("曹", "红梅"), "339901002002", "13900000015"),
    ("gridworker_donghu", Role.GRID_WORKER, ("邓", "建平"), "339901003001", "13900000016"),
    ("gridworker_hubin", Role.GRID_WORKER, ("彭", "秀兰"), "339901003002", "13900000017"),
    # Joined 新塘村's station, not assigned a grid yet: a coverage gap.
    ("gridworker_new", Role.GRID_WORKER, ("魏", "小军"), "339901002003", "13900000018"),
]
# Which village's grids each worker looks after (新塘村 and 文昌社区 are left uncovered).
WORKER_VILLAGES = {
    "gridworker": "339901001001", "gridworker_shiqiao": "339901001002", "gridworker_taoyuan": "339901001003",
    "gridworker_linhe": "339901002001", "gridworker_liuwan": "339901002002", "gridworker_donghu": "339901003001",
    "gridworker_hubin": "339901003002",
}
HEAD_NAMES = ["王秀英", "李建国", "张桂兰", "刘德华", "陈玉珍", "杨志强", "赵淑芬", "黄国庆", "周美玲", "吴振华",
              "孙丽华", "马永福", "朱红霞", "胡建军", "郭淑华", "林国栋", "何秀珍", "高志明"]


def _households(code, low, high):
    return low + zlib.crc32(code.encode()) % (high - low + 1)


def seed_event_types():
    categories = {c.code: c for c in Category.objects.all()}
    for order, (code, name, category, admitted, dispute, limit, unit, step, step_unit, text) in enumerate(
            EVENT_TYPES, start=1):
        EventType.objects.get_or_create(code=code, defaults={
            "name": name, "category": categories[category], "is_admitted": admitted, "becomes_dispute": dispute,
            "handle_limit": limit, "handle_unit": unit, "step_limit": step, "step_unit": step_unit,
            "description": text, "sort_order": order * 10})
    for name, amount, text, order in REWARD_RATES:
        RewardRate.objects.get_or_create(name=name, defaults={"amount": Decimal(amount), "description": text,
                                                              "sort_order": order})


def seed_accounts():
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, role, (last, first), org_key, phone in ACCOUNTS:
        if org_key.isdigit():
            organisation = Organisation.objects.get(name=center_name(Region.objects.get(code=org_key))[0])
        else:
            organisation = Organisation.objects.get(name=org_key)
        user = User.objects.filter(username=username).first() or User(username=username)
        user.organisation, user.role, user.phone = organisation, role, phone
        user.last_name, user.first_name = last, first
        user.is_active, user.is_staff, user.password = True, role != Role.GRID_WORKER, password
        user.save()
        users[username] = user
    return users


def seed_grids():
    """Each worker on the three grids of their village; households; building heads."""
    for username, village_code in WORKER_VILLAGES.items():
        worker = User.objects.get(username=username)
        for grid in Region.objects.filter(level=RegionLevel.GRID, code__startswith=village_code).order_by("code"):
            if not GridAssignment.objects.filter(grid=grid, ended_at__isnull=True).exists():
                grid_services.grid_assign(grid=grid, worker=worker, actor=None, note="示范数据")
    uncounted = f"{COUNTY_CODE[:6]}{TOWNS[1][0]}{TOWNS[1][2][2][0]}"  # 新塘村: no household counts yet
    for place in Region.objects.filter(level__in=[RegionLevel.GRID, RegionLevel.MICRO_GRID],
                                       code__startswith=COUNTY_CODE[:6]):
        if place.code.startswith(uncounted):
            continue
        low, high = (300, 500) if place.level == RegionLevel.GRID else (50, 80)
        GridProfile.objects.get_or_create(region=place, defaults={"households": _households(place.code, low, high)})
    headless = f"{COUNTY_CODE[:6]}{TOWNS[2][0]}{TOWNS[2][2][2][0]}"  # 文昌社区: building heads not named yet
    micro_grids = Region.objects.filter(level=RegionLevel.MICRO_GRID, code__startswith=COUNTY_CODE[:6]).order_by("code")
    for index, micro in enumerate(micro_grids):
        if micro.code.startswith(headless) or micro.building_heads.exists():
            continue
        BuildingHead.objects.create(micro_grid=micro, name=HEAD_NAMES[index % len(HEAD_NAMES)],
                                    phone=f"1370000{index:04d}", building=micro.name)


def demo_photo(name, rgb) -> SimpleUploadedFile:
    """A small plain PNG (the demo has no camera)."""
    width, height = 64, 48
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, content, content_type="image/png")


def seed_grid(*, events=False):
    """The grid work of the demo county; with ``events``, the sample events too (once)."""
    with transaction.atomic():
        seed_event_types()
        seed_accounts()
        seed_grids()
    if events and not GridEvent.objects.exists():
        from demo.grid_events import seed_events

        seed_events()
