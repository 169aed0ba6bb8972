"""The demo, loaded room by room in dependency order."""

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_ADMIN = {"username": "admin", "password": "civichall-admin"}


def ensure_demo_admin():
    """A superuser to sign in to the demo's admin; returns (username, password)."""
    User = get_user_model()
    if not User.objects.filter(username=DEMO_ADMIN["username"]).exists():
        User.objects.create_superuser(
            DEMO_ADMIN["username"], "admin@example.gov.cn", DEMO_ADMIN["password"],
            first_name="演示管理员",
        )
    return DEMO_ADMIN["username"], DEMO_ADMIN["password"]


@transaction.atomic
def load_all():
    """Load every room's demo data; returns lines describing what is there."""
    from civichall.accounts import demo as accounts_demo
    from civichall.accounts.models import Organisation
    from civichall.content import demo as content_demo
    from civichall.content.models import ArticlePage
    from civichall.interaction import demo as interaction_demo
    from civichall.services import demo as services_demo

    ensure_demo_admin()
    accounts_demo.load_organisations()
    staff = accounts_demo.load_staff()
    content_demo.load_topics()
    services = services_demo.load_services()  # before the articles: their cards choose services
    created = content_demo.load_articles()
    comments = interaction_demo.load_comments()
    return [
        f"organisations: {Organisation.objects.count()}",
        f"articles: {ArticlePage.objects.count()} ({created} new)",
        *services,
        comments,
        f"demo staff (password {accounts_demo.DEMO_STAFF_PASSWORD}): {', '.join(staff)}",
    ]
