"""Definition documents written for the tests (the demo's are not imported)."""

import copy

UNEMPLOYMENT = {
    "format": 1,
    "code": "unemployment_insurance",
    "title": "失业保险金申领",
    "title_en": "Unemployment insurance benefit",
    "organisation": "hrss",
    "time_limit_days": 10,
    "detailed": True,
    "summary": "非因本人意愿中断就业的参保人员申领失业保险金。",
    "eligibility": ["非因本人意愿中断就业", "失业前缴纳失业保险费满1年"],
    "schema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "name": {"type": "string", "title": "姓名", "x-title-en": "Name", "maxLength": 50},
            "id_number": {"type": "string", "title": "公民身份号码", "pattern": "^[0-9]{17}[0-9X]$"},
            "phone": {"type": "string", "title": "联系电话", "pattern": "^1[0-9]{10}$"},
            "last_employer": {"type": "string", "title": "原工作单位", "maxLength": 100},
            "contribution_months": {"type": "integer", "title": "累计缴费月数", "minimum": 0, "maximum": 600},
            "separation_reason": {"type": "string", "title": "离职原因",
                                  "enum": ["contract_expired", "employer_terminated", "other"],
                                  "x-enum-titles": ["劳动合同期满终止", "用人单位解除劳动合同", "其他原因"]},
            "separation_reason_other": {"type": "string", "title": "其他原因说明", "maxLength": 200},
            "separation_date": {"type": "string", "format": "date", "title": "离职日期"},
            "bank_account": {"type": "string", "title": "本人银行账号", "pattern": "^[0-9]{12,19}$",
                             "x-help": "用于发放失业保险金。"},
            "id_card_number": {"type": "string", "title": "电子身份证照编号", "maxLength": 40},
        },
        "required": ["name", "id_number", "separation_reason", "separation_date", "bank_account"],
    },
    "layout": {"steps": [
        {"title": "申请人信息", "sections": [{"title": "基本信息",
                                            "fields": ["name", "id_number", "phone", "id_card_number"]}]},
        {"title": "离职情况", "sections": [{"title": "原单位", "fields": [
            "last_employer", "contribution_months", "separation_reason", "separation_reason_other",
            "separation_date"]}]},
        {"title": "发放账户", "sections": [{"title": "银行账户", "fields": ["bank_account"]}]},
    ]},
    "conditions": [{"field": "separation_reason_other",
                    "show_when": {"field": "separation_reason", "equals": "other"}, "required_when_shown": True}],
    "materials": [
        {"code": "separation_proof", "name": "解除或终止劳动合同证明", "required": True,
         "types": ["application/pdf", "image/jpeg", "image/png"], "max_size_mb": 1,
         "example": "原用人单位出具的证明书", "licence": None},
        {"code": "id_card", "name": "居民身份证", "required": True, "types": ["image/jpeg", "image/png"],
         "max_size_mb": 5, "example": "身份证正反面照片", "licence": "id_card"},
    ],
    "prefill": [
        {"source": "identity", "fields": {"name": "name", "id_number": "id_number", "phone": "phone"}},
        {"source": "social_security", "fields": {"last_employer": "employer",
                                                 "contribution_months": "contribution_months"}},
        {"source": "licences", "fields": {"id_card_number": "id_card"}},
    ],
    "parts": [],
    "declaration": "本人承诺以上填报信息和提交材料真实、完整、有效。",
}

GOOD_DATA = {
    "name": "陈晓雯", "id_number": "31010119880312002X", "separation_reason": "contract_expired",
    "separation_date": "2026-10-30", "bank_account": "6222021001112223334",
}

NEWBORN = {
    "format": 1, "code": "newborn_bundle", "title": "新生儿出生“一件事”", "organisation": "health",
    "time_limit_days": 5, "detailed": False,
    "schema": {"type": "object", "properties": {
        "baby_name": {"type": "string", "title": "新生儿姓名", "maxLength": 20},
        "birth_date": {"type": "string", "format": "date", "title": "出生日期"},
        "hukou_choice": {"type": "string", "title": "随父或随母落户", "enum": ["father", "mother"],
                         "x-enum-titles": ["随父落户", "随母落户"]},
        "insure": {"type": "boolean", "title": "同时办理新生儿医保参保"},
    }, "required": ["baby_name", "birth_date", "hukou_choice"]},
    "layout": {"steps": [{"title": "新生儿信息", "sections": [
        {"title": "基本信息", "fields": ["baby_name", "birth_date", "hukou_choice", "insure"]}]}]},
    "conditions": [],
    "materials": [{"code": "birth_proof", "name": "出生医学证明", "required": False, "types": ["application/pdf"],
                   "max_size_mb": 5, "licence": "birth_certificate"}],
    "prefill": [{"source": "identity", "fields": {}}],
    "parts": [
        {"organisation": "police", "title": "出生登记（报户口）", "fields": ["baby_name", "hukou_choice"]},
        {"organisation": "medical", "title": "新生儿医保参保", "fields": ["insure"]},
    ],
}


def doc(base=UNEMPLOYMENT, **changes):
    """A copy of ``base`` with top-level changes."""
    out = copy.deepcopy(base)
    out.update(changes)
    return out
