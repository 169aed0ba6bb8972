"""A problem report definition as the tests use it (the demo has its own):
uncollected garbage, handled city-wide by 市绿化市容局 and by the district
for 黄浦区 and 徐汇区."""

import copy

GARBAGE = {
    "format": 1, "kind": "report", "code": "garbage_uncollected", "title": "垃圾未清运",
    "title_en": "Uncollected garbage", "organisation": "city-green", "time_limit_days": 3,
    "summary": "垃圾箱房、道路边的生活垃圾未按时清运。", "keywords": ["垃圾", "清运"], "group": "随手拍",
    "schema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "required": ["location_mode", "category", "description"],
        "properties": {
            "location_mode": {"type": "string", "title": "位置方式", "enum": ["pin", "address"],
                              "x-enum-titles": ["地图选点", "填写地址"]},
            "lat": {"type": "number", "title": "纬度", "minimum": 30.6, "maximum": 31.95},
            "long": {"type": "number", "title": "经度", "minimum": 120.8, "maximum": 122.2},
            "address": {"type": "string", "title": "地址", "minLength": 4, "maxLength": 200},
            "district": {"type": "string", "title": "所在区", "enum": ["黄浦区", "徐汇区", "浦东新区"],
                         "x-enum-titles": ["黄浦区", "徐汇区", "浦东新区"]},
            "category": {"type": "string", "title": "垃圾类型", "enum": ["household", "bulky"],
                         "x-enum-titles": ["生活垃圾", "大件垃圾"]},
            "description": {"type": "string", "title": "问题描述", "minLength": 5, "maxLength": 1000},
        },
    },
    "layout": {"steps": [
        {"title": "问题在哪里", "sections": [{"title": "位置",
                                        "fields": ["location_mode", "lat", "long", "address", "district"]}]},
        {"title": "是什么问题", "sections": [{"title": "问题", "fields": ["category", "description"]}]},
    ]},
    "conditions": [
        {"field": "lat", "show_when": {"field": "location_mode", "equals": "pin"}, "required_when_shown": True},
        {"field": "long", "show_when": {"field": "location_mode", "equals": "pin"}, "required_when_shown": True},
        {"field": "address", "show_when": {"field": "location_mode", "equals": "address"},
         "required_when_shown": True},
    ],
    "materials": [{"code": "photo", "name": "现场照片", "required": False, "types": ["image/jpeg", "image/png"],
                   "max_size_mb": 10}],
    "prefill": [],
    "routing": {"districts": {"黄浦区": "huangpu", "徐汇区": "xuhui"}},
    "declaration": "本人承诺所反映情况属实。",
}


def garbage():
    return copy.deepcopy(GARBAGE)
