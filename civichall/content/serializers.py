"""Structured JSON for articles and their blocks, shared by the API (and
later by the WeChat channel). Walks each block's definition so that every
block type, present and future, comes out as plain JSON."""

from django.utils import timezone
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from . import charts


def image_json(image, spec="width-1200"):
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {
        "id": image.pk,
        "title": image.title,
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
    }


def block_value_json(block, value):
    """Plain JSON for ``value`` of ``block``."""
    if hasattr(block, "api_value"):
        return block.api_value(value)
    if isinstance(block, ImageChooserBlock):
        return image_json(value)
    if isinstance(block, DocumentChooserBlock):
        return None if value is None else {"id": value.pk, "title": value.title, "url": value.url}
    if isinstance(block, TableBlock):
        return charts.table_rows(value)
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source if isinstance(value, RichText) else (value or ""))
    if isinstance(block, blocks.StructBlock):
        return {name: block_value_json(child, value.get(name)) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [block_value_json(block.child_block, item) for item in value]
    if isinstance(block, blocks.StreamBlock):
        return stream_json(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def stream_json(stream_value):
    """A StreamField value as a list of ``{"type", "id", "value"}``."""
    return [
        {"type": child.block_type, "id": child.id, "value": block_value_json(child.block, child.value)}
        for child in stream_value
    ]


def local_iso(moment):
    """ISO 8601 in the site's time zone (Asia/Shanghai by default), or None."""
    return timezone.localtime(moment).isoformat() if moment else None


def absolute_url(page, request=None):
    """The page's public URL, absolute to the host the client asked."""
    url = page.get_url(request)
    if url and request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


def organisation_json(org):
    if org is None:
        return None
    return {
        "slug": org.slug,
        "kind": org.kind,
        "name": org.name,
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "account_name": org.display_account_name,
    }


def article_summary_json(page, request=None):
    return {
        "id": page.pk,
        "title": page.title,
        "summary": page.summary,
        "url": absolute_url(page, request),
        "published_at": local_iso(page.first_published_at),
        "organisation": organisation_json(page.author_organisation),
        "topics": [{"slug": t.slug, "name": t.name} for t in page.topics.all()],
        "tags": [t.name for t in page.tags.all()],
        "cover": image_json(page.cover_image, "fill-800x450") if page.cover_image_id else None,
    }


def article_detail_json(page, request=None):
    data = article_summary_json(page, request)
    withdrawal = page.withdrawal_record
    data["withdrawn"] = (
        {"reason": withdrawal.reason, "at": local_iso(withdrawal.withdrawn_at)} if withdrawal else None
    )
    data["not_reviewed"] = page.unreviewed_publication is not None
    data["last_published_at"] = local_iso(page.last_published_at)
    data["body"] = [] if withdrawal else stream_json(page.body)
    data["supplements"] = [
        {
            "id": s.pk,
            "kind": s.kind,
            "major": s.major,
            "title": s.title,
            "text": expand_db_html(s.text),
            "published_at": local_iso(s.first_published_at),
        }
        for s in page.public_supplements()
    ]
    return data
