"""``civichall application``: save, check and list definitions from the console."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civichall.applications.models import ApplicationDefinition

from .documents import UNEMPLOYMENT, doc

pytestmark = pytest.mark.django_db


def test_save_check_and_list_from_the_console(tmp_path, orgs, staff):
    orgs["hrss"]
    good = tmp_path / "unemployment.json"
    good.write_text(json.dumps(UNEMPLOYMENT, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(doc(code="broken", materials=[{"code": "x", "name": "证明", "types": ["text/plain"],
                                                           "max_size_mb": 5}]), ensure_ascii=False))
    out = StringIO()
    call_command("application", "check", str(good), stdout=out)
    assert "ok" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("application", "save", str(good), str(bad), stdout=StringIO(), stderr=StringIO())
    assert ApplicationDefinition.objects.get(code="unemployment_insurance").current.number == 1
    assert not ApplicationDefinition.objects.filter(code="broken").exists()
    with pytest.raises(CommandError):
        call_command("application", "save", str(good), "--as", staff["police_officer"].username,
                     stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("application", "list", stdout=out)
    assert "unemployment_insurance\tactive\tv1\thrss\t失业保险金申领" in out.getvalue()
