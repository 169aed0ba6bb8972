"""Loads the demo service matrix into the database.

* the catalog of :mod:`.departments` (the Municipal Hall's 20 services,
  the query services' connectors), each service owned by the right bureau;
* the "Apply" hub: the scan and Suishen-code tools, the smart assistant, and
  the seed's 44 "no-meeting" online applications by name and owner;
* a few services of district accounts, so that the one window and the hub
  show linked accounts;
* connectors wired to the fake department system at
  ``settings.CIVICHALL_DEMO_DEPARTMENT_URL`` and to files written under
  ``VAR_DIR/demo-departments``; plus the vehicle registry used to check that
  a plate belongs to the citizen;
* the municipal account's three-column WeChat menu.

Idempotent: what exists is left as it is (an administrator's changes are
kept), so a second run changes nothing. Only the connectors' addresses are
brought in line with the configured department URL, and only when it
changed.

Everything is written through the service matrix's actions, as the platform
(``SYSTEM``, source ``demo``): the demo obeys the same rules as the admin
(connector bindings, personal data, menu limits) and leaves audit entries.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM
from civichall.core.config import setting
from civichall.services.actions import (
    do_import_menu,
    do_save_connector,
    do_save_hub,
    do_save_service,
)
from civichall.services.models import (
    AccountMenu,
    Connector,
    Hub,
    Service,
    ServiceKind,
    ServiceStatus,
)

from . import catalog as dd

DEFAULT_DEPARTMENT_URL = "http://127.0.0.1:8765"
MUNICIPAL_SLUG = "shanghai"
HALL_SLUG = "municipal-hall"
APPLY_SLUG = "apply"
SOURCE = "demo"  # how the audit entries name what the demo loader wrote
VEHICLE_REGISTRY = "vehicle_registry"

# The demo departments' short names → organisation slugs of the account matrix.
ORG_SLUGS = {
    "市交通委": "transport-commission",
    "市卫生健康委": "health-commission",
    "市人力资源社会保障局": "human-resources-social-security-bureau",
    "市公安局": "public-security-bureau",
    "市公安局交通警察总队": "traffic-police",
    "市教委": "education-commission",
    "市公安局人口管理办公室": "public-security-bureau",
    "市绿化市容局": "landscaping-city-appearance-bureau",
    "市水务局": "water-authority",
    "市公积金管理中心": "housing-provident-fund",
    "市气象局": "meteorological-service",
    "市生态环境局": "ecology-environment-bureau",
    "市发展改革委": "development-reform-commission",
    "市公安局出入境管理局": "entry-exit-bureau",
    "市民政局": "civil-affairs-bureau",
    "市残联": "disabled-persons-federation",
    "市医保局": "medical-security-bureau",
}

# Per query service: cache time, identity, and where to turn when it is down.
QUERY_SETTINGS = {
    "bus_realtime": {"cache_ttl_s": 15, "alternative": "拨打 12345 市民服务热线咨询公交到站信息，或查看车站电子站牌。"},
    "traffic_violations": {"cache_ttl_s": 60, "requires_login": True, "requires_verified": True,
                           "owned_param": "plate",
                           "alternative": "可前往就近的公安交通管理部门违法处理窗口查询，或拨打 12345。"},
    "road_conditions": {"cache_ttl_s": 60, "alternative": "收听交通广播 FM105.7，或拨打 12345 市民服务热线。"},
    "school_enrolment": {"cache_ttl_s": 3600, "alternative": "可咨询所在区教育局招生咨询电话，或拨打 12345。"},
    "same_name": {"cache_ttl_s": 3600, "alternative": "可前往户籍所在地派出所户籍窗口咨询。"},
    "garbage_sorting": {"cache_ttl_s": 3600, "alternative": "可咨询小区垃圾箱房的志愿者，或拨打 12345。"},
    "hospital_reports": {"cache_ttl_s": 60, "requires_login": True, "requires_verified": True,
                         "identity_param": "resident_id",
                         "alternative": "可在就诊医院的自助机打印报告，或拨打 12320 卫生健康热线。"},
    "waterlogging": {"cache_ttl_s": 60, "alternative": "暴雨期间可收听交通广播，或拨打 12345 报告积水点。"},
    "social_security_card": {"cache_ttl_s": 60, "requires_login": True, "requires_verified": True,
                             "identity_param": "resident_id",
                             "alternative": "可拨打 12333 人社服务热线，或前往社区事务受理服务中心查询。"},
}

TOOLS = [
    {"code": "scan", "name_zh": "扫一扫", "name_en": "Scan", "kind": ServiceKind.LINK,
     "org": "big-data-center", "icon": "📷", "link_url": "https://suishenban.example.org/scan",
     "description_zh": "扫描场所码、办事二维码和电子证照。", "keywords": "扫码 二维码 场所码", "synonyms": "扫码"},
    {"code": "suishen_code", "name_zh": "随申码", "name_en": "Suishen code", "kind": ServiceKind.LINK,
     "org": "big-data-center", "icon": "🟩", "link_url": "https://suishenban.example.org/code",
     "description_zh": "出示随申码，用于就医、出行和办事。", "keywords": "随申码 健康码 亮码", "synonyms": "健康码"},
    {"code": "assistant", "name_zh": "智能小申", "name_en": "Smart assistant", "kind": ServiceKind.ASSISTANT,
     "org": MUNICIPAL_SLUG, "icon": "💬", "link_url": "/assistant/",
     "description_zh": "随时提问，智能小申为您解答政策和办事问题，找到对应的服务。",
     "keywords": "智能客服 咨询 问答 小申", "synonyms": "客服 机器人"},
]

# The seed's 44 "no-meeting" online applications: (code, name, owner slug,
# keywords). The first five are in the demo departments' catalog.
APPLICATIONS = [
    ("disability_living_subsidy", "困难残疾人生活补贴申请", "disabled-persons-federation", "残疾人 生活补贴"),
    ("unemployment_insurance", "失业保险金申领", "human-resources-social-security-bureau", "失业保险 失业金"),
    ("residence_registration", "居住登记", "public-security-bureau", "来沪 居住登记"),
    ("residence_permit", "居住证办理", "public-security-bureau", "居住证 积分"),
    ("flexible_employment", "灵活就业登记", "human-resources-social-security-bureau", "灵活就业 就业登记"),
    ("severe_disability_care_subsidy", "重度残疾人护理补贴申请", "disabled-persons-federation", "残疾人 护理补贴"),
    ("disability_certificate", "残疾人证办理", "disabled-persons-federation", "残疾人证 评残"),
    ("newborn_medical_insurance", "新生儿医保登记", "medical-security-bureau", "新生儿 医保 参保"),
    ("maternity_allowance", "生育津贴申领", "medical-security-bureau", "生育津贴 生育保险"),
    ("maternity_medical_reimbursement", "生育医疗费报销", "medical-security-bureau", "生育 医疗费 报销"),
    ("medical_treatment_elsewhere", "异地就医备案", "medical-security-bureau", "异地就医 备案 医保"),
    ("resident_medical_insurance", "城乡居民医保参保登记", "medical-security-bureau", "居民医保 参保"),
    ("housing_fund_withdrawal", "公积金提取", "housing-provident-fund", "公积金 提取 租房"),
    ("housing_fund_transfer", "公积金账户转移", "housing-provident-fund", "公积金 转移"),
    ("housing_fund_loan", "公积金贷款申请", "housing-provident-fund", "公积金 贷款 购房"),
    ("social_security_card_application", "社会保障卡申领", "social-security-card-center", "社保卡 申领"),
    ("social_security_card_replacement", "社会保障卡挂失补换", "social-security-card-center", "社保卡 挂失 补卡"),
    ("employment_registration", "就业登记", "human-resources-social-security-bureau", "就业 登记"),
    ("skills_training_subsidy", "职业技能培训补贴申请", "employment-promotion-center", "技能培训 补贴"),
    ("startup_subsidy", "一次性创业补贴申请", "employment-promotion-center", "创业 补贴"),
    ("pension_eligibility", "养老金领取资格认证", "human-resources-social-security-bureau", "养老金 资格认证"),
    ("retirement_application", "退休申请", "human-resources-social-security-bureau", "退休 养老保险"),
    ("talent_residence", "人才引进落户申请", "human-resources-social-security-bureau", "人才引进 落户"),
    ("elderly_allowance", "老年综合津贴申请", "civil-affairs-bureau", "老年 津贴 敬老"),
    ("minimum_living_allowance", "最低生活保障申请", "civil-affairs-bureau", "低保 救助"),
    ("marriage_registration_booking", "婚姻登记预约", "civil-affairs-bureau", "结婚 登记 预约"),
    ("school_registration", "义务教育入学报名", "education-commission", "入学 报名 小学 初中"),
    ("student_aid", "家庭经济困难学生资助申请", "education-commission", "学生资助 助学金"),
    ("hukou_transfer", "户口迁移申请", "public-security-bureau", "户口 迁移 落户"),
    ("newborn_hukou", "新生儿出生登记", "public-security-bureau", "新生儿 报户口 出生登记"),
    ("hk_macao_endorsement", "港澳通行证再次签注", "entry-exit-bureau", "港澳 签注 通行证"),
    ("passport_application", "普通护照申领", "entry-exit-bureau", "护照 出入境"),
    ("driving_licence_renewal", "驾驶证期满换证", "traffic-police", "驾驶证 换证"),
    ("vehicle_inspection_booking", "机动车检验预约", "traffic-police", "年检 机动车 预约"),
    ("property_registration_info", "不动产登记信息查询申请", "planning-natural-resources-bureau", "不动产 房产 登记"),
    ("public_rental_housing", "公共租赁住房申请", "housing-administration-bureau", "公租房 租赁"),
    ("low_rent_housing", "廉租住房申请", "housing-administration-bureau", "廉租房 住房保障"),
    ("individual_business_registration", "个体工商户登记", "market-regulation-bureau", "个体户 营业执照"),
    ("tax_special_deduction", "个人所得税专项附加扣除填报", "tax-service", "个税 专项附加扣除"),
    ("veterans_card", "退役军人优待证申领", "veterans-affairs-bureau", "退役军人 优待证"),
    ("legal_aid", "法律援助申请", "justice-bureau", "法律援助 律师"),
    ("fitness_voucher", "体育消费券申领", "sports-bureau", "健身 消费券"),
    ("elderly_meal_service", "长者助餐服务申请", "huangpu", "助餐 老年 食堂"),
    ("community_childcare", "社区托育服务报名", "pudong", "托育 托班 幼儿"),
]

# Services of district accounts: the hub groups them by owner, the one
# window finds them.
DISTRICT_SERVICES = [
    {"code": "huangpu_service_centres", "name_zh": "黄浦区社区事务受理服务中心", "name_en": "Huangpu community service centres",
     "org": "huangpu", "kind": ServiceKind.LINK, "link_url": "https://huangpu.example.org/centres",
     "description_zh": "查询黄浦区各街道社区事务受理服务中心的地址、办理事项和开放时间。",
     "keywords": "社区事务 受理中心 办事大厅", "synonyms": "办事"},
    {"code": "xuhui_venue_booking", "name_zh": "徐汇文化场馆预约", "name_en": "Xuhui cultural venue booking",
     "org": "xuhui", "kind": ServiceKind.LINK, "link_url": "https://xuhui.example.org/venues",
     "description_zh": "预约徐汇区图书馆、美术馆和社区文化活动中心。",
     "keywords": "场馆 预约 图书馆 美术馆", "synonyms": "文化活动"},
    {"code": "pudong_bus_shuttle", "name_zh": "浦东社区巴士线路", "name_en": "Pudong community shuttle buses",
     "org": "pudong", "kind": ServiceKind.LINK, "link_url": "https://pudong.example.org/shuttle",
     "description_zh": "浦东新区社区巴士线路、站点和首末班时间。",
     "keywords": "社区巴士 线路 班次", "synonyms": "小巴"},
]


def department_url():
    """Where the demo connectors find the department systems."""
    return setting("CIVICHALL_DEMO_DEPARTMENT_URL") or DEFAULT_DEPARTMENT_URL


def workdir():
    """Where the demo connectors' files are written."""
    return Path(settings.VAR_DIR) / "demo-departments"


