"""Real data for the label-free estimate: scikit-learn's bundled digits dataset (1,797 8x8 images).

Called by generate.py (key 'cbpeReal'). A logistic regression predicts "digit >= 5"; it is trained
on 500 images, its reference (labels and scores, from which the exporter fits the calibration) is
600 held-out images, and the remaining 697 images are live traffic. Windows of live traffic:
- covariate shift: rows selected by a pixel's value (P(x) changes, P(y | x) does not);
- concept shift: the same rows, with the labels flipped where another pixel is set (P(y | x)
  changes): the estimate, which only sees scores, cannot notice.
The estimate is recomputed here with sklearn's IsotonicRegression, as the exporter defines it.
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

FEATURES = [20, 25, 42]


def real_data_case():
    X, digit = load_digits(return_X_y=True)
    y = (digit >= 5).astype(int)
    idx = np.random.default_rng(17).permutation(len(y))
    train, ref, live = idx[:500], idx[500:1100], idx[1100:]
    model = LogisticRegression(max_iter=5000, C=0.001).fit(X[train], y[train])
    score = model.predict_proba(X)[:, 1]
    iso = IsotonicRegression(out_of_bounds='clip').fit(score[ref], y[ref])

    def features(rows):
        return {f'pixel_{f}': X[rows, f].tolist() for f in FEATURES}

    def window(name, kind, rows, labels):
        pred = (score[rows] >= 0.5).astype(int)
        p = iso.predict(score[rows])
        q = np.where(pred == 1, p, 1 - p)
        half = 1.959963984540054 * np.sqrt(np.sum(q * (1 - q))) / len(q)
        return {
            'band': [max(0.0, float(q.mean() - half)), min(1.0, float(q.mean() + half))],
            'name': name,
            'kind': kind,
            'ids': [int(i) for i in rows],
            'features': features(rows),
            'scores': score[rows].tolist(),
            'predictions': [str(v) for v in pred],
            'labels': [str(v) for v in labels],
            'estimatedAccuracy': float(q.mean()),
            'rawConfidence': float(np.mean(np.where(pred == 1, score[rows], 1 - score[rows]))),
            'realizedAccuracy': float(np.mean(pred == labels)),
        }

    dark = live[X[live, 20] > 3]
    bright = live[X[live, 25] > 0]
    flipped = y[dark].copy()
    region = X[dark, 42] > 0
    flipped[region] = 1 - flipped[region]
    return {
        'reference': {'features': features(ref), 'labels': [str(v) for v in y[ref]], 'score': score[ref].tolist()},
        'windows': [
            window('all-live', 'covariate', live, y[live]),
            window('pixel20-high', 'covariate', dark, y[dark]),
            window('pixel25-high', 'covariate', bright, y[bright]),
            window('pixel20-high-concept', 'concept', dark, flipped),
        ],
    }
