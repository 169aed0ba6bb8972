"""One owner of a page: the organisation whose section holds it. The
content permissions, the comment area, the API filter and the policy all
ask the same door, and a page cannot be moved to another organisation by
any path (the probe that once let the new section's editor edit an article
the comment area still gave to the old one)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civichall.accounts import policy
from civichall.content.models import ArticlePage, OrganisationPage
from civichall.content.ownership import owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sections(make_org, make_article, make_staff):
    city = make_org("shanghai", kind="municipal")
    transport = make_org("transport-commission")
    article = make_article(city, publish=True, slug="metro")
    make_article(city, publish=True, slug="second")
    return city, transport, article, make_staff("transport_editor", transport, "editor")


def test_the_owner_is_the_section_and_the_comment_area_agrees(two_sections):
    city, _transport, article, _editor = two_sections
    assert owner_of(article) == city == article.author_organisation


def test_moving_an_article_to_another_organisation_is_refused(two_sections):
    city, transport, article, editor = two_sections
    target = OrganisationPage.objects.get(organisation=transport)
    with pytest.raises(PermissionDenied):
        article.move(target, pos="last-child")
    article = ArticlePage.objects.get(pk=article.pk)
    assert owner_of(article) == city and article.author_organisation == city
    assert not policy.allows(editor, "page", "edit", article)
    assert not policy.allows(editor, "comment", "moderate", type("C", (), {"article": article})())


def test_the_admin_move_says_why_and_moves_nothing(client, two_sections, superuser):
    city, transport, article, _editor = two_sections
    client.force_login(superuser)
    target = OrganisationPage.objects.get(organisation=transport)
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[article.pk, target.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot be moved to another organisation" in response.content.decode() or \
        "不能移动到其他机构" in response.content.decode()
    assert ArticlePage.objects.get(pk=article.pk).get_parent().specific.organisation == city


def test_reordering_within_the_section_is_allowed(two_sections):
    city, _transport, article, _editor = two_sections
    section = OrganisationPage.objects.get(organisation=city)
    article.move(section, pos="last-child")
    assert owner_of(ArticlePage.objects.get(pk=article.pk)) == city
