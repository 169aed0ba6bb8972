"""The labelled question set of the smart assistant (``tests/data/assistant``)
stays usable as an exam: it parses, it is large enough, every answer it
accepts is a service or an article the demo really offers, and the held-out
part is not a copy of the tuning part. The development batches
(``development.json``: questions written after the split, to measure how a
change generalises before it goes into the tuning part's figures) obey the
same rules but stay out of the split. Pure tests: no database."""

import json
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from civichall.contrib.demo.articles import ARTICLES
from civichall.contrib.demo.catalog import service_catalog
from civichall.contrib.demo.load_services import APPLICATIONS, DISTRICT_SERVICES, TOOLS

DATA = Path(__file__).resolve().parents[2] / "data" / "assistant"
PARTS = ("tuning", "heldout")  # the split: the held-out part is the exam
ALL_PARTS = (*PARTS, "development")
KEYS = {"q", "accept", "out_of_scope", "note"}


def load(part):
    with open(DATA / f"{part}.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def sets():
    return {part: load(part) for part in ALL_PARTS}


def service_codes():
    """Codes of the services the demo offers (retired ones are not answers)."""
    codes = {rec["code"] for rec in service_catalog() if rec["status"] != "retired"}
    codes |= {code for code, *_rest in APPLICATIONS}
    codes |= {tool["code"] for tool in TOOLS}
    codes |= {rec["code"] for rec in DISTRICT_SERVICES}
    return codes


def article_slugs():
    """Page slugs of the demo articles that are published (a withdrawn
    article is no answer)."""
    return {article["slug"] for article in ARTICLES if not article.get("withdrawn")}


def normalise(question):
    """Compare questions as a reader would: width, case, spaces and
    punctuation do not make a new question."""
    text = unicodedata.normalize("NFKC", question).lower()
    return re.sub(r"[\s\W_]+", "", text)


def bigrams(question):
    text = normalise(question)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def test_each_item_has_the_documented_shape(sets):
    for part, items in sets.items():
        assert isinstance(items, list) and items, part
        for item in items:
            assert set(item) == KEYS, (part, item)
            assert isinstance(item["q"], str) and item["q"].strip(), (part, item)
            assert isinstance(item["note"], str), (part, item)
            assert isinstance(item["out_of_scope"], bool), (part, item)
            # An out-of-scope question has no right answer; every other one has one at least.
            assert (item["accept"] == []) == item["out_of_scope"], (part, item["q"])
            for answer in item["accept"]:
                assert answer["kind"] in ("service", "article"), (part, item["q"], answer)
                assert set(answer) == {"kind", "code" if answer["kind"] == "service" else "slug"}, answer
            assert len({json.dumps(a, sort_keys=True) for a in item["accept"]}) == len(item["accept"]), item["q"]


def test_the_set_is_large_enough_and_split(sets):
    total = sum(len(sets[part]) for part in PARTS)
    assert total >= 300
    assert len(sets["heldout"]) >= 120
    # Roughly 55 % to tune on, 45 % held out.
    assert 0.35 <= len(sets["heldout"]) / total <= 0.5


def test_accepted_services_exist_in_the_demo(sets):
    codes = service_codes()
    assert "unemployment_insurance" in codes and "bus_realtime" in codes
    assert "nat_booking" not in codes  # retired
    for part, items in sets.items():
        for item in items:
            for answer in item["accept"]:
                if answer["kind"] == "service":
                    assert answer["code"] in codes, (part, item["q"], answer["code"])


def test_accepted_articles_exist_in_the_demo(sets):
    slugs = article_slugs()
    assert "garbage-sorting-guide" in slugs
    assert "yangpu-graduate-job-fair" not in slugs  # withdrawn
    for part, items in sets.items():
        for item in items:
            for answer in item["accept"]:
                if answer["kind"] == "article":
                    assert answer["slug"] in slugs, (part, item["q"], answer["slug"])


def test_the_development_batches_are_a_set_of_their_own(sets):
    assert len(sets["development"]) >= 100


@pytest.mark.parametrize("part", [*ALL_PARTS, "all"])
def test_out_of_scope_share(sets, part):
    items = sets["tuning"] + sets["heldout"] if part == "all" else sets[part]
    share = sum(item["out_of_scope"] for item in items) / len(items)
    assert 0.08 <= share <= 0.20, f"{part}: {share:.1%}"


def test_no_question_is_asked_twice(sets):
    seen = {}
    for part, items in sets.items():
        for item in items:
            key = normalise(item["q"])
            assert key, item["q"]
            assert key not in seen, f"{item['q']!r} in {part} repeats {seen.get(key)}"
            seen[key] = part


def test_held_out_questions_are_not_near_copies_of_tuning_ones(sets):
    """Tuning on a paraphrase of a held-out question would leak the exam:
    no pair across the split shares most of its wording."""
    tuning = [(normalise(item["q"]), bigrams(item["q"])) for item in sets["tuning"]]
    for item in sets["heldout"]:
        text, grams = normalise(item["q"]), bigrams(item["q"])
        for question, other in tuning:
            if grams and other:
                overlap = len(grams & other) / len(grams | other)
                assert overlap < 0.5, (item["q"], question, round(overlap, 2))
            # Catches a typo'd or lightly reworded copy that shares few bigrams.
            similarity = SequenceMatcher(None, text, question).ratio()
            assert similarity < 0.75, (item["q"], question, round(similarity, 2))


def test_development_questions_are_not_near_copies_of_held_out_ones(sets):
    """A development question is tuned on like a tuning one: none may be a
    paraphrase of the exam. Only the development question is named when one is."""
    held_out = [(normalise(item["q"]), bigrams(item["q"])) for item in sets["heldout"]]
    too_close = []
    for item in sets["development"]:
        text, grams = normalise(item["q"]), bigrams(item["q"])
        for question, other in held_out:
            overlap = len(grams & other) / len(grams | other) if grams and other else 0.0
            if overlap >= 0.5 or SequenceMatcher(None, text, question).ratio() >= 0.75:
                too_close.append(item["q"])
                break
    assert not too_close, f"too close to a held-out question: {too_close}"


def test_held_out_answers_are_also_taught_by_the_tuning_part(sets):
    """The split is stratified: whatever the held-out part expects, the
    tuning part has questions about it too."""
    def targets(items):
        return {a.get("code") or a.get("slug") for item in items for a in item["accept"]}

    assert targets(sets["heldout"]) <= targets(sets["tuning"])
