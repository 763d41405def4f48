"""The OpenAPI document validates (openapi-spec-validator), and every operation in it answers as documented
for the test city: a documented status, and a body that is valid against that status's schema (so every
documented field that is required is there, with its type)."""
import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from mamori.api.tests.conftest import version_of


@pytest.fixture
def spec(call, api):
    response = call("GET", "/api/v1/schema/", role="office")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_document_is_valid_openapi(spec):
    validate_spec(spec)
    assert spec["info"]["title"] == "まもり REST API"
    assert set(spec["components"]["securitySchemes"]) == {"bearerToken", "session"}


def inline(node, components):
    """The schema with every $ref replaced by what it points at (the API's schemas have no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return inline(components[node["$ref"].rsplit("/", 1)[1]], components)
        return {k: inline(v, components) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v, components) for v in node]
    return node


def _values(api):
    r, p = api.records, api.programs
    return {
        "code": {"files_retrieve": r.file.code, **{op: p.teate.code for op in ("programs_retrieve", "program_versions_list", "program_versions_retrieve")}},
        "number": {"program_versions_retrieve": 1, "notifications_retrieve": r.submitted.number,
                                          "notifications_submit": r.draft.number, "requests_retrieve": r.request.number},
        "id": {"contracts_retrieve": r.contract.pk, "contracts_incident_reports_create": r.contract.pk, "incidents_retrieve": r.incident.pk,
               "training_sessions_retrieve": r.session.pk},
    }


BODIES = {
    "notifications_create": lambda api: {"kind": "new", "reason": "新たに始めるため。", "content": "新規に登録する。", "effective_date": "2024-10-01",
                                         "proposed": {"name": "子育て応援給付金支給事業", "unit": "kyufu", "groups": [{"name": "受給者", "items": ["氏名", "口座番号"]}]}},
    "notifications_submit": lambda api: {"version": version_of(api.records.draft)},
    "requests_create": lambda api: {"procedure": "personal-disclosure", "organ": "mayor", "departments": ["kyufu"], "received_on": "2024-07-01",
                                    "requester_name": "開示 次郎", "subject": "児童手当の認定記録", "documents": [{"title": "認定台帳"}]},
    "contracts_incident_reports_create": lambda api: {"reported_on": "2024-08-01", "summary": "受注者が書類を誤送付したとの報告"},
}
QUERIES = {"impact_retrieve": "?kind=contractor&value=株式会社テスト&on=2024-07-01"}
CALLER = {"notifications_create": "staff", "notifications_submit": "staff"}  # 所管課 drafts and submits; the office reads and receives


def test_every_operation_answers_as_documented(call, api, spec):
    components = spec["components"]["schemas"]
    values = _values(api)
    checked = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            name = op["operationId"]

            def fill(match):
                value = values[match[1]]
                return str(value[name] if isinstance(value, dict) else value)

            url = re.sub(r"\{(\w+)\}", fill, path) + QUERIES.get(name, "")
            for param in op.get("parameters", []):
                if param["in"] == "query" and param.get("required"):
                    assert param["name"] in QUERIES.get(name, ""), f"{name}: required query parameter {param['name']} not given"
            body = BODIES[name](api) if method == "post" else None
            response = call(method.upper(), url, body, role=CALLER.get(name, "office"))
            documented = op["responses"]
            assert str(response.status_code) in documented, (name, response.status_code, response.content[:300])
            assert response.status_code < 300, (name, response.status_code, response.json())  # the office (or the 所管課) may do each
            schema = inline(documented[str(response.status_code)]["content"]["application/json"]["schema"], components)
            OAS31Validator(schema).validate(response.json())
            checked.append(name)
    assert len(checked) == len(set(checked)) >= 24


def test_the_errors_are_documented_as_they_are(call, api, spec):
    components = spec["components"]["schemas"]
    error = inline({"$ref": "#/components/schemas/ErrorBody"}, components)
    stale = inline({"$ref": "#/components/schemas/StaleBody"}, components)
    OAS31Validator(error).validate(call("GET", "/api/v1/programs/P99999/", role="office").json())
    OAS31Validator(error).validate(call("GET", "/api/v1/programs/?unit=x", role="office").json())
    response = call("POST", f"/api/v1/notifications/{api.records.draft.number}/submit/", {"version": "stale"}, role="staff")
    assert response.status_code == 409
    OAS31Validator(stale).validate(response.json())
    submit = spec["paths"]["/api/v1/notifications/{number}/submit/"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "429"} <= set(submit)
    detail = components["RequestSummary"]
    assert "requester_name" in detail["properties"] and "requester_name" not in detail["required"]  # absent for some readers
