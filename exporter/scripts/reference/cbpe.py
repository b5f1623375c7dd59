"""Reference values for the label-free performance estimate (exporter/src/stats/estimated-metrics.ts).

Called by generate.py (key 'cbpe'). Calibration is sklearn's IsotonicRegression(out_of_bounds='clip');
the estimate is NannyML's confidence-based performance estimation (CBPE) written out in NumPy:
calibrated probabilities give the expected confusion matrix, metrics are computed on it, and the
estimated ROC AUC is the area under the expected ROC curve. Nothing here imports the TypeScript side.
"""
import numpy as np
from sklearn import metrics
from sklearn.isotonic import IsotonicRegression

Z95 = 1.959963984540054
ECE_BINS = 10


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def ece(y, p):
    """Sum over 10 bins of width 0.1 of |sum(y - p)|, divided by n (bin = min(floor(10p), 9))."""
    b = np.minimum(np.floor(p * ECE_BINS).astype(int), ECE_BINS - 1)
    gaps = np.bincount(b, weights=y - p, minlength=ECE_BINS)
    return float(np.sum(np.abs(gaps)) / len(y))


def expected_auc(p):
    """Area under the expected ROC curve: thresholds at the distinct calibrated probabilities
    (descending), expected TP/FP the cumulative sums of p and 1 - p (NannyML's estimate)."""
    order = np.argsort(-p, kind='stable')
    ps = p[order]
    distinct = np.r_[np.diff(ps) != 0, True]
    tp = np.cumsum(ps)[distinct]
    fp = np.cumsum(1 - ps)[distinct]
    tpr = np.r_[0, tp / tp[-1]]
    fpr = np.r_[0, fp / fp[-1]]
    curve = metrics.auc(fpr, tpr)
    # The same quantity as a sum over pairs, to check the curve means what the docs say.
    gt = p[:, None] > p[None, :]
    eq = p[:, None] == p[None, :]
    pairs = float(np.sum(p[:, None] * (1 - p[None, :]) * (gt + 0.5 * eq)) / (p.sum() * (1 - p).sum()))
    assert abs(curve - pairs) < 1e-9, (curve, pairs)
    return float(curve)


def confusion_metrics(E):
    """E[t, p]: expected events of true class t predicted p. One-vs-rest per class, zero_division=0."""
    tp = np.diag(E)
    predicted = E.sum(axis=0)
    actual = E.sum(axis=1)
    precision = np.where(predicted > 0, tp / np.where(predicted > 0, predicted, 1), 0)
    recall = np.where(actual > 0, tp / np.where(actual > 0, actual, 1), 0)
    f1 = np.where(predicted + actual > 0, 2 * tp / np.where(predicted + actual > 0, predicted + actual, 1), 0)
    return precision, recall, f1


def band(q, accuracy):
    half = Z95 * np.sqrt(np.sum(q * (1 - q))) / len(q)
    return max(0.0, accuracy - half), min(1.0, accuracy + half)


def binary_estimate(iso, scores, pred):
    p = iso.predict(scores)
    E = np.zeros((2, 2))
    for col in (0, 1):
        m = pred == col
        E[1, col] = p[m].sum()
        E[0, col] = (1 - p[m]).sum()
    accuracy = float(np.trace(E) / len(p))
    q = np.where(pred == 1, p, 1 - p)
    lo, hi = band(q, accuracy)
    precision, recall, f1 = confusion_metrics(E)
    out = {'count': len(p), 'accuracy': accuracy, 'accuracyLower': lo, 'accuracyUpper': hi,
           'precision': float(precision[1]), 'recall': float(recall[1]), 'f1': float(f1[1])}
    out['rocAuc'] = expected_auc(p) if 0 < p.sum() < len(p) else None
    return out


def binary_case(rng):
    """Raw scores are over-confident: the true P(y=1 | s) is sigmoid(0.5 * logit(s) + 0.3)."""
    def draw(n):
        s = sigmoid(rng.normal(0, 2.5, n))
        y = (rng.random(n) < sigmoid(0.5 * np.log(s / (1 - s)) + 0.3)).astype(int)
        return s, y

    s_ref, y_ref = draw(100000)
    iso = IsotonicRegression(out_of_bounds='clip').fit(s_ref, y_ref)
    windows = []
    for _ in range(200):
        s, y = draw(500)
        pred = (s >= 0.5).astype(int)
        est = binary_estimate(iso, s, pred)
        est['realizedAccuracy'] = metrics.accuracy_score(y, pred)
        windows.append({'scores': s.tolist(), 'predictions': pred.tolist(), 'expected': est})
    cal = iso.predict(s_ref)
    return {
        'reference': {'labels': [str(v) for v in y_ref], 'scores': s_ref.tolist()},
        'thresholds': {'x': iso.X_thresholds_.tolist(), 'y': iso.y_thresholds_.tolist()},
        'eceBefore': ece(y_ref, s_ref),
        'eceAfter': ece(y_ref, cal),
        'windows': windows,
    }


