"""The permission policy: for every demo staff member (and a citizen, an
anonymous reader, a superuser and the system), every kind of object and
every action the policy knows, the decision for one object and the filter
for a list agree -- so a page, the admin list, the API and a queue can never
say different things. Plus the decisions that matter most, spelled out."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from civichall.accounts import policy
from civichall.contrib.demo.accounts_data import DEMO_STAFF
from civichall.accounts.models import Citizen, Membership, Organisation
from civichall.accounts.policy import SYSTEM
from civichall.content.models import Topic
from civichall.interaction import actions as interaction
from civichall.interaction.models import Comment, OfficialReply, Question, RoutingRule
from civichall.safety.models import LexiconEntry
from civichall.services.models import AccountMenu, Connector, ConnectorShare, Hub, Service

from tests.accounts.policy_walk import assert_decision_and_filter_agree

pytestmark = pytest.mark.django_db

SLUGS = {"shanghai": "municipal", "education-commission": "bureau", "huangpu": "district",
         "transport-commission": "bureau", "health-commission": "bureau"}


@pytest.fixture
def world(make_org, make_article, make_staff, make_citizen, superuser, settings):
    """Five organisations with the demo staff, an article each, services,
    hubs, menus, connectors (one shared), comments, a question, a reply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    orgs = {slug: make_org(slug, kind=kind) for slug, kind in SLUGS.items()}
    staff = [make_staff(row["username"], orgs[row["org"]], row["role"]) for row in DEMO_STAFF]
    reader = make_citizen("13900000201")
    other = make_citizen("13900000202")
    articles = {slug: make_article(org, publish=True, slug=f"a-{slug}") for slug, org in orgs.items()}
    for slug, org in orgs.items():
        connector = Connector.objects.create(name=f"c-{slug}", kind="http_json", organisation=org)
        Service.objects.create(code=f"s-{slug}", kind="link", organisation=org, name_zh=f"{slug}服务",
                               link_url="https://example.org/")
        Service.objects.create(code=f"r-{slug}", kind="link", organisation=org, name_zh="停用",
                               status="retired", link_url="https://example.org/")
        Hub.objects.create(slug=f"h-{slug}", organisation=org, name_zh=f"{slug}大厅")
        AccountMenu.objects.create(organisation=org, menu={"button": []})
        comment = interaction.do_post_comment(reader, articles[slug], "请问地铁几点开始运营？", rate_limit=False)
        interaction.do_post_comment(other, articles[slug], "谢谢发布", rate_limit=False)
        if not hasattr(comment, "question"):
            interaction.do_mark_question(SYSTEM, comment)
        interaction.do_reply(superuser, comment, "您好，首班车时间为5时30分，具体以车站公告为准。")
        if slug != "shanghai":
            ConnectorShare.objects.create(connector=connector, organisation=orgs["shanghai"], reason="共享测试用")
    RoutingRule.objects.create(name="交通", organisation=orgs["transport-commission"], keywords="地铁")
    LexiconEntry.objects.create(term="测试词", key="测试词", category="other", severity="review")
    Topic.objects.create(slug="traffic", name_zh="交通")
    actors = staff + [reader.user, AnonymousUser(), superuser, SYSTEM]
    return actors


MODELS = {
    "organisation": lambda: Organisation.objects.all(),
    "membership": lambda: Membership.objects.all(),
    "service": lambda: Service.objects.all(),
    "hub": lambda: Hub.objects.all(),
    "menu": lambda: AccountMenu.objects.all(),
    "connector": lambda: Connector.objects.all(),
    "connector_share": lambda: ConnectorShare.objects.all(),
    "lexicon": lambda: LexiconEntry.objects.all(),
    "routing_rule": lambda: RoutingRule.objects.all(),
    "topic": lambda: Topic.objects.all(),
    "page": lambda: Page.objects.all(),
    "comment": lambda: Comment.objects.all(),
    "question": lambda: Question.objects.all(),
    "reply": lambda: OfficialReply.objects.all(),
    "citizen": lambda: Citizen.objects.all(),
}


def test_every_kind_of_the_policy_is_walked():
    # the kinds of the rooms at or below accounts are walked here; a higher
    # room walks the kinds it registers in its own tests (policy_walk)
    assert policy.CORE_KINDS == set(MODELS)


def test_decision_and_list_filter_agree_for_every_actor_kind_and_action(world):
    walked = assert_decision_and_filter_agree(world, MODELS)
    assert walked == sum(len(policy.RULES[kind]) for kind in MODELS) * len(world)


def by_name(world, name):
    return next(a for a in world if getattr(a, "username", None) == name)


def test_the_decisions_that_matter(world):
    health = Organisation.objects.get(slug="health-commission")
    transport = Organisation.objects.get(slug="transport-commission")
    liaison = by_name(world, "health_liaison")
    # a liaison keeps their own services, not another bureau's; never connectors
    assert policy.allows(liaison, "service", "edit", Service.objects.get(code="s-health-commission"))
    assert not policy.allows(liaison, "service", "edit", Service.objects.get(code="s-transport-commission"))
    assert not policy.allows(liaison, "connector", "view", Connector.objects.get(organisation=health))
    # a municipal administrator does not read a bureau's department secrets
    city_admin = by_name(world, "sh_admin")
    assert not policy.allows(city_admin, "connector", "edit", Connector.objects.get(organisation=transport))
    assert policy.allows(city_admin, "lexicon", "change") and policy.allows(city_admin, "routing_rule", "change")
    assert not policy.allows(by_name(world, "edu_reviewer"), "lexicon", "change")
    # retired services are public to nobody but their editors
    retired = Service.objects.get(code="r-health-commission")
    assert not policy.allows(AnonymousUser(), "service", "view", retired)
    assert policy.allows(liaison, "service", "view", retired)
    # None is never an actor
    assert not policy.allows(None, "service", "view", Service.objects.get(code="s-huangpu"))
    with pytest.raises(PermissionDenied):
        policy.check(None, "organisation", "view", health)
    with pytest.raises(PermissionDenied):
        policy.check(SYSTEM, "service", "no-such-action")


def test_questions_and_notes_stay_with_their_organisation(world):
    question = Question.objects.filter(organisation__slug="health-commission").first()
    assert policy.allows(by_name(world, "health_liaison"), "question", "view_notes", question)
    for name in ("transport_liaison", "edu_reviewer", "huangpu_editor"):
        assert not policy.allows(by_name(world, name), "question", "view_notes", question)
