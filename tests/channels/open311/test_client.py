"""An Open311 client from PyPI, used unchanged against the live server:
``georeport`` (0.3.1) lists the services, reads a service definition and
the requests, in JSON and XML. It has no call for posting, so the POST is
made with ``requests`` exactly as the GeoReport v2 spec writes it, and the
client then reads the request it created."""

import pytest
import requests
from georeport import GeoReport

from civichall.accounts.policy import SYSTEM
from civichall.applications import actions as app_actions
from civichall.channels.open311 import actions

from .documents import garbage

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_pypi_client_lists_services_reads_requests_and_sees_a_spec_post(live_server, make_org):
    make_org("city-green", name_zh="上海市绿化和市容管理局")
    make_org("huangpu", kind="district", name_zh="上海市黄浦区人民政府")
    app_actions.do_save_definition(SYSTEM, garbage())
    _, key = actions.do_create_key(SYSTEM, "georeport 客户端")
    root = f"{live_server.url}/open311/v2"

    client = GeoReport(root, api_key=key)
    [svc] = client.get_service_list()
    assert svc["service_code"] == "garbage_uncollected" and svc["metadata"] is True
    definition = client.get_service_definition("garbage_uncollected")
    assert {a["code"] for a in definition["attributes"]} == {"district", "category"}

    # POST Service Request, form-encoded, with the spec's field names.
    posted = requests.post(f"{root}/requests.json", data={
        "api_key": key, "service_code": "garbage_uncollected", "lat": "31.2304", "long": "121.4737",
        "address_string": "黄浦区福州路318号", "email": "zhang.wei@example.cn", "first_name": "伟", "last_name": "张",
        "phone": "13700001111", "description": "垃圾箱房的垃圾两天没有清运。", "media_url": "",
        "attribute[category]": "household", "attribute[district]": "黄浦区"}, timeout=10)
    assert posted.status_code == 201
    number = posted.json()[0]["service_request_id"]

    listed = client.get_service_requests(service_code="garbage_uncollected", status="open")
    assert [r["service_request_id"] for r in listed] == [number]
    one = client.get_service_request(number)
    assert one["status"] == "open" and one["address"] == "黄浦区福州路318号"
    assert one["agency_responsible"] == "上海市黄浦区人民政府"
    assert "zhang.wei" not in str(listed) and "13700001111" not in str(one)

    # The same client in XML: one service and one request come back as single items.
    xml_client = GeoReport(root, output_format="xml")
    assert xml_client.get_service_list()["service_code"] == "garbage_uncollected"
    assert xml_client.get_service_request(number)["service_request_id"] == number
    assert xml_client.get_service_requests(service_request_id=number)["status"] == "open"

    bad = requests.post(f"{root}/requests.json", data={"api_key": key, "service_code": "garbage_uncollected",
                                                        "description": "没有位置的反映。"}, timeout=10)
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
