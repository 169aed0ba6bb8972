"""The citizen's pages, without JavaScript: a plain POST per step, errors
next to the fields in Chinese, nothing typed lost; review, declaration,
tracking number; the case page, the letter and its verification."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civichall.applications import actions
from civichall.applications.models import Case, Draft

from .conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_anonymous_and_unverified_are_led_to_sign_in_and_verification(client, unemployment, make_citizen):
    start = client.get("/applications/unemployment_insurance/")
    assert start.status_code == 200 and "失业保险金申领" in text(start) and "登录后申请" in text(start)
    assert client.get("/applications/unemployment_insurance/step/0/").url.startswith("/citizen/sign-in/")
    client.force_login(make_citizen("13900000009").user)
    assert client.get("/applications/unemployment_insurance/step/0/").url.startswith("/citizen/?next=")
    assert client.get("/applications/no_such_thing/").status_code == 404


def test_the_whole_form_without_javascript(client, unemployment, applicant, departments):
    client.force_login(applicant.user)
    consent = client.get("/applications/unemployment_insurance/consent/")
    assert "用于本次申请，从市人社局获取您的参保记录。" in text(consent)
    response = client.post("/applications/unemployment_insurance/consent/",
                           {"source": ["identity", "social_security", "licences"]})
    assert response.url == "/applications/unemployment_insurance/step/0/"
    step0 = client.get(response.url)
    assert 'value="13800000001"' in text(step0) and "来自实名认证信息" in text(step0)
    client.post("/applications/unemployment_insurance/step/0/", {"name": "陈晓雯", "id_number": "31010119880312002X",
                                                                 "phone": "13800000001"})
    # Step 2: the condition's field is required once "other" is chosen; the error is next to it.
    wrong = client.post("/applications/unemployment_insurance/step/1/", {
        "last_employer": "上海浦江软件有限公司", "contribution_months": "38", "separation_reason": "other",
        "separation_date": "2026-10-30", "go": "next"})
    assert wrong.status_code == 422
    page = text(wrong)
    assert re.search(r'id="field-separation_reason_other".*请填写其他原因说明。', page, re.S)
    assert 'value="2026-10-30"' in page  # nothing typed is lost
    assert Draft.objects.get(citizen=applicant).data["separation_reason"] == "other"
    ok = client.post("/applications/unemployment_insurance/step/1/", {
        "last_employer": "上海浦江软件有限公司", "contribution_months": "38", "separation_reason": "other",
        "separation_reason_other": "公司搬迁至外省", "separation_date": "2026-10-30", "go": "next"})
    assert ok.url == "/applications/unemployment_insurance/step/2/"
    client.post("/applications/unemployment_insurance/step/2/", {"bank_account": "6222021001112223334"})
    bad = client.post("/applications/unemployment_insurance/materials/",
                      {"code": "separation_proof", "file": SimpleUploadedFile("证明.pdf", b"<html>hi</html>")})
    assert bad.status_code == 422 and "只能上传 PDF、JPG、PNG 格式的文件" in text(bad)
    assert "已从电子证照库获取，无需上传。" in text(bad)
    client.post("/applications/unemployment_insurance/materials/",
                {"code": "separation_proof", "file": SimpleUploadedFile("证明.pdf", pdf_bytes())})
    review = client.get("/applications/unemployment_insurance/review/")
    assert "公司搬迁至外省" in text(review) and "其他原因" in text(review)
    key = re.search(r'name="key" value="([0-9a-f]+)"', text(review)).group(1)
    undeclared = client.post("/applications/unemployment_insurance/review/", {"key": key})
    assert undeclared.status_code == 422 and "请勾选确认承诺声明。" in text(undeclared)
    submitted = client.post("/applications/unemployment_insurance/review/", {"key": key, "declare": "1"})
    twice = client.post("/applications/unemployment_insurance/review/", {"key": key, "declare": "1"})
    case = Case.objects.get()
    assert submitted.url == twice.url == f"/applications/cases/{case.number}/?new=1"
    page = text(client.get(submitted.url))
    assert "申请已提交，您的办件编号是" in page and case.number in page and "已提交" in page
    mine = text(client.get("/applications/cases/"))
    assert case.number in mine and "部门正在预审您的申请" in mine


def test_another_citizens_case_and_its_files_answer_like_missing_ones(client, unemployment, applicant,
                                                                     other_applicant, staff):
    actions.do_add_material(applicant.user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()),
                            definition=unemployment)
    actions.do_add_material(applicant.user, "id_card", SimpleUploadedFile("b.png", png_bytes()),
                            definition=unemployment)
    from .documents import GOOD_DATA

    case, _ = actions.do_submit(applicant.user, unemployment, GOOD_DATA, idempotency_key="x")
    material = case.materials.first()
    client.force_login(other_applicant.user)
    assert client.get(f"/applications/cases/{case.number}/").status_code == 404
    assert client.get(f"/applications/cases/{case.number}/materials/{material.pk}/").status_code == 404
    assert client.get("/applications/cases/SQ-20990101-999999/").status_code == 404
    client.force_login(staff["police_officer"])
    assert client.get(f"/applications/cases/{case.number}/materials/{material.pk}/").status_code == 404
    client.force_login(staff["officer"])
    download = client.get(f"/applications/cases/{case.number}/materials/{material.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")


def test_supplement_letter_verification_and_rating(client, unemployment, applicant, staff):
    from .documents import GOOD_DATA

    user = applicant.user
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=unemployment)
    actions.do_add_material(user, "id_card", SimpleUploadedFile("b.png", png_bytes()), definition=unemployment)
    case, _ = actions.do_submit(user, unemployment, GOOD_DATA, idempotency_key="x")
    officer = staff["officer"]
    actions.do_transition(officer, case, "accept")
    actions.do_transition(officer, case, "ask_material", reason="请补交加盖公章的离职证明")
    client.force_login(user)
    page = text(client.get(f"/applications/cases/{case.number}/"))
    assert "请补交加盖公章的离职证明" in page and "补正期间办理时限暂停计算" in page
    refused = client.post(f"/applications/cases/{case.number}/supplement/",
                          {"code": "separation_proof", "file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert refused.status_code == 422 and "只能上传" in text(refused)
    client.post(f"/applications/cases/{case.number}/supplement/",
                {"code": "separation_proof", "file": SimpleUploadedFile("x.pdf", pdf_bytes())})
    client.post(f"/applications/cases/{case.number}/supplement/", {"done": "1"})
    case.refresh_from_db()
    assert case.state == "in_review"
    actions.do_transition(officer, case, "approve")
    actions.do_transition(officer, case, "complete")
    letter = client.get(f"/applications/cases/{case.number}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    from civichall.applications.letter import verify_token

    token = verify_token(case)
    verified = client.get(f"/applications/verify/{token}/")
    assert verified.status_code == 200 and "该决定书真实有效。" in text(verified) and case.number in text(verified)
    assert client.get(f"/applications/verify/{token[:-2]}xx/").status_code == 404
    rated = client.post(f"/applications/cases/{case.number}/rate/", {"score": "1", "reason": ["办理超时"]})
    assert rated.status_code == 302 and case.__class__.objects.get(pk=case.pk).rating.follow_up.state == "open"


def test_the_service_page_leads_into_the_form(client, unemployment):
    from civichall.services.models import Service, ServiceKind

    Service.objects.create(code="unemployment_insurance", kind=ServiceKind.APPLICATION,
                           organisation=unemployment.organisation, name_zh="失业保险金申领", name_en="Unemployment")
    response = client.get("/services/unemployment_insurance/")
    assert 'href="/applications/unemployment_insurance/"' in text(response)
    assert "网上办理即将开通" not in text(response)


def test_garbage_posts_get_clear_answers_never_a_server_error(client, unemployment, applicant, staff):
    client.force_login(applicant.user)
    base = "/applications/unemployment_insurance"
    assert client.post(f"{base}/materials/", {"remove": "abc"}).status_code == 404
    assert client.post(f"{base}/materials/", {"code": "separation_proof"}).status_code == 400
    unknown = client.post(f"{base}/materials/", {"code": "无此材料", "file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert unknown.status_code == 422 and "本事项不需要这份材料。" in text(unknown)
    assert client.get(f"{base}/step/99/").status_code == 404
    odd = client.post(f"{base}/step/1/", {"contribution_months": "３８", "separation_date": "2026-02-30",
                                          "separation_reason": "<script>", "go": "next"})
    assert odd.status_code == 422
    page = text(odd)
    assert "累计缴费月数应为整数。" in page and "离职日期应为日期" in page and "请从选项中选择离职原因。" in page
    assert "<script>" not in page
    long_key = client.post(f"{base}/review/", {"key": "k" * 500, "declare": "1"})
    assert long_key.status_code == 422
    assert client.post("/applications/cases/SQ-1/rate/", {"score": "5"}).status_code == 404
    client.force_login(staff["officer"])
    assert client.post("/admin/applications/ratings/", {"pk": "x"}).status_code == 404
