"""The exporter is down, failing, refusing or slow: the model server's code path must not
notice (nothing raises, nothing blocks), and what happened is counted and logged."""

from __future__ import annotations

import logging
import statistics
import time

import pytest

import modelwatch
from conftest import free_port
from fake_exporter import FakeExporter

FAST = dict(flush_interval=0.01, backoff=0.01, max_backoff=0.05, atexit_timeout=None)
# one batch exactly: it leaves when batch_size events are queued, never split by a timer tick
ONE_BATCH = dict(FAST, flush_interval=5.0)


def event(i: int) -> dict:
    return {"x": float(i), "plan": "basic"}


def test_exporter_down_events_queue_then_drop_and_are_counted(caplog):
    caplog.set_level(logging.ERROR, logger="modelwatch")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    monitor = modelwatch.Monitor("m", "v1", url=url, token="t" * 20, max_queue=50, batch_size=10, max_retries=2, **FAST)
    for i in range(500):
        monitor.log_prediction(event(i), 1, score=0.5)  # must not raise
    c = monitor.counters
    assert c.sent == 0 and c.dropped > 0
    assert c.pending <= 50 + 10  # the queue holds 50, plus a batch in flight
    assert c.dropped + c.failed + c.pending == 500
    assert monitor.close(timeout=5)
    c = monitor.counters
    assert c.sent == 0 and c.pending == 0
    assert c.dropped + c.failed == 500 and c.failed > 0
    assert "not sent to /api/v1/predictions after 3 attempts" in caplog.text
    assert "cannot reach the exporter" in caplog.text
    # after close, events are dropped and counted, still without raising
    monitor.log_prediction(event(0), 1)
    assert monitor.counters.dropped == c.dropped + 1


def test_close_gives_up_after_its_timeout_and_counts_the_rest_as_dropped():
    url = f"http://127.0.0.1:{free_port()}"
    monitor = modelwatch.Monitor("m", "v1", url=url, token="t" * 20, batch_size=5, max_retries=50, flush_interval=0.01, backoff=0.2, max_backoff=0.2, atexit_timeout=None)
    for i in range(20):
        monitor.log_prediction(event(i), 1)
    start = time.monotonic()
    assert monitor.close(timeout=0.3) is False
    assert time.monotonic() - start < 3
    c = monitor.counters
    assert c.sent == 0 and c.dropped == 20 and c.pending == 0


def test_a_500_is_retried_with_the_same_batch():
    answers = [(500, {"error": "boom"}), (503, {"error": "unavailable"})]
    with FakeExporter(answers) as fake:
        with modelwatch.Monitor("m", "v1", url=fake.url, token="t" * 20, batch_size=3, max_retries=5, **ONE_BATCH) as monitor:
            for i in range(3):
                monitor.log_prediction(event(i), 1, id=f"e{i}")
            assert monitor.flush(10)
            assert monitor.counters.sent == 3 and monitor.counters.failed == 0
    assert len(fake.received) == 3
    assert fake.received[0] == fake.received[1] == fake.received[2]
    assert [e["id"] for e in fake.received[2][1]["events"]] == ["e0", "e1", "e2"]


def test_retries_stop_after_max_retries_and_the_batch_counts_as_failed(caplog):
    with FakeExporter(default=(500, {"error": "database is on fire"})) as fake:
        with modelwatch.Monitor("m", "v1", url=fake.url, token="t" * 20, max_retries=3, **FAST) as monitor:
            monitor.log_prediction(event(1), 1)
            monitor.log_label("a", 1)
            assert monitor.flush(10)
            assert monitor.counters.failed == 2 and monitor.counters.sent == 0
    assert len(fake.received) == 2 * 4  # each of the two requests: 1 try + 3 retries
    assert "HTTP 500: database is on fire" in caplog.text


@pytest.mark.sends_invalid_values
def test_a_400_is_not_retried_and_names_the_field_in_the_log(exporter, sent_requests, caplog):
    caplog.set_level(logging.ERROR, logger="modelwatch")
    with modelwatch.Monitor("py_bad_400", "v1", url=exporter.url, token=exporter.token, **FAST) as monitor:
        # a negative Unix time passes the client's conversion; the exporter refuses it
        monitor.log_prediction(event(1), 1, timestamp=-5)
        assert monitor.flush(10)
        assert monitor.counters == modelwatch.Counters(sent=0, dropped=0, failed=1, invalid=0, pending=0)
    assert [p for _, p, _ in sent_requests] == ["/api/v1/predictions"]  # one try, no retry
    assert "exporter refused 1 prediction events (/api/v1/predictions 400, not retried)" in caplog.text
    assert "events[0].timestamp" in caplog.text and "from 0 to 1e11" in caplog.text


@pytest.mark.sends_invalid_values
def test_one_refused_event_does_not_lose_the_rest_of_its_batch(exporter, sent_requests, caplog):
    with modelwatch.Monitor("py_bad_partial", "v1", url=exporter.url, token=exporter.token, batch_size=3, **ONE_BATCH) as monitor:
        monitor.log_prediction(event(1), 1, id="ok-1")
        monitor.log_prediction(event(2), 1, id="bad", timestamp=-1)
        monitor.log_prediction(event(3), 0, id="ok-2")
        assert monitor.flush(10)
        assert monitor.counters == modelwatch.Counters(sent=2, dropped=0, failed=1, invalid=0, pending=0)
    assert [len(b["events"]) for _, _, b in sent_requests] == [3, 2]
    assert exporter.value("modelwatch_predictions_total", model="py_bad_partial", version="v1") == 2
    assert "events[1].timestamp" in caplog.text


def test_a_bad_token_is_not_retried_and_is_logged(exporter, sent_requests, caplog):
    with modelwatch.Monitor("py_bad_token", "v1", url=exporter.url, token="not-a-valid-token-at-all", **FAST) as monitor:
        monitor.log_prediction(event(1), 1)
        assert monitor.flush(10)
        assert monitor.counters.failed == 1
    assert len(sent_requests) == 1
    assert "401" in caplog.text and "token" in caplog.text


def test_a_slow_exporter_does_not_slow_the_caller():
    delay = 2.0
    with FakeExporter(delay=delay) as fake:
        monitor = modelwatch.Monitor("m", "v1", url=fake.url, token="t" * 20, batch_size=100, flush_interval=0.01, atexit_timeout=None)
        costs = []
        start = time.perf_counter()
        for i in range(2000):
            t0 = time.perf_counter_ns()
            monitor.log_prediction({"x": float(i), "y": i % 7, "plan": "basic"}, i % 2, score=0.25, latency_ms=3.0)
            costs.append(time.perf_counter_ns() - t0)
        caller_total = time.perf_counter() - start
        deadline = time.monotonic() + delay
        while not fake.received and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.received, "the background thread is sending meanwhile"
        monitor.close(timeout=0)
    # generous bounds (a loaded CI machine): the cost per event is microseconds, and logging
    # all 2000 events took less than one round trip to the slow exporter
    assert statistics.median(costs) < 1_000_000  # ns: 1 ms
    assert caller_total < delay
