"""The applications' entries in the citizen's "my data use": every fetch
of fill-once prefill (what, from where, when, for which application)."""


from .models import Consent, DataUse, DataUseKind

FIELD_WORDS = {
    "name": "姓名", "id_number": "身份证号", "phone": "手机号", "address": "居住地址", "district": "所在区",
    "household_type": "户籍类型", "hukou_address": "户籍地址", "move_in_date": "入住日期", "employer": "工作单位",
    "employer_credit_code": "单位信用代码", "contribution_months": "缴费月数", "insured_since": "参保起始时间",
    "insurance_status": "参保状态", "insured_type": "医保类型", "medical_account_number": "医保账号",
    "id_card": "电子身份证", "household_register": "电子户口簿", "marriage_certificate": "电子结婚证",
    "disability_certificate": "残疾人证", "disability_category": "残疾类别", "disability_level": "残疾等级",
    "birth_certificate": "出生医学证明", "business_licence": "营业执照",
}


def uses_for(citizen):
    """Newest first, in the shape ``accounts.personal_data.data_uses_for``
    lists: each fetch, and each withdrawal of consent. A fetch whose consent
    is still in force links to where it can be withdrawn."""
    from django.urls import reverse

    in_force = set(Consent.objects.filter(citizen=citizen, withdrawn_at__isnull=True).values_list(
        "definition_id", "source"))
    consents = reverse("applications:consents")
    out = []
    for use in DataUse.objects.filter(citizen=citizen).select_related("definition")[:200]:
        what = "、".join(FIELD_WORDS.get(f, f) for f in use.fields)
        entry = {"at": use.at, "holder": use.holder, "ok": use.ok, "what": what,
                 "purpose": f"用于申请：{use.definition.title}"}
        if use.kind == DataUseKind.WITHDRAW:
            entry["what"] = f"您撤回了授权，不再获取：{what}"
        elif (use.definition_id, use.source) in in_force:
            entry.update(link=consents, link_label="撤回授权")
        out.append(entry)
    return out
