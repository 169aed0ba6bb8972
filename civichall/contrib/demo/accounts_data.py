"""Demo data for the account matrix: the municipal account and the accounts
linked with it (16 districts, 39 commissions/bureaus, 40 institutions), as in
the "Shanghai Release" service matrix, plus a handful of demo staff.

Plain data, no Django: the loader turns these dicts into organisations,
avatars and memberships. Names are public names of Shanghai bodies; office
addresses are made up for the demo (every one says so) and the only phone
numbers are public service hotlines.
"""

KINDS = ("municipal", "district", "bureau", "institution")
ROLES = ("editor", "reviewer", "liaison", "administrator")

# Where the demo offices "are": made-up addresses on a made-up road.
_OFFICE_DISTRICTS = ["黄浦区", "静安区", "徐汇区", "长宁区", "虹口区", "浦东新区"]

# (slug, parent, name_zh, name_en, account_name_zh, scope_zh, scope_en,
#  hotline_label, hotline, avatar_color)
_MUNICIPAL = [
    ("shanghai", None, "上海市人民政府新闻办公室",
     "Information Office of Shanghai Municipal People's Government", "上海发布",
     "全市重要政务和民生服务",
     "the city's key government information, people's-livelihood services and official explanations",
     "市民服务热线", "12345", "#C8102E"),
]

_DISTRICTS = [
    ("huangpu", "黄浦区", "Huangpu District", "上海黄浦", "外滩、南京路、豫园一带", "the Bund, Nanjing Road and Yuyuan area", "#B5322F"),
    ("xuhui", "徐汇区", "Xuhui District", "徐汇通", "徐家汇、滨江西岸一带", "Xujiahui and the West Bund", "#2E6DB4"),
    ("changning", "长宁区", "Changning District", "上海长宁", "虹桥、中山公园一带", "Hongqiao and Zhongshan Park", "#3C8D5A"),
    ("jingan", "静安区", "Jing'an District", "上海静安", "南京西路、大宁一带", "West Nanjing Road and Daning", "#8A4FA3"),
    ("putuo", "普陀区", "Putuo District", "上海普陀", "长风、真如、苏州河沿岸", "Changfeng, Zhenru and the Suzhou Creek", "#D0802A"),
    ("hongkou", "虹口区", "Hongkou District", "上海虹口", "北外滩、四川北路一带", "the North Bund and North Sichuan Road", "#1F8A8A"),
    ("yangpu", "杨浦区", "Yangpu District", "上海杨浦", "杨浦滨江和大学城", "the Yangpu riverside and its universities", "#C0392B"),
    ("minhang", "闵行区", "Minhang District", "今日闵行", "虹桥枢纽、莘庄、紫竹一带", "the Hongqiao hub, Xinzhuang and Zizhu", "#2A7F62"),
    ("baoshan", "宝山区", "Baoshan District", "宝山汇", "吴淞口、顾村一带", "Wusongkou and Gucun", "#3B5BA5"),
    ("jiading", "嘉定区", "Jiading District", "上海嘉定", "嘉定新城、安亭汽车城", "Jiading New City and Anting", "#7D6B2E"),
    ("pudong", "浦东新区", "Pudong New Area", "浦东发布", "陆家嘴、张江、临港一带", "Lujiazui, Zhangjiang and Lingang", "#0B5CAD"),
    ("jinshan", "金山区", "Jinshan District", "上海金山", "金山城市沙滩、枫泾古镇一带", "Jinshan beach and Fengjing ancient town", "#B8860B"),
    ("songjiang", "松江区", "Songjiang District", "上海松江", "松江新城、佘山一带", "Songjiang New City and Sheshan", "#4E7D3A"),
    ("qingpu", "青浦区", "Qingpu District", "上海青浦", "朱家角、淀山湖一带", "Zhujiajiao and Dianshan Lake", "#2C7FB8"),
    ("fengxian", "奉贤区", "Fengxian District", "上海奉贤", "奉贤新城、海湾一带", "Fengxian New City and the bay", "#A0522D"),
    ("chongming", "崇明区", "Chongming District", "上海崇明", "崇明生态岛", "the Chongming eco-island", "#3A9D5D"),
]

