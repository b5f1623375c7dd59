"""examples/python/prediction_service.py serves predictions through the client; its labels
arrive later; the exporter's accuracy matches the service's own answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score

from conftest import REPO, free_port

SERVICE = REPO / "examples" / "python" / "prediction_service.py"


def post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def test_the_example_service_reports_predictions_and_labels(exporter):
    port = free_port()
    env = dict(os.environ, MODELWATCH_URL=exporter.url, MODELWATCH_TOKEN=exporter.token, PORT=str(port), MODEL_VERSION="example")
    proc = subprocess.Popen([sys.executable, str(SERVICE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("listening on"):
                break
        else:
            pytest.fail("service did not start:\n" + "".join(lines))
        data = load_breast_cancer(as_frame=True)
        X = data.data.rename(columns=lambda c: c.replace(" ", "_"))
        rows = range(0, len(X), 7)  # 82 requests
        answers = [post(f"http://127.0.0.1:{port}/predict", {"id": f"r{i}", "features": X.iloc[i].to_dict()}) for i in rows]
        for i in rows:
            post(f"http://127.0.0.1:{port}/feedback", {"id": f"r{i}", "label": int(data.target.iloc[i])})
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Counters(sent=164, dropped=0, failed=0, invalid=0, pending=0)" in out
    labels = dict(model="breast_cancer_classifier", version="example")
    assert exporter.value("modelwatch_predictions_total", **labels) == len(answers)
    want = accuracy_score([data.target.iloc[i] for i in rows], [a["prediction"] for a in answers])
    assert exporter.value("modelwatch_model_accuracy_ratio", **labels) == pytest.approx(want, abs=1e-12)
    assert exporter.value("modelwatch_feature_psi", feature="mean_radius", **labels) >= 0
