"""``civichall safety check / import_lexicon / export_lexicon``."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from civichall.safety.lexicon import parse_lexicon_csv
from civichall.safety.models import LexiconEntry

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("safety", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_prints_the_engine_json():
    out, _err = run("check", "--kind", "comment", "网络賭@場注册送彩金，电话13812345678")
    result = json.loads(out)
    assert result["decision"] == "block"
    assert result["hits"][0]["matched"] == "网络賭@場"
    assert "138****5678" in result["masked"]
    assert "网络赌场" in out  # Chinese as is, not \u escapes


def test_check_defaults_to_body_and_reads_stdin(monkeypatch):
    out, _err = run("check", "地铁末班车延长至23点")
    assert json.loads(out)["decision"] == "pass"
    monkeypatch.setattr("sys.stdin", io.StringIO("震惊！竟然这样"))
    out, _err = run("check", "--kind", "title", "-")
    assert json.loads(out)["decision"] == "review"


def test_check_refuses_bad_input():
    with pytest.raises(CommandError):
        run("check", "--kind", "headline", "你好")
    with pytest.raises(CommandError):
        run("check", "   ")


def test_import_and_export(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "term,category,severity,pinyin,note\n"
        "测试违禁词,other,block,0,新增\n"
        "网络赌场,gambling_drugs,review,0,改为人工审核\n"
        "测试白名单词组,,allow,,\n",
        encoding="utf-8",
    )
    before = LexiconEntry.objects.count()
    out, _err = run("import_lexicon", str(good))
    assert "3" in out and "2" in out  # 3 rows: 2 added, 1 changed
    assert LexiconEntry.objects.count() == before + 2
    assert LexiconEntry.objects.get(term="网络赌场").severity == "review"
    log = ModelLogEntry.objects.get(action="civichall.safety.lexicon.import")
    assert log.data["source"] == "cli" and log.user_id is None

    out, _err = run("check", "这是测试违禁词")
    assert json.loads(out)["decision"] == "block"

    target = tmp_path / "export.csv"
    run("export_lexicon", str(target))
    with target.open(encoding="utf-8") as f:
        entries, allow, errors = parse_lexicon_csv(f)
    assert not errors
    assert len(entries) + len(allow) == LexiconEntry.objects.count()
    out, _err = run("export_lexicon")
    assert out.startswith("term,category,severity")
    assert "测试违禁词" in out


def test_bad_file_is_refused_with_line_numbers_and_nothing_imported(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "term,category,severity\n"
        "测试违禁词,other,block\n"      # line 2: fine
        "另一个词,nonsense,block\n"     # line 3: bad category
        "第三个词,other,delete\n"       # line 4: bad severity
        ",other,block\n",               # line 5: empty term
        encoding="utf-8",
    )
    before = LexiconEntry.objects.count()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("safety", "import_lexicon", str(bad), stdout=out, stderr=err)
    assert "3" in str(error.value)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 3
    for text, number in zip(lines, (3, 4, 5)):
        assert str(number) in text
    assert LexiconEntry.objects.count() == before
    assert not LexiconEntry.objects.filter(term="测试违禁词").exists()
    assert not ModelLogEntry.objects.filter(action="civichall.safety.lexicon.import").exists()


def test_missing_file():
    with pytest.raises(CommandError):
        run("import_lexicon", "/nonexistent/lexicon.csv")
