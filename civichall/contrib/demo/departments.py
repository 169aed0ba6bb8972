"""The demo departments: their data, their services, and the account's menu.

Everything here is made up for the demo and the tests — no real person is in
it. Demo residents have internal ids (``R0001`` ...) and no identity numbers;
the same-name table holds only aggregate counts; schools, hospitals and
hotlines are fictional (hotlines use the unassigned ``021-0000`` range).

What it provides:

* data files in ``data/`` and readers for them;
* a GTFS timetable for four bus lines, generated from the compact
  ``data/bus_lines.json`` (stop lists, minutes between stops, headways):
  trips every 10–15 minutes from 05:30 to 23:00, weekday and weekend
  calendars valid until the end of 2030;
* the service catalog of the "Municipal Hall" (20 query services) and the
  "Apply" column, as plain records for :mod:`.search` and for seeding;
* connector configurations wiring the hall's query services to the fake
  department system (:mod:`.fake_department`) and to local data;
* the account's three-column WeChat menu.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

# The key the fake department system asks for in ``X-Api-Key``. A demo value:
# real keys come from the environment and are stored as connector secrets.
DEMO_API_KEY = "demo-dept-key-7f3a9c"

PLATE_PATTERN = r"^沪[A-Z]·?[A-Z0-9]{5,6}$"
RESIDENT_PATTERN = r"^R[0-9]{4}$"


# ------------------------------------------------------------------- files


def data_path(name: str) -> Path:
    """Path of a demo data file."""
    return DATA_DIR / name


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a demo CSV file as dicts."""
    with open(data_path(name), encoding="utf-8-sig", newline="") as f:
        return [dict(row) for row in csv.DictReader(f)]


@functools.lru_cache(maxsize=None)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_csv(name))


def residents() -> list[dict[str, str]]:
    """The demo residents (``resident_id``, ``display_name``, ``district``)."""
    return [dict(r) for r in _rows("demo_residents.csv")]


def resident(resident_id: str) -> dict[str, str] | None:
    """One demo resident, or ``None``."""
    return next((dict(r) for r in _rows("demo_residents.csv") if r["resident_id"] == resident_id), None)


def hospital_reports(resident_id: str) -> list[dict[str, str]]:
    """A resident's hospital reports, newest first."""
    rows = [dict(r) for r in _rows("hospital_reports.csv") if r["resident_id"] == resident_id]
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def vehicles(resident_id: str) -> list[dict[str, str]]:
    """Vehicles registered to a resident."""
    return [dict(r) for r in _rows("vehicles.csv") if r["resident_id"] == resident_id]


def _plate_key(plate: str) -> str:
    return "".join(ch for ch in plate.upper() if ch.isalnum())


def traffic_violations(plate: str) -> list[dict[str, Any]]:
    """Violations recorded for a plate ("沪A·D12345" or "沪AD12345"), newest first."""
    key = _plate_key(plate)
    rows = [dict(r) for r in _rows("traffic_violations.csv") if _plate_key(r["plate"]) == key]
    for r in rows:
        r["points"] = int(r["points"])
        r["fine"] = int(r["fine"])
    return sorted(rows, key=lambda r: r["time"], reverse=True)


def social_security_card(resident_id: str) -> dict[str, str] | None:
    """A resident's social security card record, or ``None``."""
    row = next((r for r in _rows("social_security_cards.csv") if r["resident_id"] == resident_id), None)
    return dict(row) if row else None


def road_conditions(road: str | None = None) -> list[dict[str, Any]]:
    """Road sections, optionally those whose road name contains ``road``."""
    rows = [dict(r) for r in _rows("road_conditions.csv") if not road or road in r["road"]]
    for r in rows:
        r["speed_kmh"] = int(r["speed_kmh"])
    return rows


