"""The demo topics and the specs of the demo pictures (rendered by
:mod:`civichall.contrib.demo.pictures`)."""

# --- topics -----------------------------------------------------------------

TOPICS = [
    {"slug": "epidemic-prevention", "name_zh": "防疫", "name_en": "Epidemic prevention",
     "description_zh": "疫情防控政策、疫苗接种、核酸检测和个人防护的权威信息。"},
    {"slug": "employment", "name_zh": "就业", "name_en": "Employment",
     "description_zh": "招聘活动、就业补贴、失业保险和职业指导。"},
    {"slug": "education", "name_zh": "教育", "name_en": "Education",
     "description_zh": "返校复学、招生考试、入学登记和假期托管。"},
    {"slug": "medical-care", "name_zh": "医疗", "name_en": "Medical care",
     "description_zh": "就医挂号、医保结算、健康科普和疾病预防。"},
    {"slug": "traffic", "name_zh": "交通", "name_en": "Traffic",
     "description_zh": "地铁公交运营、道路出行、交通违法处理和假期出行提示。"},
    {"slug": "weather", "name_zh": "气象", "name_en": "Weather",
     "description_zh": "天气预报、预警信号、高温和汛期安全提示。"},
    {"slug": "policy-explained", "name_zh": "政策解读", "name_en": "Policy explained",
     "description_zh": "把政策文件讲成大白话：谁能办、怎么办、到哪里办。"},
    {"slug": "work-resumption", "name_zh": "复工复产", "name_en": "Work resumption",
     "description_zh": "企业复工复产、商业和公共服务恢复的安排与指引。"},
    {"slug": "daily-life", "name_zh": "生活服务", "name_en": "Daily life",
     "description_zh": "垃圾分类、社区服务、公园出游等日常生活中的便民信息。"},
]

# --- image specs ------------------------------------------------------------

_BLUE = ["#E3F2FD", "#1F5FA8", "#E76F51"]
_RED = ["#FDECEA", "#C8102E", "#F4A261"]
_GREEN = ["#EAF6EC", "#2B9348", "#F4A261"]
_TEAL = ["#E0F4F1", "#0F7B6C", "#F28482"]
_ORANGE = ["#FFF3E0", "#E07A1F", "#2B6CB0"]
_NAVY = ["#E8EAF6", "#283593", "#F9A825"]
_PURPLE = ["#F3E8FA", "#6A4C93", "#F4A261"]
_SKY = ["#E1F5FE", "#0277BD", "#FFB300"]
_GREY = ["#ECEFF1", "#455A64", "#26A69A"]
_WARM = ["#FFF8E1", "#D84315", "#FFB300"]


def _img(title, kind, palette, motif):
    return {"title": title, "kind": kind, "palette": list(palette), "motif": motif}


