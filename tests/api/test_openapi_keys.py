"""The OpenAPI document has one key per status: Swagger UI refuses a
document with a duplicated mapping key (an int 404 from Ninja beside our
string "404" would serialise as "404" twice)."""

import json


def test_every_status_appears_once_in_the_served_document(client, db):
    raw = client.get("/api/v1/openapi.json").content.decode()
    duplicates = []

    def no_duplicates(pairs):
        keys = [k for k, _v in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    json.loads(raw, object_pairs_hook=no_duplicates)
    assert not duplicates, sorted(set(duplicates))[:10]
