"""The OpenAPI document is built from the schemas the code validates with, and schemathesis finds
no server errors and no answers that contradict it."""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from portal.api.schemas import PASSPORT_CREATE
from portal.passports.validation import passport_schema
from tests.api.helpers import api_key, passport_body


def test_document_uses_the_validation_schemas(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    components = doc["components"]["schemas"]
    assert components["PassportCreate"]["properties"]["gtin"] == PASSPORT_CREATE["properties"]["gtin"]
    assert components["PassportCreate"]["properties"]["data"] == {"$ref": "#/components/schemas/PassportData"}
    assert set(components["PassportData"]["properties"]) == set(passport_schema()["properties"])
    assert components["PassportData_percent"] == passport_schema()["$defs"]["percent"]
    assert {"/passports", "/passports/{id}", "/passports/bulk", "/bulk-jobs", "/declarations"} <= set(doc["paths"])
    assert client.get("/api/v1/openapi.json").status_code == 200   # public, no key needed


def test_api_fuzzing(app, session):  # noqa: ANN001
    """Every operation, 25 generated requests each, against the in-process app and a real database.
    (Driven by hand rather than schemathesis' pytest loader, whose fixture support breaks on pytest 9.)"""
    # a key without a practical rate limit: the fuzzer sends hundreds of requests a minute
    headers = {"X-API-Key": api_key(session, name="fuzzer", rate_limit_per_minute=10_000_000)}
    client = app.test_client()
    assert client.post("/api/v1/passports", json=passport_body(1), headers=headers).status_code == 201
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        @given(case=operation.as_strategy())
        # derandomize: the same examples on every run, so CI cannot flake; FUZZ_RANDOM=1 explores
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                  derandomize=not os.environ.get("FUZZ_RANDOM"))
        def fuzz(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers=headers, checks=checks)

        fuzz()
