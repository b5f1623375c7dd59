"""The README's Python snippet runs as written against a real exporter."""

from __future__ import annotations

import re

import pandas as pd

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