_BUREAUS = [
    ("development-reform-commission", "上海市发展和改革委员会", "Shanghai Municipal Development and Reform Commission", "上海发改",
     "发展规划、价格管理和重大项目", "development planning, prices and major projects", None, None, "#9B2226"),
    ("economy-informatization-commission", "上海市经济和信息化委员会", "Shanghai Municipal Commission of Economy and Informatization", "上海经信委",
     "工业和信息化发展、企业服务和复工复产", "industry, informatisation, enterprise services and resumption of work", None, None, "#1D4E89"),
    ("commerce-commission", "上海市商务委员会", "Shanghai Municipal Commission of Commerce", "上海商务",
     "商业消费、市场保供和对外贸易", "commerce, consumer supply and foreign trade", None, None, "#C1121F"),
    ("education-commission", "上海市教育委员会", "Shanghai Municipal Education Commission", "上海教育",
     "招生入学、学校安排和教育政策", "school admissions, school arrangements and education policy", None, None, "#1F6FB2"),
    ("science-technology-commission", "上海市科学技术委员会", "Science and Technology Commission of Shanghai Municipality", "上海科技",
     "科技创新、科普活动和科技政策", "innovation, popular science and technology policy", None, None, "#3A0CA3"),
    ("ethnic-religious-affairs-bureau", "上海市民族和宗教事务局", "Shanghai Municipal Ethnic and Religious Affairs Bureau", "上海民宗",
     "民族团结和宗教事务", "ethnic unity and religious affairs", None, None, "#6A4C93"),
    ("public-security-bureau", "上海市公安局", "Shanghai Municipal Public Security Bureau", "警民直通车-上海",
     "治安防范、户政服务和安全提示", "public safety, household registration and safety tips", "报警电话", "110", "#1B3A6B"),
    ("civil-affairs-bureau", "上海市民政局", "Shanghai Municipal Civil Affairs Bureau", "上海民政",
     "养老服务、社会救助和婚姻登记", "elderly care, social assistance and marriage registration", None, None, "#D62828"),
    ("justice-bureau", "上海市司法局", "Shanghai Municipal Bureau of Justice", "上海司法行政",
     "公共法律服务和普法宣传", "public legal services and legal education", "公共法律服务热线", "12348", "#264653"),
    ("finance-bureau", "上海市财政局", "Shanghai Municipal Finance Bureau", "上海财政",
     "财政预算、惠企资金和政府采购", "budgets, support funds for enterprises and public procurement", None, None, "#7F5539"),
    ("human-resources-social-security-bureau", "上海市人力资源和社会保障局", "Shanghai Municipal Human Resources and Social Security Bureau", "上海人社",
     "就业创业、社会保险和人才服务", "employment, social insurance and talent services", "人社服务热线", "12333", "#E76F51"),
    ("planning-natural-resources-bureau", "上海市规划和自然资源局", "Shanghai Municipal Planning and Natural Resources Bureau", "上海规划资源",
     "城市规划、土地和不动产登记", "urban planning, land and property registration", None, None, "#2A9D8F"),
    ("ecology-environment-bureau", "上海市生态环境局", "Shanghai Municipal Bureau of Ecology and Environment", "上海环境",
     "空气质量、水环境和生态保护", "air quality, water environment and ecological protection", "环保举报热线", "12369", "#38A169"),
    ("housing-urban-rural-construction-commission", "上海市住房和城乡建设管理委员会", "Shanghai Municipal Commission of Housing and Urban-Rural Development", "上海住建",
     "城市建设、住房保障和建筑安全", "construction, housing security and building safety", None, None, "#5C677D"),
    ("transport-commission", "上海市交通委员会", "Shanghai Municipal Transportation Commission", "上海交通",
     "轨道交通、地面公交和道路出行", "metro, buses and road travel", None, None, "#0077B6"),
    ("agriculture-rural-affairs-commission", "上海市农业农村委员会", "Shanghai Municipal Agriculture and Rural Affairs Commission", "上海农业农村",
     "农业生产、乡村振兴和农产品供应", "farming, rural revitalisation and farm produce supply", None, None, "#6A994E"),
    ("water-authority", "上海市水务局（上海市海洋局）", "Shanghai Water Authority (Shanghai Oceanic Bureau)", "上海水务海洋",
     "防汛防台、供水排水和河湖管理", "flood and typhoon prevention, water supply, drainage and rivers", None, None, "#0096C7"),
    ("culture-tourism-bureau", "上海市文化和旅游局", "Shanghai Municipal Administration of Culture and Tourism", "乐游上海",
     "文化活动、旅游出行和文旅场馆", "cultural events, travel and cultural venues", None, None, "#E85D04"),
    ("health-commission", "上海市卫生健康委员会", "Shanghai Municipal Health Commission", "健康上海12320",
     "医疗服务、疾病防控和健康科普", "medical services, disease prevention and health education", "健康热线", "12320", "#2B9348"),
    ("veterans-affairs-bureau", "上海市退役军人事务局", "Shanghai Municipal Veterans Affairs Bureau", "上海退役军人",
     "退役军人服务和优抚政策", "services and benefits for veterans", None, None, "#8D0801"),
    ("emergency-management-bureau", "上海市应急管理局", "Shanghai Municipal Emergency Management Bureau", "上海应急管理",
     "安全生产、防灾减灾和应急科普", "work safety, disaster reduction and emergency preparedness", None, None, "#F77F00"),
    ("audit-bureau", "上海市审计局", "Shanghai Municipal Audit Bureau", "上海审计",
     "审计工作和审计结果公告", "audit work and audit results", None, None, "#495057"),
    ("state-assets-commission", "上海市国有资产监督管理委员会", "State-owned Assets Supervision and Administration Commission of Shanghai", "上海国资",
     "国资国企改革和服务保障", "state-owned enterprise reform and services", None, None, "#A4161A"),
    ("market-regulation-bureau", "上海市市场监督管理局", "Shanghai Municipal Administration for Market Regulation", "上海市场监管",
     "食品安全、价格秩序和消费维权", "food safety, fair prices and consumer rights", "投诉举报热线", "12315", "#1565C0"),
    ("sports-bureau", "上海市体育局", "Shanghai Municipal Sports Bureau", "上海体育",
     "全民健身、体育赛事和场馆开放", "fitness for all, sports events and venues", None, None, "#00A6A6"),
    ("statistics-bureau", "上海市统计局", "Shanghai Municipal Statistics Bureau", "上海统计",
     "统计数据发布和统计解读", "official statistics and their explanation", None, None, "#4361EE"),
    ("medical-security-bureau", "上海市医疗保障局", "Shanghai Municipal Healthcare Security Administration", "上海医保",
     "医疗保险、异地就医和医保支付", "medical insurance, treatment elsewhere and payments", "医保服务热线", "12393", "#0F7B6C"),
    ("landscaping-city-appearance-bureau", "上海市绿化和市容管理局", "Shanghai Landscaping and City Appearance Administrative Bureau", "上海绿化市容",
     "公园绿地、城市景观和生活垃圾分类", "parks, the cityscape and household waste sorting", None, None, "#55A630"),
    ("housing-administration-bureau", "上海市房屋管理局", "Shanghai Municipal Housing Administration Bureau", "上海房屋管理",
     "住房保障、物业管理和旧房改造", "housing security, property management and renovation of old housing", None, None, "#9C6644"),
    ("urban-management-enforcement-bureau", "上海市城市管理行政执法局", "Shanghai Municipal Urban Management and Law Enforcement Bureau", "上海城管",
     "市容环境执法和街面秩序", "enforcement of city appearance rules and street order", None, None, "#3D5A80"),
    ("civil-defense-office", "上海市民防办公室", "Shanghai Municipal Civil Defense Office", "上海民防",
     "民防工程、防空警报和应急疏散", "civil defence works, air-raid sirens and evacuation", None, None, "#6C757D"),
    ("financial-regulatory-bureau", "上海市地方金融监督管理局", "Shanghai Local Financial Supervision and Administration Bureau", "上海金融",
     "金融服务、普惠金融和防范非法集资", "financial services, inclusive finance and illegal fund-raising prevention", None, None, "#BC6C25"),
    ("cooperation-exchange-office", "上海市人民政府合作交流办公室", "Shanghai Municipal Cooperation and Exchange Office", "上海合作交流",
     "对口支援和区域合作", "paired assistance and regional cooperation", None, None, "#7B2CBF"),
    ("foreign-affairs-office", "上海市人民政府外事办公室", "Foreign Affairs Office of Shanghai Municipal People's Government", "上海外办",
     "外事服务和国际交流", "foreign affairs services and international exchange", None, None, "#023E8A"),
    ("government-offices-administration", "上海市机关事务管理局", "Shanghai Government Offices Administration", "上海机管",
     "公共机构节能和机关后勤服务", "energy saving in public institutions and office services", None, None, "#588157"),
    ("grain-reserves-bureau", "上海市粮食和物资储备局", "Shanghai Municipal Food and Strategic Reserves Bureau", "上海粮食",
     "粮油保供和物资储备", "grain and oil supply and strategic reserves", None, None, "#BB9457"),
    ("drug-administration", "上海市药品监督管理局", "Shanghai Municipal Medical Products Administration", "上海药监",
     "药品、医疗器械和化妆品安全", "the safety of medicines, medical devices and cosmetics", None, None, "#06A77D"),
    ("intellectual-property-administration", "上海市知识产权局", "Shanghai Intellectual Property Administration", "上海知识产权",
     "知识产权保护和运用", "protecting and using intellectual property", "知识产权服务热线", "12330", "#5A189A"),
    ("petition-office", "上海市信访办公室", "Shanghai Municipal Letters and Calls Office", "上海信访",
     "信访事项办理和群众诉求回应", "handling letters and visits and answering citizens' requests", None, None, "#AD2831"),
]

