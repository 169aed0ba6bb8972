"""The library of content blocks: one block for every form the account
publishes in (text, pictures, comics, video, charts, posters, Q&A lists,
"knock on the blackboard" key points, step-by-step guides, extra reading and
service cards).

Every page type reuses these; each block renders readable HTML without
JavaScript and exposes structured JSON through ``api_value`` for the API.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from . import charts

# The URL name of the service chooser modal (registered by the service matrix).
SERVICE_CHOOSER_URL = "services_service_chooser:choose"

RICH_FEATURES = ["bold", "italic", "h3", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", _("Heading")), ("h3", _("Subheading"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alt text"),
        max_length=300,
        help_text=_("Describe the picture for readers who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class FrameBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(label=_("alt text"), max_length=300)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Frame")


class ImageSequenceBlock(blocks.StructBlock):
    """A comic strip or a series of pictures read in order."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    frames = blocks.ListBlock(FrameBlock(), label=_("frames"), min_num=2)

    class Meta:
        icon = "image"
        label = _("Image sequence / comic")
        template = "content/blocks/image_sequence.html"


class VideoBlock(blocks.StructBlock):
    """A video from an upload or a URL; the transcript keeps it accessible."""

    file = DocumentChooserBlock(label=_("uploaded video"), required=False)
    url = blocks.URLBlock(label=_("video URL"), required=False)
    poster = ImageChooserBlock(label=_("poster frame"), required=False)
    caption = blocks.CharBlock(label=_("caption"), max_length=300)
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("file") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "url": ErrorList(
                        [ValidationError(_("Upload a video or give its URL."))]
                    )
                }
            )
        return value


class ChartBlock(blocks.StructBlock):
    """Data entered as a table; rendered as a chart with the table beside it
    as the accessible fallback."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    chart_type = blocks.ChoiceBlock(
        label=_("chart type"),
        choices=[("bar", _("Bar")), ("line", _("Line")), ("pie", _("Pie"))],
        default="bar",
    )
    table = TableBlock(
        label=_("data"),
        help_text=_("First row: series names. First column: labels. Other cells: numbers."),
        table_options={"startRows": 4, "startCols": 3, "colHeaders": False, "rowHeaders": False},
    )
    unit = blocks.CharBlock(label=_("unit"), required=False, max_length=30)
    source = blocks.CharBlock(label=_("data source"), required=False, max_length=200)

    class Meta:
        icon = "table"
        label = _("Chart")
        template = "content/blocks/chart.html"

    def clean(self, value):
        value = super().clean(value)
        problem = charts.table_problem(value["table"])
        if problem:
            raise StructBlockValidationError(
                block_errors={"table": ErrorList([ValidationError(problem)])}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["chart"] = charts.build_chart(value["table"], value["chart_type"])
        return context


class PosterBlock(blocks.StructBlock):
    """A poster or "one picture explains it" image with its full text."""

    image = ImageChooserBlock(label=_("image"))
    title = blocks.CharBlock(label=_("title"), max_length=120)
    description = blocks.TextBlock(
        label=_("full text"),
        help_text=_("Everything the poster says, so that nobody loses it."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Poster / one picture explains it")
        template = "content/blocks/poster.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_FEATURES)


class QAListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Q&A list")
        template = "content/blocks/qa_list.html"


class KeyPointsBlock(blocks.StructBlock):
    """'Knock on the blackboard': the points a reader must not miss."""

    title = blocks.CharBlock(label=_("title"), default="敲黑板", max_length=60)
    points = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("points"), min_num=1)

    class Meta:
        icon = "warning"
        label = _("Key points")
        template = "content/blocks/key_points.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    body = blocks.TextBlock(label=_("what to do"))
    image = ImageChooserBlock(label=_("image"), required=False)


class StepGuideBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step guide")
        template = "content/blocks/step_guide.html"


class ReadingItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    body = blocks.TextBlock(label=_("text"))


class ExtraReadingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), default="课外补充阅读", max_length=60)
    items = blocks.ListBlock(ReadingItemBlock(), label=_("items"), min_num=1)

    class Meta:
        icon = "openquote"
        label = _("Extra reading")
        template = "content/blocks/extra_reading.html"


class ServiceChooser(BaseChooser):
    """The admin's chooser of a service. The service matrix registers the
    modal under ``SERVICE_CHOOSER_URL``; content names it instead of
    importing a higher room."""

    model = "services.Service"
    chooser_modal_url_name = SERVICE_CHOOSER_URL
    choose_one_text = _("Choose a service")
    choose_another_text = _("Choose another service")
    show_edit_link = False
    icon = "cogs"


class ServiceChooserBlock(blocks.ChooserBlock):
    """A service of the matrix, stored by id: a renamed service keeps its
    cards, and no card can point at a path that does not exist."""

    target_model = "services.Service"

    @cached_property
    def widget(self):
        return ServiceChooser()

    class Meta:
        icon = "cogs"


class ServiceCardBlock(blocks.StructBlock):
    """A card leading to a service. Title and description default to the
    service's own, in the reader's language."""

    service = ServiceChooserBlock(label=_("service"))
    title = blocks.CharBlock(
        label=_("title"), max_length=60, required=False,
        help_text=_("Leave empty to show the service's name."),
    )
    description = blocks.CharBlock(
        label=_("description"), max_length=200, required=False,
        help_text=_("Leave empty to show the service's description."),
    )

    class Meta:
        icon = "link"
        label = _("Service card")
        template = "content/blocks/service_card.html"

    def api_value(self, value):
        """What the card shows and where it leads; None when its service is gone."""
        service = value.get("service")
        if service is None:
            return None
        return {
            "title": value.get("title") or service.name,
            "description": value.get("description") or service.description,
            "url": reverse("service", kwargs={"code": service.code}),
            "service_code": service.code,
        }


class ArticleBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Rich text"), features=RICH_FEATURES, template="content/blocks/rich_text.html"
    )
    heading = HeadingBlock()
    image = ImageBlock()
    image_sequence = ImageSequenceBlock()
    video = VideoBlock()
    chart = ChartBlock()
    poster = PosterBlock()
    qa_list = QAListBlock()
    key_points = KeyPointsBlock()
    step_guide = StepGuideBlock()
    extra_reading = ExtraReadingBlock()
    service_card = ServiceCardBlock()


BLOCK_TYPES = list(ArticleBodyBlock.base_blocks.keys())
