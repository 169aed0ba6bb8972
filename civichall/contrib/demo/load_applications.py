"""The demo's online applications: the definition documents of
``applications/`` saved through the product's action, the prefill sources
bound to connectors of the fake department systems, case officers, and
cases in every state across several organisations.

Demo citizen 13800000001 (陈晓雯) has an unemployment benefit case waiting
for more material and a completed social security card replacement with
its decision letter; a few finished cases carry ratings, bad ones with
their follow-ups. 刘浩然 (13800000005) is left without cases and unverified,
for trying real-name verification and a first application from scratch. Everything goes through the named actions (the system
acting, or the demo's case officers), so it is audited like real work.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from civichall.accounts.actions import do_add_membership
from civichall.accounts.citizens import do_verify_identity
from civichall.accounts.models import Citizen, Membership, Organisation, Role
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions, formengine
from civichall.applications.actions.drafts import draft_for, licences_fetched, sources_of
from civichall.applications.models import ApplicationDefinition, Case, PrefillSource
from civichall.core.errors import REFUSALS
from civichall.services.actions import do_save_connector
from civichall.services.models import Connector

from . import departments as dd
from .identity import DEMO_RESIDENTS
from .load_accounts import DEMO_STAFF_PASSWORD
from .load_services import department_url

DEFINITIONS_DIR = Path(__file__).parent / "applications"
SOURCE = "demo"

#: prefill source -> (owning organisation, holder in words, what in words)
PREFILL_SOURCES = {
    "identity": ("public-security-bureau", "实名认证平台", "您的姓名、身份证号码和手机号码"),
    "residence": ("public-security-bureau", "市公安局", "您的居住登记和户籍信息"),
    "social_security": ("human-resources-social-security-bureau", "市人社局", "您的参保记录"),
    "medical_insurance": ("medical-security-bureau", "市医保局", "您的医保参保信息"),
    "licences": ("shanghai", "市电子证照库", "您的电子证照"),
}

#: Case officers of the demo (password: the demo staff password).
OFFICERS = {
    "hrss_officer": "human-resources-social-security-bureau",
    "police_officer": "public-security-bureau",
    "medical_officer": "medical-security-bureau",
    "health_officer": "health-commission",
    "civil_affairs_officer": "civil-affairs-bureau",
    "disability_officer": "disabled-persons-federation",
    "employment_officer": "employment-promotion-center",
    "card_officer": "social-security-card-center",
    "fund_officer": "housing-provident-fund",
    "education_officer": "education-commission",
}

#: Values the demo residents "type" where the city holds nothing.
TYPED = {
    "bank_name": "中国工商银行上海市分行", "bank_account": "6222021001112223334", "job_intent": "软件测试工程师",
    "position": "仓储主管", "business_name": "上海思远咖啡工作室", "business_credit_code": "92310115MA1K4YB23P",
    "student_name": "刘小雨", "student_id_number": "310110201209150021", "school_name": "上海市杨浦区控江中学",
    "child_name": "赵安宁", "birth_hospital": "上海市第一妇婴保健院", "child_ethnicity": "汉族",
    "other_parent_name": "孙浩", "other_parent_id_number": "310112198305060018",
    "photo_receipt_number": "ZP20261105001", "amount": 12000, "household_members": 2, "employees": 3,
    "separation_date": "2026-10-30", "start_date": "2026-11-02", "registration_date": "2026-06-18",
    "child_birth_date": "2026-11-12",
}


def _record(source, resident_id):
    records = json.loads(dd.data_path("resident_records.json").read_text(encoding="utf-8"))["residents"]
    return records.get(resident_id, {}).get(source) or {}


def load_prefill_sources(base_url=None):
    """Connectors to the fake department systems, one per prefill source,
    owned by the organisation that holds the data; each source bound to its
    connector with the words the citizen is asked with."""
    base = (base_url or department_url()).rstrip("/")
    orgs = {o.slug: o for o in Organisation.objects.all()}
    for code, (owner, holder, what) in PREFILL_SOURCES.items():
        name = f"prefill_{code}"
        config = {
            "url_template": f"{base}/api/residents/{code}?resident_id={{resident_id}}",
            "headers": {"X-Api-Key": "{secret}"}, "result_path": "data", "expect": {"code": 0}, "name": name,
            "input_schema": {"type": "object", "required": ["resident_id"], "additionalProperties": False,
                             "properties": {"resident_id": {"type": "string", "pattern": dd.RESIDENT_PATTERN}}},
            "output_schema": {"type": "object"},
        }
        connector = Connector.objects.filter(name=name).first()
        if connector is None:
            connector = do_save_connector(SYSTEM, None, secret=dd.DEMO_API_KEY, source=SOURCE, name=name,
                                          kind="http_json", config=config,
                                          organisation=orgs.get(owner) or orgs["shanghai"],
                                          personal_data=True, identity_param="resident_id")
        elif connector.config != config:
            connector = do_save_connector(SYSTEM, connector, source=SOURCE, config=config)
        if not PrefillSource.objects.filter(code=code, connector=connector, holder=holder, what=what).exists():
            actions.do_bind_prefill_source(SYSTEM, code, connector=connector, holder=holder, what=what)


def definition_documents():
    """The demo's definition documents, by code."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DEFINITIONS_DIR.glob("*.json"))}


