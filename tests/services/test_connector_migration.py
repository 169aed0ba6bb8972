"""Connectors gained owners in a migration: existing installations keep
working. A connector used by one organisation's services becomes theirs; one
used by several goes to the municipal account and is shared, on record, with
the others; one behind an identity-bound service is marked personal."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.serial

BEFORE = [("services", "0002_hub_entries_inline"), ("accounts", "0002_onetimecode_citizen")]
AFTER = [("services", "0004_connector_owner_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_connectors_get_owners_and_shares():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("accounts", "Organisation")
    Connector = old.get_model("services", "Connector")
    Service = old.get_model("services", "Service")
    city = Organisation.objects.create(slug="city", kind="municipal", name_zh="市")
    health = Organisation.objects.create(slug="health", kind="bureau", name_zh="卫健委")
    school = Organisation.objects.create(slug="school", kind="bureau", name_zh="教委")
    reports = Connector.objects.create(name="reports", kind="http_json")
    shared = Connector.objects.create(name="shared", kind="csv_file")
    Service.objects.create(code="reports", kind="query", organisation=health, name_zh="报告", connector=reports,
                           identity_param="resident_id", requires_login=True, requires_verified=True)
    Service.objects.create(code="a", kind="query", organisation=health, name_zh="甲", connector=shared)
    Service.objects.create(code="b", kind="query", organisation=school, name_zh="乙", connector=shared)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Connector = new.get_model("services", "Connector")
    ConnectorShare = new.get_model("services", "ConnectorShare")
    reports = Connector.objects.get(name="reports")
    assert reports.organisation_id == health.pk and reports.personal_data and reports.identity_param == "resident_id"
    shared = Connector.objects.get(name="shared")
    assert shared.organisation_id == city.pk and not shared.personal_data
    assert set(ConnectorShare.objects.filter(connector=shared).values_list("organisation_id", flat=True)) == {
        health.pk, school.pk}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
