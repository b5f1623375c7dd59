"""A scikit-learn model serves predictions through the client; labels arrive later; the
exporter's /metrics must agree with sklearn/numpy computed on the same data (DESIGN.md,
"Statistics": ROC AUC within 0.005 of roc_auc_score; PSI over the reference's deciles)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import modelwatch

PSI_FLOOR = 1e-4


def reference_psi(ref: np.ndarray, cur: np.ndarray) -> float:
    """DESIGN.md's PSI, as exporter/scripts/reference/generate.py computes it: bins (a, b]
    cut at the reference's deciles (numpy's linear quantiles, equal edges merged), outer bins
    open, proportions floored at 1e-4, PSI = Σ (cur − ref)·ln(cur/ref)."""
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
    rp = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1) / len(ref)
    cp = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1) / len(cur)
    rp, cp = np.maximum(rp, PSI_FLOOR), np.maximum(cp, PSI_FLOOR)
    return float(np.sum((cp - rp) * np.log(cp / rp)))


@pytest.fixture(scope="module")
def served():
    data = load_breast_cancer(as_frame=True)
    X = data.data.rename(columns=lambda c: c.replace(" ", "_"))
    y = data.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=7, stratify=y)
    # a shifted feature in serving, so that one PSI is far from zero
    X_test = X_test.assign(mean_radius=X_test["mean_radius"] * 1.15)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    return model, X_train, X_test, y_test


def test_accuracy_auc_and_psi_match_sklearn(exporter, served):
    model, X_train, X_test, y_test = served
    with modelwatch.Monitor(
        "py_breast_cancer", "v1", url=exporter.url, token=exporter.token, batch_size=64, flush_interval=0.05, strict=True
    ) as monitor:
        monitor.upload_reference(X_train, model.predict(X_train))
        ids = []
        for i in range(len(X_test)):
            row = X_test.iloc[i]  # a pandas Series of numpy floats
            proba = model.predict_proba(X_test.iloc[[i]])[0]
            ids.append(monitor.log_prediction(row, model.predict(X_test.iloc[[i]])[0], score=proba[1], latency_ms=1.5))
        assert monitor.flush(30)
        # the truth arrives later, as numpy integers
        for event_id, truth in zip(ids, y_test.to_numpy()):
            monitor.log_label(event_id, truth)
        assert monitor.flush(30)
        counters = monitor.counters
    assert counters == modelwatch.Counters(sent=2 * len(X_test), dropped=0, failed=0, invalid=0, pending=0)

    labels = dict(model="py_breast_cancer", version="v1")
    pred = model.predict(X_test)
    proba = model.predict_proba(X_test)[:, 1]
    assert exporter.value("modelwatch_predictions_total", **labels) == len(X_test)
    assert exporter.value("modelwatch_model_accuracy_ratio", **labels) == pytest.approx(accuracy_score(y_test, pred), abs=1e-12)
    assert exporter.value("modelwatch_model_roc_auc", **labels) == pytest.approx(roc_auc_score(y_test, proba), abs=0.005)

    checked = 0
    for feature in ["mean_radius", "mean_texture", "worst_area", "mean_smoothness"]:
        want = reference_psi(X_train[feature].to_numpy(), X_test[feature].to_numpy())
        got = exporter.value("modelwatch_feature_psi", feature=feature, **labels)
        assert got == pytest.approx(want, rel=1e-6, abs=1e-9), feature
        checked += 1
    assert exporter.value("modelwatch_feature_psi", feature="mean_radius", **labels) > 0.25  # the shifted one
    assert checked == 4


def test_a_dataframe_reference_with_missing_values(exporter):
    frame = pd.DataFrame({"age": [30.0, np.nan, 41.0, None], "plan": ["basic", None, "pro", "basic"]})
    with modelwatch.Monitor("py_reference_nan", "v1", url=exporter.url, token=exporter.token, atexit_timeout=None) as monitor:
        profile = monitor.upload_reference(frame, np.array([1, 0, 1, 1]))
    # count: present values; NaN and None both arrive as missing
    assert profile["features"]["age"] == {"kind": "numeric", "count": 2, "missing": 2}
    assert profile["features"]["plan"] == {"kind": "categorical", "count": 3, "missing": 1}


def test_yes_no_labels_need_and_use_positive_class(exporter, served):
    """Issue 11 §2: a binary score over "yes"/"no" is P(positive_class); without it the exporter
    refuses the batch (counted as failed), with it AUC and log loss are sklearn's for pos_label."""
    from sklearn.metrics import log_loss

    model, _, X_test, y_test = served
    names = np.where(y_test.to_numpy() == 1, "yes", "no")
    proba = model.predict_proba(X_test)[:, 1]
    pred = np.where(proba >= 0.5, "yes", "no")

    def send(monitor):
        for i in range(len(X_test)):
            monitor.log_prediction({"x": float(i)}, pred[i], score=float(proba[i]), label=names[i])
        assert monitor.flush(30)
        return monitor.counters

    with modelwatch.Monitor("py_yes_no", "v1", url=exporter.url, token=exporter.token, batch_size=500, max_retries=0) as monitor:
        counters = send(monitor)
    assert counters.failed == len(X_test) and counters.sent == 0
    assert not any(n == "modelwatch_predictions_total" and ("model", "py_yes_no") in ls for n, ls in exporter.metrics())

    with modelwatch.Monitor(
        "py_yes_no", "v1", url=exporter.url, token=exporter.token, batch_size=500, positive_class="yes", strict=True
    ) as monitor:
        counters = send(monitor)
    assert counters.sent == len(X_test) and counters.failed == 0
    labels = dict(model="py_yes_no", version="v1")
    y = (names == "yes").astype(int)
    assert exporter.value("modelwatch_model_roc_auc", **labels) == pytest.approx(roc_auc_score(y, proba), abs=0.005)
    assert exporter.value("modelwatch_model_log_loss", **labels) == pytest.approx(log_loss(y, proba), rel=1e-9)
