"""The OpenAPI schema tells a client author the truth: preconditions, errors, anonymous reads, field
selection, CSV, and the constraints the API enforces (core/api/schema.py)."""

import json

import jsonschema
import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.authtoken.models import Token
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient

from core.api.fields import MAX_ID
from core.api.schema import DOCUMENT_NUMBER_PATTERN
from core.api.serializers import ApiModelSerializer
from core.documents import normalize_document_number
from tests.factories import FilingFactory, ProvisionFactory, SourceFactory

WRITES = ("post", "put", "patch", "delete")
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def parameter(operation, name):
    return next((p for p in operation.get("parameters", []) if p["name"] == name), None)


def resolve(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def as_json_schema(value):
    """OpenAPI 3.0's ``nullable: true`` in JSON Schema terms, so that jsonschema can check a body."""
    if isinstance(value, list):
        return [as_json_schema(item) for item in value]
    if not isinstance(value, dict):
        return value
    converted = {key: as_json_schema(item) for key, item in value.items() if key != "nullable"}
    if value.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_the_served_schema_is_the_generated_one(schema, db):
    response = APIClient().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content) == schema


def test_every_edit_and_delete_requires_if_match_and_declares_412_and_428(schema):
    edits = [(path, method, op) for path, method, op in operations(schema) if method in ("put", "patch", "delete")]
    assert len(edits) >= 30
    for path, method, operation in edits:
        if_match = parameter(operation, "If-Match")
        assert if_match is not None and if_match["in"] == "header" and if_match["required"], (method, path)
        assert {"412", "428"} <= set(operation["responses"]), (method, path)


def test_a_create_declares_no_if_match_because_it_ignores_one(schema):
    creates = [op for path, method, op in operations(schema) if method == "post"]
    assert creates
    for operation in creates:
        assert parameter(operation, "If-Match") is None
        assert "412" not in operation["responses"] and "428" not in operation["responses"]
        assert operation["responses"]["201"]["headers"]["Location"]["required"]


def test_every_operation_declares_its_errors_with_the_one_error_body(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"400", "401", "406", "429", "503"}
        if method in WRITES:
            expected |= {"403", "413"}
        if "{" in path:
            expected.add("404")
        assert expected <= set(responses), (method, path, expected - set(responses))
        for status, response in responses.items():
            if status >= "400":
                assert response["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, (method, path)
                assert response["content"]["text/csv"]["schema"] == {"type": "string"}
        assert responses["429"]["headers"]["Retry-After"]["required"]


def test_the_error_body_describes_what_the_api_sends(schema, db, editor):
    error = resolve(schema, ERROR_REF)
    filing = FilingFactory()
    client = APIClient()
    detail = reverse("api:filing-detail", args=[filing.pk])
    token = Token.objects.create(user=editor).key
    editor_client = APIClient()
    editor_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    answers = [
        client.get(reverse("api:filing-list"), {"colour": "red"}),  # unknown parameter: 400
        client.get(reverse("api:filing-detail", args=[filing.pk + 1000])),  # 404
        client.patch(detail, {"title": "x"}, format="json"),  # anonymous write: 401
        client.get(detail, HTTP_ACCEPT="application/xml"),  # 406
        editor_client.patch(detail, {"title": "x"}, format="json"),  # 428
        editor_client.patch(detail, {"title": "x"}, format="json", HTTP_IF_MATCH='"v99"'),  # 412
        editor_client.patch(detail, {"sources": []}, format="json", HTTP_IF_MATCH="*"),  # field errors: 400
    ]
    assert [answer.status_code for answer in answers] == [400, 404, 401, 406, 428, 412, 400]
    for answer in answers:
        jsonschema.validate(json.loads(answer.content), error)


def test_reads_are_anonymous_and_writes_need_a_token_or_a_session(schema):
    for path, method, operation in operations(schema):
        if method == "get":
            assert operation["security"][0] == {}, path
        else:
            assert {} not in operation["security"], (method, path)
            assert {"tokenAuth": []} in operation["security"] and {"cookieAuth": []} in operation["security"]


def test_reads_declare_fields_and_omit_so_no_response_property_is_required(schema):
    resources = set()
    for path, method, operation in operations(schema):
        if method != "get" or path.endswith("/dataset/"):
            continue
        for name in ("fields", "omit"):
            selection = parameter(operation, name)
            assert selection is not None, (path, name)
            assert selection["schema"]["type"] == "array" and selection["explode"] is False
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        ref = ok.get("$ref") or ok["items"]["$ref"]
        component = resolve(schema, ref)
        if "results" in component["properties"]:
            component = resolve(schema, component["properties"]["results"]["items"]["$ref"])
        resources.add(ref)
        assert "required" not in component, ref
        assert "fields" in component["description"]
    assert len(resources) >= 20


def test_csv_is_declared_as_text(schema):
    for path, method, operation in operations(schema):
        for response in operation["responses"].values():
            csv = response.get("content", {}).get("text/csv")
            if csv is not None:
                assert csv["schema"] == {"type": "string"}, (method, path)


def test_ids_are_positive_bigints_in_paths_bodies_and_filters(schema):
    for path, _method, operation in operations(schema):
        for declared in operation.get("parameters", []):
            if declared["in"] == "path" or declared["name"] in ("case", "decision", "provision"):
                assert declared["schema"]["type"] == "integer", (path, declared["name"])
                assert declared["schema"]["minimum"] == 1 and declared["schema"]["maximum"] == MAX_ID
    components = schema["components"]["schemas"]
    assert components["Filing"]["properties"]["id"]["minimum"] == 1
    assert components["FilingRequest"]["properties"]["case"] == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": MAX_ID,
        "description": "The case (a case id on write).",
    }
    assert components["ProvisionRequest"]["properties"]["judges_for"]["items"]["minimum"] == 1


