"""What the exporter would refuse is refused before sending, in the exporter's own words:
numpy longdouble values, keys that collide as text (``1`` and ``"1"``), names, magnitudes,
batch size and body size. Each message is compared with a real exporter's answer."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any, Dict, Tuple

import numpy as np
import pandas as pd
import pytest

import modelwatch
from modelwatch import convert, limits
from modelwatch.errors import BodyTooLarge, ConversionError

OFFLINE = dict(url="http://127.0.0.1:9", token="t" * 20, atexit_timeout=None)


def post(exporter: Any, path: str, body: bytes) -> Tuple[int, Dict[str, Any]]:
    """A raw request to the real exporter, past the client's checks."""
    req = urllib.request.Request(
        exporter.url + path,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {exporter.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def server_says(exporter: Any, path: str, body: Dict[str, Any]) -> str:
    status, answer = post(exporter, path, json.dumps(body).encode())
    assert status == 400, answer
    details = answer.get("details") if isinstance(answer.get("details"), list) else []
    return "\n".join([str(answer["error"])] + [str(d.get("message")) for d in details if isinstance(d, dict)])


# ------------------------------------------------------------------ numpy longdouble


@pytest.mark.skipif(np.dtype(np.longdouble).itemsize <= 8, reason="longdouble is float64 on this platform")
def test_longdouble_values_are_sent_as_the_nearest_float64():
    tenth = np.longdouble(1) / np.longdouble(10)
    assert float(tenth) != tenth  # more precise than a float64: .item() could not give a Python float
    assert convert.scalar(tenth, "f") == float(tenth)
    assert type(convert.scalar(tenth, "f")) is float
    assert convert.scalar(np.array([tenth]), "f") == float(tenth)
    assert convert.scalar(np.longdouble("nan"), "f") is None
    assert convert.sequence(np.array([0.5, 2.5], dtype=np.longdouble), "c") == [0.5, 2.5]
    assert convert.row(pd.Series({"x": tenth}), "features") == {"x": float(tenth)}
    with pytest.raises(ConversionError, match=r"^f: inf is not a finite number$"):
        convert.scalar(np.longdouble("inf"), "f")
    # beyond float64 (and the exporter's limit): its message, not an infinity
    with pytest.raises(ConversionError) as err:
        convert.scalar(np.longdouble("1e400"), "features.big")
    assert (err.value.field, err.value.problem) == ("features.big", limits.MAX_MAGNITUDE_MESSAGE)


def test_longdouble_features_predictions_and_references_reach_the_exporter(exporter):
    labels = {"model": "py_longdouble", "version": "v1"}
    with modelwatch.Monitor("py_longdouble", "v1", url=exporter.url, token=exporter.token, strict=True, atexit_timeout=None) as m:
        m.upload_reference(pd.DataFrame({"x": np.array([0.25, 0.5, 0.75], dtype=np.longdouble)}))
        m.log_prediction({"x": np.longdouble(0.5)}, np.longdouble(1.5), label=np.longdouble(2.0))
        assert m.flush(10)
        assert (m.counters.sent, m.counters.failed, m.counters.invalid) == (1, 0, 0)
    assert exporter.value("modelwatch_predictions_total", **labels) == 1
    assert exporter.value("modelwatch_model_mae", **labels) == pytest.approx(0.5)


# ------------------------------------------------------------------ keys colliding as text


def test_feature_keys_that_collide_as_text_are_refused_not_merged():
    with pytest.raises(ConversionError) as err:
        convert.row({1: 2.0, "1": 3.0})
    assert err.value.field == "features.1"
    assert "keys 1 and '1' are both '1' as text" in err.value.problem
    with pytest.raises(ConversionError, match="keys 'a' and 'a'"):
        convert.row([1, 2], names=["a", "a"])
    with pytest.raises(ConversionError, match=r"^features\.x: keys 'x' and 'x'"):
        convert.columns(pd.DataFrame([[1, 2]], columns=["x", "x"]))
    with pytest.raises(ConversionError, match="keys 1 and '1'"):
        convert.columns({1: [1.0], "1": [2.0]})
    # distinct keys are untouched
    assert convert.row({1: 2.0, "2": 3.0}) == {"1": 2.0, "2": 3.0}


def test_a_monitor_refuses_colliding_features_classes_and_kpis_and_sends_nothing(caplog, sent_requests):
    strict = modelwatch.Monitor("m", "v1", strict=True, **OFFLINE)
    with pytest.raises(ConversionError, match=r"^features\.1: keys 1 and '1'"):
        strict.log_prediction({1: 0.0, "1": 1.0}, 1)
    with pytest.raises(ConversionError, match=r"^scores\.1: keys 1 and '1'"):
        strict.log_prediction({"x": 1.0}, 1, scores={1: 0.5, "1": 0.5})
    with pytest.raises(ConversionError, match=r"^kpis\.1: keys 1 and '1'"):
        strict.log_kpis({1: 1.0, "1": 2.0})
    strict.close(0)
    caplog.set_level(logging.WARNING, logger="modelwatch")
    lenient = modelwatch.Monitor("m", "v1", **OFFLINE)
    lenient.log_prediction({1: 0.0, "1": 1.0}, 1)
    assert lenient.log_kpis({1: 1.0, "1": 2.0}) is False
    assert (lenient.counters.invalid, lenient.counters.pending) == (2, 0)
    assert "features.1: keys 1 and '1' are both '1' as text" in caplog.text
    lenient.close(0)
    assert sent_requests == []


# ------------------------------------------------------------------ names, magnitude: the exporter's messages


def test_model_and_version_names_are_checked_with_the_exporters_message(exporter):
    with pytest.raises(ConversionError) as err:
        modelwatch.Monitor("fraud scorer", "v1", **OFFLINE)
    assert err.value.field == "model"
    assert err.value.problem == f"model must be a valid name: {limits.NAME_RULE}"
    assert err.value.problem in server_says(exporter, "/api/v1/predictions", {"model": "fraud scorer", "version": "v1", "events": [{"id": 1, "prediction": 1}]})
    with pytest.raises(ConversionError) as err:
        modelwatch.Monitor("fraud", "v/1", **OFFLINE)
    assert err.value.problem in server_says(exporter, "/api/v1/predictions", {"model": "fraud", "version": "v/1", "events": [{"id": 1, "prediction": 1}]})
    # what the rule accepts, the exporter accepts: Unicode letters and digits, 128 code points
    for name in ["café-model", "模型_1", "a" * 128, "٣d"]:
        assert limits.name_problem("model", name) is None
    for name in ["", "a" * 129, "_lead", ".", "a b", "x/y"]:
        assert limits.name_problem("model", name) is not None


@pytest.mark.sends_invalid_values
@pytest.mark.parametrize("name", ["__other__", " padded", "tab\there", "x" * 129, "\ufeffbom"])
def test_feature_and_kpi_names_are_checked_with_the_exporters_message(exporter, name):
    m = modelwatch.Monitor("py_names", "v1", url=exporter.url, token=exporter.token, strict=True, atexit_timeout=None)
    with pytest.raises(ConversionError) as err:
        m.log_prediction({name: 1.0}, 1)
    assert err.value.problem == f"feature name must be a valid name: {limits.FEATURE_NAME_RULE}"
    body = {"model": "py_names", "version": "v1", "events": [{"id": 1, "features": {name: 1.0}, "prediction": 1}]}
    assert err.value.problem in server_says(exporter, "/api/v1/predictions", body)
    with pytest.raises(ConversionError) as err:
        m.log_kpis({name: 1.0})
    assert err.value.problem in server_says(exporter, "/api/v1/kpis", {"model": "py_names", "kpis": {name: 1.0}})
    m.close(0)
    assert limits.feature_name_problem("feature name", "sepal length (cm)") is None


@pytest.mark.sends_invalid_values
def test_numbers_beyond_the_exporters_magnitude_are_refused_in_its_words(exporter):
    m = modelwatch.Monitor("py_magnitude", "v1", url=exporter.url, token=exporter.token, strict=True, atexit_timeout=None)
    for features, prediction, field in [({"x": 1e101}, 1, "features.x"), ({"x": 1}, -(10**101), "prediction"), ({"x": 1}, 1e300, "prediction")]:
        with pytest.raises(ConversionError) as err:
            m.log_prediction(features, prediction)
        assert (err.value.field, err.value.problem) == (field, limits.MAX_MAGNITUDE_MESSAGE)
    with pytest.raises(ConversionError, match=r"^kpis\.revenue: "):
        m.log_kpis({"revenue": 2e100})
    with pytest.raises(ConversionError, match=r"^features\.x\[1\]: "):
        m.upload_reference({"x": [1.0, 1e101]})
    body = {"model": "py_magnitude", "version": "v1", "events": [{"id": 1, "features": {"x": 1e101}, "prediction": 1}]}
    assert limits.MAX_MAGNITUDE_MESSAGE in server_says(exporter, "/api/v1/predictions", body)
    # the limit itself is accepted
    assert convert.row({"x": 1e100}) == {"x": 1e100}
    m.close(0)


# ------------------------------------------------------------------ batch and body size


def test_batch_size_over_the_exporters_limit_is_refused_in_its_words(exporter):
    with pytest.raises(ValueError, match=f"^batch_size 50001: {limits.MAX_BATCH_EVENTS_MESSAGE}$"):
        modelwatch.Monitor("m", "v1", batch_size=limits.MAX_BATCH_EVENTS + 1, **OFFLINE)
    modelwatch.Monitor("m", "v1", batch_size=limits.MAX_BATCH_EVENTS, **OFFLINE).close(0)
    events = [{"id": i, "prediction": 1} for i in range(limits.MAX_BATCH_EVENTS + 1)]
    assert limits.MAX_BATCH_EVENTS_MESSAGE in server_says(exporter, "/api/v1/predictions", {"model": "py_batch", "version": "v1", "events": events})


def test_a_body_over_the_exporters_limit_is_never_sent(exporter):
    # the exporter's own answer to a body over MODELWATCH_MAX_BODY_BYTES (32 MiB by default)
    status, answer = post(exporter, "/api/v1/kpis", b'{"model":"m","kpis":{"x":1},"pad":"' + b"x" * limits.MAX_BODY_BYTES + b'"}')
    assert (status, answer["error"], answer["code"]) == (413, limits.MAX_BODY_BYTES_MESSAGE, "MW_ERR_BODY_TOO_LARGE")

    m = modelwatch.Monitor("py_body", "v1", url=exporter.url, token=exporter.token, max_body_bytes=300, atexit_timeout=None)
    with pytest.raises(BodyTooLarge) as err:
        m.upload_reference({"x": [float(i) for i in range(200)]})
    assert str(err.value).startswith(f"{limits.MAX_BODY_BYTES_MESSAGE}: ")
    assert (err.value.limit, err.value.code, err.value.exit_code) == (300, "MW_ERR_BODY_TOO_LARGE", 2)
    assert err.value.size > 300
    m.close(0)


def test_the_monitor_splits_a_batch_over_the_body_limit_and_fails_only_an_event_too_large_alone(exporter, caplog):
    caplog.set_level(logging.ERROR, logger="modelwatch")
    labels = {"model": "py_split", "version": "v1"}
    m = modelwatch.Monitor(
        "py_split", "v1", url=exporter.url, token=exporter.token, max_body_bytes=600, batch_size=40, flush_interval=5.0, atexit_timeout=None
    )
    for i in range(39):
        m.log_prediction({"x": float(i)}, 1, id=f"e{i}")
    m.log_prediction({"note": "y" * 700}, 1, id="huge")  # larger than 600 bytes on its own
    assert m.flush(20)
    assert (m.counters.sent, m.counters.failed, m.counters.pending) == (39, 1, 0)
    assert exporter.value("modelwatch_predictions_total", **labels) == 39
    assert "1 of the prediction events not sent to /api/v1/predictions: request body too large" in caplog.text
    m.close(0)
