"""Loads the demo's curated FAQ for the smart assistant: questions residents
ask in their own words, answered by the organisation that owns the matter,
written and approved through the assistant's actions as the platform.

Idempotent: an entry whose first question exists already is left as it is.
"""

from civichall.accounts.models import Organisation
from civichall.accounts.policy import SYSTEM

# (organisation, service code or None, question variants, answer)
FAQS = [
    ("shanghai", None, ["路灯坏了找谁", "马路上井盖没了向哪里反映", "小区门口道路破损找哪个部门"],
     "市政设施损坏（路灯、井盖、道路破损）请拨打市民服务热线12345反映，热线会转交属地和主管部门处理并回复您。"),
    ("shanghai", None, ["噪音扰民怎么投诉", "楼上装修太吵了找谁", "晚上工地施工吵得睡不着"],
     "噪声扰民可拨打市民服务热线12345反映；夜间施工噪声也可向所在区生态环境部门举报。"),
    ("human-resources-social-security-bureau", "unemployment_insurance",
     ["失业金每个月能领多少", "失业保险金标准是多少", "失业了能领几个月钱"],
     "失业保险金按月发放，领取期限根据缴费年限确定，最长24个月；标准以本市当年公布的为准，可在“失业保险金申领”中在线申请。"),
    ("housing-provident-fund", "housing_fund_withdrawal",
     ["公积金什么情况下可以取出来", "租房能不能提公积金", "公积金提取条件"],
     "购房、租房、离退休、出境定居等情形可以提取住房公积金，租房提取按月或按年办理，可在“公积金提取”中在线申请。"),
    ("housing-provident-fund", "housing_fund_transfer", ["换工作了公积金怎么办", "跳槽后公积金账户怎么转"],
     "换了单位，新单位为您办理公积金账户转移即可，原账户余额随之转入；跨城市的也可在“公积金账户转移”中申请。"),
    ("public-security-bureau", "residence_permit", ["居住证积分怎么算", "积分要多少分才够", "居住证积分标准分"],
     "居住证积分按本市居住证积分办法计算，标准分值为120分，可在“居住证办理”中查看和申请积分。"),
    ("public-security-bureau", "newborn_hukou", ["小孩出生后多久要报户口", "新生儿落户要带什么材料"],
     "新生儿出生后一个月内办理出生登记（报户口），准备出生医学证明、父母户口簿和身份证、结婚证，可在“新生儿出生登记”中在线办理。"),
    ("medical-security-bureau", "medical_treatment_elsewhere", ["在外地看病能用医保吗", "回老家住院医保怎么报"],
     "在外地就医请先办理异地就医备案，备案后在联网定点医院可直接结算，可在“异地就医备案”中在线办理。"),
    ("medical-security-bureau", "resident_medical_insurance", ["没有单位怎么交医保", "老人小孩的医保在哪交"],
     "没有单位的居民、老人和学生儿童可以参加城乡居民医保，每年集中参保期内在“城乡居民医保参保登记”中办理。"),
    ("civil-affairs-bureau", "elderly_allowance", ["老年综合津贴多少钱", "65岁以上老人有什么补贴"],
     "本市65周岁以上老人可以申领老年综合津贴，按年龄段每月发放，可在“老年综合津贴申请”中在线申请。"),
    ("entry-exit-bureau", "hk_macao_endorsement", ["去香港要办什么", "港澳通行证签注怎么续"],
     "已有港澳通行证的，可在“港澳通行证再次签注”中在线申请签注；首次办理通行证请到出入境窗口办理。"),
    ("traffic-police", "driving_licence_renewal", ["驾照过期了怎么办", "驾驶证到期换证要体检吗"],
     "驾驶证有效期满前90日内可以申请换证，需提交体检证明，可在“驾驶证期满换证”中在线办理。"),
    ("education-commission", "school_registration", ["孩子明年上小学什么时候报名", "幼升小报名时间"],
     "义务教育阶段入学报名一般在每年4月至5月进行，具体时间以当年招生政策为准，可在“义务教育入学报名”中办理。"),
    ("landscaping-city-appearance-bureau", "garbage_sorting", ["垃圾分几类", "上海垃圾怎么分"],
     "上海生活垃圾分为可回收物、有害垃圾、湿垃圾、干垃圾四类；不知道怎么分，可以在“垃圾分类查询”里输入物品名称查一查。"),
]


def load_faqs():
    """Create the demo FAQ entries, live; returns a line for the loader's summary."""
    from civichall.assistant.actions import do_review_faq, do_save_faq
    from civichall.assistant.models import Faq
    from civichall.services.models import Service

    created = 0
    for slug, code, questions, answer in FAQS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None or Faq.objects.filter(questions__startswith=questions[0]).exists():
            continue
        service = Service.objects.filter(code=code).first() if code else None
        faq = do_save_faq(SYSTEM, organisation=organisation, questions="\n".join(questions), answer=answer,
                          service=service)
        do_review_faq(SYSTEM, faq)
        created += 1
    return f"assistant FAQ entries: {Faq.objects.count()} ({created} new)"