def connector_specs(base_url=None):
    """``{connector name: {"kind", "config", "secret"}}`` for the demo: the
    hall's eight query services and the vehicle registry."""
    base = (base_url or department_url()).rstrip("/")
    specs = {}
    for code, spec in dd.connector_specs(base, workdir()).items():
        config = dict(spec["config"])
        secret = config.pop("secret", "")
        specs[code] = {"kind": spec["kind"], "config": config, "secret": secret or ""}
    specs[VEHICLE_REGISTRY] = {"kind": "http_json", "secret": dd.DEMO_API_KEY, "config": {
        "url_template": f"{base}/api/vehicles?resident_id={{resident_id}}",
        "headers": {"X-Api-Key": "{secret}"}, "result_path": "data.vehicles", "expect": {"code": 0},
        "name": VEHICLE_REGISTRY,
        "input_schema": {"type": "object", "required": ["resident_id"], "additionalProperties": False,
                         "properties": {"resident_id": {"type": "string", "pattern": dd.RESIDENT_PATTERN}}},
        "output_schema": {"type": "array", "items": {"type": "object", "required": ["plate"]}},
    }}
    return specs


def connector_owners():
    """``{connector name: (owner slug, identity parameter or "")}``: each
    demo connector belongs to the bureau whose service uses it; those that
    return personal data name the input that says whose."""
    owners = {VEHICLE_REGISTRY: ("traffic-police", "resident_id")}
    for rec in dd.service_catalog():
        if rec["kind"] == ServiceKind.QUERY:
            owners[rec["code"]] = (ORG_SLUGS.get(rec["org_name"], MUNICIPAL_SLUG),
                                   rec.get("identity_param") or rec.get("owned_param") or "")
    return owners


