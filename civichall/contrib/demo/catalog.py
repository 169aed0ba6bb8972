"""The demo departments' service catalog, connector configurations and the
account's WeChat menu.

* the service catalog of the "Municipal Hall" (20 query services) and the
  "Apply" column, as plain records for the services search and for seeding;
* connector configurations wiring the hall's query services to the fake
  department system (:mod:`.fake_department`) and to local data
  (:mod:`.departments`);
* the account's three-column WeChat menu.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .departments import (
    DEMO_API_KEY,
    PLATE_PATTERN,
    RESIDENT_PATTERN,
    build_population_db,
    data_path,
    write_gtfs,
)

# ----------------------------------------------------------- service catalog

HALL = "hall"  # 市民大厅
APPLY = "apply"  # 随申办 / 不见面办理

# Service records: the search fields, plus where each service sits and what
# answers it. ``identity_param`` names an input filled from the verified
# citizen, never typed by them; ``owned_param`` names an input that must
# belong to the verified citizen (a plate from their own vehicles, see
# :func:`vehicles`).
_SERVICES: list[dict[str, Any]] = [
    {"code": "bus_realtime", "name_zh": "实时公交", "name_en": "Real-time bus",
     "description": "查询公交车到站时间，显示下一班车还有几分钟到站。",
     "keywords": ["公交", "到站", "几分钟", "公交线路", "候车"], "synonyms": ["巴士", "公交车"],
     "org_name": "市交通委", "kind": "query", "status": "available", "column": HALL, "connector": "gtfs"},
    {"code": "traffic_violations", "name_zh": "交通违法查询", "name_en": "Traffic violations",
     "description": "查询本人名下机动车的交通违法记录、记分和罚款。",
     "keywords": ["违章", "罚款", "记分", "电子警察", "车牌"], "synonyms": ["违法"],
     "org_name": "市公安局交通警察总队", "kind": "query", "status": "available", "column": HALL,
     "connector": "http_json", "owned_param": "plate"},
    {"code": "road_conditions", "name_zh": "实时路况", "name_en": "Road conditions",
     "description": "查询高架、隧道、越江桥梁和主要道路的通行状况。",
     "keywords": ["路况", "高架", "隧道", "大桥", "堵车"], "synonyms": ["拥堵", "交通状况"],
     "org_name": "市交通委", "kind": "query", "status": "available", "column": HALL, "connector": "http_json"},
    {"code": "school_enrolment", "name_zh": "入学信息查询", "name_en": "School enrolment",
     "description": "按区、学段或街道查询公办小学、初中的对口地段、招生计划和咨询电话。",
     "keywords": ["入学", "对口", "学区", "小学", "初中", "招生"], "synonyms": ["择校", "上学"],
     "org_name": "市教委", "kind": "query", "status": "available", "column": HALL, "connector": "csv_file"},
    {"code": "same_name", "name_zh": "重名查询", "name_en": "Same-name count",
     "description": "查询全市户籍人口中与某个姓名相同的人数，给新生儿起名参考（只提供统计数字）。",
     "keywords": ["重名", "同名", "起名", "取名", "姓名"], "synonyms": [],
     "org_name": "市公安局人口管理办公室", "kind": "query", "status": "available", "column": HALL, "connector": "sql_query"},
    {"code": "garbage_sorting", "name_zh": "垃圾分类查询", "name_en": "Garbage sorting",
     "description": "输入物品名称，查询应投放的垃圾类别和投放要求。",
     "keywords": ["垃圾分类", "干垃圾", "湿垃圾", "可回收物", "有害垃圾", "扔垃圾"], "synonyms": ["垃圾"],
     "org_name": "市绿化市容局", "kind": "query", "status": "available", "column": HALL, "connector": "garbage_lookup"},
    {"code": "hospital_reports", "name_zh": "医院报告查询", "name_en": "Hospital reports",
     "description": "查询本人在本市医院的检验、检查报告出具情况。",
     "keywords": ["检查报告", "化验单", "检验报告", "看报告", "体检"], "synonyms": ["就医"],
     "org_name": "市卫生健康委", "kind": "query", "status": "available", "column": HALL,
     "connector": "http_json", "identity_param": "resident_id"},
    {"code": "waterlogging", "name_zh": "道路积水查询", "name_en": "Road waterlogging",
     "description": "暴雨期间查询主要道路、路口和下立交的积水情况。",
     "keywords": ["积水", "暴雨", "下立交", "淹水", "下雨"], "synonyms": ["内涝"],
     "org_name": "市水务局", "kind": "query", "status": "available", "column": HALL, "connector": "csv_file"},
    {"code": "social_security_card", "name_zh": "社会保障卡办理进度", "name_en": "Social security card",
     "description": "查询本人社会保障卡的制卡、领取和挂失状态。",
     "keywords": ["社保卡", "制卡", "领卡", "挂失", "补卡"], "synonyms": ["社保"],
     "org_name": "市人力资源社会保障局", "kind": "query", "status": "available", "column": HALL,
     "connector": "http_json", "identity_param": "resident_id"},
    {"code": "housing_fund", "name_zh": "公积金查询", "name_en": "Housing provident fund",
     "description": "查询住房公积金账户余额和缴存明细。",
     "keywords": ["公积金", "余额", "缴存", "提取"], "synonyms": ["住房公积金"],
     "org_name": "市公积金管理中心", "kind": "link", "status": "available", "column": HALL,
     "url": "https://gjj.example.org/"},
    {"code": "weather", "name_zh": "天气预报", "name_en": "Weather forecast",
     "description": "查询今明两天天气、预警信号和未来一周预报。",
     "keywords": ["天气", "预警", "台风", "下雨", "气温"], "synonyms": ["气象"],
     "org_name": "市气象局", "kind": "link", "status": "available", "column": HALL,
     "url": "https://weather.example.org/"},
    {"code": "air_quality", "name_zh": "空气质量", "name_en": "Air quality",
     "description": "查询全市和各区的空气质量指数与首要污染物。",
     "keywords": ["空气", "AQI", "雾霾", "PM2.5"], "synonyms": [],
     "org_name": "市生态环境局", "kind": "link", "status": "available", "column": HALL,
     "url": "https://air.example.org/"},
    {"code": "metro", "name_zh": "地铁运营信息", "name_en": "Metro service",
     "description": "查询地铁首末班车时间、运营调整和客流提示。",
     "keywords": ["地铁", "首班车", "末班车", "轨交"], "synonyms": ["轨道交通"],
     "org_name": "市交通委", "kind": "link", "status": "available", "column": HALL,
     "url": "https://metro.example.org/"},
    {"code": "parking", "name_zh": "停车场空余车位", "name_en": "Parking spaces",
     "description": "查询公共停车场的空余车位和收费标准。",
     "keywords": ["停车", "车位", "停车场", "停车费"], "synonyms": [],
     "org_name": "市交通委", "kind": "link", "status": "available", "column": HALL,
     "url": "https://parking.example.org/"},
    {"code": "hospital_appointment", "name_zh": "医院预约挂号", "name_en": "Hospital appointments",
     "description": "预约本市公立医院的普通门诊和专家门诊号源。",
     "keywords": ["挂号", "预约", "门诊", "专家号", "看病"], "synonyms": ["医院"],
     "org_name": "市卫生健康委", "kind": "link", "status": "available", "column": HALL,
     "url": "https://appointment.example.org/"},
    {"code": "utility_bills", "name_zh": "水电煤缴费", "name_en": "Utility bills",
     "description": "查询和缴纳水费、电费、燃气费。",
     "keywords": ["水费", "电费", "燃气费", "缴费", "账单"], "synonyms": ["水电煤"],
     "org_name": "市发展改革委", "kind": "link", "status": "available", "column": HALL,
     "url": "https://bills.example.org/"},
    {"code": "exit_entry", "name_zh": "出入境证件办理进度", "name_en": "Exit-entry documents",
     "description": "查询护照、港澳台通行证和签注的办理进度。",
     "keywords": ["护照", "港澳通行证", "签注", "台湾通行证"], "synonyms": ["出入境"],
     "org_name": "市公安局出入境管理局", "kind": "link", "status": "available", "column": HALL,
     "url": "https://exit-entry.example.org/"},
    {"code": "public_bike", "name_zh": "公共自行车", "name_en": "Public bicycles",
     "description": "查询公共自行车站点和可借车辆数。",
     "keywords": ["自行车", "借车", "还车", "站点"], "synonyms": ["单车"],
     "org_name": "市交通委", "kind": "link", "status": "maintenance", "column": HALL,
     "url": "https://bike.example.org/"},
    {"code": "vaccination", "name_zh": "疫苗接种门诊", "name_en": "Vaccination clinics",
     "description": "查询预防接种门诊的地址、开放时间和可接种疫苗。",
     "keywords": ["疫苗", "接种", "打疫苗", "预防针"], "synonyms": [],
     "org_name": "市卫生健康委", "kind": "link", "status": "available", "column": HALL,
     "url": "https://vaccine.example.org/"},
    {"code": "elderly_care", "name_zh": "养老服务机构查询", "name_en": "Elderly care homes",
     "description": "查询养老院、长者照护之家和社区综合为老服务中心。",
     "keywords": ["养老院", "养老", "敬老院", "长者照护"], "synonyms": ["老年人"],
     "org_name": "市民政局", "kind": "link", "status": "available", "column": HALL,
     "url": "https://elderly.example.org/"},
    # The "Apply" column: no-meeting online applications.
    {"code": "disability_living_subsidy", "name_zh": "困难残疾人生活补贴申请", "name_en": "Living subsidy for people with disabilities",
     "description": "符合条件的困难残疾人在线申请生活补贴，无需到窗口。",
     "keywords": ["残疾人", "生活补贴", "补贴"], "synonyms": ["残疾"],
     "org_name": "市残联", "kind": "application", "status": "available", "column": APPLY},
    {"code": "unemployment_insurance", "name_zh": "失业保险金申领", "name_en": "Unemployment insurance benefit",
     "description": "在线申领失业保险金，查询领取期限。",
     "keywords": ["失业保险", "失业金", "申领"], "synonyms": ["失业"],
     "org_name": "市人力资源社会保障局", "kind": "application", "status": "available", "column": APPLY},
    {"code": "residence_registration", "name_zh": "居住登记", "name_en": "Residence registration",
     "description": "来沪人员在线办理居住登记。",
     "keywords": ["居住登记", "来沪", "登记"], "synonyms": ["居住证"],
     "org_name": "市公安局", "kind": "application", "status": "available", "column": APPLY},
    {"code": "residence_permit", "name_zh": "居住证办理", "name_en": "Residence permit",
     "description": "在线申领、签注上海市居住证。",
     "keywords": ["居住证", "签注", "积分"], "synonyms": [],
     "org_name": "市公安局", "kind": "application", "status": "available", "column": APPLY},
    {"code": "flexible_employment", "name_zh": "灵活就业登记", "name_en": "Flexible employment registration",
     "description": "灵活就业人员在线办理就业登记。",
     "keywords": ["灵活就业", "就业登记"], "synonyms": [],
     "org_name": "市人力资源社会保障局", "kind": "application", "status": "available", "column": APPLY},
    {"code": "nat_booking", "name_zh": "核酸检测预约", "name_en": "Test booking",
     "description": "已下线的服务。", "keywords": ["核酸"], "synonyms": [],
     "org_name": "市卫生健康委", "kind": "link", "status": "retired", "column": HALL,
     "url": "https://retired.example.org/"},
]


def service_catalog() -> list[dict[str, Any]]:
    """The demo service records (a fresh copy each call)."""
    return copy.deepcopy(_SERVICES)


def hall_services() -> list[dict[str, Any]]:
    """The 20 services of the Municipal Hall that are not retired."""
    return [s for s in service_catalog() if s["column"] == HALL and s["status"] != "retired"]


# ---------------------------------------------------------- connector specs

_PLATE_FIELD = {"type": "string", "pattern": PLATE_PATTERN, "title": "车牌号", "x-title-en": "Plate number",
                "x-example": "沪A·D12345"}
_RESIDENT_FIELD = {"type": "string", "pattern": RESIDENT_PATTERN, "title": "居民编号", "x-title-en": "Resident id"}


def prepare_demo_files(workdir: str | Path) -> dict[str, Path]:
    """Write the files the demo connectors read (the GTFS zip and the
    same-name database) under ``workdir``; return their paths."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    gtfs = write_gtfs(workdir / "demo_gtfs.zip")
    db = workdir / "population.sqlite3"
    build_population_db(db)
    return {"gtfs": gtfs, "population_db": db}


