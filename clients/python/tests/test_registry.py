"""Registry calls against the real exporter, with each kind of refusal raising its own
exception whose exit_code is the one the `modelwatch` CLI exits with for the same call."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request

import numpy as np
import pytest

import modelwatch
from conftest import MAIN_JS, free_port


@pytest.fixture
def registry(exporter):
    return modelwatch.Registry(url=exporter.url, token=exporter.token)


def create_token(exporter, role: str) -> str:
    req = urllib.request.Request(
        f"{exporter.url}/api/v1/tokens",
        data=json.dumps({"name": f"py-{role}", "role": role}).encode(),
        headers={"Authorization": f"Bearer {exporter.token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.load(res)["token"]


def cli(url: str, token: str, *args: str) -> int:
    env = dict(os.environ, MODELWATCH_URL=url, MODELWATCH_TOKEN=token)
    return subprocess.run(["node", str(MAIN_JS), *args], env=env, capture_output=True, timeout=60).returncode


def test_register_with_metrics_and_lineage_then_promote_and_roll_back(registry):
    registry.create_model("py_churn", description="churn model", team="growth")
    v1 = registry.register(
        "py_churn",
        "1.0",
        metrics={"accuracy": np.float64(0.91), "latency_ms": 22, "f1": np.float32(0.5)},
        lineage={
            "data_version": "2024-06-01",
            "code_commit": "abc123",
            "artifact_uri": "s3://models/churn/1.0",
            "hyperparameters": {"C": np.float64(0.5), "max_iter": np.int64(100), "balanced": np.bool_(True), "solver": "lbfgs"},
            "environment": {"python": "3.11"},
            "tags": {"owner": "growth"},
        },
        description="first",
    )
    assert v1["stage"] == "development"
    stored = registry.version("py_churn", "1.0")
    assert stored["metrics"] == {"accuracy": 0.91, "latency_ms": 22, "f1": 0.5}
    assert stored["lineage"]["hyperparameters"] == {"C": 0.5, "max_iter": 100, "balanced": True, "solver": "lbfgs"}
    assert stored["lineage"]["artifact_uri"] == "s3://models/churn/1.0"

    registry.register("py_churn", "1.1", metrics={"accuracy": 0.93, "latency_ms": 20}, lineage={"parent_version": "1.0"})
    for version in ("1.0", "1.1"):
        registry.promote("py_churn", version, "staging", "CI")
        registry.promote("py_churn", version, "production", "canary passed")
    assert registry.model("py_churn")["production_version"] == "1.1"
    back = registry.rollback("py_churn", "accuracy collapse", from_version="1.1")
    assert (back["from_version"], back["to_version"]) == ("1.1", "1.0")
    assert registry.model("py_churn")["production_version"] == "1.0"
    assert {v["version"]: v["stage"] for v in registry.versions("py_churn")} == {"1.0": "production", "1.1": "archived"}
    assert registry.transitions("py_churn")
    assert "py_churn" in [m["name"] for m in registry.models()]
    assert registry.gates("py_churn")["gates"]["production"]


def test_a_gate_refusal_lists_every_failed_gate(registry, exporter):
    registry.register("py_gated", "1.0", metrics={"accuracy": 0.82, "latency_ms": 60})
    registry.promote("py_gated", "1.0", "staging", "CI")
    with pytest.raises(modelwatch.GateRefused) as err:
        registry.promote("py_gated", "1.0", "production", "try")
    refused = err.value
    assert refused.status == 422 and refused.exit_code == 1
    assert isinstance(refused, modelwatch.Refused) and not isinstance(refused, modelwatch.Conflict)
    assert sorted((g.gate, g.metric, g.required, g.actual) for g in refused.failed_gates) == [
        ("max_latency_ms", "latency_ms", 50, 60),
        ("min_accuracy", "accuracy", 0.85, 0.82),
    ]
    assert "accuracy 0.82 < 0.85" in str(refused)
    assert cli(exporter.url, exporter.token, "promote", "py_gated", "1.0", "--to", "production", "--reason", "x") == refused.exit_code


def test_conflicts(registry, exporter):
    registry.register("py_conflict", "1.0", metrics={"accuracy": 0.9, "latency_ms": 10})
    with pytest.raises(modelwatch.Conflict) as err:
        registry.register("py_conflict", "1.0")
    assert err.value.status == 409 and err.value.exit_code == 1 and "already registered" in err.value.message
    with pytest.raises(modelwatch.Conflict) as err:
        registry.rollback("py_conflict", "nothing there")
    assert "nothing to roll back" in err.value.message
    assert cli(exporter.url, exporter.token, "rollback", "py_conflict", "--reason", "x") == err.value.exit_code
    # the production version leaves production only with allow_empty_production
    registry.promote("py_conflict", "1.0", "staging", "CI")
    registry.promote("py_conflict", "1.0", "production", "CI")
    with pytest.raises(modelwatch.Conflict) as err:
        registry.promote("py_conflict", "1.0", "archived", "retire")
    assert err.value.status == 409
    assert registry.promote("py_conflict", "1.0", "archived", "retire", allow_empty_production=True)["to"] == "archived"
    assert registry.model("py_conflict")["production_version"] is None


def test_auth_failures(exporter):
    viewer = modelwatch.Registry(url=exporter.url, token=create_token(exporter, "viewer"))
    assert isinstance(viewer.models(), list)  # a viewer reads
    with pytest.raises(modelwatch.AuthError) as err:
        viewer.register("py_auth", "1.0")
    assert err.value.status == 403 and err.value.exit_code == 3
    with pytest.raises(modelwatch.AuthError) as err:
        modelwatch.Registry(url=exporter.url, token="mw_not_a_real_token_at_all").models()
    assert err.value.status == 401 and err.value.exit_code == 3
    assert cli(exporter.url, "mw_not_a_real_token_at_all", "models") == err.value.exit_code
    with pytest.raises(modelwatch.AuthError) as err:
        modelwatch.Registry(url=exporter.url, token="").models()
    assert err.value.status is None and "no token" in str(err.value)


def test_unreachable_exporter():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(modelwatch.Unreachable) as err:
        modelwatch.Registry(url=url, token="t" * 20).promote("m", "1", "staging", "x")
    assert err.value.exit_code == 4 and "cannot reach the exporter" in str(err.value)
    assert cli(url, "t" * 20, "models") == err.value.exit_code


@pytest.mark.sends_invalid_values
def test_usage_errors(registry, exporter):
    with pytest.raises(modelwatch.NotFound) as err:
        registry.version("py_never_registered", "1.0")
    assert err.value.exit_code == 2
    with pytest.raises(modelwatch.BadRequest) as err:
        registry.register("py_bad", "no/slashes allowed", metrics={"accuracy": 0.9})
    assert err.value.status == 400 and err.value.exit_code == 2 and "version" in str(err.value)
    with pytest.raises(modelwatch.ConversionError, match=r"^lineage\.owner: unknown lineage field"):
        registry.register("py_bad", "1.0", lineage={"owner": "me"})
    with pytest.raises(ValueError):
        registry.promote("py_bad", "1.0", "prod", "x")


def test_the_error_body_code_is_kept_when_the_exporter_sends_one():
    from fake_exporter import FakeExporter

    with FakeExporter([(409, {"error": "m 1 is already registered", "code": "version_exists"})]) as fake:
        with pytest.raises(modelwatch.Conflict) as err:
            modelwatch.Registry(url=fake.url, token="t" * 20).register("m", "1")
    assert (err.value.code, err.value.status, err.value.message) == ("version_exists", 409, "m 1 is already registered")


def test_what_the_client_knows_of_the_api_matches_the_openapi_document(openapi_doc):
    from modelwatch import registry as reg

    from openapi_check import Checker, request_schema

    transition = openapi_doc["paths"]["/api/v1/models/{model}/versions/{version}/transitions"]["post"]
    schema = request_schema(openapi_doc, "POST", "/api/v1/models/{model}/versions/{version}/transitions")
    assert tuple(Checker(openapi_doc).resolve(schema["properties"]["to"])["enum"]) == modelwatch.STAGES
    register = request_schema(openapi_doc, "POST", "/api/v1/models/{model}/versions")
    lineage = set(Checker(openapi_doc).resolve(register["properties"]["lineage"])["properties"])
    assert lineage == set(reg._LINEAGE_TEXT) | {"hyperparameters", "environment", "tags"}
    assert "422" in transition["responses"] and "409" in transition["responses"]