# (slug, parent, name_zh, name_en, account_name_zh, scope_zh, scope_en,
#  hotline_label, hotline, avatar_color)
_INSTITUTIONS = [
    ("education-exam-authority", "education-commission", "上海市教育考试院", "Shanghai Municipal Educational Examinations Authority", "上海招考热线",
     "高考、中考、自学考试等各类考试招生", "college, senior-high and other admission examinations", None, None, "#1D70A2"),
    ("shanghai-metro", "transport-commission", "上海申通地铁集团有限公司", "Shanghai Shentong Metro Group", "上海地铁shmetro",
     "地铁运营、出行提示和车站服务", "metro operations, travel tips and station services", None, None, "#E4002B"),
    ("meteorological-service", "shanghai", "上海市气象局", "Shanghai Meteorological Service", "上海天气",
     "天气预报、预警信号和气象科普", "forecasts, weather warnings and weather science", "气象服务电话", "12121", "#0081A7"),
    ("shanghai-customs", "shanghai", "上海海关", "Shanghai Customs", "上海海关",
     "通关服务、进出境旅客须知和口岸检疫", "customs clearance, travellers' notices and port quarantine", "海关服务热线", "12360", "#14213D"),
    ("high-court", "shanghai", "上海市高级人民法院", "Shanghai High People's Court", "上海高院",
     "审判执行、诉讼服务和司法公开", "trials, enforcement, litigation services and judicial openness", "诉讼服务热线", "12368", "#9D0208"),
    ("procuratorate", "shanghai", "上海市人民检察院", "Shanghai Municipal People's Procuratorate", "上海检察",
     "检察工作、公益诉讼和法治宣传", "procuratorial work, public-interest litigation and legal education", "检察服务热线", "12309", "#03045E"),
    ("cdc", "health-commission", "上海市疾病预防控制中心", "Shanghai Municipal Center for Disease Control and Prevention", "上海疾控",
     "传染病防控、预防接种和健康科普", "infectious disease control, vaccination and health education", "健康热线", "12320", "#2D6A4F"),
    ("red-cross", "shanghai", "上海市红十字会", "Shanghai Red Cross", "上海红十字",
     "应急救护培训、无偿献血宣传和人道救助", "first-aid training, blood donation and humanitarian aid", None, None, "#D00000"),
    ("disabled-persons-federation", "shanghai", "上海市残疾人联合会", "Shanghai Disabled Persons' Federation", "上海残联",
     "残疾人权益保障、康复和就业服务", "the rights, rehabilitation and employment of disabled people", "残疾人服务热线", "12385", "#F4A261"),
    ("federation-of-trade-unions", "shanghai", "上海市总工会", "Shanghai Federation of Trade Unions", "申工社",
     "职工权益维护和普惠服务", "protecting workers' rights and member services", "职工服务热线", "12351", "#C1272D"),
    ("youth-league", "shanghai", "共青团上海市委员会", "Shanghai Committee of the Communist Youth League", "青春上海",
     "青少年服务、志愿服务和爱心暑托班", "youth services, volunteering and summer day care", "青少年服务台", "12355", "#E63946"),
    ("womens-federation", "shanghai", "上海市妇女联合会", "Shanghai Women's Federation", "上海女性",
     "妇女儿童权益和家庭服务", "the rights of women and children and family services", "妇女维权热线", "12338", "#D63384"),
    ("fire-rescue", "shanghai", "上海市消防救援总队", "Shanghai Fire and Rescue Corps", "上海消防",
     "消防安全提示和应急救援", "fire safety tips and emergency rescue", "火警电话", "119", "#E85D04"),
    ("tax-service", "shanghai", "国家税务总局上海市税务局", "Shanghai Municipal Tax Service, STA", "上海税务",
     "办税缴费、税收优惠政策和纳税服务", "tax payment, tax relief policies and taxpayer services", "纳税服务热线", "12366", "#1B4965"),
    ("shanghai-library", "culture-tourism-bureau", "上海图书馆", "Shanghai Library", "上海图书馆",
     "借阅服务、讲座展览和数字阅读", "lending, lectures, exhibitions and digital reading", None, None, "#6F1D1B"),
    ("shanghai-museum", "culture-tourism-bureau", "上海博物馆", "Shanghai Museum", "上海博物馆",
     "展览预约、文物欣赏和公共教育", "exhibition booking, collections and public education", None, None, "#8B5E34"),
    ("science-technology-museum", "shanghai", "上海科技馆", "Shanghai Science and Technology Museum", "上海科技馆",
     "科普展览、参观预约和科学教育", "science exhibitions, visit booking and science education", None, None, "#3F37C9"),
    ("housing-provident-fund", "shanghai", "上海市公积金管理中心", "Shanghai Provident Fund Management Center", "上海公积金",
     "住房公积金缴存、提取和贷款", "housing provident fund deposits, withdrawals and loans", "公积金服务热线", "12329", "#2F6690"),
    ("medical-emergency-center", "health-commission", "上海市医疗急救中心", "Shanghai Medical Emergency Center", "上海120",
     "院前急救和急救知识普及", "pre-hospital emergency care and first-aid knowledge", "急救电话", "120", "#D90429"),
    ("citizen-hotline", "shanghai", "上海12345市民服务热线", "Shanghai 12345 Citizen Service Hotline", "上海12345",
     "市民咨询、求助、投诉和建议的受理与答复", "questions, requests, complaints and suggestions from citizens", "市民服务热线", "12345", "#FF7B00"),
    ("big-data-center", "shanghai", "上海市大数据中心", "Shanghai Big Data Center", "随申办",
     "“一网通办”政务服务、随申码和电子证照", "one-stop online government services, the Suishen code and e-licences", None, None, "#0466C8"),
    ("social-security-card-center", "human-resources-social-security-bureau", "上海市社会保障卡服务中心", "Shanghai Social Security Card Service Center", "上海社保卡",
     "社会保障卡申领、补换和应用", "applying for, replacing and using the social security card", "人社服务热线", "12333", "#EF8354"),
    ("employment-promotion-center", "human-resources-social-security-bureau", "上海市就业促进中心", "Shanghai Employment Promotion Center", "上海就业",
     "招聘活动、职业指导和就业补贴", "job fairs, career guidance and employment subsidies", "人社服务热线", "12333", "#F3722C"),
    ("traffic-police", "public-security-bureau", "上海市公安局交通警察总队", "Traffic Police Corps of Shanghai Public Security Bureau", "上海交警",
     "道路交通管理、交通违法处理和出行提示", "traffic management, traffic violations and travel tips", None, None, "#1E3A8A"),
    ("entry-exit-bureau", "public-security-bureau", "上海市公安局出入境管理局", "Exit-Entry Administration of Shanghai Public Security Bureau", "上海出入境",
     "出入境证件办理和外国人服务", "travel documents and services for foreign nationals", "移民管理服务热线", "12367", "#3A506B"),
    ("airport-authority", "shanghai", "上海机场（集团）有限公司", "Shanghai Airport Authority", "上海机场",
     "浦东、虹桥两大机场的出行服务", "travel services at Pudong and Hongqiao airports", None, None, "#00509D"),
    ("road-transport-bureau", "transport-commission", "上海市道路运输管理局", "Shanghai Road Transport Administration", "上海道运",
     "地面公交、出租汽车和道路运输服务", "buses, taxis and road transport services", None, None, "#0A9396"),
    ("flood-control-office", "water-authority", "上海市防汛防台指挥部办公室", "Shanghai Flood Control Headquarters Office", "上海防汛",
     "汛情通报、防汛预警和避险指引", "flood situation reports, flood warnings and safety guidance", None, None, "#005F73"),
    ("blood-center", "health-commission", "上海市血液中心", "Shanghai Blood Center", "上海血液中心",
     "无偿献血和血液供应", "voluntary blood donation and blood supply", None, None, "#9B2335"),
    ("health-promotion-center", "health-commission", "上海市健康促进中心", "Shanghai Health Promotion Center", "上海健康促进",
     "健康科普和爱国卫生运动", "health education and the patriotic health campaign", "健康热线", "12320", "#52B788"),
    ("mental-health-center", "health-commission", "上海市精神卫生中心", "Shanghai Mental Health Center", "上海精卫",
     "心理健康科普和精神卫生服务", "mental health education and services", "健康热线", "12320", "#7209B7"),
    ("municipal-archives", "shanghai", "上海市档案馆", "Shanghai Municipal Archives", "上海档案",
     "档案查阅、利用和城市记忆展览", "archive consultation and exhibitions of the city's memory", None, None, "#7F4F24"),
    ("open-university", "education-commission", "上海开放大学", "Shanghai Open University", "上海开放大学",
     "终身教育和老年教育", "lifelong learning and education for older people", None, None, "#1A759F"),
    ("association-for-science-technology", "shanghai", "上海市科学技术协会", "Shanghai Association for Science and Technology", "上海科协",
     "科普活动和科技工作者服务", "science outreach and services for scientists", None, None, "#4895EF"),
    ("earthquake-administration", "shanghai", "上海市地震局", "Shanghai Earthquake Agency", "上海地震",
     "地震监测和防震减灾科普", "seismic monitoring and earthquake preparedness", None, None, "#774936"),
    ("maritime-safety-administration", "shanghai", "上海海事局", "Shanghai Maritime Safety Administration", "上海海事",
     "水上交通安全和船员服务", "safety on the water and services for seafarers", "水上遇险求救电话", "12395", "#003566"),
    ("railway-group", "shanghai", "中国铁路上海局集团有限公司", "China Railway Shanghai Group", "铁路上海站",
     "铁路客运、车次调整和旅客服务", "rail passenger services, timetable changes and passenger help", "铁路客服电话", "12306", "#005BAC"),
    ("postal-administration", "shanghai", "上海市邮政管理局", "Shanghai Postal Administration", "上海邮政管理",
     "快递寄递服务和行业管理", "parcel and postal services and their regulation", None, None, "#2B9348"),
    ("communications-administration", "shanghai", "上海市通信管理局", "Shanghai Communications Administration", "上海通信管理局",
     "通信服务、网络安全和防范电信诈骗", "telecom services, network security and anti-fraud", None, None, "#3A86FF"),
    ("chenshan-botanical-garden", "landscaping-city-appearance-bureau", "上海辰山植物园", "Shanghai Chenshan Botanical Garden", "上海辰山植物园",
     "园区开放、花讯和植物科普", "opening hours, flower news and plant science", None, None, "#40916C"),
]


