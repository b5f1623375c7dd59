#!/usr/bin/python3
"""A small scikit-learn prediction service that reports to modelwatch through the Python client.

    POST /predict   {"id": "req-1", "features": {"mean_radius": 14.1, ...}}
                    → {"id": "req-1", "prediction": 1, "score": 0.97}
    POST /feedback  {"id": "req-1", "label": 1}          (the truth, when it is known)

It trains a logistic regression on scikit-learn's bundled breast-cancer dataset at start,
uploads the training sample as the reference drift is measured against, and logs every
prediction in the background (``@monitor.track``: two lines). Environment: ``MODELWATCH_URL``,
``MODELWATCH_TOKEN`` (ingest role), ``PORT`` (default 8080), ``MODEL_VERSION`` (default v1).
Stop it with SIGTERM or Ctrl-C: queued events are sent before it exits.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

try:
    import modelwatch
except ImportError:  # run from a checkout without `pip install ./clients/python`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python" / "src"))
    import modelwatch

MODEL = "breast_cancer_classifier"


def train():
    data = load_breast_cancer(as_frame=True)
    X = data.data.rename(columns=lambda c: c.replace(" ", "_"))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, data.target)
    return model, X


model, X_train = train()
FEATURES = list(X_train.columns)
monitor = modelwatch.Monitor(MODEL, os.environ.get("MODEL_VERSION", "v1"))


@monitor.track(id=lambda request: request["id"], features=lambda request: request["features"])
def predict(request: dict) -> dict:
    row = pd.DataFrame([request["features"]], columns=FEATURES)
    score = float(model.predict_proba(row)[0, 1])
    return {"id": request["id"], "prediction": int(score >= 0.5), "score": score}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/predict":
            self.reply(200, predict(body))
        elif self.path == "/feedback":
            monitor.log_label(body["id"], body["label"])
            self.reply(202, {"id": body["id"]})
        else:
            self.reply(404, {"error": f"no route {self.path}"})

    def reply(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    profile = monitor.upload_reference(X_train, model.predict(X_train))
    print(f"reference: {len(profile['features'])} features", flush=True)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # SystemExit ends serve_forever
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        monitor.close(timeout=10)  # what is queued goes out before the process ends
        print(f"modelwatch: {monitor.counters}", flush=True)


if __name__ == "__main__":
    main()
