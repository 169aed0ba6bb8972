"""The demo's online applications: the fake department systems serve the
prefill sources for the demo residents, and the loader files cases in
several states across organisations through the product's actions."""

import httpx
import pytest

from civichall.accounts.models import Citizen
from civichall.applications.models import ApplicationDefinition, Case, DataUse, RatingFollowUp
from civichall.contrib.demo import fake_department, load_accounts, load_applications
from civichall.contrib.demo.departments import DEMO_API_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    server, base = fake_department.start(port=0)
    yield base
    fake_department.stop(server)


def test_the_fake_departments_serve_each_prefill_source(department):
    client = httpx.Client(trust_env=False, headers={"X-Api-Key": DEMO_API_KEY})
    get = lambda path: client.get(f"{department}{path}")  # noqa: E731
    assert get("/api/residents/social_security?resident_id=R0001").json()["data"]["employer"] == "上海浦江软件科技有限公司"
    assert get("/api/residents/identity?resident_id=R0004").json()["data"]["name"] == "张秀兰"
    assert get("/api/residents/licences?resident_id=R0004").json()["data"]["disability_level"] == "3"
    assert get("/api/residents/residence?resident_id=R0999").json()["data"] == {}
    assert get("/api/residents/tax?resident_id=R0001").status_code == 400


def test_the_loader_files_cases_in_every_state_with_prefill_from_the_departments(department):
    load_accounts.load_organisations()
    lines = load_applications.load_applications(department)
    assert not [line for line in lines if "refused" in line or "not filed" in line], lines
    assert ApplicationDefinition.objects.count() == len(load_applications.definition_documents())
    chen = Citizen.objects.get(mobile="13800000001")
    states = dict(Case.objects.filter(citizen=chen).values_list("definition__code", "state"))
    assert states == {"unemployment_insurance": "needs_material", "social_security_card_replacement": "completed"}
    waiting = Case.objects.get(citizen=chen, state="needs_material")
    assert waiting.prefilled["last_employer"]["source"] == "social_security"
    assert DataUse.objects.filter(citizen=chen, holder="市人社局").exists()
    assert {"submitted", "accepted", "in_review", "needs_material", "approved", "completed",
            "not_accepted"} <= set(Case.objects.values_list("state", flat=True))
    assert Case.objects.values("organisation").distinct().count() >= 6
    assert set(RatingFollowUp.objects.values_list("state", flat=True)) == {"open", "answered"}
    bundle = Case.objects.get(definition__code="newborn_bundle")
    assert bundle.parts.count() == 3 and bundle.parts.filter(done_at__isnull=False).count() == 1
    # A second load changes nothing.
    before = (Case.objects.count(), sum(d.versions.count() for d in ApplicationDefinition.objects.all()))
    load_applications.load_applications(department)
    assert (Case.objects.count(), sum(d.versions.count() for d in ApplicationDefinition.objects.all())) == before
