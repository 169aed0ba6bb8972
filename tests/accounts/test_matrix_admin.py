"""The account matrix in the admin: organisations and memberships are saved
through their actions (audited, authorised), each administrator sees and
changes only their own organisation, and the matrix itself (creating
organisations, moving them) is the municipal administrators'."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from civichall.accounts.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(make_org, make_staff):
    city = make_org("shanghai", kind="municipal")
    transport = make_org("transport-commission")
    health = make_org("health-commission")
    return {
        "city": city, "transport": transport, "health": health,
        "city_admin": make_staff("city_admin", city, "administrator"),
        "transport_admin": make_staff("transport_admin", transport, "administrator"),
        "transport_editor": make_staff("transport_editor", transport, "editor"),
    }


def org_form(org, **changes):
    data = {"name_zh": org.name_zh, "name_en": org.name_en, "account_name_zh": org.account_name_zh,
            "slug": org.slug, "kind": org.kind, "parent": org.parent_id or "", "description_zh": "",
            "description_en": "", "contact": "", "avatar": "", "sort_order": 0}
    data.update(changes)
    return data


def test_an_administrator_changes_their_own_profile_through_the_action(client, matrix):
    client.force_login(matrix["transport_admin"])
    org = matrix["transport"]
    response = client.post(reverse("accounts_organisations:edit", args=[org.pk]),
                           org_form(org, contact="热线 12345", slug="renamed"))
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.contact == "热线 12345" and org.slug == "transport-commission"  # slug is not theirs to change
    entry = ModelLogEntry.objects.get(action="civichall.organisation.edit")
    assert entry.user_id == matrix["transport_admin"].pk and entry.data["source"] == "admin"


def test_another_organisation_is_not_found_and_not_listed(client, matrix):
    client.force_login(matrix["transport_admin"])
    health = matrix["health"]
    forbidden = client.get(reverse("accounts_organisations:edit", args=[health.pk]))
    missing = client.get(reverse("accounts_organisations:edit", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    listing = client.get(reverse("accounts_organisations:index")).content.decode()
    assert health.name_zh not in listing and matrix["transport"].name_zh in listing
    response = client.post(reverse("accounts_organisations:edit", args=[health.pk]), org_form(health, contact="x"))
    assert response.status_code == 404


def test_only_municipal_administrators_create_organisations(client, matrix):
    client.force_login(matrix["transport_admin"])
    response = client.post(reverse("accounts_organisations:add"),
                           org_form(Organisation(slug="new-bureau", kind="bureau", name_zh="新局")))
    assert response.status_code in (302, 403) and not Organisation.objects.filter(slug="new-bureau").exists()
    client.force_login(matrix["city_admin"])
    response = client.post(reverse("accounts_organisations:add"),
                           org_form(Organisation(slug="new-bureau", kind="bureau", name_zh="新局")))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ModelLogEntry.objects.filter(action="civichall.organisation.create").exists()


def test_memberships_are_added_and_removed_through_the_audited_action(client, matrix, make_staff):
    newcomer = make_staff("newcomer")
    client.force_login(matrix["transport_admin"])
    response = client.post(reverse("accounts_memberships:add"),
                           {"user": newcomer.pk, "organisation": matrix["transport"].pk, "role": "editor"})
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    assert ModelLogEntry.objects.filter(action="civichall.membership.add", user_id=matrix["transport_admin"].pk)
    # not in another organisation
    response = client.post(reverse("accounts_memberships:add"),
                           {"user": newcomer.pk, "organisation": matrix["health"].pk, "role": "administrator"})
    assert response.status_code == 200 and not Membership.objects.filter(organisation=matrix["health"],
                                                                        user=newcomer).exists()
    response = client.post(reverse("accounts_memberships:delete", args=[membership.pk]))
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    assert ModelLogEntry.objects.filter(action="civichall.membership.remove").exists()


def test_editors_do_not_manage_members(client, matrix):
    client.force_login(matrix["transport_editor"])
    response = client.get(reverse("accounts_memberships:index"))
    assert response.status_code in (302, 403)