def test_every_sourced_write_needs_at_least_one_source(schema):
    requests = {name: c for name, c in schema["components"]["schemas"].items() if name.endswith("Request")}
    sourced = [name for name, component in requests.items() if "sources" in component.get("properties", {})]
    assert len(sourced) >= 18
    for name in sourced:
        assert requests[name]["properties"]["sources"]["minItems"] == 1, name


def test_the_document_number_pattern_is_the_courts_form(schema):
    import re

    number = schema["components"]["schemas"]["FilingRequest"]["properties"]["document_number"]
    assert number["oneOf"][0]["pattern"] == DOCUMENT_NUMBER_PATTERN
    pattern = re.compile(DOCUMENT_NUMBER_PATTERN)
    for written in ("180-20211207-ORD-01-00-EN", "3-19490409-jud-01-00-en.pdf", " 181-20230103-WRI-01-00-BI "):
        assert pattern.fullmatch(normalize_document_number(written)), written
    assert not pattern.fullmatch("180-20211207-XYZ-01-00-EN")


def test_urls_are_iris_or_blank_never_uri(schema):
    url = schema["components"]["schemas"]["Source"]["properties"]["url"]
    assert url["oneOf"][0]["format"] == "iri" and url["oneOf"][0]["minLength"] == 1
    assert url["oneOf"][1] == {"type": "string", "maxLength": 0}
    source = SourceFactory.build(url="https://www.icj-cij.org/fr/affaire/180/ordonnances-é")
    jsonschema.validate(source.url, url["oneOf"][0])


def test_true_false_filters_are_booleans(schema):
    unanimous = parameter(schema["paths"]["/api/v1/provisions/"]["get"], "unanimous")
    assert unanimous["schema"] == {"type": "boolean"}


def test_components_are_described_for_client_authors_not_by_the_base_class(schema):
    internal = {ApiModelSerializer.__doc__.strip().splitlines()[0], ModelSerializer.__doc__.strip().splitlines()[0]}
    for name, component in schema["components"]["schemas"].items():
        description = component.get("description", "")
        assert not any(line in description for line in internal), name
        if component.get("type") == "object" and not name.startswith(("Paginated", "Patched")):
            assert description, name


def test_a_provision_read_through_the_api_matches_its_component(schema, db):
    provision = ProvisionFactory()
    response = APIClient().get(reverse("api:provision-detail", args=[provision.pk]), {"omit": "id,text"})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert "id" not in body
    component = {**resolve(schema, "#/components/schemas/Provision"), "components": schema["components"]}
    jsonschema.validate(body, as_json_schema(component))


def test_every_list_declares_expand_with_its_allowed_values_and_no_detail_does(schema):
    from core.api.serializers import expandable_fields
    from tracker.api_urls import router

    for prefix, viewset, _basename in router.registry:
        expandable = list(expandable_fields(viewset.serializer_class))
        listing = parameter(schema["paths"][f"/api/v1/{prefix}/"]["get"], "expand")
        assert listing is not None, prefix
        assert listing["schema"] == {"type": "array", "items": {"type": "string", "enum": [*expandable, "all"]}}
        assert listing["style"] == "form" and listing["explode"] is False
        assert all(f"`{name}`" in listing["description"] for name in expandable), prefix
        assert parameter(schema["paths"][f"/api/v1/{prefix}/{{id}}/"]["get"], "expand") is None, prefix
    assert parameter(schema["paths"]["/api/v1/cases/{id}/timeline/"]["get"], "expand") is None


@pytest.mark.parametrize(
    ("prefix", "resource", "expandable"),
    [
        ("provisions", "Provision", ["judges_for", "judges_against", "compliance_claims"]),
        ("decisions", "Decision", ["bench", "provisions", "opinions"]),
    ],
)
def test_a_lists_items_say_which_fields_may_be_absent_and_the_detail_is_the_whole_record(
    schema, prefix, resource, expandable
):
    page = schema["paths"][f"/api/v1/{prefix}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert page == {"$ref": f"#/components/schemas/Paginated{resource}List"}
    items = resolve(schema, page["$ref"])["properties"]["results"]["items"]
    assert items == {"$ref": f"#/components/schemas/{resource}ListItem"}
    item = resolve(schema, items["$ref"])
    whole = resolve(schema, f"#/components/schemas/{resource}")
    detail = schema["paths"][f"/api/v1/{prefix}/{{id}}/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert detail["schema"] == {"$ref": f"#/components/schemas/{resource}"}

    assert list(item["properties"]) == list(whole["properties"])
    assert "required" not in item
    assert "`expand`" in item["description"] and all(f"`{name}`" in item["description"] for name in expandable)
    for name, declared in item["properties"].items():
        said = "Present in a list only when `expand`" in declared.get("description", "")
        assert said == (name in expandable), name
        assert "Present in a list" not in whole["properties"][name].get("description", "")
        if name not in expandable:
            assert declared == whole["properties"][name], name


def test_a_list_read_through_the_api_matches_its_item_component(schema, db):
    provision = ProvisionFactory()
    component = {**resolve(schema, "#/components/schemas/PaginatedProvisionList"), "components": schema["components"]}
    for params in ({}, {"expand": "all"}):
        response = APIClient().get(reverse("api:provision-list"), params)
        assert response.status_code == 200
        body = json.loads(response.content)
        assert [item["id"] for item in body["results"]] == [provision.pk]
        jsonschema.validate(body, as_json_schema(component))