def load_connectors(base_url=None):
    """Create the demo connectors, or point the existing ones at
    ``base_url`` when it changed; returns how many were created or changed."""
    changed = 0
    owners = connector_owners()
    orgs = {o.slug: o for o in Organisation.objects.all()}
    for name, spec in connector_specs(base_url).items():
        connector = Connector.objects.filter(name=name).first()
        if connector is None:
            owner, identity = owners.get(name, (MUNICIPAL_SLUG, ""))
            do_save_connector(SYSTEM, None, secret=spec["secret"] or None, source=SOURCE, name=name,
                              kind=spec["kind"], config=spec["config"],
                              organisation=orgs.get(owner) or orgs[MUNICIPAL_SLUG],
                              personal_data=bool(identity), identity_param=identity)
            changed += 1
        elif connector.kind == spec["kind"] and connector.config != spec["config"] and _same_shape(
                connector.config, spec["config"]):
            do_save_connector(SYSTEM, connector, source=SOURCE, config=spec["config"])
            changed += 1
    return changed


def _same_shape(stored, wanted):
    """True when two configurations differ only in addresses and file paths
    (the department URL or the data folder moved), not in what an
    administrator chose."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in ("url_template", "realtime_url", "static", "dsn", "path")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(stored) == strip(wanted)


def point_connectors_at(base_url):
    """Point the demo connectors at a department system at ``base_url``
    (the demo command and the tests start one on a free port)."""
    return load_connectors(base_url)


def _create_service(orgs, *, code, org, **fields):
    if Service.objects.filter(code=code).exists():
        return None, False
    owner = orgs.get(org)
    if owner is None:
        return None, False
    return do_save_service(SYSTEM, None, source=SOURCE, code=code, organisation=owner, **fields), True


def _words(value):
    if isinstance(value, (list, tuple)):
        return " ".join(value)
    return value or ""


def _ensure_hub(slug, org, name_zh, name_en, description, show_linked, codes, sort_order):
    """The hub ``slug`` with the services ``codes``: a new hub gets them in
    order; an existing one keeps its entries (an administrator's order) and
    gets the missing ones appended."""
    hub = Hub.objects.filter(slug=slug).first()
    present = [] if hub is None else [e.service for e in hub.entries.select_related("service").order_by(
        "sort_order", "pk")]
    have = {s.code for s in present}
    services = {s.code: s for s in Service.objects.filter(code__in=codes)}
    missing = [services[code] for code in codes if code in services and code not in have]
    if hub is None:
        return do_save_hub(SYSTEM, None, services=missing, source=SOURCE, slug=slug, organisation=org,
                           name_zh=name_zh, name_en=name_en, description_zh=description,
                           show_linked=show_linked, sort_order=sort_order)
    if missing:
        do_save_hub(SYSTEM, hub, services=present + missing, source=SOURCE)
    return hub


@transaction.atomic
def load_services(base_url=None):
    """Load the demo service matrix; returns lines describing what is there."""
    orgs = {o.slug: o for o in Organisation.objects.all()}
    municipal = orgs.get(MUNICIPAL_SLUG)
    if municipal is None:
        return ["services: skipped (no municipal account; load the organisations first)"]
    load_connectors(base_url)
    connectors = {c.name: c for c in Connector.objects.all()}
    created = 0

    for position, rec in enumerate(dd.service_catalog()):
        extra = QUERY_SETTINGS.get(rec["code"], {})
        _service, new = _create_service(
            orgs, code=rec["code"], org=ORG_SLUGS.get(rec["org_name"], MUNICIPAL_SLUG),
            kind=rec["kind"], name_zh=rec["name_zh"], name_en=rec.get("name_en", ""),
            description_zh=rec.get("description", ""), keywords=_words(rec.get("keywords")),
            synonyms=_words(rec.get("synonyms")), icon=rec.get("icon", ""),
            status=rec.get("status", ServiceStatus.AVAILABLE), link_url=rec.get("url", ""),
            connector=connectors.get(rec["code"]) if rec["kind"] == ServiceKind.QUERY else None,
            maintenance_message=("系统升级中，暂停服务。" if rec.get("status") == ServiceStatus.MAINTENANCE else ""),
            sort_order=position, **extra,
        )
        created += new
    for position, tool in enumerate(TOOLS):
        tool = dict(tool)
        _service, new = _create_service(orgs, code=tool.pop("code"), org=tool.pop("org"),
                                        sort_order=100 + position, **tool)
        created += new
    for position, (code, name, org, keywords) in enumerate(APPLICATIONS):
        _service, new = _create_service(
            orgs, code=code, org=org, kind=ServiceKind.APPLICATION, name_zh=name,
            description_zh=f"{name}：在线提交材料，全程网办，不见面办理。", keywords=keywords,
            requires_login=True, requires_verified=True, sort_order=200 + position,
        )
        created += new
    for position, rec in enumerate(DISTRICT_SERVICES):
        rec = dict(rec)
        _service, new = _create_service(orgs, code=rec.pop("code"), org=rec.pop("org"),
                                        sort_order=300 + position, **rec)
        created += new

    hall = _ensure_hub(HALL_SLUG, municipal, "市民大厅", "Municipal Hall",
                       "交通出行、生活查询、医疗社保，常用便民服务一站查询。", True,
                       [s["code"] for s in dd.hall_services()], 0)
    apply = _ensure_hub(APPLY_SLUG, municipal, "随申办", "Apply",
                        "扫一扫、随申码、智能小申，以及 44 项“不见面”网上办理服务。", False,
                        [t["code"] for t in TOOLS] + [a[0] for a in APPLICATIONS], 1)

    if not AccountMenu.objects.filter(organisation=municipal).exists():
        site = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "https://civichall.example.org"
        do_import_menu(municipal, dd.demo_menu(site), SYSTEM, source=SOURCE)

    return [
        f"services: {Service.objects.count()} ({created} new); hubs: "
        f"{hall.name_zh} {hall.entries.count()}, {apply.name_zh} {apply.entries.count()}; "
        f"connectors: {Connector.objects.count()} (department systems at {(base_url or department_url())})",
    ]
