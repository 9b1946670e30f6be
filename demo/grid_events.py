"""Sample grid events in every step of the loop, in 青山村's grids, written through
the grid services as the demo's people would (so the timeline, clocks and messages
are what the app writes). Called once by ``demo.grid.seed_grid(events=True)``."""
from decimal import Decimal

from demo.grid import demo_photo
from governance.models import Organisation, Region, User
from grid.models import EventType, RewardRate
from grid.services import loop, pushes, reporting, rewards

GRID = "339901001001"  # 青山村: its grids 01..03 are gridworker's
# (type, grid suffix, description, spot, latitude offset, longitude offset)
REPORTS = [
    ("rental_housing", "0101", "3组12号出租屋一楼有两辆电动车在楼道内充电，电线从窗户拉出，堵住安全出口。", "3组12号", 12, 8),
    ("fire_safety", "02", "村文化礼堂后门消防通道堆放大量木料和纸箱，灭火器压力表指针在红区。", "文化礼堂后门", -20, 15),
    ("health", "03", "村东小卖部出售过期酸奶和散装熟食，无健康证，店主称货是上周进的。", "村东小卖部", 5, -18),
    ("rental_housing", "01", "桥头出租房被隔成8个单间，住了十余名务工人员，只有一个楼梯。", "桥头2号", 30, 2),
    ("environment", "02", "河道北岸有人倾倒建筑垃圾，约两车，部分已滑入河中。", "河道北岸", -8, -25),
    ("population", "03", "新搬来一户四口人，租住在5组，尚未登记居住信息，有一名学龄儿童。", "5组8号", 16, 22),
    ("fire_safety", "01", "菜市场二楼电线私拉乱接，插线板串联使用，午间曾冒烟。", "菜市场二楼", -2, 30),
    ("rental_housing", "0102", "2组一出租屋厨房燃气软管老化开裂，租户仍在使用。", "2组5号", 9, -9),
    ("environment", "03", "村口垃圾集中点三天未清运，气味很大，有群众反映。", "村口垃圾点", -15, -3),
    ("emergency", "02", "村道东段自来水管爆裂，路面积水约20厘米，影响通行。", "村道东段", 22, 12),
    ("dispute", "01", "4组王某与邻居李某因宅基地边界砌墙发生争吵，双方情绪激动。", "4组", -25, 5),
    ("fire_safety", "03", "老年活动室取暖器长时间无人看管，旁边堆放报纸。", "老年活动室", 3, 3),
]


def _report(index, actor, types):
    code, suffix, text, spot, dlat, dlng = REPORTS[index]
    place = Region.objects.get(code=GRID + suffix)
    lat, lng = Decimal("30.260000") + Decimal(dlat) / 10000, Decimal("120.120000") + Decimal(dlng) / 10000
    return reporting.event_report(actor=actor, event_type=types[code], place=place, description=text, address=spot,
                                  latitude=lat, longitude=lng, photos=[demo_photo(f"report-{index}.png",
                                                                                  (180, 90 + index * 10, 60))])


def seed_events():
    people = {u.username: u for u in User.objects.filter(username__in=[
        "gridworker", "village_clerk", "housing_handler", "village_mediator", "leader"])}
    worker, center, housing = people["gridworker"], people["village_clerk"], people["housing_handler"]
    types = {t.code: t for t in EventType.objects.all()}
    department = {o.name: o for o in Organisation.objects.filter(name__in=["县卫健局", "县市场监管局", "县公安局"])}
    events = [_report(i, worker, types) for i in range(len(REPORTS))]

    def photo(name):
        return [demo_photo(name, (60, 140, 90))]

    def run(event, *steps):
        for step in steps:
            step(event.pk)

    register = lambda pk: loop.event_register(event_id=pk, actor=center)  # noqa: E731
    to_housing = lambda pk: loop.event_dispatch(event_id=pk, actor=center, assignee=housing,  # noqa: E731
                                                instruction="请三日内现场处置并反馈")
    to_own = lambda pk: loop.event_dispatch(event_id=pk, actor=center, assignee=center,  # noqa: E731
                                            instruction="站内处理")
    handle = lambda who: lambda pk: loop.event_handle(event_id=pk, actor=who)  # noqa: E731
    feedback = lambda who, text: lambda pk: loop.event_feedback(  # noqa: E731
        event_id=pk, actor=who, note=text, photos=photo(f"feedback-{pk}.png"))
    verify = lambda passed, text="": lambda pk: loop.event_verify(  # noqa: E731
        event_id=pk, actor=worker, passed=passed, note=text, photos=photo(f"verify-{pk}.png"))
    close = lambda pk: loop.event_close(event_id=pk, actor=center)  # noqa: E731

    # 0: reported only.
    run(events[1], register)  # registered
    loop.event_register(event_id=events[2].pk, actor=center)
    loop.event_dispatch(event_id=events[2].pk, actor=center, organisation=department["县卫健局"],
                        instruction="请卫健局核查食品卫生")  # dispatched to a department's desk
    run(events[3], register, to_housing, handle(housing))  # being handled
    run(events[4], register, to_own, handle(center), feedback(center, "已联系城管清运，河道内垃圾已打捞。"))  # fed back
    run(events[5], register, to_own, handle(center), feedback(center, "已上门登记居住信息，孩子已联系村小入学。"),
        verify(True, "现场核实，信息已录入。"))  # verified
    run(events[6], register, to_own, handle(center), feedback(center, "已请电工重新布线，撤除串联插线板。"),
        verify(True), close)  # closed
    run(events[7], register, to_housing, handle(housing), feedback(housing, "已督促房东更换燃气软管并加装报警器。"),
        verify(True, "已更换，现场复核无问题。"), close)
    loop.event_evaluate(event_id=events[7].pk, actor=center, rating=5, note="处置及时")  # evaluated
    rewards.reward_give(event_id=events[7].pk, actor=center, rate=RewardRate.objects.get(name="重要隐患"),
                        note="及时发现燃气隐患")
    loop.event_decline(event_id=events[8].pk, actor=center, reason="与今日上午已立案的事件重复")  # declined
    run(events[9], register, to_own, handle(center), feedback(center, "已关闭阀门，通知水务抢修。"),
        verify(False, "路面仍有积水，抢修尚未完成。"))  # failed verification: back to handling, round 2
    loop.event_register(event_id=events[10].pk, actor=center)  # a dispute matter at the village
    loop.event_dispatch(event_id=events[10].pk, actor=center, assignee=people["village_mediator"],
                        instruction="请村调解员上门调解")
    run(events[11], register)
    loop.event_dispatch(event_id=events[11].pk, actor=center, assignee=housing,
                        joint=[department["县市场监管局"], department["县公安局"]], instruction="联合检查取暖设备")
    pushes.event_urge(event_id=events[3].pk, actor=center, note="请尽快处置")
    pushes.event_supervise(event_id=events[3].pk, actor=people["leader"], instruction="群租隐患突出，限两日内整改到位")
