"""Helpers shared by the API and public-site tests: a small picture and an
article body that uses every block type, each with a marker to look for."""

import io

from django.core.files.images import ImageFile

from civichall.contrib.demo.pictures import render_image

CHART_TABLE = {
    "data": [["月份", "客流"], ["5月", "120"], ["6月", "360"]],
    "first_row_is_table_header": True,
    "first_col_is_header": True,
    "table_caption": "",
}
VIDEO_URL = "https://video.example.gov.cn/metro-safety.mp4"
SERVICE_CODE = "waterlogging"
SERVICE_URL = f"/services/{SERVICE_CODE}/"


def make_image(title="测试图片", size=(240, 160), motif="metro"):
    """A real PNG drawn with Pillow, stored as a Wagtail image."""
    from wagtail.images.models import Image

    spec = {"title": title, "kind": "photo", "motif": motif,
            "palette": ["#E8F1FA", "#1F5FA8", "#C8102E"]}
    image = Image(title=title, file=ImageFile(io.BytesIO(render_image(spec, size)), name="test.png"))
    image.save()
    return image


def make_service(organisation):
    """The query service the service card of the showcase article leads to."""
    from civichall.services.models import Service

    service, _created = Service.objects.get_or_create(
        code=SERVICE_CODE,
        defaults={"kind": "query", "organisation": organisation, "name_zh": "道路积水查询",
                  "name_en": "Road waterlogging", "description_zh": "本市道路积水实时情况。"},
    )
    return service


def all_blocks_body(image, service):
    """A StreamField value with one block of every type (two comic frames,
    two steps), every text carrying a recognisable marker; the service card
    leads to ``service`` under its own name."""
    return [
        {"type": "rich_text", "value": "<p>正文段落：<b>轨道交通</b>恢复运营。</p>"},
        {"type": "heading", "value": {"text": "出行提示小标题", "level": "h2"}},
        {"type": "image", "value": {"image": image.pk, "alt": "站台上乘客排队候车",
                                    "caption": "图片说明：有序候车"}},
        {"type": "image_sequence", "value": {"title": "漫画：扫码进站", "frames": [
            {"image": image.pk, "alt": "第一格替代文本：老人拿出纸质码", "caption": ""},
            {"image": image.pk, "alt": "第二格替代文本：工作人员协助核验", "caption": "第二格说明"},
        ]}},
        {"type": "video", "value": {"file": None, "url": VIDEO_URL, "poster": image.pk,
                                    "caption": "视频：安全乘车小课堂",
                                    "transcript": "视频文字稿：请全程佩戴口罩。"}},
        {"type": "chart", "value": {"title": "客流变化图", "chart_type": "bar", "table": CHART_TABLE,
                                    "unit": "万人次", "source": "市交通委"}},
        {"type": "poster", "value": {"image": image.pk, "title": "一图读懂出行新规",
                                     "description": "海报全文第一行\n海报全文第二行"}},
        {"type": "qa_list", "value": {"title": "常见问题", "items": [
            {"question": "问题一：没有智能手机怎么办？", "answer": "<p>回答一：可以使用纸质随申码。</p>"},
        ]}},
        {"type": "key_points", "value": {"title": "敲黑板", "points": ["要点一：扫码进站", "要点二：佩戴口罩"]}},
        {"type": "step_guide", "value": {"title": "办理步骤", "steps": [
            {"title": "第一步：打开应用", "body": "步骤说明一", "image": image.pk},
            {"title": "第二步：提交申请", "body": "步骤说明二", "image": None},
        ]}},
        {"type": "extra_reading", "value": {"title": "课外补充阅读", "items": [
            {"title": "延伸阅读标题", "body": "延伸阅读正文"},
        ]}},
        {"type": "service_card", "value": {"service": service.pk, "title": "",
                                           "description": "出门前看一看"}},
    ]


BLOCK_TYPES = [
    "rich_text", "heading", "image", "image_sequence", "video", "chart", "poster",
    "qa_list", "key_points", "step_guide", "extra_reading", "service_card",
]