def connector_specs(base_url: str, workdir: str | Path, *, api_key: str = DEMO_API_KEY) -> dict[str, dict[str, Any]]:
    """``{service code: {"kind": ..., "config": {...}}}`` for the hall's
    query services, wired to the fake department at ``base_url`` and to the
    files :func:`prepare_demo_files` writes in ``workdir``. Configurations
    are plain JSON-able dicts, as an administrator would store them."""
    base = base_url.rstrip("/")
    files = prepare_demo_files(workdir)
    envelope_ok = {"code": 0}
    return {
        "bus_realtime": {"kind": "gtfs", "config": {
            "static": str(files["gtfs"]),
            "realtime_url": f"{base}/gtfs-rt/trip-updates",
            "name": "bus_realtime",
        }},
        "traffic_violations": {"kind": "http_json", "config": {
            "url_template": f"{base}/api/traffic-violations?plate={{plate}}",
            "headers": {"X-Api-Key": "{secret}"}, "secret": api_key,
            "result_path": "data.violations", "expect": envelope_ok, "name": "traffic_violations",
            "input_schema": {"type": "object", "required": ["plate"], "additionalProperties": False,
                             "properties": {"plate": _PLATE_FIELD}},
            "output_schema": {"type": "array", "items": {"type": "object", "required": ["time", "place", "behaviour"],
                              "properties": {"points": {"type": "integer"}, "fine": {"type": "integer"}}}},
        }},
        "road_conditions": {"kind": "http_json", "config": {
            "url_template": f"{base}/api/road-conditions?road={{road}}",
            "headers": {"X-Api-Key": "{secret}"}, "secret": api_key,
            "result_path": "data.sections", "expect": envelope_ok, "name": "road_conditions",
            "input_schema": {"type": "object", "additionalProperties": False, "properties": {
                "road": {"type": "string", "maxLength": 20, "title": "道路名称", "x-title-en": "Road", "x-example": "延安高架路"}}},
            "output_schema": {"type": "array", "items": {"type": "object", "required": ["road", "status"]}},
        }},
        "hospital_reports": {"kind": "http_json", "config": {
            "url_template": f"{base}/api/hospital-reports?resident_id={{resident_id}}",
            "headers": {"X-Api-Key": "{secret}"}, "secret": api_key,
            "result_path": "data.reports", "expect": envelope_ok, "name": "hospital_reports",
            "input_schema": {"type": "object", "required": ["resident_id"], "additionalProperties": False,
                             "properties": {"resident_id": _RESIDENT_FIELD}},
            "output_schema": {"type": "array", "items": {"type": "object", "required": ["hospital", "report_type", "status"]}},
        }},
        "social_security_card": {"kind": "http_json", "config": {
            "url_template": f"{base}/api/social-security-card?resident_id={{resident_id}}",
            "headers": {"X-Api-Key": "{secret}"}, "secret": api_key,
            "result_path": "data", "expect": envelope_ok, "name": "social_security_card",
            "input_schema": {"type": "object", "required": ["resident_id"], "additionalProperties": False,
                             "properties": {"resident_id": _RESIDENT_FIELD}},
            "output_schema": {"type": "object", "required": ["card"],
                              "properties": {"card": {"type": ["object", "null"]}}},
        }},
        "school_enrolment": {"kind": "csv_file", "config": {
            "path": str(data_path("school_enrolment.csv")), "name": "school_enrolment",
            "lookups": {"district": {"column": "district", "match": "exact"},
                        "stage": {"column": "stage", "match": "exact"},
                        "school": {"column": "school", "match": "words"},
                        "street": {"column": "scope", "match": "contains"}},
            "limit": 30,
            "input_schema": {
                "type": "object", "additionalProperties": False,
                "anyOf": [{"required": ["district"]}, {"required": ["school"]}, {"required": ["street"]}],
                "x-message": {"zh": "请至少填写区、学校名称或街道中的一项。",
                              "en": "Fill in at least one of district, school name or street."},
                "properties": {
                    "district": {"type": "string", "title": "所在区", "x-title-en": "District", "x-example": "黄浦区"},
                    "stage": {"enum": ["小学", "初中"], "title": "学段", "x-title-en": "Stage"},
                    "school": {"type": "string", "maxLength": 30, "title": "学校名称", "x-title-en": "School"},
                    "street": {"type": "string", "maxLength": 30, "title": "居住的道路", "x-title-en": "Street",
                               "x-example": "西藏南路"},
                }},
            "output_schema": {"type": "array", "items": {"type": "object", "required": ["school", "scope"],
                              "properties": {"places": {"type": "integer"}}}},
        }},
        "same_name": {"kind": "sql_query", "config": {
            "dsn": f"sqlite:///{Path(files['population_db']).resolve()}", "name": "same_name",
            # Always one row: a name nobody has still answers "0".
            "query": ("SELECT :name AS name, COALESCE(SUM(count), 0) AS count, COALESCE(SUM(male), 0) AS male,"
                      " COALESCE(SUM(female), 0) AS female FROM population_names WHERE name = :name"),
            "single_row": True,
            "input_schema": {"type": "object", "required": ["name"], "additionalProperties": False, "properties": {
                "name": {"type": "string", "pattern": "^[\u4e00-\u9fa5·]{2,10}$", "title": "姓名", "x-title-en": "Name",
                         "x-example": "张伟",
                         "x-message": {"zh": "请输入 2 到 10 个汉字的姓名。", "en": "Enter a name of 2 to 10 Chinese characters."}}}},
            "output_schema": {"type": "object", "required": ["name", "count"], "properties": {
                "count": {"type": "integer", "minimum": 0}, "male": {"type": "integer"}, "female": {"type": "integer"}}},
        }},
        "garbage_sorting": {"kind": "garbage_lookup", "config": {"name": "garbage_sorting"}},
        "waterlogging": {"kind": "csv_file", "config": {
            "path": str(data_path("waterlogging.csv")), "name": "waterlogging",
            "lookups": {"district": {"column": "district", "match": "exact"},
                        "place": {"column": "place", "match": "words"}},
            "allow_all": True, "sort_by": "-depth_cm", "limit": 50,
            "input_schema": {"type": "object", "additionalProperties": False, "properties": {
                "district": {"type": "string", "title": "所在区", "x-title-en": "District", "x-example": "徐汇区"},
                "place": {"type": "string", "maxLength": 30, "title": "道路或路口", "x-title-en": "Road or junction",
                          "x-example": "龙吴路"}}},
            "output_schema": {"type": "array", "items": {"type": "object", "required": ["place", "status"],
                              "properties": {"depth_cm": {"type": "integer"}}}},
        }},
    }


