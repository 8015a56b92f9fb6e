"""The OpenAPI document is built from the schemas the code validates with, and schemathesis finds
no server errors and no answers that contradict it."""

import os
import threading
import tomllib
from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from werkzeug.serving import make_server

from portal.api.schemas import PASSPORT_CREATE
from portal.passports.validation import passport_schema
from tests.api.helpers import api_key, passport_body

ROOT = Path(__file__).resolve().parents[2]


def test_document_uses_the_validation_schemas(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    components = doc["components"]["schemas"]
    assert components["PassportCreate"]["properties"]["gtin"] == PASSPORT_CREATE["properties"]["gtin"]
    assert components["PassportCreate"]["properties"]["data"] == {"$ref": "#/components/schemas/PassportData"}
    assert set(components["PassportData"]["properties"]) == set(passport_schema()["properties"])
    assert components["PassportData_percent"] == passport_schema()["$defs"]["percent"]
    assert {"/passports", "/passports/{id}", "/passports/bulk", "/bulk-jobs", "/declarations"} <= set(doc["paths"])
    assert {"/passports/import", "/passports/template.csv", "/exports/passports.jsonl", "/exports/epr.xlsx",
            "/passports/{id}/declaration-of-conformity"} <= set(doc["paths"])
    assert doc["paths"]["/passports/template.csv"]["get"]["security"] == []   # the template needs no key
    assert "put" in doc["paths"]["/passports/{id}"]
    assert client.get("/api/v1/openapi.json").status_code == 200   # public, no key needed


def test_api_fuzzing(app, session):  # noqa: ANN001
    """What `schemathesis run --checks all --exclude-checks positive_data_acceptance` runs (examples;
    coverage: undeclared methods, missing and invalid parameters; fuzzing; stateful), against the app
    and a real database, deterministic (FUZZ_RANDOM=1 explores), few examples per operation: the
    coverage phase alone sends ~2,500 requests."""
    headers = {"X-API-Key": api_key(session, name="fuzzer", rate_limit_per_minute=10_000_000)}
    assert app.test_client().post("/api/v1/passports", json=passport_body(1), headers=headers).status_code == 201
    config = SchemathesisConfig.from_dict({
        **tomllib.loads((ROOT / "schemathesis.toml").read_text()), "headers": headers, "seed": 1,
        "generation": {"max-examples": int(os.environ.get("FUZZ_EXAMPLES", 10)),
                       "deterministic": not os.environ.get("FUZZ_RANDOM"), "database": "none"},
        # no inference from Location headers: its response scan trips over URL-like texts (4.32)
        "phases": {"stateful": {"max-steps": 5, "inference": {"algorithms": []}}}})
    config.projects.default.checks.update(included_check_names=["all"],
                                          excluded_check_names=["positive_data_acceptance"])
    # over a real socket: schemathesis' engine cannot drive a WSGI app in process (4.32)
    server = make_server("127.0.0.1", 0, app, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{server.port}/api/v1/openapi.json", config=config)
        failures, errors = _run_engine(schema)
    finally:
        server.shutdown()
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))


def _run_engine(schema) -> tuple[list[str], list[str]]:  # noqa: ANN001
    failures, errors = [], []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status == Status.FAILURE:
                        case = event.recorder.cases[case_id].value
                        failures.append(f"{event.label} {check.name}: {case.method} {case.formatted_path} "
                                        f"{case.query or ''} -> {str(check.failure_info.failure)[:300]}")
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            errors.append(str(getattr(event, "info", event))[:500])
    return failures, errors
