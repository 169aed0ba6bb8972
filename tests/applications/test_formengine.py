"""The form engine: documents checked, conditions, errors in Chinese."""

from civichall.applications import formengine

from .documents import GOOD_DATA, NEWBORN, UNEMPLOYMENT, doc


def test_the_documents_of_the_tests_are_usable():
    assert formengine.check_document(UNEMPLOYMENT) == []
    assert formengine.check_document(NEWBORN) == []


def test_a_broken_document_is_refused_with_its_problems_named():
    broken = doc(layout={"steps": [{"title": "一", "sections": [{"title": "a", "fields": ["name", "ghost"]}]}]})
    problems = formengine.check_document(broken)
    assert "布局中的字段 ghost 不在 schema 中。" in problems
    assert "字段 bank_account 必须在布局中恰好出现一次。" in problems
    bad_material = doc(materials=[{"code": "x", "name": "证明", "types": ["text/html"], "max_size_mb": 50}])
    problems = formengine.check_document(bad_material)
    assert any("类型只能是" in p for p in problems) and any("1–20 MB" in p for p in problems)
    bad_prefill = doc(prefill=[{"source": "tax", "fields": {}},
                               {"source": "residence", "fields": {"name": "salary"}}])
    problems = formengine.check_document(bad_prefill)
    assert "预填来源 tax 未知。" in problems and "来源 residence 没有字段 salary。" in problems
    assert formengine.check_document("不是对象") == ["定义必须是一个 JSON 对象。"]
    bad_schema = doc(schema={"type": "object", "properties": {"a": {"type": "text"}}})
    assert "不是有效的 JSON Schema" in formengine.check_document(bad_schema)[0]


def test_a_condition_shows_a_field_only_when_its_value_is_chosen():
    shown = formengine.visible_fields(UNEMPLOYMENT, {"separation_reason": "contract_expired"})
    assert "separation_reason_other" not in shown
    shown = formengine.visible_fields(UNEMPLOYMENT, {"separation_reason": "other"})
    assert "separation_reason_other" in shown
    chained = doc(schema={**UNEMPLOYMENT["schema"]}, conditions=UNEMPLOYMENT["conditions"] + [
        {"field": "bank_account", "show_when": {"field": "separation_reason_other", "in": ["破产"]}}])
    assert "bank_account" not in formengine.visible_fields(
        chained, {"separation_reason": "contract_expired", "separation_reason_other": "破产"})
    assert "bank_account" in formengine.visible_fields(
        chained, {"separation_reason": "other", "separation_reason_other": "破产"})


def test_errors_are_in_chinese_next_to_each_field():
    errors = formengine.validate(UNEMPLOYMENT, {"separation_reason": "other", "bank_account": "12ab",
                                                "separation_date": "2026-13-45", "id_number": "123"})
    assert errors["name"].zh == "请填写姓名。"
    assert errors["separation_reason_other"].zh == "请填写其他原因说明。"
    assert errors["bank_account"].zh.startswith("本人银行账号的格式不正确")
    assert errors["separation_date"].zh == "离职日期应为日期，例如 2026-05-01。"
    assert "公民身份号码" in errors["id_number"].zh
    assert errors["name"].get("en") == "Name is required."
    assert formengine.validate(UNEMPLOYMENT, GOOD_DATA) == {}


def test_a_hidden_field_is_neither_checked_nor_kept():
    data = {**GOOD_DATA, "separation_reason_other": "x" * 500}
    assert formengine.validate(UNEMPLOYMENT, data) == {}
    assert "separation_reason_other" not in formengine.clean(UNEMPLOYMENT, data)


def test_an_option_that_is_not_offered_is_refused_by_its_title():
    errors = formengine.validate(UNEMPLOYMENT, {**GOOD_DATA, "separation_reason": "fired_for_fun"})
    assert errors["separation_reason"].zh == "请从选项中选择离职原因。"


def test_form_strings_become_typed_values_and_one_step_is_checked_alone():
    typed = formengine.coerce(NEWBORN, {"insure": "true", "baby_name": "  小明 ", "birth_date": "", "x": "1"})
    assert typed == {"insure": True, "baby_name": "小明"}
    months = formengine.coerce(UNEMPLOYMENT, {"contribution_months": "36"})
    assert months == {"contribution_months": 36}
    step = formengine.fields_of_step(UNEMPLOYMENT, 2)
    assert list(formengine.validate(UNEMPLOYMENT, {}, only=step)) == ["bank_account"]
