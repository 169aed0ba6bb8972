"""Fixtures of the applications room: the organisations of the test
documents, their staff, verified citizens, saved definitions, and a
department system (a CSV connector) behind the social-security source."""

import pytest

from civichall.accounts.models import Role
from civichall.accounts.policy import SYSTEM
from civichall.applications import actions
from civichall.applications.models import ApplicationDefinition
from civichall.services import actions as service_actions

from .documents import NEWBORN, UNEMPLOYMENT

SOCIAL_SECURITY_CSV = (
    "resident_id,employer,contribution_months\n"
    "R0001,上海浦江软件有限公司,38\n"
    "R0002,上海申城物流有限公司,120\n"
)
LICENCES_CSV = "resident_id,id_card\nR0001,DZZZ-310101-0001\n"


class Lazy(dict):
    """A dict that makes its entries on first use (creating organisations
    and staff is the slow part of these tests)."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


ORGS = {"hrss": "市人力资源社会保障局", "police": "市公安局", "medical": "市医疗保障局", "health": "市卫生健康委员会"}
STAFF = {
    "liaison": ("hrss", Role.LIAISON), "officer": ("hrss", Role.CASE_OFFICER),
    "officer2": ("hrss", Role.CASE_OFFICER), "editor": ("hrss", Role.EDITOR),
    "hrss_admin": ("hrss", Role.ADMINISTRATOR),
    "police_officer": ("police", Role.CASE_OFFICER), "medical_officer": ("medical", Role.CASE_OFFICER),
    "health_officer": ("health", Role.CASE_OFFICER), "health_liaison": ("health", Role.LIAISON),
}


@pytest.fixture
def orgs(make_org):
    return Lazy(lambda slug: make_org(slug, name_zh=ORGS[slug]))


@pytest.fixture
def staff(orgs, make_staff):
    def make(name):
        slug, role = STAFF[name]
        return make_staff(name, orgs[slug], role)

    return Lazy(make)


@pytest.fixture
def applicant(make_citizen):
    return make_citizen("13800000001", verify_as="R0001")


@pytest.fixture
def other_applicant(make_citizen):
    return make_citizen("13800000002", verify_as="R0002")


@pytest.fixture
def unemployment(staff):
    actions.do_save_definition(staff["liaison"], UNEMPLOYMENT)
    return ApplicationDefinition.objects.get(code="unemployment_insurance")


@pytest.fixture
def newborn(staff, orgs):
    orgs["police"], orgs["medical"]  # the parts' organisations
    actions.do_save_definition(staff["health_liaison"], NEWBORN)
    return ApplicationDefinition.objects.get(code="newborn_bundle")


def _csv_connector(name, org, data, output=None):
    config = {"data": data, "key_columns": ["resident_id"],
              "input_schema": {"type": "object", "properties": {"resident_id": {"type": "string"}}}}
    if output:
        config["output_schema"] = {"type": "array", "items": {"type": "object", "properties": output}}
    return service_actions.do_save_connector(
        SYSTEM, None, name=name, organisation=org, kind="csv_file", personal_data=True,
        identity_param="resident_id", config=config)


@pytest.fixture
def departments(orgs):
    """The social-security and licence sources, bound to CSV connectors."""
    social = _csv_connector("hrss_insurance", orgs["hrss"], SOCIAL_SECURITY_CSV,
                            {"contribution_months": {"type": "integer"}})
    licences = _csv_connector("licence_library", orgs["police"], LICENCES_CSV)
    actions.do_bind_prefill_source(SYSTEM, "social_security", connector=social, holder="市人社局", what="您的参保记录")
    actions.do_bind_prefill_source(SYSTEM, "licences", connector=licences, holder="电子证照库", what="您的电子身份证照")
    return social, licences


def png_bytes(size=(40, 30)):
    """A real PNG picture."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text="解除劳动合同证明"):
    """A small, complete PDF."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Proof of separation")
    return bytes(pdf.output())
