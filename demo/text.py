"""Chinese text for the demo matters: narratives by category, respondents,
addresses and timeline notes. Placeholders: {a} applicant, {r} respondent
person, {org} respondent body, {amount} yuan, {months}, {days}, {n}, {project}.
"""

# Per category: what a disputing applicant asks for, and the amounts at stake (indexes
# into AMOUNTS: a drawn amount lies between the two). The situations themselves, grid
# findings, consultation topics and respondent bodies are demo/corpus/situations.py
# (more situations in demo/corpus/situations_more.py).
CATEGORY_TEXT = {
    "marriage_family": {"asks": ["请求调解家庭矛盾。", "要求{r}履行义务。", "希望调解员上门做工作。"], "amounts": (0, 6)},
    "neighbourhood": {"asks": ["请求协调解决。", "要求{r}停止侵害、赔偿损失。", "希望村（社区）出面调解。"], "amounts": (0, 5)},
    "labour": {"asks": ["要求单位支付拖欠工资。", "请求依法维护其合法权益。", "请求协调解决。"], "amounts": (3, 10)},
    "property_management": {"asks": ["要求物业公司整改。", "请求协调解决。"], "amounts": (1, 6)},
    "consumer": {"asks": ["要求商家退货退款。", "请求依法维护消费者权益。"], "amounts": (0, 6)},
    "housing_land": {"asks": ["请求依法确权。", "请求协调解决。", "要求对方承担违约责任。"], "amounts": (6, 12)},
    "medical": {"asks": ["要求院方给予合理赔偿。", "请求医调委介入调解。"], "amounts": (5, 12)},
    "traffic_accident": {"asks": ["要求{r}赔偿医疗费、误工费等损失。", "请求交调委组织调解。"], "amounts": (2, 10)},
    "finance": {"asks": ["请求依法处理。", "要求退还多收的利息。"], "amounts": (5, 12)},
    "education": {"asks": ["请求协调解决。", "要求学校给予合理答复。"], "amounts": (2, 7)},
    "environment": {"asks": ["要求企业停止污染、赔偿损失。", "请求有关部门依法查处。"], "amounts": (4, 10)},
    "debt": {"asks": ["要求{r}归还欠款。", "请求协调解决。"], "amounts": (3, 10)},
    "land_acquisition": {"asks": ["要求落实补偿款。", "要求重新评估。"], "amounts": (5, 12)},
    "online": {"asks": ["请求依法处理。", "要求对方删除信息并赔礼道歉。"], "amounts": (2, 8)},
    "other": {"asks": ["请求协调解决。"], "amounts": (0, 4)},
}
AMOUNTS = [800, 1500, 2000, 3500, 5000, 8000, 12000, 20000, 35000, 50000, 86000, 120000, 200000]

PROJECTS = ["城东棚户区改造项目", "临河大道拓宽工程", "工业园区扩建项目", "高铁站前广场项目"]

# Opening sentences by kind of matter, and by channel where a channel has its own
# words; {place} is the village, community or town the matter is placed in.
OPENINGS = {
    "dispute": ["申请人{a}反映，", "{a}来访称，", "当事人{a}称，", "家住{place}的{a}来访称，", "{place}居民{a}反映，",
                "{a}反映，"],
    "petition": ["信访人{a}反映，", "信访人{a}称，", "{place}群众{a}来访反映，"],
}
CHANNEL_OPENINGS = {
    "hotline": ["来电人{a}称，", "市民{a}来电反映，", "12345热线转办：来电人{a}反映，"],
    "letter": ["{a}来信反映，", "来信人{a}称，"],
    "online": ["{a}通过网上平台反映，", "网民{a}留言称，"],
    "police_referral": ["110警情分流：报警人{a}称，", "派出所转来：{a}报警称，"],
    "grid_report": ["网格员上报：{place}居民{a}反映，", "网格员走访时，{a}反映，"],
    "court_referral": ["法院诉前委派：原告{a}诉称，", "诉前调解委派：{a}起诉称，"],
}
HISTORY = [
    "双方曾多次协商未果。",
    "此前已向村（社区）反映过，问题仍未解决。",
    "双方为此多次发生争吵，矛盾有激化苗头。",
]
CLOSINGS = {
    "dispute": ["请求协调解决。", "请求依法处理。", "希望中心出面组织调解。"],
    "petition": ["要求有关部门依法处理。", "要求给予合理答复。", "要求落实相关政策。"],
    "grid_event": ["网格员已现场劝导并上报。", "需相关部门协同处置。"],
    "consultation": ["", "工作人员当场进行了解答。"],
}
GRID_OPENINGS = ["网格员巡查发现，", "网格员走访中发现，", "网格员上报：", "{place}网格员报告，"]
GRID_DETAILS = ["现场有{n}名群众围观。", "网格员已拍照取证。", "当事人情绪较为激动。"]
CONSULT_OPENINGS = ["群众{a}咨询{topic}方面的问题。", "{a}来电咨询{topic}相关政策。", "{a}咨询{topic}的办理途径。",
                    "{a}到窗口咨询{topic}。", "{place}居民{a}询问{topic}。", "{a}在网上留言咨询{topic}。"]

COUNTY_STREETS = ["人民路", "解放路", "文化路", "建设路", "新华路", "滨江路", "中山路"]

# Timeline notes.
ACCEPT_NOTES = ["已受理，安排调解员联系双方当事人。", "已受理，正在调查核实。", "已受理，约定时间组织双方调解。"]
RESOLVE_NOTES = {
    "dispute": [
        "经调解，双方达成一致意见，签订调解协议书。",
        "经耐心疏导，双方互谅互让，达成和解。",
        "经调解，被申请人同意分期履行，双方签订调解协议。",
    ],
    "petition": ["已书面答复信访人，信访人表示认可。", "相关问题已按政策落实，信访人息访。"],
    "grid_event": ["已现场处置完毕，网格员核查确认。", "已协调相关部门处置到位。"],
    "consultation": ["现场解答，当场办结。", "已告知办理途径和所需材料。"],
}
ON_THE_SPOT_NOTES = ["小事马上调：当场调解成功。", "窗口当场化解，双方握手言和。"]
UNRESOLVED_NOTES = [
    "调解未成功，已告知当事人可通过诉讼、仲裁等途径解决。",
    "双方分歧较大，调解不成，引导当事人依法诉讼。",
]
TERMINATE_NOTES = ["申请人撤回申请，终止办理。", "当事人已向法院起诉，终止调解。", "经核实不属于受理范围，终止办理。"]
CLOSE_NOTES = ["已回访，当事人表示满意，予以办结。", "回访满意，结案。", "已电话回访，当事人对处理结果基本满意。"]
ESCALATE_TIMEOUT = "超过{tier}办理时限未化解，自动上报{holder}。"
ESCALATE_MANUAL = [
    "案情复杂、涉及多个部门，申请提级由{holder}联合调处。",
    "当事人情绪激动，存在矛盾激化风险，立即上报{holder}。",
    "三次以上报警仍未化解，上报{holder}。",
]
DISPATCH_NOTES = ["按职权法定，派单至{holder}办理。", "精准派单：交{holder}承办。"]
REPEAT_VISIT_NOTES = ["当事人再次来访，询问办理进度。", "当事人来电催问处理结果。"]
TIER_NAMES = {"village": "村级", "town": "镇级", "county": "县级"}
