"""The model guard: text the database cannot store never reaches it,
whatever way it arrives (here: straight through the models, as a connector,
an import or the console would)."""

import pytest

from civichall.accounts.models import Organisation
from civichall.interaction import actions
from civichall.interaction.models import Comment

pytestmark = pytest.mark.django_db


def test_nul_and_broken_surrogates_are_cleaned_when_a_model_is_saved(make_org):
    org = make_org("xuhui", name_zh="徐汇\x00发布")
    org.description_zh = "简介\ud83d结束"
    org.save()
    org.refresh_from_db()
    assert org.name_zh == "徐汇发布"
    assert org.description_zh == "简介\ufffd结束"
    assert Organisation.objects.filter(name_zh="徐汇发布").exists()


def test_json_fields_are_cleaned_too(make_org, make_article, make_citizen):
    article = make_article(make_org("shanghai", kind="municipal"), publish=True)
    comment = actions.do_post_comment(make_citizen("13900000444"), article, "地铁几点开？", address="t",
                                      rate_limit=False)
    comment.safety = {"reasons": [{"code": "x\x00", "message": "原因\ud800"}], "ke\x00y": 1}
    comment.save()
    stored = Comment.objects.get(pk=comment.pk).safety
    assert stored == {"reasons": [{"code": "x", "message": "原因\ufffd"}], "key": 1}


def test_clean_text_is_left_alone(make_org):
    org = make_org("pudong", name_zh="浦东发布😀")
    org.refresh_from_db()
    assert org.name_zh == "浦东发布😀"
