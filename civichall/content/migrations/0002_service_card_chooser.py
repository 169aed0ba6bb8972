"""Service cards choose a service instead of holding a typed path: existing
cards are pointed at the service their code (or the last part of their path)
names; a card whose service does not exist keeps its texts and shows nothing
until an editor chooses one."""

import wagtail.fields
from django.db import migrations


def _service_id(Service, value):
    candidates = [value.get("service_code") or ""]
    url = (value.get("url") or "").rstrip("/")
    if url:
        candidates.append(url.rsplit("/", 1)[-1])
    for code in candidates:
        for variant in (code, code.replace("-", "_")):
            found = Service.objects.filter(code=variant).values_list("pk", flat=True).first() if variant else None
            if found:
                return found
    return None


def cards_choose_services(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    Service = apps.get_model("services", "Service")
    for page in ArticlePage.objects.only("pk", "body"):
        raw = list(page.body.raw_data)
        changed = False
        for block in raw:
            value = block.get("value") or {}
            if block.get("type") != "service_card" or "service" in value:
                continue
            block["value"] = {"service": _service_id(Service, value),
                              "title": value.get("title", ""), "description": value.get("description", "")}
            changed = True
        if changed:
            page.body = raw
            page.save(update_fields=["body"])


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0001_initial'),
        ('services', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='articlepage',
            name='body',
            field=wagtail.fields.StreamField([('rich_text', 0), ('heading', 3), ('image', 7), ('image_sequence', 12), ('video', 18), ('chart', 24), ('poster', 26), ('qa_list', 31), ('key_points', 35), ('step_guide', 40), ('extra_reading', 45), ('service_card', 49)], block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'h3', 'ol', 'ul', 'link', 'document-link'], 'label': 'Rich text', 'template': 'content/blocks/rich_text.html'}), 1: ('wagtail.blocks.CharBlock', (), {'label': 'text', 'max_length': 120}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Heading'), ('h3', 'Subheading')], 'label': 'level'}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'image'}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the picture for readers who cannot see it. Required.', 'label': 'alt text', 'max_length': 300}), 6: ('wagtail.blocks.CharBlock', (), {'label': 'caption', 'max_length': 300, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt', 5), ('caption', 6)]], {}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'title', 'max_length': 120, 'required': False}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'alt text', 'max_length': 300}), 10: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt', 9), ('caption', 6)]], {}), 11: ('wagtail.blocks.ListBlock', (10,), {'label': 'frames', 'min_num': 2}), 12: ('wagtail.blocks.StructBlock', [[('title', 8), ('frames', 11)]], {}), 13: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'uploaded video', 'required': False}), 14: ('wagtail.blocks.URLBlock', (), {'label': 'video URL', 'required': False}), 15: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'poster frame', 'required': False}), 16: ('wagtail.blocks.CharBlock', (), {'label': 'caption', 'max_length': 300}), 17: ('wagtail.blocks.TextBlock', (), {'label': 'transcript', 'required': False}), 18: ('wagtail.blocks.StructBlock', [[('file', 13), ('url', 14), ('poster', 15), ('caption', 16), ('transcript', 17)]], {}), 19: ('wagtail.blocks.CharBlock', (), {'label': 'title', 'max_length': 120}), 20: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('bar', 'Bar'), ('line', 'Line'), ('pie', 'Pie')], 'label': 'chart type'}), 21: ('wagtail.contrib.table_block.blocks.TableBlock', (), {'help_text': 'First row: series names. First column: labels. Other cells: numbers.', 'label': 'data', 'table_options': {'colHeaders': False, 'rowHeaders': False, 'startCols': 3, 'startRows': 4}}), 22: ('wagtail.blocks.CharBlock', (), {'label': 'unit', 'max_length': 30, 'required': False}), 23: ('wagtail.blocks.CharBlock', (), {'label': 'data source', 'max_length': 200, 'required': False}), 24: ('wagtail.blocks.StructBlock', [[('title', 19), ('chart_type', 20), ('table', 21), ('unit', 22), ('source', 23)]], {}), 25: ('wagtail.blocks.TextBlock', (), {'help_text': 'Everything the poster says, so that nobody loses it.', 'label': 'full text'}), 26: ('wagtail.blocks.StructBlock', [[('image', 4), ('title', 19), ('description', 25)]], {}), 27: ('wagtail.blocks.CharBlock', (), {'label': 'question', 'max_length': 300}), 28: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'h3', 'ol', 'ul', 'link', 'document-link'], 'label': 'answer'}), 29: ('wagtail.blocks.StructBlock', [[('question', 27), ('answer', 28)]], {}), 30: ('wagtail.blocks.ListBlock', (29,), {'label': 'questions', 'min_num': 1}), 31: ('wagtail.blocks.StructBlock', [[('title', 8), ('items', 30)]], {}), 32: ('wagtail.blocks.CharBlock', (), {'default': '敲黑板', 'label': 'title', 'max_length': 60}), 33: ('wagtail.blocks.CharBlock', (), {'max_length': 300}), 34: ('wagtail.blocks.ListBlock', (33,), {'label': 'points', 'min_num': 1}), 35: ('wagtail.blocks.StructBlock', [[('title', 32), ('points', 34)]], {}), 36: ('wagtail.blocks.TextBlock', (), {'label': 'what to do'}), 37: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'image', 'required': False}), 38: ('wagtail.blocks.StructBlock', [[('title', 19), ('body', 36), ('image', 37)]], {}), 39: ('wagtail.blocks.ListBlock', (38,), {'label': 'steps', 'min_num': 1}), 40: ('wagtail.blocks.StructBlock', [[('title', 19), ('steps', 39)]], {}), 41: ('wagtail.blocks.CharBlock', (), {'default': '课外补充阅读', 'label': 'title', 'max_length': 60}), 42: ('wagtail.blocks.TextBlock', (), {'label': 'text'}), 43: ('wagtail.blocks.StructBlock', [[('title', 19), ('body', 42)]], {}), 44: ('wagtail.blocks.ListBlock', (43,), {'label': 'items', 'min_num': 1}), 45: ('wagtail.blocks.StructBlock', [[('title', 41), ('items', 44)]], {}), 46: ('civichall.content.blocks.ServiceChooserBlock', (), {'label': 'service'}), 47: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to show the service's name.", 'label': 'title', 'max_length': 60, 'required': False}), 48: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to show the service's description.", 'label': 'description', 'max_length': 200, 'required': False}), 49: ('wagtail.blocks.StructBlock', [[('service', 46), ('title', 47), ('description', 48)]], {})}, verbose_name='body'),
        ),
        migrations.RunPython(cards_choose_services, migrations.RunPython.noop),
    ]
