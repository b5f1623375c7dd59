"""numpy, pandas, NaN/None, datetime and boolean values become the JSON the API accepts; what
cannot be sent is reported with its field name."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import modelwatch
from modelwatch import convert
from modelwatch.errors import ConversionError


@pytest.mark.parametrize(
    "value, expected",
    [
        (np.int64(7), 7),
        (np.int8(-3), -3),
        (np.uint32(5), 5),
        (np.float32(0.5), 0.5),
        (np.float64(2.25), 2.25),
        (np.bool_(True), 1),
        (False, 0),
        (True, 1),
        (np.str_("pro"), "pro"),
        (Decimal("1.5"), 1.5),
        (np.array(4.0), 4.0),
        (np.array([9]), 9),
        (float("nan"), None),
        (np.float32("nan"), None),
        (None, None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.datetime64("NaT"), None),
        (dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc), 1717243200.0),
        (dt.datetime(2024, 6, 1, 12, 0), 1717243200.0),  # naive is UTC
        (dt.datetime(2024, 6, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), 1717243200.0),
        (dt.date(2024, 6, 1), 1717200000.0),
        (pd.Timestamp("2024-06-01T12:00:00Z"), 1717243200.0),
        (np.datetime64("2024-06-01T12:00:00.000000000"), 1717243200.0),
        (dt.timedelta(milliseconds=1500), 1.5),
        (np.timedelta64(250, "ms"), 0.25),
    ],
)
def test_scalars(value, expected):
    out = convert.scalar(value, "features.x")
    assert out == expected and type(out) is type(expected)
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize(
    "value, problem",
    [
        (float("inf"), "inf is not a finite number"),
        (np.float64("-inf"), "-inf is not a finite number"),
        (object(), "cannot send a value of type builtins.object"),
        (np.array([1.0, 2.0]), "expected one value, got an array of shape (2,)"),
        ([1, 2], "cannot send a value of type builtins.list"),
        (b"bytes", "cannot send a value of type builtins.bytes"),
    ],
)
def test_unconvertible_values_name_the_field(value, problem):
    with pytest.raises(ConversionError) as err:
        convert.scalar(value, "features.age")
    assert err.value.field == "features.age"
    assert str(err.value) == f"features.age: {problem}"


def test_a_pandas_row_and_a_numpy_row_with_feature_names():
    frame = pd.DataFrame({"age": [41, 30], "income": [np.nan, 2.5], "plan": ["pro", None], "vip": [True, False]})
    assert convert.row(frame.iloc[0]) == {"age": 41, "income": None, "plan": "pro", "vip": 1}
    assert convert.row(frame.iloc[[1]]) == {"age": 30, "income": 2.5, "plan": None, "vip": 0}
    assert convert.row(np.array([1.0, np.nan]), names=["a", "b"]) == {"a": 1.0, "b": None}
    with pytest.raises(ConversionError, match="^features: expected a mapping"):
        convert.row([1.0, 2.0])
    with pytest.raises(ConversionError, match="^features: expected one row, got a DataFrame of 2 rows"):
        convert.row(frame)


def test_reference_columns_from_a_dataframe_rows_and_an_array():
    frame = pd.DataFrame({"t": pd.to_datetime(["2024-06-01T12:00:00Z", None]), "n": np.array([1, 2], dtype=np.int32)})
    assert convert.columns(frame) == {"t": [1717243200.0, None], "n": [1, 2]}
    assert convert.columns([{"a": 1}, {"b": "x"}]) == {"a": [1, None], "b": [None, "x"]}
    assert convert.columns(np.array([[1.0, np.nan], [3.0, 4.0]]), names=["a", "b"]) == {"a": [1.0, 3.0], "b": [None, 4.0]}
    # datetime64[ns].tolist() would give integers of nanoseconds: seconds are sent
    assert convert.sequence(np.array(["2024-06-01T12:00", "NaT"], dtype="datetime64[ns]"), "p") == [1717243200.0, None]
    assert convert.sequence(pd.Series([1, None], dtype="Int64"), "p") == [1, None]
    with pytest.raises(ConversionError, match=r"^features\.bad\[1\]: inf is not a finite number"):
        convert.columns({"bad": [1.0, float("inf")]})


def build(monitor: modelwatch.Monitor, *args, **kwargs) -> dict:
    """The event log_prediction would queue (without queueing it)."""
    return monitor._prediction_event(kwargs.pop("id", "e1"), *args, **kwargs)


@pytest.fixture
def monitor():
    m = modelwatch.Monitor("m", "v1", url="http://127.0.0.1:9", token="t" * 20, classes=np.array([0, 1, 2]), atexit_timeout=None)
    yield m
    m.close(timeout=0)


def test_prediction_events(monitor):
    proba = np.array([0.1, 0.7, 0.2])
    event = build(
        monitor,
        {"x": np.float32(1.5)},
        np.int64(1),
        score=None,
        scores=proba,
        latency_ms=dt.timedelta(milliseconds=12),
        error=None,
        timestamp=dt.datetime(2024, 6, 1, 12, tzinfo=dt.timezone.utc),
        label=np.bool_(True),
    )
    assert event == {
        "id": "e1",
        "timestamp": 1717243200.0,
        "features": {"x": 1.5},
        "prediction": 1,
        "scores": {"0": pytest.approx(0.1), "1": pytest.approx(0.7), "2": pytest.approx(0.2)},
        "latency_ms": 12.0,
        "label": 1,
    }
    failed = build(monitor, {"x": 1}, None, score=None, scores=None, latency_ms=None, error=ValueError("x"), timestamp=None, label=None)
    assert failed["error"] == "ValueError" and "prediction" not in failed


@pytest.mark.parametrize(
    "kwargs, field, problem",
    [
        (dict(prediction=float("nan")), "prediction", "is missing (None or NaN)"),
        (dict(prediction=None), "prediction", "is missing (give a prediction or an error)"),
        (dict(score=1.2), "score", "probability 1.2 is outside [0, 1]"),
        (dict(score="high"), "score", "expected a probability, got the string 'high'"),
        (dict(scores=[0.5, 0.5]), "scores", "2 probabilities for 3 classes"),
        (dict(scores={"a": float("nan")}), "scores.a", "is missing (None or NaN)"),
        (dict(latency_ms=-1), "latency_ms", "-1 is negative"),
        (dict(features={"when": dt.time(12)}), "features.when", "cannot send a value of type datetime.time"),
    ],
)
def test_what_cannot_be_sent_is_reported_with_the_field(monitor, kwargs, field, problem):
    args = dict(features={"x": 1}, prediction=1, score=None, scores=None, latency_ms=None, error=None, timestamp=None, label=None)
    args.update(kwargs)
    with pytest.raises(ConversionError) as err:
        build(monitor, args.pop("features"), args.pop("prediction"), **args)
    assert (err.value.field, err.value.problem) == (field, problem)


def test_an_unconvertible_event_is_logged_and_counted_not_raised(monitor, caplog):
    caplog.set_level(logging.WARNING, logger="modelwatch")
    event_id = monitor.log_prediction({"age": object()}, 1, id="req-9")
    assert event_id == "req-9"
    assert monitor.counters.invalid == 1 and monitor.counters.pending == 0
    assert "prediction 'req-9' not logged: features.age: cannot send a value of type builtins.object" in caplog.text
    assert monitor.log_label("req-9", float("nan")) is False
    assert "label 'req-9' not logged: label: is missing (None or NaN)" in caplog.text
    assert monitor.counters.invalid == 2


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")


class _BrokenMapping(dict):
    def items(self):  # type: ignore[override]
        raise KeyError("broken")


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.log_prediction({"a": Decimal("sNaN")}, 1),
        lambda m: m.log_prediction({"a": 1}, None, error=_Unprintable()),
        lambda m: m.log_prediction(_BrokenMapping(a=1), 1),
        lambda m: m.log_label(_Unprintable(), "1"),
        lambda m: m.log_kpis(_BrokenMapping(k=1)),
    ],
    ids=["signalling-nan-decimal", "error-whose-str-raises", "features-whose-items-raise", "label-id-whose-str-raises", "kpis-whose-items-raise"],
)
def test_no_value_a_caller_passes_raises_into_the_predict_path(monitor, call):
    call(monitor)
    assert monitor.counters.invalid == 1 and monitor.counters.pending == 0


def test_strict_mode_raises_for_the_caller_to_see():
    m = modelwatch.Monitor("m", "v1", url="http://127.0.0.1:9", token="t" * 20, strict=True, atexit_timeout=None)
    try:
        with pytest.raises(ConversionError, match=r"^features\.age: inf is not a finite number$"):
            m.log_prediction({"age": float("inf")}, 1)
    finally:
        m.close(timeout=0)


def test_numpy_and_pandas_values_reach_the_exporter(exporter):
    frame = pd.DataFrame(
        {
            "age": np.array([41, 30, 52], dtype=np.int64),
            "income": [np.nan, 2.5, np.float32(3.5)],
            "plan": pd.Categorical(["pro", None, "basic"]),
            "vip": np.array([True, False, True]),
            "signup": pd.to_datetime(["2024-06-01", None, "2024-01-01"]),
        }
    )
    with modelwatch.Monitor("py_numpy_pandas", "v1", url=exporter.url, token=exporter.token, strict=True, atexit_timeout=None) as m:
        m.upload_reference(frame, np.array([True, False, True]))  # drift stats need a reference
        for i in range(len(frame)):
            m.log_prediction(frame.iloc[i], np.bool_(i % 2 == 0), id=np.int64(i), score=np.float32(0.75), latency_ms=np.float64(2.0))
        for i in range(len(frame)):
            m.log_label(np.int64(i), np.bool_(True))
        assert m.flush(10)
        assert m.counters == modelwatch.Counters(sent=6, dropped=0, failed=0, invalid=0, pending=0)
    labels = dict(model="py_numpy_pandas", version="v1")
    assert exporter.value("modelwatch_predictions_total", **labels) == 3
    # booleans are 1/0 on both sides, so predictions True/False join labels True
    assert exporter.value("modelwatch_model_accuracy_ratio", **labels) == pytest.approx(2 / 3)
    assert exporter.value("modelwatch_feature_missing_ratio", feature="income", **labels) == pytest.approx(1 / 3)
    assert exporter.value("modelwatch_feature_missing_ratio", feature="signup", **labels) == pytest.approx(1 / 3)
