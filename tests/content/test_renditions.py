"""Renditions are made when an image is saved, in every size the public
templates and the API ask for, so no reader waits for a resize."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

import civichall
from civichall.content.renditions import SPECS

ROOT = Path(civichall.__file__).parent


def test_every_size_the_site_shows_is_made_in_advance():
    asked = set()
    for path in [*ROOT.glob("*/templates/**/*.html"), ROOT / "content" / "serializers.py"]:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"{% image \S+ ((?:fill|width|height|max|min)-[0-9x]+)", text))
        asked |= set(re.findall(r"[\"']((?:fill|width|height|max|min)-[0-9x]+)[\"']", text))
    assert asked and asked <= set(SPECS), sorted(asked - set(SPECS))


@pytest.mark.django_db
def test_saving_an_image_makes_its_renditions(django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (200, 30, 30)).save(buffer, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        image = get_image_model().objects.create(
            title="地铁线路图", file=ImageFile(io.BytesIO(buffer.getvalue()), name="metro.png"))
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(SPECS)
