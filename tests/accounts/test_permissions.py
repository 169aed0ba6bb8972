"""Least privilege in the account matrix: staff create and edit content only
in their own organisation's section; memberships drive Wagtail groups."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civichall.accounts.actions import do_add_membership, do_remove_membership
from civichall.accounts.policy import SYSTEM
from civichall.accounts.models import Membership
from civichall.accounts.permissions import access_organisation, has_role, organisations_for
from civichall.content.permissions import access_page
from civichall.content.sections import organisation_for_page, section_page_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(make_org):
    city = make_org("city", kind="municipal", name_zh="上海发布")
    return make_org("education", parent=city, name_zh="上海教育"), make_org("transport", parent=city, name_zh="上海交通")


def test_editor_can_add_article_in_own_section_only(two_orgs, make_staff, client):
    education, transport = two_orgs
    editor = make_staff("edu_editor", education, "editor")
    client.force_login(editor)
    own = section_page_for(education)
    other = section_page_for(transport)
    add_own = reverse("wagtailadmin_pages:add", args=["content", "articlepage", own.pk])
    add_other = reverse("wagtailadmin_pages:add", args=["content", "articlepage", other.pk])
    assert client.get(add_own).status_code == 200
    assert client.get(add_other).status_code in (302, 403)


def test_editor_cannot_edit_another_sections_article(two_orgs, make_staff, make_article, client):
    education, transport = two_orgs
    editor = make_staff("edu_editor", education, "editor")
    theirs = make_article(transport, slug="theirs")
    mine = make_article(education, slug="mine")
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        access_page(editor, theirs, "edit")
    assert access_page(editor, mine, "edit") == mine


def test_liaison_has_no_content_rights(two_orgs, make_staff, make_article):
    education, _transport = two_orgs
    liaison = make_staff("liaison", education, "liaison")
    page = make_article(education)
    for action in ("edit", "review", "force_publish", "withdraw", "unpublish", "supplement"):
        with pytest.raises(PermissionDenied):
            access_page(liaison, page, action)


def test_unknown_action_is_refused(two_orgs, superuser, make_article):
    education, _ = two_orgs
    page = make_article(education)
    with pytest.raises(PermissionDenied):
        access_page(superuser, page, "delete_everything")
    with pytest.raises(PermissionDenied):
        access_organisation(superuser, education, "delete_everything")


def test_anonymous_has_no_role(two_orgs):
    from django.contrib.auth.models import AnonymousUser

    education, _ = two_orgs
    assert not has_role(AnonymousUser(), education, "editor")
    assert list(organisations_for(AnonymousUser(), "editor")) == []
    assert access_organisation(AnonymousUser(), education, "view") == education
    with pytest.raises(PermissionDenied):
        access_organisation(AnonymousUser(), education, "manage_members")


def test_membership_changes_follow_into_groups(two_orgs, make_staff):
    education, transport = two_orgs
    person = make_staff("person")
    membership = do_add_membership(person, education, "editor", SYSTEM)
    assert person.groups.filter(name="education:editor").exists()
    do_add_membership(person, education, "editor", SYSTEM)  # idempotent
    assert Membership.objects.filter(user=person).count() == 1
    do_remove_membership(membership, SYSTEM)
    assert not person.groups.filter(name="education:editor").exists()
    assert not has_role(person, education, "editor")


def test_only_an_org_administrator_manages_its_members(two_orgs, make_staff):
    education, transport = two_orgs
    admin = make_staff("edu_admin", education, "administrator")
    newcomer = make_staff("newcomer")
    do_add_membership(newcomer, education, "editor", acting_user=admin)
    with pytest.raises(PermissionDenied):
        do_add_membership(newcomer, transport, "editor", acting_user=admin)
    with pytest.raises(ValueError):
        do_add_membership(newcomer, education, "overlord", SYSTEM)


def test_organisation_for_page_walks_up_to_the_section(two_orgs, make_article):
    from civichall.content.models import SupplementPage

    education, _ = two_orgs
    page = make_article(education)
    supplement = page.add_child(instance=SupplementPage(title="补充", slug="s", kind="update", text="<p>x</p>"))
    assert organisation_for_page(page) == education
    assert organisation_for_page(supplement) == education
    assert organisation_for_page(section_page_for(education).get_parent()) is None


@pytest.mark.parametrize("role", ["editor", "reviewer", "administrator", "liaison"])
def test_admin_screens_render_for_each_role(role, two_orgs, make_staff, make_article, client):
    education, _ = two_orgs
    person = make_staff(f"{role}_person", education, role)
    page = make_article(education, publish=True)
    client.force_login(person)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    explore = client.get(reverse("wagtailadmin_explore", args=[section_page_for(education).pk]))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if role == "liaison":
        assert edit.status_code in (302, 403)
        return
    assert explore.status_code == 200
    assert edit.status_code == 200
    html = edit.content.decode()
    assert ("civichall/pages/%d/force_publish" % page.pk in html) == (role == "administrator")
    assert ("civichall/pages/%d/withdraw" % page.pk in html) == (role in ("reviewer", "administrator"))
