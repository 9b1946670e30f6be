"""A small, known county history for the triage tests: closed matters in three
categories whose narratives are told in varied words, and a trained model."""
from itertools import cycle, islice

from governance.choices import CaseStatus
from governance.models import Case, Category, Region
from intake.triage.models import TriageSettings
from tests.factories import CaseFactory

STORIES = {
    "labour": [
        "包工头拖欠我们工资{n}个月，一共{m}元，一直不给。", "在厂里干了半年，老板拖欠工资不发，电话也不接。",
        "工地结束后工资没有结清，老板说要等工程款。", "公司辞退我不给经济补偿，还扣了上个月的工资。",
        "在饭店打工，老板拖欠{n}个月工资，说生意不好。", "工伤住院，公司不肯出医药费，工资也停发了。",
    ],
    "neighbourhood": [
        "楼上邻居每天半夜跺脚，噪音吵得睡不着。", "邻居在楼道堆放杂物，挡住了通道，多次沟通无果。",
        "隔壁邻居装修噪音太大，晚上十点还在施工。", "邻居家的狗整夜叫，噪音影响老人休息。",
        "邻居把空调外机对着我家窗户，吵得没法开窗。", "邻居家卫生间漏水，把我家天花板泡坏了。",
    ],
    "traffic_accident": [
        "骑电动车被一辆小轿车撞倒，腿骨折了，司机不肯赔。", "在路口被货车撞了，交警认定对方全责，保险公司拖着不赔。",
        "孩子放学路上被三轮车撞伤，车主只肯出一半医药费。", "停在路边的车被撞坏，肇事司机跑了。",
        "两车刮擦，双方对责任有争议，交警调解不成。", "被摩托车撞伤住院{n}天，对方说没钱赔。",
    ],
}
VILLAGE = "339901001001"  # 青山村 (青山镇)


def closed_history(per_category=20, village=VILLAGE):
    """``per_category`` closed matters per story list, placed in ``village``."""
    region = Region.objects.get(code=village)
    ids = []
    for code, stories in STORIES.items():
        category = Category.objects.get(code=code)
        for i, story in enumerate(islice(cycle(stories), per_category)):
            text = f"申请人反映，{story.format(n=i % 9 + 2, m=(i + 3) * 1000)}请求协调解决。"
            ids.append(CaseFactory(category=category, region=region, narrative=text).pk)
    # The history is the input here, not what is tested: close them in one statement.
    Case.objects.filter(pk__in=ids).update(status=CaseStatus.CLOSED)
    return ids


def small_settings(county=None, **values):
    county = county or Region.objects.get(depth=1)
    settings = TriageSettings.for_county(county)
    for name, value in {"min_matters": 30, "min_per_category": 5, **values}.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def train(county=None, **request):
    """Queue and run a training through the Celery task (eager in tests)."""
    from intake.triage.models import TriageModel
    from intake.triage.tasks import train_triage_model
    from intake.triage.training import request_training

    county = county or Region.objects.get(depth=1)
    model = request_training(county=county, **request)
    train_triage_model.delay(model.pk)
    return TriageModel.objects.defer("blob").get(pk=model.pk)