def _contact(index, hotline_label, hotline, district=None):
    office_district = district or _OFFICE_DISTRICTS[index % len(_OFFICE_DISTRICTS)]
    lines = ["市民服务热线：12345"]
    if hotline and hotline != "12345":
        lines.append(f"{hotline_label}：{hotline}")
    lines.append(f"办公地址：上海市{office_district}演示路{index + 1}号（演示地址）")
    return "；".join(lines)


def _org(index, slug, kind, parent, name_zh, name_en, account, scope_zh, scope_en,
         hotline_label, hotline, color, district=None):
    return {
        "slug": slug,
        "kind": kind,
        "parent": parent,
        "name_zh": name_zh,
        "name_en": name_en,
        "account_name_zh": account,
        "description_zh": f"“{account}”是{name_zh}的政务公众号，发布{scope_zh}方面的权威信息，提供相关便民服务。",
        "description_en": f"The official public account of the {name_en}, publishing {scope_en}.",
        "contact": _contact(index, hotline_label, hotline, district),
        "avatar_color": color,
    }


def _build():
    orgs = []
    for row in _MUNICIPAL:
        slug, parent, name_zh, name_en, account, scope_zh, scope_en, label, hotline, color = row
        orgs.append(_org(len(orgs), slug, "municipal", parent, name_zh, name_en, account,
                         scope_zh, scope_en, label, hotline, color, district="黄浦区"))
    for slug, short, name_en, account, area_zh, area_en, color in _DISTRICTS:
        orgs.append(_org(
            len(orgs), slug, "district", "shanghai", f"上海市{short}人民政府",
            f"{name_en} People's Government, Shanghai", account,
            f"{short}（{area_zh}）政务动态、社区服务和民生资讯",
            f"government news, community services and local information for {area_en}",
            None, None, color, district=short,
        ))
    for slug, name_zh, name_en, account, scope_zh, scope_en, label, hotline, color in _BUREAUS:
        orgs.append(_org(len(orgs), slug, "bureau", "shanghai", name_zh, name_en, account,
                         scope_zh, scope_en, label, hotline, color))
    for row in _INSTITUTIONS:
        slug, parent, name_zh, name_en, account, scope_zh, scope_en, label, hotline, color = row
        orgs.append(_org(len(orgs), slug, "institution", parent, name_zh, name_en, account,
                         scope_zh, scope_en, label, hotline, color))
    return orgs


ORGANISATIONS = _build()

# Demo staff: fictitious people, one role each in one organisation.
DEMO_STAFF = [
    {"username": "sh_editor", "name": "沈佳怡", "org": "shanghai", "role": "editor"},
    {"username": "sh_reviewer", "name": "顾文涛", "org": "shanghai", "role": "reviewer"},
    {"username": "sh_admin", "name": "周立新", "org": "shanghai", "role": "administrator"},
    {"username": "edu_editor", "name": "陆晓雯", "org": "education-commission", "role": "editor"},
    {"username": "edu_reviewer", "name": "钱志明", "org": "education-commission", "role": "reviewer"},
    {"username": "huangpu_editor", "name": "徐静", "org": "huangpu", "role": "editor"},
    {"username": "transport_liaison", "name": "朱海峰", "org": "transport-commission", "role": "liaison"},
    {"username": "health_liaison", "name": "吴佩琳", "org": "health-commission", "role": "liaison"},
]