def load_definitions(documents=None):
    """Save every document (default: the applications'; a changed one becomes
    a new version); returns (saved, problems) where problems names the
    documents refused."""
    saved, problems = 0, []
    for code, document in (definition_documents() if documents is None else documents).items():
        if not Organisation.objects.filter(slug=document.get("organisation")).exists():
            problems.append(f"{code}: unknown organisation {document.get('organisation')}")
            continue
        try:
            actions.do_save_definition(SYSTEM, document)
            saved += 1
        except REFUSALS as error:
            problems.append(f"{code}: {error}")
    return saved, problems


def load_officers():
    """A case officer per handling organisation; returns their usernames."""
    User = get_user_model()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=OFFICERS.values())}
    names = []
    for username, slug in OFFICERS.items():
        if slug not in orgs:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, f"{username}@example.gov.cn", DEMO_STAFF_PASSWORD,
                                            first_name="演示办件人员")
        if not Membership.objects.filter(user=user, organisation=orgs[slug], role=Role.CASE_OFFICER).exists():
            do_add_membership(user, orgs[slug], Role.CASE_OFFICER, SYSTEM)
        names.append(username)
    return names


def _resident_citizen(resident):
    """The demo resident's citizen account, real-name verified."""
    citizen = Citizen.objects.filter(mobile=resident["mobile"]).select_related("user").first()
    if citizen is None:
        user = get_user_model()(username=f"c_demo_{resident['mobile']}")
        user.set_unusable_password()
        user.save()
        citizen = Citizen.objects.create(user=user, mobile=resident["mobile"])
    if not citizen.is_verified:
        do_verify_identity(citizen, resident["name"], resident["id_number"], address="demo")
    return citizen


def _demo_pdf(title):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, f"Demo material: {title}")
    return bytes(pdf.output())


def _fill(doc, data, choices):
    """Fill what the city did not: the case's own choices, then the typed
    values, then the first option / no / a plausible default."""
    for _round in range(4):
        missing = formengine.validate(doc, data)
        if not missing:
            return data
        for name in missing:
            prop = formengine.property_of(doc, name)
            if name in choices:
                data[name] = choices[name]
            elif name in TYPED:
                data[name] = TYPED[name]
            elif "enum" in prop:
                data[name] = prop["enum"][0]
            elif prop.get("type") == "boolean":
                data[name] = False
            elif prop.get("format") == "date":
                data[name] = "2026-10-30"
            elif prop.get("type") in ("integer", "number"):
                data[name] = max(1, int(prop.get("minimum", 1)))
            else:
                data[name] = "演示填写"
    return data


def _file(citizen, code, choices, key):
    """One case of ``citizen`` for application ``code``: consent to every
    source, prefill, the rest typed, required materials uploaded."""
    definition = ApplicationDefinition.objects.filter(code=code).first()
    if definition is None:
        return None
    existing = Case.objects.filter(citizen=citizen, idempotency_key=key).first()
    if existing is not None:
        return existing
    user = citizen.user
    sources = sources_of(definition.current.document)
    if sources:
        actions.do_give_consent(user, definition, sources)
        actions.do_prefill(user, definition)
    draft = draft_for(citizen, definition)
    doc = draft.version.document
    data = dict(draft.data)
    # Without the department systems running (``load_demo``), the resident
    # types what they would have served.
    for entry in doc.get("prefill") or []:
        record = _record(entry["source"], citizen.verified_subject)
        if entry["source"] == "identity":
            record = {**record, "phone": citizen.mobile}
        for prop, field in entry["fields"].items():
            if prop not in data and record.get(field) not in (None, ""):
                data[prop] = record[field]
    data = _fill(doc, data, choices)
    actions.do_save_draft(user, definition, data)
    licences = licences_fetched(draft_for(citizen, definition))
    for spec in doc.get("materials") or []:
        if spec.get("required") and spec.get("licence") not in licences:
            pdf = "application/pdf" in spec["types"]
            content = _demo_pdf(spec["code"]) if pdf else _demo_png()
            name = f"{spec['code']}.{'pdf' if pdf else 'png'}"
            actions.do_add_material(user, spec["code"], SimpleUploadedFile(name, content), definition=definition)
    case, _created = actions.do_submit(user, definition, idempotency_key=key)
    return case


