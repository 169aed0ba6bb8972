"""Withdrawing consent to a prefill source: no further fetch without asking
again, the values already filled stay editable and are sent as the citizen's
own, the withdrawal is in the data-use log and the audit log, and the
officer sees it on the case (before submission: typed by the citizen; after:
fetched, with the day consent was withdrawn). Pages, "my data use" and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from civichall.applications import actions
from civichall.applications.actions.drafts import consented_sources
from civichall.applications.models import CaseEvent, DataUse, Draft, PrefillCorrection
from civichall.core.errors import Refusal

from .conftest import pdf_bytes
from .documents import GOOD_DATA
from .test_api import API, citizen_auth, post_json

pytestmark = pytest.mark.django_db

WITHDRAW_AUDIT = "civichall.applications.consent.withdraw"
# What the citizen types; the rest comes from the departments (or stays as they filled it).
TYPED = {k: v for k, v in GOOD_DATA.items() if k not in ("last_employer", "contribution_months", "id_card_number")}


def _prefilled(user, definition, sources=("identity", "social_security", "licences")):
    actions.do_give_consent(user, definition, list(sources))
    return actions.do_prefill(user, definition)[0]


def _submit(user, definition, key="c-1", data=None):
    actions.do_add_material(user, "separation_proof", SimpleUploadedFile("a.pdf", pdf_bytes()), definition=definition)
    return actions.do_submit(user, definition, data or TYPED, idempotency_key=key)[0]


def test_no_fetch_after_withdrawal_until_the_citizen_agrees_again(unemployment, applicant, departments):
    user = applicant.user
    _prefilled(user, unemployment)
    fetched = DataUse.objects.filter(source="social_security", kind="fetch").count()
    assert actions.do_withdraw_consent(user, unemployment, "social_security") == []
    assert "social_security" not in consented_sources(applicant, unemployment)
    draft, outcome = actions.do_prefill(user, unemployment)
    assert outcome["social_security"] == "no_consent" and outcome["licences"] == "ok"
    assert DataUse.objects.filter(source="social_security", kind="fetch").count() == fetched  # nothing fetched
    withdrawal = DataUse.objects.get(kind="withdraw")
    assert (withdrawal.holder, withdrawal.fields) == ("市人社局", ["contribution_months", "employer"])
    entry = ModelLogEntry.objects.get(action=WITHDRAW_AUDIT)
    assert entry.user_id == user.pk and entry.data["source"] == "social_security"
    # What was filled stays, editable; it is no longer counted as the department's.
    assert draft.data["last_employer"] == "上海浦江软件有限公司"
    assert "value" not in draft.prefilled["last_employer"] and draft.prefilled["last_employer"]["withdrawn_at"]
    draft, errors = actions.do_save_draft(user, unemployment, {"last_employer": "上海浦江软件股份有限公司"})
    assert not errors and Draft.objects.get(pk=draft.pk).data["last_employer"] == "上海浦江软件股份有限公司"
    with pytest.raises(Refusal) as caught:
        actions.do_withdraw_consent(user, unemployment, "social_security")
    assert caught.value.status == 409 and caught.value.code == "no_consent"
    # Agreeing again asks again and fetches again; the typed value is never overwritten.
    draft = _prefilled(user, unemployment, ["social_security"])
    assert draft.prefilled["last_employer"]["value"] == "上海浦江软件有限公司"
    assert draft.data["last_employer"] == "上海浦江软件股份有限公司"


def test_withdrawn_before_submission_the_officer_sees_the_citizens_own_entry(
        client, unemployment, applicant, departments, staff):
    user = applicant.user
    _prefilled(user, unemployment)
    actions.do_withdraw_consent(user, unemployment, "social_security")
    actions.do_save_draft(user, unemployment, {"contribution_months": "40"})
    case = _submit(user, unemployment)
    assert not PrefillCorrection.objects.filter(case=case).exists()  # the citizen's own, not a correction
    assert case.prefilled["contribution_months"]["withdrawn_at"] and "value" not in case.prefilled["contribution_months"]
    assert case.prefilled["id_card_number"]["value"] == "DZZZ-310101-0001"  # the other source is untouched
    client.force_login(staff["officer"])
    page = client.get(f"/admin/applications/cases/{case.number}/").content.decode()
    assert "由申请人填写：提交前已撤回向市人社局获取数据的授权" in page
    assert "来自电子证照库" in page


def test_a_withdrawn_e_licence_no_longer_replaces_the_upload(unemployment, applicant, departments):
    user = applicant.user
    _prefilled(user, unemployment)
    actions.do_withdraw_consent(user, unemployment, "licences")
    with pytest.raises(Refusal) as caught:
        _submit(user, unemployment)
    assert "materials.id_card" in caught.value.fields


def test_withdrawn_after_submission_the_case_says_when(client, unemployment, applicant, departments, staff):
    user = applicant.user
    _prefilled(user, unemployment)
    case = _submit(user, unemployment)
    assert actions.do_withdraw_consent(user, unemployment, "social_security") == [case.number]
    case.refresh_from_db()
    entry = case.prefilled["last_employer"]
    assert entry["value"] == "上海浦江软件有限公司" and entry["withdrawn_at"]  # fetched with consent, kept
    event = CaseEvent.objects.get(case=case, event="consent_withdrawn")
    assert not event.internal and event.note == "市人社局：您的参保记录"
    client.force_login(staff["officer"])
    page = client.get(f"/admin/applications/cases/{case.number}/").content.decode()
    assert f"来自市人社局；申请人于 {entry['withdrawn_at'][:10]} 提交后撤回了授权" in page
    assert "撤回了数据获取授权" in page  # the timeline


def test_the_pages_my_data_use_and_the_consents_list(client, unemployment, applicant, other_applicant, departments):
    client.force_login(applicant.user)
    client.post("/applications/unemployment_insurance/consent/", {"source": ["identity", "social_security"]})
    consent = client.get("/applications/unemployment_insurance/consent/").content.decode()
    assert 'name="withdraw" value="social_security"' in consent
    withdrawn = client.post("/applications/unemployment_insurance/consent/", {"withdraw": "social_security"})
    assert withdrawn.status_code == 302 and withdrawn.url.endswith("?withdrawn=1")
    again = client.post("/applications/unemployment_insurance/consent/", {"withdraw": "social_security"})
    assert again.status_code == 409 and "您没有为本申请授权获取该来源的数据（或已撤回）。" in again.content.decode()
    step = client.get("/applications/unemployment_insurance/step/1/").content.decode()
    assert "您已撤回向市人社局获取数据的授权，此项按您填写的内容提交" in step
    data_use = client.get("/citizen/data-use/").content.decode()
    assert "您撤回了授权，不再获取：缴费月数、工作单位" in data_use
    assert 'href="/applications/consents/">撤回授权</a>' in data_use  # identity is still in force
    listing = client.get("/applications/consents/").content.decode()
    assert "用于本次申请，从实名认证信息获取您的姓名、身份证号和手机号。" in listing and "参保记录" not in listing
    done = client.post("/applications/consents/", {"application": "unemployment_insurance", "source": "identity"})
    assert done.status_code == 302 and "identity" not in consented_sources(applicant, unemployment)
    assert "您目前没有生效的授权。" in client.get("/applications/consents/").content.decode()
    unknown = client.post("/applications/consents/", {"application": "no_such_thing", "source": "identity"})
    assert unknown.status_code == 404 and "没有这项可撤回的授权。" in unknown.content.decode()
    # Another citizen's withdrawal touches nothing of this one's.
    actions.do_give_consent(applicant.user, unemployment, ["social_security"])
    client.force_login(other_applicant.user)
    refused = client.post("/applications/consents/", {"application": "unemployment_insurance",
                                                      "source": "social_security"})
    assert refused.status_code == 409 and "social_security" in consented_sources(applicant, unemployment)
    client.logout()
    assert client.get("/applications/consents/").status_code == 302


def test_the_api_withdraws_and_lists(client, unemployment, applicant, departments):
    auth = citizen_auth(applicant)
    post_json(client, f"{API}/applications/unemployment_insurance/prefill",
              {"sources": ["identity", "social_security"]}, **auth)
    listed = client.get(f"{API}/citizen/consents", **auth).json()
    assert {c["source"] for c in listed} == {"identity", "social_security"}
    gone = client.delete(f"{API}/applications/unemployment_insurance/consents/social_security", **auth)
    assert gone.status_code == 200 and gone.json() == {"withdrawn": "social_security", "consented": ["identity"],
                                                        "cases": []}
    again = client.delete(f"{API}/applications/unemployment_insurance/consents/social_security", **auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_consent"
    assert client.delete(f"{API}/applications/unemployment_insurance/consents/bank", **auth).status_code == 422
    assert client.delete(f"{API}/applications/nothing/consents/identity", **auth).status_code == 404
    assert client.delete(f"{API}/applications/unemployment_insurance/consents/identity").status_code == 401
    uses = client.get(f"{API}/citizen/application-data-use", **auth).json()["results"]
    assert [u["kind"] for u in uses if u["source"] == "social_security"] == ["withdraw", "fetch"]
    filled = post_json(client, f"{API}/applications/unemployment_insurance/prefill", {"sources": ["identity"]},
                       **auth).json()
    assert filled["sources"]["social_security"] == "no_consent"