def multiclass_calibrate(isos, raw):
    cal = np.column_stack([iso.predict(raw[:, j]) for j, iso in enumerate(isos)])
    sums = cal.sum(axis=1, keepdims=True)
    k = raw.shape[1]
    return np.where(sums > 0, cal / np.where(sums > 0, sums, 1), 1 / k)


def multiclass_case(rng):
    """Three classes; the model's softmax is too sharp (temperature 0.5) against the truth."""
    names = ['a', 'b', 'c']
    centers = np.array([[1.5, 0, 0], [0, 1.5, 0], [0, 0, 1.5]])

    def draw(n, prior):
        y = rng.choice(3, size=n, p=prior)
        logits = centers[y] + rng.normal(0, 1.3, (n, 3))
        true = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        y = np.array([rng.choice(3, p=row) for row in true])
        sharp = np.exp(2 * logits) / np.exp(2 * logits).sum(axis=1, keepdims=True)
        return sharp, y

    raw_ref, y_ref = draw(30000, [0.5, 0.3, 0.2])
    isos = [IsotonicRegression(out_of_bounds='clip').fit(raw_ref[:, j], (y_ref == j).astype(int)) for j in range(3)]
    cal_ref = multiclass_calibrate(isos, raw_ref)
    windows = []
    for _ in range(60):
        raw, y = draw(600, [0.5, 0.3, 0.2])
        pred = raw.argmax(axis=1)
        q = multiclass_calibrate(isos, raw)
        E = np.zeros((3, 3))
        for c in range(3):
            E[:, c] = q[pred == c].sum(axis=0)
        accuracy = float(np.trace(E) / len(y))
        lo, hi = band(q[np.arange(len(y)), pred], accuracy)
        precision, recall, f1 = confusion_metrics(E)
        windows.append({
            'scores': [{names[j]: float(r[j]) for j in range(3)} for r in raw],
            'predictions': [names[c] for c in pred],
            'expected': {
                'count': len(y), 'accuracy': accuracy, 'accuracyLower': lo, 'accuracyUpper': hi,
                'perClass': {names[c]: {'precision': float(precision[c]), 'recall': float(recall[c]), 'f1': float(f1[c])} for c in range(3)},
                'macro': {'precision': float(precision.mean()), 'recall': float(recall.mean()), 'f1': float(f1.mean())},
                'realizedAccuracy': metrics.accuracy_score(y, pred),
            },
        })
    return {
        'reference': {'labels': [names[c] for c in y_ref], 'scores': [{names[j]: float(r[j]) for j in range(3)} for r in raw_ref]},
        'thresholds': [{'x': i.X_thresholds_.tolist(), 'y': i.y_thresholds_.tolist()} for i in isos],
        'eceBefore': float(np.mean([ece((y_ref == j).astype(float), raw_ref[:, j]) for j in range(3)])),
        'eceAfter': float(np.mean([ece((y_ref == j).astype(float), cal_ref[:, j]) for j in range(3)])),
        'windows': windows,
    }


def isotonic_sweep(rng):
    """Isotonic fits with ties, constant runs and duplicates, against sklearn's thresholds and predictions."""
    out = []
    for i in range(12):
        n = int(rng.integers(1, 300))
        x = np.round(rng.random(n), int(rng.integers(1, 4)))
        y = (rng.random(n) < x).astype(float) if i % 2 == 0 else rng.normal(x, 0.3)
        iso = IsotonicRegression(out_of_bounds='clip').fit(x, y)
        probe = np.r_[-0.5, 1.5, x, rng.random(50)]
        out.append({'x': x.tolist(), 'y': y.tolist(), 'thresholdsX': iso.X_thresholds_.tolist(),
                    'thresholdsY': iso.y_thresholds_.tolist(), 'probe': probe.tolist(), 'predicted': iso.predict(probe).tolist()})
    return out


def cbpe_cases():
    rng = np.random.default_rng(20261130)
    return {'binary': binary_case(rng), 'multiclass': multiclass_case(rng), 'isotonic': isotonic_sweep(rng)}
