"""The demo's application definition documents follow the agreed format
(version 1) and fit their services: every one of the 44 online applications
has a real form, the bundles route their parts to existing organisations,
and what the city already holds is prefilled, not asked (免填免交).

Pure checks of the JSON files: no database."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from civichall.contrib.demo.accounts_data import ORGANISATIONS
from civichall.contrib.demo.applications import bundle_codes, definition_documents
from civichall.contrib.demo.load_services import APPLICATIONS

DOCUMENTS = definition_documents()
APPLICATION_NAMES = {code: name for code, name, _org, _kw in APPLICATIONS}
APPLICATION_ORGS = {code: org for code, _name, org, _kw in APPLICATIONS}
ORG_SLUGS = {org["slug"] for org in ORGANISATIONS}

MIME_TYPES = {"application/pdf", "image/jpeg", "image/png"}
LICENCES = {"id_card", "household_register", "marriage_certificate", "disability_certificate",
            "birth_certificate", "business_licence"}
SOURCES = {
    "identity": {"name", "id_number", "phone"},
    "residence": {"address", "district", "household_type", "hukou_address", "move_in_date"},
    "social_security": {"employer", "employer_credit_code", "contribution_months", "insured_since",
                        "insurance_status"},
    "medical_insurance": {"insured_type", "medical_account_number"},
    "licences": {"id_card", "household_register", "marriage_certificate", "disability_certificate",
                 "disability_category", "disability_level", "birth_certificate", "business_licence"},
}
# Documents the demo promises in detail (conditions, steps, materials, sources).
PROMISED_DETAILED = {
    "unemployment_insurance", "disability_living_subsidy", "residence_registration", "residence_permit",
    "minimum_living_allowance", "newborn_hukou", "housing_fund_withdrawal", "public_rental_housing",
    "maternity_allowance", "legal_aid", "school_registration", "retirement_application",
}
# Properties the city holds whenever a form has them: they must come from a
# source, never be typed.
# (A residence registration's address is what it declares, so address is
# not among them.)
HELD_PROPERTIES = {"name", "id_number", "phone", "hukou_address", "household_type", "employer",
                   "last_employer", "employer_credit_code", "contribution_months", "insured_since",
                   "insurance_status", "insured_type", "medical_account_number", "disability_certificate_number",
                   "disability_category", "disability_level", "birth_certificate_number",
                   "marriage_certificate_number", "household_register_number", "business_licence_number"}
# Materials an e-licence replaces, by their Chinese name.
LICENCE_MATERIALS = {"居民身份证": "id_card", "居民户口簿": "household_register", "结婚证": "marriage_certificate",
                     "残疾人证": "disability_certificate", "出生医学证明": "birth_certificate",
                     "营业执照": "business_licence"}

CHINESE = re.compile(r"[\u4e00-\u9fff]")
CODES = sorted(DOCUMENTS)


def has_chinese(text):
    return isinstance(text, str) and bool(CHINESE.search(text))


def properties(document):
    return document["schema"]["properties"]


def layout_fields(document):
    return [field for step in document["layout"]["steps"] for section in step["sections"]
            for field in section["fields"]]


def prefilled(document):
    return {prop for entry in document["prefill"] for prop in entry["fields"]}


def test_every_online_application_has_a_document_and_nothing_else():
    assert set(DOCUMENTS) == set(APPLICATION_NAMES) | set(bundle_codes())
    assert len(APPLICATION_NAMES) == 44
    assert list(DOCUMENTS) == sorted(DOCUMENTS)


@pytest.mark.parametrize("code", CODES)
def test_header_fits_the_service(code):
    document = DOCUMENTS[code]
    assert document["format"] == 1
    assert document["code"] == code
    if code in APPLICATION_NAMES:
        assert document["title"] == APPLICATION_NAMES[code]
        assert document["organisation"] == APPLICATION_ORGS[code]
        assert document["parts"] == []
    assert document["organisation"] in ORG_SLUGS
    assert has_chinese(document["title"]) and document["title_en"]
    assert isinstance(document["time_limit_days"], int) and 1 <= document["time_limit_days"] <= 30
    assert isinstance(document["detailed"], bool)
    assert has_chinese(document["summary"])
    assert document["eligibility"] and all(has_chinese(item) for item in document["eligibility"])
    assert has_chinese(document["declaration"]) and "真实" in document["declaration"]


@pytest.mark.parametrize("code", CODES)
def test_schema_is_a_valid_draft_2020_12_object_schema(code):
    schema = DOCUMENTS[code]["schema"]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert set(schema["required"]) <= set(schema["properties"])
    for prop, spec in schema["properties"].items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", prop), prop
        assert has_chinese(spec.get("title")), (code, prop)
        assert spec["type"] in {"string", "integer", "number", "boolean"}, (code, prop)
        if "enum" in spec:
            titles = spec.get("x-enum-titles")
            assert titles and len(titles) == len(spec["enum"]), (code, prop)
            assert all(has_chinese(title) for title in titles), (code, prop)
            assert len(set(spec["enum"])) == len(spec["enum"]), (code, prop)
        if prop.endswith("_date") or spec["title"].endswith("日期"):
            assert spec.get("format") == "date", (code, prop)
        if spec["type"] == "string" and "enum" not in spec and "format" not in spec:
            assert "maxLength" in spec or "pattern" in spec, (code, prop)
        if "x-help" in spec:
            assert has_chinese(spec["x-help"]), (code, prop)


@pytest.mark.parametrize("code", CODES)
def test_layout_shows_every_property_exactly_once(code):
    document = DOCUMENTS[code]
    fields = layout_fields(document)
    assert sorted(fields) == sorted(properties(document)), code
    for step in document["layout"]["steps"]:
        assert has_chinese(step["title"]) and step["sections"]
        for section in step["sections"]:
            assert has_chinese(section["title"]) and section["fields"]
            if "help" in section:
                assert has_chinese(section["help"])


@pytest.mark.parametrize("code", CODES)
def test_conditions_refer_to_properties_with_possible_values(code):
    document = DOCUMENTS[code]
    props = properties(document)
    required = set(document["schema"]["required"])
    conditional = [condition["field"] for condition in document["conditions"]]
    assert len(conditional) == len(set(conditional)), "one condition per field"
    for condition in document["conditions"]:
        field, show = condition["field"], condition["show_when"]
        assert field in props and show["field"] in props and field != show["field"]
        # A hidden field cannot be required by the schema itself.
        assert field not in required, (code, field)
        assert isinstance(condition["required_when_shown"], bool)
        assert ("equals" in show) != ("in" in show), (code, field)
        values = [show["equals"]] if "equals" in show else show["in"]
        assert values, (code, field)
        controller = props[show["field"]]
        validator = Draft202012Validator(controller)
        for value in values:
            assert validator.is_valid(value), (code, field, value)


@pytest.mark.parametrize("code", CODES)
def test_materials_have_allowed_types_sizes_and_licences(code):
    materials = DOCUMENTS[code]["materials"]
    assert materials
    assert len({m["code"] for m in materials}) == len(materials)
    for material in materials:
        assert has_chinese(material["name"]) and has_chinese(material["example"]), material["code"]
        assert isinstance(material["required"], bool)
        assert material["types"] and set(material["types"]) <= MIME_TYPES
        assert 1 <= material["max_size_mb"] <= 20
        assert material["licence"] is None or material["licence"] in LICENCES
        if material["name"] in LICENCE_MATERIALS:
            assert material["licence"] == LICENCE_MATERIALS[material["name"]], (code, material["code"])


@pytest.mark.parametrize("code", CODES)
def test_prefill_maps_properties_to_known_source_fields(code):
    document = DOCUMENTS[code]
    props = properties(document)
    sources = [entry["source"] for entry in document["prefill"]]
    assert len(sources) == len(set(sources))
    targets = []
    for entry in document["prefill"]:
        assert entry["source"] in SOURCES, entry["source"]
        assert entry["fields"]
        for prop, source_field in entry["fields"].items():
            assert prop in props, (code, prop)
            assert source_field in SOURCES[entry["source"]], (code, source_field)
            targets.append(prop)
    assert len(targets) == len(set(targets)), "a property comes from one source"
    identity = next(entry for entry in document["prefill"] if entry["source"] == "identity")
    assert identity["fields"].get("name") == "name" and identity["fields"].get("id_number") == "id_number"


# What each source field serves, so a prefilled value fits the field it fills.
SOURCE_VALUES = {
    "household_type": {"enum": ["local", "non_local"]},
    "insurance_status": {"enum": ["contributing", "suspended"]},
    "insured_type": {"enum": ["employee", "resident"]},
    "district": {"enum": ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区",
                          "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"]},
    "disability_category": {"enum": ["1", "2", "3", "4", "5", "6", "7"]},
    "disability_level": {"enum": ["1", "2", "3", "4"]},
    "contribution_months": {"type": "integer"},
    "insured_since": {"format": "date"},
    "move_in_date": {"format": "date"},
    "id_number": {"pattern": "^[0-9]{17}[0-9X]$"},
    "phone": {"pattern": "^1[3-9][0-9]{9}$"},
    "employer_credit_code": {"pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"},
    "disability_certificate": {"pattern": "^[0-9]{17}[0-9X][1-7][1-4]$"},
    "birth_certificate": {"pattern": "^[A-Z][0-9]{9}$"},
}


@pytest.mark.parametrize("code", CODES)
def test_prefilled_fields_take_the_values_their_source_serves(code):
    document = DOCUMENTS[code]
    props = properties(document)
    for entry in document["prefill"]:
        for prop, source_field in entry["fields"].items():
            for key, expected in SOURCE_VALUES.get(source_field, {}).items():
                assert props[prop].get(key) == expected, (code, prop, key)


@pytest.mark.parametrize("code", CODES)
def test_what_the_city_holds_is_prefilled_not_typed(code):
    document = DOCUMENTS[code]
    held = HELD_PROPERTIES & set(properties(document))
    assert held <= prefilled(document), (code, held - prefilled(document))


@pytest.mark.parametrize("code", CODES)
def test_every_form_is_a_real_form(code):
    document = DOCUMENTS[code]
    typed = set(properties(document)) - prefilled(document)
    assert len(properties(document)) >= 4
    assert typed, "each form asks the citizen something of its own"
    assert len(document["layout"]["steps"]) >= 2


def test_at_least_twelve_detailed_documents_meet_the_detailed_criteria():
    detailed = [code for code, document in DOCUMENTS.items() if document["detailed"]]
    assert len(detailed) >= 12
    assert PROMISED_DETAILED <= set(detailed)
    for code in detailed:
        document = DOCUMENTS[code]
        assert len(document["layout"]["steps"]) >= 3, code
        assert len(document["conditions"]) >= 1, code
        assert len(document["materials"]) >= 2, code
        assert len({entry["source"] for entry in document["prefill"]}) >= 2, code
        # Fill once is felt: several required answers come from the city's records.
        assert len(set(document["schema"]["required"]) & prefilled(document)) >= 3, code


def test_bundles_route_their_parts_to_existing_organisations():
    expected = {
        "newborn_bundle": {"health-commission", "public-security-bureau", "medical-security-bureau"},
        "unemployment_bundle": {"human-resources-social-security-bureau", "employment-promotion-center"},
    }
    assert set(bundle_codes()) == set(expected)
    for code, organisations in expected.items():
        document = DOCUMENTS[code]
        props = properties(document)
        parts = document["parts"]
        assert len(parts) == 3
        assert {part["organisation"] for part in parts} == organisations
        for part in parts:
            assert part["organisation"] in ORG_SLUGS
            assert has_chinese(part["title"])
            assert part["fields"] and set(part["fields"]) <= set(props), (code, part["title"])
        # Every property asked is needed by some part.
        needed = {field for part in parts for field in part["fields"]}
        assert needed == set(props), (code, set(props) - needed)


def test_unemployment_insurance_asks_separation_and_account_and_prefills_the_employer():
    document = DOCUMENTS["unemployment_insurance"]
    props = properties(document)
    assert props["separation_date"]["format"] == "date"
    assert "contract_expired" in props["separation_reason"]["enum"]
    assert {"separation_date", "separation_reason", "bank_account"} <= set(document["schema"]["required"])
    social = next(entry for entry in document["prefill"] if entry["source"] == "social_security")
    assert social["fields"]["last_employer"] == "employer"
    assert document["time_limit_days"] == 10
    validator = Draft202012Validator(document["schema"])
    data = {"name": "陈晓雯", "id_number": "310101198803120029", "phone": "13800000001",
            "household_type": "local", "address": "上海市黄浦区演示路1号", "last_employer": "上海某某贸易有限公司",
            "contribution_months": 60, "separation_date": "2026-10-31", "separation_reason": "contract_expired",
            "job_intent": "行政文员", "needs_training": False, "bank_name": "中国工商银行",
            "bank_account": "6222021001112223334"}
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "bank_account": "银行卡"})
    assert not validator.is_valid({**data, "separation_reason": "被开除了"})


def test_disability_subsidy_asks_the_guardian_only_when_there_is_one():
    document = DOCUMENTS["disability_living_subsidy"]
    guardian = {c["field"]: c["show_when"] for c in document["conditions"] if c["field"].startswith("guardian_")}
    assert set(guardian) >= {"guardian_name", "guardian_id_number"}
    assert all(show == {"field": "has_guardian", "equals": True} for show in guardian.values())
    licences = next(entry for entry in document["prefill"] if entry["source"] == "licences")
    assert licences["fields"]["disability_certificate_number"] == "disability_certificate"
    assert "economic_status" in document["schema"]["required"]


def test_residence_registration_asks_move_in_date_and_housing_by_type():
    document = DOCUMENTS["residence_registration"]
    props = properties(document)
    assert props["move_in_date"]["format"] == "date"
    assert "move_in_date" in document["schema"]["required"]
    by_housing = {c["field"] for c in document["conditions"] if c["show_when"]["field"] == "housing_type"}
    assert {"landlord_name", "dormitory_provider", "property_certificate_number"} <= by_housing
    social = next(entry for entry in document["prefill"] if entry["source"] == "social_security")
    assert social["fields"]["employer"] == "employer"


def test_newborn_bundle_fetches_the_birth_certificate_instead_of_an_upload():
    document = DOCUMENTS["newborn_bundle"]
    birth = next(m for m in document["materials"] if m["licence"] == "birth_certificate")
    assert birth["name"] == "出生医学证明"
    police = next(part for part in document["parts"] if part["organisation"] == "public-security-bureau")
    assert "child_name" in police["fields"]


# A plausible answer for each pattern the forms use (a new pattern needs one).
PATTERN_SAMPLES = {
    "^1[3-9][0-9]{9}$": "13800000001",
    "^[0-9]{17}[0-9X]$": "31010119880312002X",
    "^[0-9]{17}[0-9X][1-7][1-4]$": "31010119880312002X42",
    "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$": "91310101MA1FL0XX3B",
    "^[0-9]{12,19}$": "6222021001112223334",
    "^[A-Z][0-9]{9}$": "Q310123456",
    "^[0-9]{12}$": "310001234567",
    "^[0-9]{17}$": "13101201910123456",
    "^C[0-9A-Z][0-9]{7}$": "CA1234567",
    "^E[0-9A-Z][0-9]{7}$": "E12345678",
    "^[0-9-]{7,20}$": "021-63210000",
    "^[0-9A-Za-z]{6,30}$": "HZ0012345678",
    "^沪[A-Z][A-Z0-9]{5,6}$": "沪A12345",
}


def sample_answer(spec):
    """A value a citizen could give for the property ``spec``."""
    if "enum" in spec:
        return spec["enum"][-1]
    if spec["type"] == "boolean":
        return True
    if spec["type"] in {"integer", "number"}:
        return spec.get("maximum", spec.get("minimum", 0) + 1)
    if spec.get("format") == "date":
        return "2026-05-01"
    if "pattern" in spec:
        return PATTERN_SAMPLES[spec["pattern"]]
    return "上海市黄浦区演示路1号"[: spec["maxLength"]]


@pytest.mark.parametrize("code", CODES)
def test_every_field_of_every_form_can_be_answered(code):
    """With every field shown and required, a plausible answer to each passes
    the schema: no field has constraints a citizen cannot meet."""
    schema = dict(DOCUMENTS[code]["schema"])
    schema["required"] = list(schema["properties"])
    answers = {prop: sample_answer(spec) for prop, spec in schema["properties"].items()}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(answers)] == []
    assert not validator.is_valid({**answers, next(iter(schema["properties"])): None})
