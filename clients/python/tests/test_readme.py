"""The README's Python snippet runs as written against a real exporter."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import REPO


def section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_the_readme_python_snippet_logs_through_the_client(exporter, monkeypatch):
    text = section((REPO / "README.md").read_text(), "Sending events from a model server")
    assert "pip install ./clients/python" in text
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    monkeypatch.setenv("MODELWATCH_URL", exporter.url)
    monkeypatch.setenv("MODELWATCH_TOKEN", exporter.token)
    scope = {"pd": pd, "model": None}  # the snippet defines predict() but does not call it
    exec(compile(code, "README.md", "exec"), scope)
    monitor = scope["monitor"]
    try:
        assert monitor.flush(10)
        assert monitor.counters.sent == 2 and monitor.counters.failed == 0
    finally:
        monitor.close()
    assert exporter.value("modelwatch_predictions_total", model="churn_classifier", version="v3") == 1
    assert exporter.value("modelwatch_feedback_total", model="churn_classifier", version="v3", outcome="joined") == 1


@pytest.mark.sends_invalid_values
def test_case_23_numpy_int64_and_nan_features_through_the_readme_client(exporter, monkeypatch, caplog):
    """cases/turn2.md #23: the old snippet failed on a numpy int64 (not JSON serializable),
    got the whole batch refused for one NaN, and hid the 400's body."""
    import numpy as np

    import modelwatch

    monkeypatch.setenv("MODELWATCH_URL", exporter.url)
    monkeypatch.setenv("MODELWATCH_TOKEN", exporter.token)
    with modelwatch.Monitor("py_case_23", "v3", atexit_timeout=None) as monitor:
        monitor.log_prediction({"tenure_months": np.int64(12), "income": float("nan")}, np.int64(1), score=np.float64(0.82))
        monitor.log_prediction({"tenure_months": np.int64(3), "income": 1200.0}, np.int64(0), score=0.1)
        monitor.log_prediction({"tenure_months": 1}, 1, score=0.5, id="x" * 300)  # refused by the exporter: id too long
        assert monitor.flush(10)
        assert monitor.counters == modelwatch.Counters(sent=2, dropped=0, failed=1, invalid=0, pending=0)
    assert exporter.value("modelwatch_predictions_total", model="py_case_23", version="v3") == 2
    assert "events[2].id" in caplog.text  # the 400's body reaches the log