def _demo_png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (230, 230, 240)).save(out, "PNG")
    return out.getvalue()


REJECT = ("经核查，申请人不符合本事项的申领条件。", "如不服本决定，可在收到本决定书之日起60日内向市人民政府申请行政复议，或者在6个月内依法提起行政诉讼。")

#: (resident, application, choices, events after submit, rating)
CASES = [
    ("R0001", "unemployment_insurance", {"separation_reason": "contract_expired"},
     [("accept", {}), ("ask_material", {"reason": "请补交原单位出具并加盖公章的《解除（终止）劳动合同证明书》扫描件。"})], None),
    ("R0001", "social_security_card_replacement", {"reason": "damaged", "delivery": "counter"},
     [("accept", {}), ("start_review", {}), ("approve", {}), ("complete", {})], (5, ["办事便捷", "材料简化"], "全程没跑腿。")),
    ("R0002", "housing_fund_withdrawal", {"purpose": "retirement"}, [("accept", {}), ("start_review", {})], None),
    ("R0002", "employment_registration", {"contract_type": "open_ended"}, [], None),
    ("R0003", "residence_permit", {"application_type": "first", "basis": "employment"}, [("accept", {})], None),
    ("R0003", "startup_subsidy", {"applicant_group": "graduate"},
     [("accept", {}), ("start_review", {}), ("reject", {"reason": REJECT[0], "appeal": REJECT[1]}), ("complete", {})],
     (2, ["答复不清楚"], "没说清楚哪一条不符合。")),
    ("R0004", "disability_living_subsidy", {"economic_status": "low_income", "has_guardian": False},
     [("accept", {}), ("start_review", {}), ("approve", {})], None),
    ("R0004", "elderly_allowance", {"payment_account": "social_security_card"},
     [("accept", {}), ("start_review", {}), ("approve", {}), ("complete", {})], (1, ["办理超时"], "等了很久才办好。")),
    ("R0002", "student_aid", {"relation": "father", "difficulty_type": "low_income"},
     [("not_accept", {"reason": "申请材料中的困难认定证明已过有效期，请重新办理后再申请。"})], None),
    ("R0006", "newborn_bundle", {"applicant_relation": "mother", "child_sex": "female", "certificate_issued": False,
                                 "registration_with": "applicant", "parents_married": True,
                                 "insurance_payment": "online"},
     [("accept", {}), ("start_review", {}), ("part:public-security-bureau", {})], None),
    ("R0006", "unemployment_bundle", {"separation_reason": "employer_terminated", "training_completed": False}, [], None),
]


def load_cases():
    """The demo cases (each once: a fixed idempotency key); returns how many exist."""
    residents = {r["subject"]: r for r in DEMO_RESIDENTS}
    problems = []
    for index, (subject, code, choices, events, rating) in enumerate(CASES):
        citizen = _resident_citizen(residents[subject])
        key = f"demo-{index}-{code}"
        if Case.objects.filter(citizen=citizen, idempotency_key=key).exists():
            continue
        try:
            with transaction.atomic():
                case = _file(citizen, code, choices, key)
                if case is None:
                    continue
                _handle(case, citizen, events, rating)
        except REFUSALS as error:  # a document changed under the demo: say so, load the rest
            problems.append(f"{code}: {error}")
    return Case.objects.count(), problems


def _officer(organisation):
    """The demo case officer of ``organisation`` (the system if none)."""
    membership = Membership.objects.filter(organisation=organisation, role=Role.CASE_OFFICER).select_related(
        "user").first()
    return membership.user if membership else SYSTEM


def _handle(case, citizen, events, rating):
    officer = _officer(case.organisation)
    for event, facts in events:
        if event.startswith("part:"):
            for part in case.parts.filter(organisation__slug=event[5:]):
                actions.do_complete_part(_officer(part.organisation), part)
        else:
            case = actions.do_transition(officer, case, event, **facts)
    if rating is not None:
        score, reasons, comment = rating
        made = actions.do_rate(citizen.user, case, score, reasons, comment)
        if score == 1:
            actions.do_answer_follow_up(officer, made.follow_up,
                                        "已核查：因街道受理窗口转办延误，已调整为线上直接转办，感谢您的监督。")


def load_applications(base_url=None):
    """Everything above; returns lines for the console."""
    load_prefill_sources(base_url)
    saved, problems = load_definitions()
    officers = load_officers()
    cases, case_problems = load_cases()
    lines = [f"online applications: {ApplicationDefinition.objects.count()} definitions ({saved} checked), "
             f"{cases} cases; case officers (password {DEMO_STAFF_PASSWORD}): {', '.join(officers)}"]
    lines += [f"  definition refused: {p}" for p in problems]
    lines += [f"  demo case not filed: {p}" for p in case_problems]
    return lines
