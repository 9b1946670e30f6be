"""The window desk through the Django test client: inline errors that keep what was
typed, returning visitors, repeat visits, triage actions from the page."""
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Case, Category, Organisation, Region
from intake.models import Intake
from tests.factories import png_bytes

VILLAGE = "339901001001"


def form_data(**overrides):
    data = {
        "kind": "dispute", "channel": "walk_in", "category": Category.objects.get(code="neighbourhood").pk,
        "region": Region.objects.get(code=VILLAGE).pk, "address": "青山村3组", "narrative": "邻居装修噪音扰民，多次协商未果",
        "applicant_name": "王小明", "applicant_id_number": "11010519491231002X", "applicant_phone": "13812345678",
        "applicant_address": "青山村3组12号", "respondent_name": "李四", "respondent_phone": "",
        "respondent_id_number": "", "respondent_address": "",
    }
    data.update(overrides)
    return data


def test_desk_shows_the_window_and_its_daily_count(demo, client, staff):
    client.force_login(staff("clerk"))
    page = client.get(reverse("intake-desk")).content.decode()
    assert 'id="my-window"' in page and 'data-window="1">0<' in page


def test_bad_id_number_is_an_inline_chinese_error_and_nothing_typed_is_lost(demo, client, staff):
    client.force_login(staff("clerk"))
    before = Case.objects.count()
    response = client.post(reverse("intake-desk"), form_data(applicant_id_number="110105194912310021"))
    assert response.status_code == 400 and Case.objects.count() == before
    page = response.content.decode()
    assert "身份证号码校验位不正确" in page
    assert 'value="110105194912310021"' in page  # the wrong value stays for correcting
    for kept in ["王小明", "13812345678", "青山村3组12号", "邻居装修噪音扰民，多次协商未果", "李四"]:
        assert kept in page
    assert re.search(r'<option value="%d"[^>]*selected' % Region.objects.get(code=VILLAGE).pk, page)


def test_registration_goes_to_triage_and_is_counted_at_the_window(demo, client, staff):
    client.force_login(staff("clerk"))
    response = client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("intake-triage", args=[case.pk])
    assert case.parties.get(role="applicant").id_number == "11010519491231002X"
    assert case.parties.get(role="respondent").name == "李四"
    assert Intake.objects.get(case=case).window.number == 1
    page = client.get(reverse("intake-desk")).content.decode()
    assert 'data-window="1">1<' in page