def build_connectors(base_url: str, workdir: str | Path, *, api_key: str = DEMO_API_KEY) -> dict[str, Any]:
    """The hall's query services as ready connectors (see :func:`connector_specs`)."""
    from civichall.services.connectors import build_connector

    return {code: build_connector(spec["kind"], spec["config"])
            for code, spec in connector_specs(base_url, workdir, api_key=api_key).items()}


# -------------------------------------------------------------------- menu


def demo_menu(site_url: str = "https://civichall.example.org") -> dict[str, Any]:
    """The account's WeChat menu: 市民大厅 / 随申办 / 来上海. Links point at
    hub pages under ``site_url``; the paths are the ones the public site is
    expected to serve."""
    site = site_url.rstrip("/")
    return {"button": [
        {"name": "市民大厅", "sub_button": [
            {"type": "view", "name": "实时公交", "url": f"{site}/services/bus_realtime/"},
            {"type": "view", "name": "交通出行", "url": f"{site}/services/search/?q=交通"},
            {"type": "view", "name": "生活查询", "url": f"{site}/services/hub/municipal-hall/"},
            {"type": "view", "name": "垃圾分类", "url": f"{site}/services/garbage_sorting/"},
            {"type": "view", "name": "全部服务", "url": f"{site}/services/"},
        ]},
        {"name": "随申办", "sub_button": [
            {"type": "view", "name": "不见面办理", "url": f"{site}/services/hub/apply/"},
            {"type": "view", "name": "我的账户", "url": f"{site}/citizen/"},
            {"type": "click", "name": "智能小申", "key": "ASSISTANT"},
        ]},
        {"name": "来上海", "sub_button": [
            {"type": "view", "name": "区级发布", "url": f"{site}/accounts/#kind-district"},
            {"type": "view", "name": "委办局", "url": f"{site}/accounts/#kind-bureau"},
            {"type": "view", "name": "重要机构", "url": f"{site}/accounts/#kind-institution"},
            {"type": "click", "name": "联系我们", "key": "CONTACT_US"},
        ]},
    ]}
