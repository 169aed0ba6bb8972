"""After publication: the body is locked, changes come as reviewed
supplements, withdrawal keeps the URL, unpublish-in-error redirects."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import PageLogEntry

from civichall.content import actions
from civichall.content.models import ArticlePage, SupplementPage
from civichall.content.sections import section_page_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def team(metro, make_staff):
    return {
        "editor": make_staff("editor", metro, "editor"),
        "reviewer": make_staff("reviewer", metro, "reviewer"),
        "admin": make_staff("chief", metro, "administrator"),
    }


@pytest.fixture
def published(metro, team, make_article):
    page = make_article(metro)
    actions.do_submit_for_review(page, team["editor"])
    actions.do_review(page, team["reviewer"], approve=True)
    page.refresh_from_db()
    assert page.live
    return page


def test_published_body_is_locked_in_the_admin_form(published, team, client):
    from civichall.content.models import ArticlePageForm

    form_class = ArticlePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ArticlePageForm)
    form = form_class(instance=published, for_user=team["editor"])
    assert form.fields["body"].disabled
    assert form.fields["title"].disabled


def test_changed_body_is_refused_even_if_posted(published, team):
    form_class = ArticlePage.get_edit_handler().get_form_class()
    form = form_class(instance=published, for_user=team["editor"])
    # Simulate a tampered submission reaching clean() with a different body.
    form.cleaned_data = {"body": ArticlePage(body=[{"type": "rich_text", "value": "<p>改过的正文</p>"}]).body,
                         "title": published.title}
    form._errors = {}
    form.clean()
    assert "body" in form.errors


def test_editing_a_live_article_keeps_the_public_body(published, team, client):
    client.force_login(team["editor"])
    url = reverse("wagtailadmin_pages:edit", args=[published.pk])
    response = client.get(url)
    assert response.status_code == 200
    original = [(b.block_type, str(b.value)) for b in published.body]
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if value is None:
            continue
        data[name] = value
    # A hand-crafted POST that tries to change the title and the body.
    data.update({"title": "改过的标题", "slug": published.slug, "summary": "摘要可以修改",
                 "body-count": "1", "body-0-type": "rich_text", "body-0-deleted": "",
                 "body-0-order": "0", "body-0-value": json.dumps({
                     "blocks": [{"key": "a1", "text": "改过的正文", "type": "unstyled", "depth": 0,
                                 "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}),
                 "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
                 "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"})
    data.pop("tags", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    published.refresh_from_db()
    latest = published.get_latest_revision_as_object()
    assert latest.summary == "摘要可以修改"  # the save went through…
    assert latest.title == published.title
    assert [(b.block_type, str(b.value)) for b in latest.body] == original
    live = ArticlePage.objects.get(pk=published.pk)
    assert [(b.block_type, str(b.value)) for b in live.body] == original


def test_supplement_is_reviewed_then_shown_newest_first(published, team, client):
    first = published.add_child(instance=SupplementPage(
        title="更正", slug="s1", kind="correction", major=False,
        text="<p>原文中“6月2日”应为“6月1日”。</p>", live=False))
    actions.do_submit_for_review(first, team["editor"])
    html = client.get(published.url).content.decode()
    assert "应为“6月1日”" not in html  # not yet reviewed
    actions.do_review(first, team["reviewer"], approve=True)
    second = published.add_child(instance=SupplementPage(
        title="最新进展", slug="s2", kind="update", major=True,
        text="<p>6月5日起，首末班车时间恢复正常。</p>", live=False))
    actions.do_submit_for_review(second, team["editor"])
    actions.do_review(second, team["reviewer"], approve=True)
    html = client.get(published.url).content.decode()
    assert html.index("首末班车时间恢复正常") < html.index("应为“6月1日”")
    assert f'id="supplement-{second.pk}"' in html
    assert "major" in html
    assert PageLogEntry.objects.filter(page=first, action="wagtail.publish").exists()


def test_supplement_url_leads_to_the_article(published, team, client):
    sup = published.add_child(instance=SupplementPage(
        title="补充", slug="s1", kind="follow_up", text="<p>跟进说明。</p>"))
    response = client.get(sup.url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{published.url}#supplement-{sup.pk}")


def test_editor_cannot_publish_a_supplement_directly(published, team):
    sup = published.add_child(instance=SupplementPage(
        title="补充", slug="s1", kind="update", text="<p>说明。</p>", live=False))
    actions.do_submit_for_review(sup, team["editor"])
    with pytest.raises(PermissionDenied):
        actions.do_review(sup, team["editor"], approve=True)
    sup.refresh_from_db()
    assert not sup.live


def test_withdrawal_keeps_url_with_banner_and_leaves_listings(published, team, client, metro):
    with pytest.raises(PermissionDenied):
        actions.do_withdraw(published, team["editor"], "活动延期，原通知撤回")
    with pytest.raises(ValidationError):
        actions.do_withdraw(published, team["reviewer"], "")
    actions.do_withdraw(published, team["reviewer"], "活动延期举办，原通知撤回，新时间另行通知。")
    response = client.get(published.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="withdrawn-banner"' in html
    assert "活动延期举办" in html
    assert "进站请扫场所码" not in html  # the body is no longer shown
    listing = client.get(section_page_for(metro).url).content.decode()
    assert published.title not in listing
    assert PageLogEntry.objects.filter(page=published, action="civichall.withdraw").exists()
    with pytest.raises(ValidationError):
        actions.do_withdraw(published, team["reviewer"], "再次撤回试试看")


def test_unpublish_in_error_redirects_to_replacement(published, team, client, metro, make_article):
    replacement = make_article(metro, title="轨道交通恢复运营（更新版）", slug="replacement", publish=True)
    old_url = published.url
    with pytest.raises(PermissionDenied):
        actions.do_unpublish_in_error(published, team["reviewer"], replacement, "发布有误，以新稿为准")
    with pytest.raises(ValidationError):
        actions.do_unpublish_in_error(published, team["admin"], published, "发布有误，以新稿为准")
    actions.do_unpublish_in_error(published, team["admin"], replacement, "发布有误，以新稿为准")
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"].rstrip("/").endswith(replacement.url.rstrip("/"))
    assert PageLogEntry.objects.filter(page=published, action="civichall.unpublish_in_error").exists()


def test_withdraw_screen_refuses_wrong_person(published, team, client):
    client.force_login(team["editor"])
    response = client.post(reverse("civichall_withdraw", args=[published.pk]), {"reason": "我想撤回这篇文章"})
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=published.pk).withdrawal_record is None