def test_bad_phone_bad_attachment_and_missing_place(demo, client, staff):
    client.force_login(staff("clerk"))
    bad_file = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00not a pdf")
    response = client.post(reverse("intake-desk"), {**form_data(applicant_phone="12345", region=""),
                                                   "attachments": [bad_file]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "不是有效的电话号码" in page and "不是照片（JPEG、PNG）或 PDF 文件" in page and "请选择发生地" in page
    assert "请重新选择" in page  # the browser cannot keep files: say so


def test_returning_visitor_is_filled_in_without_overwriting(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    panel = client.post(reverse("intake-visitor"), {"applicant_phone": "13812345678"}).content.decode()
    assert "再次来访：王小明" in panel
    filled = client.post(reverse("intake-visitor") + "?fill=1", {"applicant_phone": "13812345678",
                                                                   "applicant_name": "王晓明"}).content.decode()
    assert 'value="王晓明"' in filled  # what the clerk typed wins
    assert 'value="青山村3组12号"' in filled
    assert "11010519491231002X" not in filled  # a phone number alone never reveals the ID number


def test_related_open_matter_can_take_a_repeat_visit_instead(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    data = form_data(narrative="再次反映噪音问题")
    panel = client.post(reverse("intake-visitor"), data).content.decode()
    assert reverse("intake-repeat-visit", args=[case.pk]) in panel
    before = Case.objects.count()
    response = client.post(reverse("intake-repeat-visit", args=[case.pk]), data)
    assert response.status_code == 302 and Case.objects.count() == before
    case.refresh_from_db()
    assert case.visit_count == 2
    assert case.events.get(type="repeat_visit").note == "再次反映噪音问题"


def test_place_search_narrows_the_options(demo, client, staff):
    client.force_login(staff("clerk"))
    options = client.get(reverse("intake-places"), {"place_q": "青山村第二"}).content.decode()
    assert "青山村第二网格" in options and "临河" not in options and "selected" in options


def test_triage_dispatch_from_the_page_suggests_the_village_center(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    village = Organisation.objects.get(region__code=VILLAGE, kind="center")
    page = client.get(reverse("intake-triage", args=[case.pk])).content.decode()
    assert re.search(r'<option value="%d" selected>' % village.pk, page)
    client.post(reverse("intake-triage-action", args=[case.pk, "dispatch"]), {"to": village.pk, "note": "请调处"})
    case.refresh_from_db()
    assert (case.holder, case.tier) == (village, "village")


def test_triage_refusals_are_messages_and_change_nothing(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    response = client.post(reverse("intake-triage-action", args=[case.pk, "resolve"]), {"note": ""}, follow=True)
    assert "请填写化解情况" in response.content.decode()
    response = client.post(reverse("intake-triage-action", args=[case.pk, "leader"]),
                           {"leader": staff("mediator").pk}, follow=True)
    assert "中心领导才能包案" in response.content.decode()
    client.post(reverse("intake-triage-action", args=[case.pk, "resolve"]), {"note": "当场调解成功"})
    case.refresh_from_db()
    assert case.status == "resolved"


def test_other_towns_clerk_cannot_triage(demo, client, staff):
    client.force_login(staff("town_clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    client.force_login(staff("other_town_clerk"))
    assert client.get(reverse("intake-triage", args=[case.pk])).status_code == 404
    assert client.post(reverse("intake-triage-action", args=[case.pk, "resolve"]), {"note": "x"}).status_code == 404


def test_typing_a_town_lists_its_villages_too(demo, client, staff):
    client.force_login(staff("clerk"))
    options = client.get(reverse("intake-places"), {"place_q": "临河"}).content.decode()
    village_names = Region.objects.filter(level="village", path__startswith=Region.objects.get(
        code="339901002000").path).values_list("name", flat=True)
    assert all(name in options for name in village_names[:3]) and "青山" not in options


def test_attachments_are_listed_on_the_matter_and_served_only_within_scope(demo, client, staff):
    png = png_bytes()
    client.force_login(staff("town_clerk"))
    client.post(reverse("intake-desk"), {**form_data(), "attachments": [SimpleUploadedFile("现场照片.png", png)]})
    case = Case.objects.latest("id")
    attachment = case.attachments.get()
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert reverse("intake-attachment", args=[attachment.pk]) in page and "现场照片.png" in page
    response = client.get(reverse("intake-attachment", args=[attachment.pk]))
    served = b"".join(response.streaming_content)
    assert response.status_code == 200 and served.startswith(b"\x89PNG")  # decoded and written again
    assert response["Content-Type"] == "image/png"
    client.force_login(staff("other_town_clerk"))
    assert client.get(reverse("intake-attachment", args=[attachment.pk])).status_code == 404


def test_roles_that_do_not_register_have_no_desk(demo, client, staff):
    client.force_login(staff("gridworker"))
    assert client.get(reverse("intake-desk")).status_code == 403
    assert client.post(reverse("intake-desk"), form_data()).status_code == 403
    assert reverse("intake-desk") not in client.get(reverse("home")).content.decode()


def test_nonsense_in_posted_ids_is_a_message_not_an_error(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    for action, data in [("dispatch", {"to": "abc"}), ("leader", {"leader": "1 OR 1=1"})]:
        response = client.post(reverse("intake-triage-action", args=[case.pk, action]), data, follow=True)
        assert response.status_code == 200 and "请选择" in response.content.decode()
    response = client.post(reverse("intake-repeat-visit", args=[case.pk]), form_data(channel="x" * 40))
    assert response.status_code == 400 and "未知的渠道" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.visit_count) == ("registered", 1)


def test_a_repeat_visit_keeps_the_files_brought(demo, client, staff):
    png = png_bytes()
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    case = Case.objects.latest("id")
    client.post(reverse("intake-repeat-visit", args=[case.pk]),
                {**form_data(), "attachments": [SimpleUploadedFile("新证据.png", png)]})
    assert list(case.attachments.values_list("name", flat=True)) == ["新证据.png"]
    bad = client.post(reverse("intake-repeat-visit", args=[case.pk]),
                      {**form_data(narrative="第三次"), "attachments": [SimpleUploadedFile("x.png", b"MZ" * 40)]})
    assert bad.status_code == 400 and "第三次" in bad.content.decode()
    case.refresh_from_db()
    assert case.visit_count == 2  # the refused visit counted nothing


def test_a_clerk_still_sees_what_they_registered_after_it_left_their_area(demo, client, staff):
    client.force_login(staff("town_clerk"))  # 青山镇
    client.post(reverse("intake-desk"), form_data(region=Region.objects.get(code="339901002001").pk))  # 临河镇
    case = Case.objects.latest("id")
    elsewhere = Organisation.objects.get(region__code="339901002001", kind="center")
    response = client.post(reverse("intake-triage-action", args=[case.pk, "dispatch"]), {"to": elsewhere.pk},
                           follow=True)
    assert response.status_code == 200 and elsewhere.name in response.content.decode()
    assert client.get(reverse("intake-receipt", args=[case.pk])).status_code == 200


def _id_number(place, birth="19800307", sequence="123"):
    from stdnum.cn import ric

    body = f"{place}{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")


def test_an_id_number_of_an_unknown_place_registers_once_with_a_warning(demo, client, staff):
    """339901... (the demo county's own code) made stdnum raise KeyError after the
    matter was saved: a 500, and the clerk registered it again."""
    client.force_login(staff("clerk"))
    before = Case.objects.count()
    response = client.post(reverse("intake-desk"), form_data(applicant_id_number=_id_number("339901")),
                           follow=True)
    assert response.status_code == 200 and Case.objects.count() == before + 1
    page = response.content.decode()
    assert "339901" in page and "不在全国行政区划代码表中" in page
    # A retired code (330102 on a 1956 Hangzhou card) is real: no warning.
    response = client.post(reverse("intake-desk"), form_data(
        applicant_id_number=_id_number("330102", "19560501"), applicant_phone="13912345678", confirm_new="1"),
        follow=True)
    assert "330102" not in response.content.decode()


def test_superscript_digits_in_an_id_number_are_a_chinese_error_at_the_desk(demo, client, staff):
    client.force_login(staff("clerk"))
    before = Case.objects.count()
    response = client.post(reverse("intake-desk"), form_data(applicant_id_number="42030319²003071230"))
    assert response.status_code == 400 and Case.objects.count() == before
    assert "只能用数字 0–9" in response.content.decode()


def test_the_register_button_asks_first_when_a_repeat_visit_is_offered(demo, client, staff):
    """The repeat-visit offer was on screen, and the big 登记 button still made a second matter."""
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    first = Case.objects.latest("id")
    before = Case.objects.count()
    again = form_data(narrative="又来反映噪音问题")
    response = client.post(reverse("intake-desk"), again)
    page = response.content.decode()
    assert response.status_code == 409 and Case.objects.count() == before
    assert 'id="confirm-new"' in page and first.number in page and "是重复来访吗" in page
    assert reverse("intake-repeat-visit", args=[first.pk]) in page and 'name="confirm_new"' in page
    assert "又来反映噪音问题" in page  # what was typed is kept
    response = client.post(reverse("intake-desk"), {**again, "confirm_new": "1"})
    assert response.status_code == 302 and Case.objects.count() == before + 1
    # Another category: not the same dispute, no question.
    other = form_data(category=Category.objects.get(code="labour").pk)
    assert client.post(reverse("intake-desk"), other).status_code == 302


def test_one_id_number_under_two_names_is_a_warning_after_registering(demo, client, staff):
    client.force_login(staff("clerk"))
    client.post(reverse("intake-desk"), form_data())
    response = client.post(reverse("intake-desk"), form_data(applicant_name="王晓明", applicant_phone="13912345678",
                                                             category=Category.objects.get(code="labour").pk),
                           follow=True)
    assert "此前登记的姓名是王小明，不是王晓明" in response.content.decode()