def build_population_db(path: str | Path) -> str:
    """Write the same-name table (aggregates only) into an SQLite file and
    return its DSN for the ``sql_query`` connector."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute(
            "CREATE TABLE population_names (name TEXT PRIMARY KEY, count INTEGER NOT NULL,"
            " male INTEGER NOT NULL, female INTEGER NOT NULL)"
        )
        conn.executemany(
            "INSERT INTO population_names VALUES (?, ?, ?, ?)",
            [(r["name"], int(r["count"]), int(r["male"]), int(r["female"])) for r in _rows("population_names.csv")],
        )
        conn.commit()
    finally:
        conn.close()
    tmp.replace(path)  # readers never see a half-written file
    return f"sqlite:///{path.resolve()}"


# -------------------------------------------------------------------- GTFS


@functools.lru_cache(maxsize=1)
def bus_lines() -> dict[str, Any]:
    """The compact description of the demo bus lines."""
    return json.loads(data_path("bus_lines.json").read_text(encoding="utf-8"))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _gtfs_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@functools.lru_cache(maxsize=1)
def _gtfs_files() -> tuple[tuple[str, str], ...]:
    spec = bus_lines()
    agency = spec["agency"]
    period = spec["service_period"]
    first, last = _minutes(spec["service_hours"]["first"]), _minutes(spec["service_hours"]["last"])
    services = {"WKD": ("weekday", [1, 1, 1, 1, 1, 0, 0]), "WKE": ("weekend", [0, 0, 0, 0, 0, 1, 1])}

    stops: list[list[Any]] = []
    routes: list[list[Any]] = []
    trips: list[list[Any]] = []
    stop_times: list[list[Any]] = []
    for line in spec["lines"]:
        rid = line["route_id"]
        routes.append([rid, agency["agency_id"], line["short_name"], line["long_name"], 3])
        for stop_id, name, lat, lon in line["stops"]:
            stops.append([stop_id, name, lat, lon])
        for direction in (0, 1):
            line_stops = line["stops"] if direction == 0 else list(reversed(line["stops"]))
            gaps = line["minutes_between"] if direction == 0 else list(reversed(line["minutes_between"]))
            headsign = line_stops[-1][1]
            offsets = [0]
            for gap in gaps:
                offsets.append(offsets[-1] + gap)
            for service_id, (day_kind, _days) in services.items():
                headway = line["headway_min"][day_kind]
                start = first
                while start <= last:
                    trip_id = f"{rid}-{service_id}-{direction}-{start // 60:02d}{start % 60:02d}"
                    trips.append([rid, service_id, trip_id, headsign, direction])
                    for seq, ((stop_id, *_rest), offset) in enumerate(zip(line_stops, offsets), start=1):
                        t = _gtfs_time(start + offset)
                        stop_times.append([trip_id, t, t, stop_id, seq])
                    start += headway
    files = {
        "agency.txt": _csv_text(["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                                [[agency[k] for k in ("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang")]]),
        "stops.txt": _csv_text(["stop_id", "stop_name", "stop_lat", "stop_lon"], stops),
        "routes.txt": _csv_text(["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"], routes),
        "trips.txt": _csv_text(["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], trips),
        "stop_times.txt": _csv_text(["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times),
        "calendar.txt": _csv_text(
            ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "start_date", "end_date"],
            [[sid, *days, period["start_date"], period["end_date"]] for sid, (_k, days) in services.items()],
        ),
    }
    return tuple(files.items())


def gtfs_files() -> dict[str, str]:
    """The demo timetable as GTFS files: ``{"stops.txt": "...", ...}``."""
    return dict(_gtfs_files())


def gtfs_zip_bytes() -> bytes:
    """The demo timetable as a GTFS zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in _gtfs_files():
            zf.writestr(name, text)
    return buf.getvalue()


def write_gtfs(target: str | Path) -> Path:
    """Write the demo timetable to ``target``: a folder, or a ``.zip`` file."""
    target = Path(target)
    if target.suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gtfs_zip_bytes())
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in _gtfs_files():
        (target / name).write_text(text, encoding="utf-8")
    return target


@functools.lru_cache(maxsize=1)
def gtfs_static():
    """The demo timetable, loaded (shared, read-only)."""
    from .connectors.gtfs import load_gtfs_static

    return load_gtfs_static(gtfs_files())


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
    from .connectors import build_connector

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
