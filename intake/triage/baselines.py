"""The simplest baselines the evaluation puts beside the model: the most common
category, and keyword rules a clerk could write on a card. Both have the
Predictor's ``top(texts, k)``. The keywords were written from the category names
and the domain (shared/DOMAIN.md), not from either data set."""
from collections import Counter

KEYWORDS = {
    "marriage_family": ["离婚", "丈夫", "妻子", "老公", "老婆", "赡养", "抚养", "彩礼", "婆婆", "儿媳", "家暴", "遗产",
                        "子女", "父亲", "母亲", "继承"],
    "neighbourhood": ["邻居", "楼上", "楼下", "隔壁", "噪音", "滴水", "通道", "院墙", "漏水", "堆放"],
    "labour": ["工资", "工钱", "欠薪", "劳动合同", "工伤", "社保", "辞退", "加班", "包工头", "务工", "老板"],
    "property_management": ["物业", "业主", "电梯", "停车费", "维修资金", "小区", "业委会"],
    "consumer": ["退款", "退货", "商家", "预付卡", "会员卡", "质量问题", "买的", "购买", "门店", "售后"],
    "housing_land": ["宅基地", "承包地", "房屋", "购房", "租房", "房东", "押金", "确权", "交房", "开发商", "土地"],
    "medical": ["医院", "手术", "医生", "诊所", "病历", "治疗", "医疗", "卫生院", "护士"],
    "traffic_accident": ["撞", "交通事故", "车祸", "肇事", "交警", "电动车", "刮擦", "司机"],
    "finance": ["贷款", "利息", "理财", "集资", "银行", "信用卡", "保险", "催收", "投资", "高息"],
    "education": ["学校", "老师", "学生", "上学", "培训", "幼儿园", "入学", "班主任", "校"],
    "environment": ["污染", "排污", "异味", "噪声", "粉尘", "扬尘", "养殖场", "臭", "污水", "废气", "焚烧"],
    "debt": ["借款", "欠款", "借条", "还钱", "欠条", "货款", "讨债", "借了", "借给"],
    "land_acquisition": ["征地", "征收", "拆迁", "补偿款", "安置", "项目", "青苗"],
    "online": ["网络", "网上", "微信", "诈骗", "直播", "网店", "游戏", "朋友圈", "平台", "刷单"],
    "other": ["低保", "户口", "路灯", "井盖", "救助", "残疾"],
}


class MostCommon:
    """Always the county's most common categories, in order."""

    name = "most_common"

    def __init__(self, labels):
        self.order = [label for label, _ in Counter(labels).most_common()]

    def top(self, texts, k=3):
        return [[(label, 0.0) for label in self.order[:k]] for _ in texts]


class KeywordRules:
    """The category with the most keyword hits; ties and no hit fall back on how
    common the category is."""

    name = "keyword_rules"

    def __init__(self, labels, keywords=KEYWORDS):
        self.keywords = keywords
        self.rank = {label: i for i, (label, _) in enumerate(Counter(labels).most_common())}

    def top(self, texts, k=3):
        result = []
        for text in texts:
            hits = {label: sum(text.count(word) for word in words) for label, words in self.keywords.items()}
            order = sorted(self.rank, key=lambda label: (-hits.get(label, 0), self.rank[label]))
            result.append([(label, float(hits.get(label, 0))) for label in order[:k]])
        return result
