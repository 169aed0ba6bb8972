"""One way to ask "is it English?" (core.lang.is_english, pure; core.i18n for
the active language), one carrier of a text in both languages (Message), and
one shape of a bilingual name (core.models.BilingualName)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from civichall.accounts.models import Organisation
from civichall.content.models import Topic
from civichall.core.i18n import django_language, localised, message_lang, wants_english
from civichall.core.lang import Message, is_english, lang_key
from civichall.core.models import BilingualName
from civichall.services.messages import Message as ServicesMessage
from civichall.services.models import Hub, Service

PACKAGE = Path(__file__).resolve().parents[2] / "civichall"


@pytest.mark.parametrize("lang", ["en", "EN", "en-GB", "en_US", " en-us "])
def test_english_codes(lang):
    assert is_english(lang) and lang_key(lang) == "en" and django_language(lang) == "en"


@pytest.mark.parametrize("lang", ["zh", "zh-hans", "zh-Hant", "", None, "eng", "fr", "english"])
def test_everything_else_is_chinese(lang):
    assert not is_english(lang) and lang_key(lang) == "zh" and django_language(lang) == "zh-hans"


def test_the_active_language_asks_the_same_rule():
    with translation.override("en"):
        assert wants_english() and message_lang() == "en" and localised("交通", "Traffic") == "Traffic"
    with translation.override("zh-hans"):
        assert not wants_english() and message_lang() == "zh" and localised("交通", "Traffic") == "交通"
    with translation.override("en"):
        assert localised("交通", "") == "交通"  # no English: the Chinese


def test_a_message_carries_both_languages_chinese_first():
    message = Message("该服务暂时无法查询。", "This service is unavailable.")
    assert str(message) == message.get() == message.get("zh-hans") == "该服务暂时无法查询。"
    assert message.get("en-GB") == "This service is unavailable."
    assert message.as_dict() == {"zh": "该服务暂时无法查询。", "en": "This service is unavailable."}
    assert Message("仅有中文").get("en") == "仅有中文"
    assert Message("请拨打{hotline}", "Call {hotline}").format(hotline="12345") == Message("请拨打12345", "Call 12345")
    assert ServicesMessage is Message


def test_no_other_way_to_ask_for_english():
    """Code asks core.lang / core.i18n, never the language code itself."""
    pattern = re.compile(r"""startswith\(\s*["']en["']\s*\)|==\s*["']en["']""")
    offenders = [f"{p.relative_to(PACKAGE)}:{n}" for p in PACKAGE.rglob("*.py")
                 if p.name != "lang.py" and "migrations" not in p.parts
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not offenders, offenders


@pytest.mark.parametrize("model", [Organisation, Topic, Service, Hub])
def test_bilingual_names_share_one_shape(model):
    assert issubclass(model, BilingualName)
    item = model(name_zh="交通", name_en="Traffic")
    assert str(item) == "交通"
    with translation.override("en"):
        assert item.name == "Traffic"
        assert model(name_zh="交通").name == "交通"
    with translation.override("zh-hans"):
        assert item.name == "交通"
