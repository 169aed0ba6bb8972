"""The smart assistant on the demo's 70 services and its articles, measured
on the labelled question set (``tests/data/assistant``): the tuning part
the ranking was tuned on, the development batches written later to see
whether a change generalises, and the held-out part, which is read here
only to compute the figures (hit@1, hit@3, out-of-scope rejection) and
never printed question by question. The demo's pictures are one tiny
placeholder and its comment threads are left out: the words of the services
and articles are what the assistant reads."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from civichall.assistant import evaluation, index
from civichall.assistant.answering import answer_question
from tests.demo_loading import load_demo_completely

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "assistant"


_SHARED = {}


def _one_picture(key, title, render, collection=None):
    """Every demo picture is one tiny placeholder, saved once."""
    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images.models import Image

    if "image" not in _SHARED or not Image.objects.filter(pk=_SHARED["image"].pk).exists():
        out = io.BytesIO()
        Picture.new("RGB", (8, 8), (200, 200, 200)).save(out, "PNG")
        _SHARED["image"] = Image.objects.create(title="示意图", file=ImageFile(out, name="placeholder.png"))
    return _SHARED["image"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media, var = tmp_path_factory.mktemp("media"), tmp_path_factory.mktemp("var")
    with override_settings(MEDIA_ROOT=str(media), VAR_DIR=var, CIVICHALL_ASSISTANT_EMBEDDINGS=True), \
            mock.patch("civichall.contrib.demo.load_accounts.demo_image", _one_picture), \
            mock.patch("civichall.contrib.demo.load_content.demo_image", _one_picture), \
            mock.patch("civichall.contrib.demo.load_comments.load_comments", lambda: "comments: not needed here"), \
            django_db_blocker.unblock():
        cache.clear()
        index.forget()
        with transaction.atomic():
            load_demo_completely()
            index.current()  # built once for the module
            yield
            transaction.set_rollback(True)
        index.forget()
        cache.clear()


def _measure(part):
    questions = evaluation.load(DATA / f"{part}.json")

    def answer(question):
        result = answer_question(question)
        return result.answers, result.confident

    figures = evaluation.measure(questions, answer)
    print(f"\nassistant {part}: {figures.as_dict()}")  # aggregate figures only
    return figures.as_dict()


def test_the_tuning_part(demo):
    figures = _measure("tuning")
    assert figures["hit@1"] >= 0.92 and figures["hit@3"] >= 0.97
    assert figures["out_of_scope_rejection"] >= 0.95


def test_the_development_batches(demo):
    figures = _measure("development")
    assert figures["hit@1"] >= 0.9 and figures["hit@3"] >= 0.95
    assert figures["out_of_scope_rejection"] >= 0.9


def test_the_held_out_part(demo):
    """The exam: never tuned on, read only here, figures printed only as a
    whole. The issue's bar is hit@1 0.85."""
    figures = _measure("heldout")
    assert figures["hit@1"] >= 0.85
    assert figures["hit@3"] >= 0.93
    assert figures["out_of_scope_rejection"] >= 0.85


def test_a_hand_off_reaches_the_organisations_queue_and_the_answer_the_resident(demo, client, make_citizen):
    from django.contrib.auth import get_user_model

    from civichall.accounts.actions import do_add_membership
    from civichall.accounts.policy import SYSTEM
    from civichall.assistant import actions
    from civichall.assistant.answering import ask
    from civichall.notify.services import notifications_for

    citizen = make_citizen("13900000077")
    result = ask("公积金贷款能贷多少年，利率多少", actor=citizen.user)
    handoff = actions.do_hand_off(citizen, result.question_id)
    liaison = get_user_model().objects.create_user("fund-liaison", password="x")
    do_add_membership(liaison, handoff.organisation, "liaison", SYSTEM)
    client.force_login(liaison)
    queue = client.get("/admin/assistant-desk/handoffs/").content.decode()
    assert "公积金贷款能贷多少年" in queue
    answered = client.post(f"/admin/assistant-desk/handoffs/{handoff.pk}/", {"answer": "公积金贷款最长30年，利率以公积金中心公布为准。"})
    assert answered.status_code == 302
    assert "最长30年" in notifications_for(citizen).first().text


def test_the_demo_faq_is_live_and_answers(demo):
    from civichall.assistant.models import Faq

    assert Faq.objects.filter(status="live").count() >= 10
    top = answer_question("楼下路灯坏了好几天找谁").answers[0]
    assert top["kind"] == "faq" and "12345" in top["snippet"]
