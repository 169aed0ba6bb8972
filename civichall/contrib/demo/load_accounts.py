"""Loads the demo account matrix: 96 organisations, their section pages and
avatars, and the demo staff. Idempotent: a second run changes nothing.

Organisations and memberships are written through the account matrix's
actions (as ``SYSTEM``, source ``demo``), so they are checked and audited as
in the admin."""

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile

from civichall.accounts.actions import do_add_membership, do_save_organisation
from civichall.accounts.models import Membership, Organisation
from civichall.accounts.policy import SYSTEM

from . import accounts_data as demo_data

DEMO_STAFF_PASSWORD = "civichall-demo"
SOURCE = "demo"  # how the audit entries name what the demo loader wrote


def demo_image(key, title, render, collection=None):
    """A Wagtail image for demo picture ``key``, rendered once and reused."""
    import io

    from wagtail.images.models import Image

    name = f"demo-{key}.png"
    existing = Image.objects.filter(file__endswith=f"/{name}").first()
    if existing:
        return existing
    # Pictures are plain Wagtail images: the product has no action of its own for them.
    image = Image(title=title, file=ImageFile(io.BytesIO(render()), name=name))
    if collection is not None:
        image.collection = collection
    image.save()
    return image


def load_organisations(stdout=None):
    """Create or update the 96 organisations and their section pages."""
    from civichall.content.models import OrganisationIndexPage, OrganisationPage
    from civichall.content.setup import ensure_site_structure

    from .pictures import render_avatar

    ensure_site_structure()
    directory = OrganisationIndexPage.objects.get()
    by_slug = {}
    for position, row in enumerate(demo_data.ORGANISATIONS):
        org = Organisation.objects.filter(slug=row["slug"]).first()
        fields = {
            "kind": row["kind"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "account_name_zh": row["account_name_zh"],
            "description_zh": row["description_zh"],
            "description_en": row["description_en"],
            "contact": row["contact"],
            "sort_order": position,
        }
        if org is None:
            org = do_save_organisation(SYSTEM, None, source=SOURCE, slug=row["slug"], **fields)
        by_slug[org.slug] = org
    for row in demo_data.ORGANISATIONS:
        org = by_slug[row["slug"]]
        parent = by_slug.get(row["parent"]) if row["parent"] else None
        if org.parent_id != (parent.pk if parent else None):
            org = do_save_organisation(SYSTEM, org, source=SOURCE, parent=parent)
        if org.avatar_id is None:
            initials = "".join(part[0] for part in org.slug.split("-")[:2]).upper()
            avatar = demo_image(
                f"avatar-{org.slug}",
                f"{org.display_account_name} 头像",
                lambda: render_avatar(row["avatar_color"], initials),
            )
            org = do_save_organisation(SYSTEM, org, source=SOURCE, avatar=avatar)
        # An account's section page: the product creates none by an action yet
        # (administrators add it in the page tree), so the demo adds it there too.
        if not OrganisationPage.objects.filter(organisation=org).exists():
            section = directory.add_child(
                instance=OrganisationPage(title=org.display_account_name, slug=org.slug, organisation=org)
            )
            section.save_revision().publish()
    return by_slug


def load_staff():
    """Demo staff users with their memberships; returns their usernames."""
    User = get_user_model()
    names = []
    for row in demo_data.DEMO_STAFF:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            # Staff users are Django users (created in the admin or by
            # createsuperuser); their roles go through the membership action.
            user = User.objects.create_user(
                username=row["username"],
                password=DEMO_STAFF_PASSWORD,
                first_name=row["name"],
                email=f"{row['username']}@example.gov.cn",
            )
        org = Organisation.objects.get(slug=row["org"])
        if not Membership.objects.filter(user=user, organisation=org, role=row["role"]).exists():
            do_add_membership(user, org, row["role"], SYSTEM)
        names.append(row["username"])
    return names
