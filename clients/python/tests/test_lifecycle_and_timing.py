"""Batching, flush/close/context manager/atexit, the timing decorator and context manager,
labels and KPIs — against the real exporter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import modelwatch
from openapi_check import request_errors

SRC = Path(__file__).resolve().parents[1] / "src"


def test_events_go_in_batches_by_size_and_by_time(exporter, sent_requests):
    with modelwatch.Monitor("py_batches", "v1", url=exporter.url, token=exporter.token, batch_size=10, flush_interval=1.0, atexit_timeout=None) as m:
        # logging 25 events takes a millisecond, far inside the first 1 s interval
        for i in range(25):
            m.log_prediction({"x": i}, i % 2, score=0.5)
        deadline = time.monotonic() + 5
        while m.counters.sent < 25 and time.monotonic() < deadline:
            time.sleep(0.02)  # no flush: the partial batch leaves after flush_interval
        assert m.counters.sent == 25
    assert [len(b["events"]) for _, _, b in sent_requests] == [10, 10, 5]
    assert exporter.value("modelwatch_predictions_total", model="py_batches", version="v1") == 25


def test_context_manager_close_sends_what_is_queued_and_kpis_merge(exporter, sent_requests):
    with modelwatch.Monitor(
        "py_close", "v1", url=exporter.url, token=exporter.token, flush_interval=60, atexit_timeout=None, positive_class="yes"
    ) as m:
        ids = [m.log_prediction({"x": 1.0}, "yes", score=0.9) for _ in range(3)]
        for i in ids:
            m.log_label(i, "yes")
        m.log_kpis({"retention_rate": 0.91, "revenue": 10})
        m.log_kpis({"retention_rate": 0.93, "skipped": float("nan")})
    # flush_interval is a minute: only close() can have sent these
    assert m.counters == modelwatch.Counters(sent=8, dropped=0, failed=0, invalid=0, pending=0)
    assert [p for _, p, _ in sent_requests] == ["/api/v1/predictions", "/api/v1/feedback", "/api/v1/kpis"]
    assert sent_requests[2][2] == {"model": "py_close", "kpis": {"retention_rate": 0.93, "revenue": 10}}
    assert exporter.value("modelwatch_business_kpi", model="py_close", kpi="retention_rate") == 0.93
    assert m.close() is True  # twice is fine


def test_atexit_flushes_what_is_queued(exporter):
    script = textwrap.dedent(
        f"""
        import sys; sys.path.insert(0, {str(SRC)!r})
        import modelwatch
        m = modelwatch.Monitor("py_atexit", "v1", url={exporter.url!r}, token={exporter.token!r}, flush_interval=60, atexit_timeout=10)
        for i in range(7):
            m.log_prediction({{"x": i}}, 1)
        # no flush, no close: the interpreter's exit must send them
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, env=dict(os.environ))
    assert exporter.value("modelwatch_predictions_total", model="py_atexit", version="v1") == 7


def test_the_decorator_times_the_call_and_logs_prediction_score_and_errors(exporter):
    with modelwatch.Monitor("py_track", "v1", url=exporter.url, token=exporter.token, atexit_timeout=None) as m:

        @m.track
        def predict(features):
            if features["x"] < 0:
                raise ValueError("negative")
            time.sleep(0.02)
            return {"prediction": 1, "score": 0.8}

        assert predict({"x": 1.0}) == {"prediction": 1, "score": 0.8}
        with pytest.raises(ValueError):
            predict({"x": -1.0})

        @m.track(id=lambda request_id, features: request_id, features=lambda request_id, features: features, score=lambda r: r[1], prediction=lambda r: r[0])
        def predict2(request_id, features):
            return ("0", 0.1)

        assert predict2("req-42", {"x": 2.0}) == ("0", 0.1)
        m.log_label("req-42", "0")
        assert m.flush(10)
        assert m.counters.sent == 4
    labels = dict(model="py_track", version="v1")
    assert exporter.value("modelwatch_predictions_total", **labels) == 3
    assert exporter.value("modelwatch_prediction_errors_total", reason="ValueError", **labels) == 1
    assert exporter.value("modelwatch_correct_predictions_total", **labels) == 1  # req-42 joined
    # the 20 ms call landed in the latency histogram above 10 ms
    assert exporter.value("modelwatch_prediction_latency_seconds_sum", **labels) >= 0.02