IMAGES = {
    # school return
    "cover-school-return": _img("返校复学封面：校门前的教学楼", "cover", _BLUE, "school"),
    # metro
    "cover-metro": _img("轨道交通恢复运营封面：驶入车站的地铁列车", "cover", _RED, "metro"),
    # comic for elderly people without smartphones
    "cover-elderly-scan": _img("老人扫码攻略封面：老人和家人", "cover", _ORANGE, "elderly"),
    "comic-scan-1": _img("漫画第一格：老人在超市门口犯难", "comic", _ORANGE, "elderly"),
    "comic-scan-2": _img("漫画第二格：家人用手机添加亲友码", "comic", _ORANGE, "phone-scan"),
    "comic-scan-3": _img("漫画第三格：打印纸质随申码", "comic", _ORANGE, "document"),
    "comic-scan-4": _img("漫画第四格：在数字哨兵刷证核验", "comic", _SKY, "phone-scan"),
    "comic-scan-5": _img("漫画第五格：工作人员协助登记", "comic", _SKY, "elderly"),
    "comic-scan-6": _img("漫画第六格：祖孙俩买菜回家", "comic", _GREEN, "family"),
    # mosquitoes
    "cover-mosquito": _img("防蚊指南封面：禁止蚊虫标志", "cover", _GREEN, "mosquito"),
    # industrial resumption poster
    "cover-industrial-guideline": _img("工业企业复工复产封面：厂房和齿轮", "cover", _BLUE, "factory"),
    "poster-industrial-v3": _img("一图读懂工业企业复工复产疫情防控指引（第三版）", "poster", _BLUE, "factory"),
    # college entrance exam
    "cover-gaokao": _img("高考延期答问封面：校园教学楼", "cover", _NAVY, "school"),
    # vaccination
    "cover-vaccine-elderly": _img("老年人疫苗接种封面：盾牌和注射器", "cover", _TEAL, "vaccine"),
    # High Court Q&A
    "cover-high-court": _img("上海高院12问答封面：文件和印章", "cover", _RED, "document"),
    # parks
    "cover-park": _img("公园云赏景封面：绿地和林荫小道", "cover", _GREEN, "park"),
    "photo-park-1": _img("公园林荫道", "photo", _GREEN, "park"),
    "photo-park-2": _img("公园月季花海", "photo", ["#FCE4EC", "#3A7D44", "#E91E63"], "park"),
    "photo-park-3": _img("公园草坪和长椅", "photo", ["#F1F8E9", "#558B2F", "#FFB300"], "park"),
    "photo-park-4": _img("滨江绿地远眺城市天际线", "photo", _SKY, "city"),
    # home cleaning posters
    "cover-home-cleaning": _img("家庭清洁消毒封面：一家人在家中", "cover", _TEAL, "family"),
    "poster-clean-ventilation": _img("海报：每天开窗通风", "poster", _TEAL, "family"),
    "poster-clean-surfaces": _img("海报：常摸物品表面清洁", "poster", _SKY, "document"),
    "poster-clean-disinfectant": _img("海报：消毒剂正确使用", "poster", _PURPLE, "vaccine"),
    "poster-clean-deliveries": _img("海报：快递外卖和垃圾处理", "poster", _ORANGE, "garbage"),
    # flood season showcase
    "cover-flood": _img("防汛防台安全指南封面：雨中的雨伞", "cover", _SKY, "rain"),
    "photo-flood-street": _img("雨后道路积水的街道", "photo", _GREY, "rain"),
    "flood-seq-1": _img("组图一：台风来临前检查门窗", "comic", _SKY, "family"),
    "flood-seq-2": _img("组图二：暴雨中绕开积水路段", "comic", _GREY, "rain"),
    "flood-seq-3": _img("组图三：城市排水设施运行", "comic", _BLUE, "city"),
    "step-flood-1": _img("步骤图：查看预警信息", "photo", _SKY, "phone-scan"),
    "step-flood-2": _img("步骤图：准备应急物品", "photo", _ORANGE, "document"),
    "poster-flood": _img("一图读懂暴雨和台风预警信号", "poster", _SKY, "rain"),
    # weather
    "cover-rainstorm": _img("暴雨预警封面：乌云和雨伞", "cover", _GREY, "rain"),
    "photo-rain-street": _img("雨中城市街景", "photo", _GREY, "city"),
    "cover-heatwave": _img("高温防暑封面：太阳和温度计", "cover", _WARM, "sun"),
    "poster-heatwave": _img("一图读懂高温天气防暑降温", "poster", _WARM, "sun"),
    "cover-plum-rain": _img("入梅封面：雨量图表背景", "chart-bg", _SKY, "rain"),
    # employment
    "cover-job-fair": _img("线上招聘会封面：岗位数据图表背景", "chart-bg", _ORANGE, "city"),
    "cover-employment-subsidy": _img("就业补贴政策解读封面：文件", "cover", _ORANGE, "document"),
    "cover-enrolment": _img("入学信息登记封面：小学校园", "cover", _GREEN, "school"),
    "cover-graduate-fair": _img("高校毕业生专场招聘会封面：校园", "cover", _PURPLE, "school"),
    "cover-unemployment-insurance": _img("失业保险金申领封面：文件", "cover", _WARM, "document"),
    # medical care
    "cover-hospital-appointment": _img("预约挂号封面：医院大楼", "cover", _TEAL, "hospital"),
    "step-appointment-1": _img("步骤图：手机打开预约平台", "photo", _TEAL, "phone-scan"),
    "step-appointment-2": _img("步骤图：选择医院和科室", "photo", _TEAL, "hospital"),
    "step-appointment-3": _img("步骤图：确认就诊信息", "photo", _TEAL, "document"),
    "cover-medical-insurance": _img("异地就医结算封面：医院", "cover", _BLUE, "hospital"),
    # daily life
    "cover-garbage": _img("垃圾分类封面：四色垃圾桶", "cover", _GREEN, "garbage"),
    "poster-garbage": _img("一图读懂生活垃圾四分类", "poster", _GREEN, "garbage"),
    "cover-huangpu-service": _img("社区事务受理服务中心封面：城市街区", "cover", _RED, "city"),
    "cover-summer-care": _img("爱心暑托班封面：孩子和家长", "cover", _SKY, "family"),
    "cover-social-card": _img("社保卡办理封面：证件和材料", "cover", _BLUE, "document"),
    "cover-disability-subsidy": _img("残疾人生活补贴封面：老人和家人", "cover", _PURPLE, "elderly"),
    "cover-dragon-boat": _img("端午出游封面：公园绿地", "cover", _GREEN, "park"),
    "photo-riverside": _img("黄浦江滨江步道", "photo", _SKY, "city"),
    # traffic
    "cover-bus": _img("公交恢复运营封面：公交车和站牌", "cover", _BLUE, "bus"),
    "photo-bus-stop": _img("公交车停靠站台", "photo", _SKY, "bus"),
    "cover-traffic-violation": _img("交通违法查询封面：城市道路", "cover", _NAVY, "city"),
    "cover-holiday-travel": _img("端午假期交通运行封面：客流图表背景", "chart-bg", _RED, "metro"),
    # epidemic prevention and work resumption
    "cover-testing-sites": _img("核酸采样点查询封面：手机扫码", "cover", _TEAL, "phone-scan"),
    "step-testing-1": _img("步骤图：打开随申办", "photo", _TEAL, "phone-scan"),
    "step-testing-2": _img("步骤图：在地图上查看采样点", "photo", _TEAL, "city"),
    "cover-work-resumption-progress": _img("复工复产进展封面：复工率图表背景", "chart-bg", _BLUE, "factory"),
    "cover-pudong-enterprise": _img("浦东企业服务专窗封面：厂房", "cover", _NAVY, "factory"),
}
