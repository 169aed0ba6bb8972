"""The served API against its own OpenAPI document, fuzzed by schemathesis.

Schemathesis generates requests from the document (valid ones, and invalid
ones on purpose) for every operation, three times: anonymously, with a
citizen's token and with a staff member's token. Every check it has runs
(``--checks all``); the run must find no server error and no status the
document does not declare, nor any other contract failure, except that a
request valid by the document may still be refused for what the document
cannot say (an unknown organisation, a mobile number of the wrong shape):
``positive_data_acceptance`` is left out.

The seed and the number of examples are fixed so that a run is repeatable
and stays within CI's time; the failures are printed with a ``curl`` line
that reproduces each.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.models import APIToken

from civichall.interaction import actions
from tests.conftest import last_code

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SEED = 20261130
MAX_EXAMPLES = 6
LEFT_OUT = "positive_data_acceptance"


@pytest.fixture
def api_world(make_org, make_article, make_citizen, superuser, client, sms_outbox):
    """An account with a published article and a comment under it, a
    citizen's token (signed in through the API, as an app does) and a staff
    member's token."""
    org = make_org("shanghai", kind="municipal")
    article = make_article(org, publish=True)
    citizen = make_citizen("13900000077")
    comment = actions.do_post_comment(citizen, article, "请问地铁几点开始运营？", address="fuzz",
                                      rate_limit=False)
    client.post("/api/v1/citizen/code", {"mobile": "13900000078"}, content_type="application/json")
    signed_in = client.post("/api/v1/citizen/token", {"mobile": "13900000078",
                                                      "code": last_code(sms_outbox, "13900000078")},
                            content_type="application/json")
    _token, staff_token = APIToken.create_token(user=superuser, name="fuzz staff")
    return {"article": article, "comment": comment, "citizen": signed_in.json()["token"],
            "staff": staff_token}


# Each identity fuzzes the operations it can open: anonymous callers all but
# the staff's (citizens' operations answer them 401, which is checked too),
# citizens and staff their own.
SELECTION = {
    "anonymous": ["--exclude-by", "/security/0/StaffTokenAuth == []"],
    "citizen": ["--include-by", "/security/0/CitizenTokenAuth == []"],
    "staff": ["--include-by", "/security/0/StaffTokenAuth == []"],
}


def run_schemathesis(base_url, who, token, report_dir):
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{base_url}/api/v1/openapi.json",
        "--checks", "all", "--exclude-checks", LEFT_OUT,
        "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
        "--generation-database", "none", "--no-color", "--request-timeout", "30",
        "--report", "junit", "--report-dir", str(report_dir),
    ]
    command += SELECTION[who]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS")}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=report_dir)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_the_served_api_keeps_its_contract(live_server, api_world, tmp_path, who):
    result = run_schemathesis(live_server.url, who, api_world.get(who), tmp_path)
    summary = result.stdout[-6000:] + result.stderr[-2000:]
    assert "Server error" not in result.stdout, summary
    assert "Undocumented status code" not in result.stdout, summary
    assert result.returncode == 0, summary
    # It really ran: every operation of the document was tried.
    assert "Tested: " in result.stdout and "Selected: " in result.stdout
    assert list(tmp_path.glob("*.xml")), "no report written"