def test_the_context_manager_times_a_block(exporter):
    with modelwatch.Monitor("py_timed", "v1", url=exporter.url, token=exporter.token, atexit_timeout=None) as m:
        with m.timed({"x": 3.0}, id="t-1") as t:
            time.sleep(0.01)
            t.prediction = "spam"
        assert t.id == "t-1" and t.latency_ms >= 10
        with pytest.raises(KeyError):
            with m.timed({"x": 4.0}) as t2:
                raise KeyError("missing")
        assert t2.id  # generated
        assert m.flush(10)
    labels = dict(model="py_timed", version="v1")
    assert exporter.value("modelwatch_predictions_total", **labels) == 2
    assert exporter.value("modelwatch_prediction_errors_total", reason="KeyError", **labels) == 1


def test_the_openapi_check_fails_on_a_field_the_document_does_not_define(openapi_doc):
    good = {"model": "m", "version": "v", "events": [{"id": "a", "features": {"x": 1}, "prediction": 1}]}
    assert request_errors(openapi_doc, "POST", "/api/v1/predictions", good) == []
    bad = {"model": "m", "version": "v", "events": [{"id": "a", "prediction": 1, "proba": 0.5}]}
    assert request_errors(openapi_doc, "POST", "/api/v1/predictions", bad) == [
        "POST /api/v1/predictions: body.events[0]: field 'proba' is not defined by the document"
    ]
    assert request_errors(openapi_doc, "POST", "/api/v1/models/m/rollback", {"reason": "x", "force": True}) == [
        "POST /api/v1/models/{model}/rollback: body: field 'force' is not defined by the document"
    ]
    with pytest.raises(AssertionError, match="not an operation"):
        request_errors(openapi_doc, "POST", "/api/v1/labels", {})
    # a schema the check does not understand fails instead of passing anything
    from openapi_check import Checker

    assert Checker({}).errors({"not": {"type": "string"}}, 1, "body") == ["body: schema keywords ['not'] are not understood by the check"]


def test_a_forked_worker_gets_its_own_sender_thread(exporter):
    # gunicorn --preload and multiprocessing fork after the client exists; threads do not survive fork
    m = modelwatch.Monitor("py_fork", "v1", url=exporter.url, token=exporter.token, flush_interval=0.05, atexit_timeout=None)
    m.log_prediction({"x": 0.0}, 1, id="parent")
    pid = os.fork()
    if pid == 0:  # the child: exit status tells the parent what happened
        code = 3
        try:
            for i in range(5):
                m.log_prediction({"x": float(i)}, 1, id=f"child-{i}")
            flushed = m.flush(10)
            code = 0 if flushed and m.counters.sent == 5 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert m.flush(10) and m.counters.sent == 1
    m.close()
    assert exporter.value("modelwatch_predictions_total", model="py_fork", version="v1") == 6


def test_the_decorator_times_an_async_predict(exporter):
    import asyncio

    with modelwatch.Monitor(
        "py_track_async", "v1", url=exporter.url, token=exporter.token, atexit_timeout=None, positive_class="spam"
    ) as m:

        @m.track
        async def predict(features):
            await asyncio.sleep(0.02)
            if features["x"] < 0:
                raise ValueError("negative")
            return {"prediction": "spam", "score": 0.9}

        assert asyncio.run(predict({"x": 1.0})) == {"prediction": "spam", "score": 0.9}
        with pytest.raises(ValueError):
            asyncio.run(predict({"x": -1.0}))
        assert m.flush(10)
        assert m.counters == modelwatch.Counters(sent=2, dropped=0, failed=0, invalid=0, pending=0)
    labels = dict(model="py_track_async", version="v1")
    assert exporter.value("modelwatch_prediction_errors_total", reason="ValueError", **labels) == 1
    assert exporter.value("modelwatch_prediction_latency_seconds_sum", **labels) >= 0.04
