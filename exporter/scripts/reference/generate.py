#!/usr/bin/python3
"""Reference values for exporter/src/stats, computed with scikit-learn, SciPy and NumPy.

Generates seeded datasets and what sklearn/scipy say about them, as JSON (to the path given
as the first argument, or stdout). The vitest suites in exporter/test/stats feed the same
events to the TypeScript states and compare. Run with Debian's /usr/bin/python3
(python3-sklearn, python3-scipy).

Conventions shared with the TypeScript side (see the doc comments there):
- PSI bins are (a, b]: numpy.searchsorted(psi_edges, x, side='left'); cut points are
  numpy.quantile(ref, k/10) with the default 'linear' method, equal ones merged.
- Categorical frequencies are over the reference profile's categories (top max_categories,
  tail folded into '__other__'; when the reference has a tail, window values outside its
  categories count as '__other__'), plus unseen window categories.
"""
import json
import math
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

from cbpe import cbpe_cases
from cbpe_real import real_data_case

RNG = np.random.default_rng(20240611)
PSI_FLOOR = 1e-4
# sklearn >= 1.2 clips log-loss probabilities at the float64 machine epsilon (eps='auto').
EPS = 'auto'


def floats(a):
    return [None if v is None else float(v) for v in a]


def with_missing(values, share):
    """Values as a list, a `share` of them replaced by None."""
    out = [float(v) for v in values]
    for i in np.nonzero(RNG.random(len(out)) < share)[0]:
        out[i] = None
    return out


# ---------------------------------------------------------------- classification

def class_metrics(y_true, y_pred, names):
    labels = sklearn.utils.multiclass.unique_labels(y_true, y_pred)
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None, zero_division=0)
    per_class = {names[int(c)]: {'precision': p[i], 'recall': r[i], 'f1': f[i], 'support': int(s[i])} for i, c in enumerate(labels)}
    out = {'accuracy': metrics.accuracy_score(y_true, y_pred), 'perClass': per_class}
    for avg in ('macro', 'weighted'):
        p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average=avg, zero_division=0)
        out[avg] = {'precision': p, 'recall': r, 'f1': f}
    return out


def auc_reference(y, probs, k):
    """Binary: AUC of class 1's probability. Multiclass: mean one-vs-rest AUC over classes with
    at least one positive and one negative (sklearn raises for the others; we skip them)."""
    if len(y) == 0:
        return None
    if k == 2:
        return metrics.roc_auc_score(y == 1, probs[:, 1]) if 0 < np.sum(y == 1) < len(y) else None
    aucs = [metrics.roc_auc_score(y == c, probs[:, c]) for c in range(k) if 0 < np.sum(y == c) < len(y)]
    return float(np.mean(aucs)) if aucs else None


def classification_case(name, names, y_true, y_pred, probs, scored):
    """probs: (n, k) rows summing to 1; scored: which events carry them."""
    k = len(names)
    ref = class_metrics(y_true, y_pred, names)
    ys, ps = y_true[scored], probs[scored]
    ref['rocAuc'] = auc_reference(ys, ps, k)
    if len(ys) > 0:
        ref['logLoss'] = metrics.log_loss(ys, ps, labels=list(range(k)), eps=EPS)
    else:
        ref['logLoss'] = None
    if k > 2 and len(ys) > 0 and len(np.unique(ys)) == k:
        ref['sklearnOvrMacro'] = metrics.roc_auc_score(ys, ps, multi_class='ovr', average='macro', labels=list(range(k)))
    events = [
        {'t': int(t), 'p': int(p), 'probs': [float(x) for x in pr] if sc else None}
        for t, p, pr, sc in zip(y_true, y_pred, probs, scored)
    ]
    return {'name': name, 'classNames': names, 'events': events, 'expected': ref}


def normalise(p):
    return p / p.sum(axis=1, keepdims=True)


def binary_balanced():
    n = 3000
    y = (RNG.random(n) < 0.5).astype(int)
    logit = RNG.normal(0, 1.5, n) + 1.8 * (2 * y - 1) * 0.6
    s = 1 / (1 + np.exp(-logit))
    probs = np.column_stack([1 - s, s])
    return classification_case('binary_balanced', ['neg', 'pos'], y, (s >= 0.5).astype(int), probs, np.ones(n, bool))


def binary_skewed():
    # Rare positives (~1%) and scores crowded near 0: negatives Beta(0.5, 20).
    n = 30000
    y = (RNG.random(n) < 0.01).astype(int)
    s = np.where(y == 1, RNG.beta(1.2, 12, n), RNG.beta(0.5, 20, n))
    probs = np.column_stack([1 - s, s])
    return classification_case('binary_skewed', ['ok', 'fraud'], y, (s >= 0.1).astype(int), probs, np.ones(n, bool))


def multiclass_full():
    n, k = 4000, 4
    y = RNG.integers(0, k, n)
    alpha = np.ones((n, k)) + 2.5 * np.eye(k)[y]
    probs = normalise(RNG.gamma(alpha))
    pred = np.argmax(probs, axis=1)
    return classification_case('multiclass_full', ['a', 'b', 'c', 'd'], y, pred, probs, np.ones(n, bool))


def multiclass_partial():
    # Classes 0-2 occur as truth; 3 is only ever predicted; 4 exists only in the scores.
    # A fifth of the events carry no probabilities.
    n, k = 3000, 5
    y = RNG.integers(0, 3, n)
    alpha = np.ones((n, k)) + 2 * np.eye(k)[y]
    probs = normalise(RNG.gamma(alpha))
    pred = np.argmax(probs[:, :4], axis=1)
    wrong = RNG.random(n) < 0.05
    pred[wrong] = 3
    scored = RNG.random(n) >= 0.2
    return classification_case('multiclass_partial', ['cat', 'dog', 'bird', 'fish', 'frog'], y, pred, probs, scored)


def single_class():
    n = 200
    y = np.zeros(n, int)
    s = RNG.random(n)
    probs = np.column_stack([1 - s, s])
    return classification_case('single_class', ['only', 'never'], y, y.copy(), probs, np.ones(n, bool))


def auc_sweep():
    """Binary score sets of varied shapes, for the histogram AUC's worst observed error."""
    out = []
    for i in range(24):
        n = int(RNG.integers(500, 4000))
        prevalence = [0.5, 0.2, 0.05, 0.01][i % 4]
        y = (RNG.random(n) < prevalence).astype(int)
        y[0], y[1] = 0, 1
        shape = i % 6
        if shape == 0:  # logit-normal, moderate separation
            s = 1 / (1 + np.exp(-(RNG.normal(0, 1, n) + y * RNG.uniform(0.2, 2))))
        elif shape == 1:  # near-random classifier, heavy overlap
            s = 1 / (1 + np.exp(-(RNG.normal(0, 0.3, n) + y * 0.05)))
        elif shape == 2:  # skewed scores near 0
            s = np.where(y == 1, RNG.beta(0.8, 10, n), RNG.beta(0.5, 20, n))
        elif shape == 3:  # very confident model: logits spread widely
            s = 1 / (1 + np.exp(-(RNG.normal(0, 6, n) + y * 6)))
        elif shape == 4:  # scores rounded to 2 decimals: many exact ties
            s = np.round(1 / (1 + np.exp(-(RNG.normal(0, 1, n) + y))), 2)
        else:  # scores near 1
            s = 1 - np.where(y == 1, RNG.beta(0.5, 30, n), RNG.beta(0.7, 8, n))
        out.append({'y': y.tolist(), 'scores': s.tolist(), 'auc': metrics.roc_auc_score(y, s)})
    return out


def float32_sigmoid(x):
    """The logistic function as float32 frameworks compute it (the stable form): scores saturate
    to exactly 1.0 above logit ~17 and, below logit ~-87, underflow to denormals and then to 0."""
    x = np.asarray(x, np.float32)
    with np.errstate(over='ignore', under='ignore'):
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, np.float32(1) / (np.float32(1) + e), e / (np.float32(1) + e)).astype(np.float32)
    return s.astype(np.float64)


def extreme_scores():
    """Issue 11 §4, last member: scores within ~1.1e-7 of 0 or 1 (|logit| > 16), float64 and
    float32, with exact 0 and exact 1 (ties, as sklearn scores them) and rare positives. The
    first three are the outside attacker's distributions."""
    rng = np.random.default_rng(20261201)
    out = []

    def case(name, y, s):
        y = np.asarray(y).astype(int)
        y[0], y[1] = 0, 1
        s = np.asarray(s, np.float64)
        assert np.all((s >= 0) & (s <= 1))
        out.append({'name': name, 'y': y.tolist(), 'scores': s.tolist(), 'auc': metrics.roc_auc_score(y, s),
                    'zeros': int(np.sum(s == 0)), 'ones': int(np.sum(s == 1))})

    n = 4000
    # Attacker: scores 1 - 10^-u, u spread from 8 to 12.8 (positives a little closer to 1).
    y = rng.random(n) < 0.3
    case('one_minus_1e-u_8_12.8', y, 1 - 10.0 ** -(8 + 4.8 * rng.beta(1 + 1.2 * y, 1.3)))
    # Attacker: scores 10^-u, u spread from 8 to 15 (positives a little further from 0).
    y = rng.random(n) < 0.3
    case('1e-u_8_15', y, 10.0 ** -(8 + 7 * rng.beta(1.3, 1 + 0.8 * y)))
    # Attacker: a confident rare-event model, float32 sigmoid of logits N(-20 + 6y, 4^2).
    y = rng.random(n) < 0.05
    case('float32_sigmoid_rare', y, float32_sigmoid(rng.normal(-20 + 6 * y, 4)))
    # The same model in float64, with 1% positives.
    y = rng.random(n) < 0.01
    case('float64_sigmoid_rare_1pct', y, 1 / (1 + np.exp(-rng.normal(-24 + 7 * y, 5))))
    # 1 - 10^-u as float32: above u ~7.2 it rounds to exactly 1.0, below to a few distinct values.
    y = rng.random(n) < 0.3
    case('float32_one_minus_1e-u_5_10', y, (1 - 10.0 ** -(5 + 5 * rng.beta(1 + 0.8 * y, 1.3))).astype(np.float32))
    # float32 sigmoid of very wide logits: exact 0s, denormals and exact 1s.
    y = rng.random(n) < 0.2
    case('float32_sigmoid_wide', y, float32_sigmoid(rng.normal(-30 + 25 * y, 40)))
    # float64 near 1, saturating: logits N(25 + 6y, 6^2); exp(-x) below 2^-53 gives exactly 1.
    y = rng.random(n) < 0.5
    case('float64_sigmoid_near_1', y, 1 / (1 + np.exp(-rng.normal(25 + 6 * y, 6))))
    # Exact 0 and 1 mixed with scores spread in log scale at both ends (down to 1e-300), rare positives.
    y = rng.random(n) < 0.05
    kind = rng.integers(0, 5, n)
    u = rng.uniform(1, 300, n) ** np.where(y, 0.8, 1.0)
    s = np.select([kind == 0, kind == 1, kind == 2, kind == 3],
                  [np.where(rng.random(n) < 0.3 + 0.4 * y, 1.0, 0.0), 10.0 ** -u, 1 - 10.0 ** -np.minimum(u, 15.9),
                   rng.beta(1 + y, 2)], 0.0)
    case('exact_0_1_mixed_rare', y, s)
    return out


def band_sweep():
    """Case 5: scores in a narrow band (width 0.001-0.01) at several places in [0, 1], balanced
    and rare positives, positives shifted up within the band; plus real model outputs in a
    narrow band (a heavily regularised logistic regression predicts close to the prevalence)."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    rng = np.random.default_rng(20261130)
    out = []
    for center in (0.006, 0.25, 0.5, 0.9, 0.994):
        for width in (0.001, 0.003, 0.01):
            for prevalence in (0.5, 0.02):
                n = 4000
                y = (rng.random(n) < prevalence).astype(int)
                y[0], y[1] = 0, 1
                lo = center - width / 2
                u = rng.random(n)
                s = lo + width * np.where(y == 1, 0.25 + 0.75 * u, 0.75 * u)
                out.append({'name': f'band_{center}_{width}_{prevalence}', 'y': y.tolist(), 'scores': s.tolist(),
                            'auc': metrics.roc_auc_score(y, s)})
    for prevalence in (0.5, 0.05):
        X, y = make_classification(n_samples=6000, n_features=8, n_informative=4, weights=[1 - prevalence],
                                   random_state=int(prevalence * 100))
        model = LogisticRegression(C=1e-5).fit(X[:3000], y[:3000])
        s = model.predict_proba(X[3000:])[:, 1]
        out.append({'name': f'regularised_logreg_{prevalence}', 'y': y[3000:].tolist(), 'scores': s.tolist(),
                    'auc': metrics.roc_auc_score(y[3000:], s), 'width': float(s.max() - s.min())})
    return out


def band_outliers():
    """Scores in few places (fresh attackers' cases and their class): narrow bands with outlying
    scores, bands far apart, extreme magnitudes, a base-rate band with a confident tail. A grid
    spread over the scores' range put each band in few bins; the adaptive grid must keep each
    within 0.005 of sklearn, and the exported error bound must contain sklearn's value."""
    rng = np.random.default_rng(0)
    out = []
    n = 2000
    y = (rng.random(n) < 0.3).astype(int)
    band = 0.5 + 0.001 * rng.random(n) + 0.0005 * y
    for name, extra_s, extra_y in (('band_one_low_outlier', [0.01], [0]), ('band_one_high_outlier', [0.99], [1]),
                                   ('band_30_uniform', list(rng.random(30)), list((rng.random(30) < 0.3).astype(int)))):
        s = np.concatenate([band, extra_s])
        yy = np.concatenate([y, extra_y]).astype(int)
        out.append({'name': name, 'y': yy.tolist(), 'scores': s.tolist(), 'auc': metrics.roc_auc_score(yy, s)})

    def case(name, yy, s):
        out.append({'name': name, 'y': [int(v) for v in yy], 'scores': [float(v) for v in s], 'auc': metrics.roc_auc_score(yy, s)})

    # Two bands 0.001 wide, far apart (0.3 and 0.7), each with its own positives a little higher.
    y2 = (rng.random(n) < 0.4).astype(int)
    side = rng.random(n) < 0.5
    case('two_far_bands', y2, np.where(side, 0.3, 0.7) + 0.001 * rng.random(n) + 0.0004 * y2)
    # Positives in a band; half the negatives in it too, the other half spread over [0, 1].
    y3 = (rng.random(n) < 0.5).astype(int)
    spread = (y3 == 0) & (rng.random(n) < 0.5)
    case('band_half_negatives_spread', y3, np.where(spread, rng.random(n), 0.6 + 0.002 * rng.random(n) + 0.0005 * y3))
    # Naive-Bayes-like products: 10^(−300 + N(0, 3) + 4y), spread over ~20 decades near 1e-300.
    y4 = (rng.random(n) < 0.3).astype(int)
    case('tiny_powers', y4, 10.0 ** (-300 + rng.normal(0, 3, n) + 4 * y4))
    # A rare-event model: 2% positives, scores in a band around 0.01, 1% of events spread over [0, 1].
    m = 5000
    y5 = (rng.random(m) < 0.02).astype(int)
    s5 = 0.009 + 0.002 * rng.random(m) + 0.0006 * y5
    far = rng.random(m) < 0.01
    case('rare_event_band', y5, np.where(far, rng.random(m), s5))
    # float32 scores in a band 0.005 wide at 0.9 (a float32 model's outputs), with 20 outliers.
    y6 = (rng.random(n) < 0.7).astype(int)
    s6 = (0.9 + 0.004 * rng.random(n) + 0.001 * y6).astype(np.float32).astype(np.float64)
    s6[:20] = rng.random(20)
    case('float32_band_outliers', y6, s6)
    # An imbalanced model: 90% of 20,000 scores in a band 0.002 wide at the base rate (0.1), the
    # other 10% a confident tail over [0.3, 1] — more distinct scores there than one uniform
    # level can keep, so the band's own region's share carries it.
    m = 20000
    tail = rng.random(m) < 0.1
    y7 = (rng.random(m) < np.where(tail, 0.6, 0.08)).astype(int)
    case('base_rate_band_confident_tail', y7, np.where(tail, 0.3 + 0.7 * rng.random(m), 0.1 + 0.002 * rng.random(m) + 0.0006 * y7))
    return out


def band_spread_windows():
    """Issue 11 §4's remaining member: most scores in a narrow band whose own part of [0, 1]
    also holds a thousand or more distinct spread scores (a fresh attacker's cases: 95% in a band
    0.001 wide at 0.5 and 5% uniform was off by 0.074, bound 0.17). Traffic of one distribution
    over `intervals` bucket intervals of a window `window` intervals long; `auc` is sklearn's on
    the events of the last `window` intervals, `aucAt` on those of the window ending at each
    interval from `window - 1` on; `reference` is a labelled sample of the same distribution, as a
    reference upload would carry."""
    rng = np.random.default_rng(1130)
    window, intervals = 5, 12
    out = []

    def case(name, draw, n=4000):
        ref_y, ref_s = draw(4000)
        parts = [draw(n) for _ in range(intervals)]
        at = []
        for end in range(window - 1, intervals):
            yy = np.concatenate([p[0] for p in parts[end - window + 1:end + 1]])
            ss = np.concatenate([p[1] for p in parts[end - window + 1:end + 1]])
            at.append(metrics.roc_auc_score(yy, ss))
        out.append({'name': name, 'window': window,
                    'reference': {'y': [int(v) for v in ref_y], 'scores': [float(v) for v in ref_s]},
                    'intervals': [{'y': [int(v) for v in y], 'scores': [float(v) for v in s]} for y, s in parts],
                    'auc': at[-1], 'aucAt': at})

    def band(center, width, shift, spread, base=0.3):
        def draw(m):
            far = rng.random(m) < spread
            u = rng.random(m)
            y = np.where(far, rng.random(m) < u, rng.random(m) < base).astype(int)
            s = np.where(far, u, center - width / 2 + width * rng.random(m) * (1 - shift) + width * shift * y)
            return y, s
        return draw

    # The attacker's size: 50,000 events in the window.
    case('band_0.5_0.001_spread_5pct_50k', band(0.5, 0.001, 0.4, 0.05), n=10000)
    case('band_0.5_0.001_spread_5pct', band(0.5, 0.001, 0.4, 0.05))
    case('band_0.5_0.001_spread_2pct', band(0.5, 0.001, 0.4, 0.02))
    case('band_0.3_0.01_spread_5pct', band(0.3, 0.01, 0.3, 0.05))
    case('rare_band_0.01_spread_5pct', band(0.01, 0.002, 0.3, 0.05, base=0.02))
    case('band_0.9_0.005_spread_10pct', band(0.9, 0.005, 0.2, 0.10, base=0.7))
    return out


def float32_softmax_rows():
    """Class probabilities from a float32 softmax (a fresh attacker's case): confident rows
    saturate to exactly 1.0 while the other classes keep ~1e-9, so rows sum to 1 + ~1e-9.
    sklearn accepts them (np.allclose to 1) and ranks the raw columns, ties at 1.0 counted ½."""
    rng = np.random.default_rng(20261201)
    out = []

    def softmax32(z):
        z = z.astype(np.float32)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32).astype(np.float64)

    for k, n, margin, mistakes in ((3, 5000, 30.0, 0.2), (2, 10000, 10.0, 0.3), (4, 8000, 25.0, 0.05)):
        y = rng.integers(0, k, n)
        y[:k] = np.arange(k)
        pred = np.where(rng.random(n) < mistakes, (y + rng.integers(1, k, n)) % k, y)
        z = rng.normal(0, 1, (n, k))
        z[np.arange(n), pred] += margin * rng.uniform(0.5, 1.5, n)
        z[np.arange(n), y] += margin * 0.5 * rng.uniform(0.5, 1.5, n)  # the true class is the runner-up
        p = softmax32(z)
        assert np.allclose(1, p.sum(axis=1))
        auc = (metrics.roc_auc_score(y, p[:, 1]) if k == 2
               else metrics.roc_auc_score(y, p, multi_class='ovr', average='macro', labels=list(range(k))))
        out.append({'name': f'float32_softmax_{k}', 'k': k, 'saturated': int((p == 1.0).sum()),
                    'events': [{'t': int(t), 'probs': [float(v) for v in row]} for t, row in zip(y, p)], 'rocAuc': auc})
    return out


def log_loss_cases():
    """Cases 3 and 6: true-class probabilities of exactly 0 and 1 (clipped at float64 eps), and
    multiclass rows that do not sum to 1 (sklearn 1.2 renormalises them after clipping)."""
    out = []
    binary = [(1, [1.0, 0.0]), (0, [0.0, 1.0]), (1, [0.3, 0.7]), (0, [1.0, 0.0]), (1, [0.0, 1.0])]
    out.append({'name': 'binary_zero_and_one', 'k': 2, 'events': [{'t': t, 'probs': p} for t, p in binary],
                'logLoss': metrics.log_loss([t for t, _ in binary], [p for _, p in binary], labels=[0, 1], eps=EPS)})
    topic = [(0, [0.6, 0.6, 0.6]), (1, [0.1, 0.9, 0.5]), (2, [0.2, 0.2, 0.2]), (0, [0.9, 0.05, 0.05]),
             (1, [0.3, 0.3, 0.9]), (2, [0.1, 0.2, 0.3])]
    out.append({'name': 'case3_unnormalised', 'k': 3, 'events': [{'t': t, 'probs': p} for t, p in topic],
                'logLoss': metrics.log_loss([t for t, _ in topic], [p for _, p in topic], labels=[0, 1, 2], eps=EPS)})
    rng = np.random.default_rng(7)
    y = rng.integers(0, 4, 500)
    y[:5] = 0
    p = rng.gamma(np.ones((500, 4)) + 2 * np.eye(4)[y])
    p[:5, 0] = 0.0  # true-class probability exactly 0
    p = normalise(p) * rng.uniform(0.995, 1.005, (500, 1))  # rows within the 0.01 tolerance
    ev = [{'t': int(t), 'probs': [float(v) for v in row]} for t, row in zip(y, p)]
    out.append({'name': 'multiclass_within_tolerance', 'k': 4, 'events': ev,
                'logLoss': metrics.log_loss(y, p, labels=[0, 1, 2, 3], eps=EPS),
                'rocAuc': metrics.roc_auc_score(y, normalise(p), multi_class='ovr', average='macro', labels=[0, 1, 2, 3])})
    return out


def wilson_cases():
    """Wilson score interval at 95% (z = norm.ppf(0.975)), (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),
    as scipy.stats.binomtest(k, n).proportion_ci(method='wilson'): exactly 0 at k = 0 and 1 at k = n
    (0 of 3 and 77 of 77, where the formula's roundings leave 5.6e-17 and 0.9999999999999999)."""
    z = stats.norm.ppf(0.975)
    out = []
    for k, n in ((0, 1), (1, 1), (0, 2), (1, 2), (0, 3), (3, 3), (5, 10), (9, 10), (0, 50), (50, 50), (37, 50),
                 (77, 77), (0, 77), (960, 1000), (1, 1000), (123456, 200000), (3, 7), (54, 63), (280, 400),
                 (340, 400)):
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
        out.append({'correct': k, 'n': n, 'lo': float(ci.low), 'hi': float(ci.high)})
    return {'z': float(z), 'cases': out}


def ingest_cases():
    """Cases 2 and 4, as ingest sees them. Case 2: labels yes/no with a score, positive class
    'yes'. Case 4: 2,000 binary events (labels '0'/'1'), whatever order or batching."""
    churn = [('yes', 0.9, 'yes'), ('no', 0.1, 'no'), ('yes', 0.8, 'yes'), ('no', 0.2, 'no'), ('yes', 0.6, 'no'),
             ('no', 0.4, 'yes')]
    y = [1 if l == 'yes' else 0 for _, _, l in churn]
    s = [sc for _, sc, _ in churn]
    yp = [1 if p == 'yes' else 0 for p, _, _ in churn]
    rng = np.random.default_rng(4)
    n = 2000
    yy = (rng.random(n) < 0.4).astype(int)
    ss = 1 / (1 + np.exp(-(rng.normal(0, 1, n) + 1.6 * yy)))
    pred = (ss >= 0.5).astype(int)
    return {
        'churn': {'events': [{'prediction': p, 'score': sc, 'label': l} for p, sc, l in churn],
                  'rocAuc': metrics.roc_auc_score(y, s), 'logLoss': metrics.log_loss(y, s, eps=EPS),
                  'accuracy': metrics.accuracy_score([l for _, _, l in churn], [p for p, _, _ in churn]),
                  # sklearn's binary precision/recall/F1 with pos_label='yes'
                  'precision': metrics.precision_score(y, yp, zero_division=0),
                  'recall': metrics.recall_score(y, yp, zero_division=0),
                  'f1': metrics.f1_score(y, yp, zero_division=0)},
        'order': {'events': [{'prediction': str(int(p)), 'score': float(sc), 'label': str(int(t))} for p, sc, t in zip(pred, ss, yy)],
                  'rocAuc': metrics.roc_auc_score(yy, ss), 'logLoss': metrics.log_loss(yy, ss, eps=EPS),
                  'accuracy': metrics.accuracy_score(yy, pred)},
    }


def classes_cases():
    """Issue 11 §2 (a positive class that is not one of the model's classes) and the classes folded
    at the cardinality bounds: sklearn sees the exact class names."""
    yes_no = [('yes', 0.9, 'yes'), ('no', 0.1, 'no'), ('no', 0.2, 'yes'), ('yes', 0.8, 'no'), ('yes', 0.6, 'yes'),
              ('no', 0.3, 'no')]
    y = [1 if l == 'yes' else 0 for _, _, l in yes_no]
    s = [sc for _, sc, _ in yes_no]
    # The registry's class changes from 'yes' to 'no' between two sends of the same six events (the
    # second send scores P('no') = 1 - score), and a prediction sent before the change (P('yes') =
    # 0.9) gets its label 'yes' after it: sklearn's values over the 13 events, as P('yes').
    y13 = y + y + [1]
    s13 = s + s + [0.9]
    a, b = 'A' * 70, 'B' * 70
    long_true, long_pred, long_probs = [b, a], [a, b], [[0.6, 0.4], [0.3, 0.7]]
    # 60 events right on c00..c59 (the bound is 50 classes), then 10 wrong among c50..c59.
    names = ['c%02d' % i for i in range(60)]
    many = [(c, c, {c: 0.8, names[(i + 1) % 60]: 0.2}) for i, c in enumerate(names)]
    for i in range(10):
        p, t = names[50 + i], names[50 + (i + 1) % 10]
        many.append((p, t, {p: 0.7, t: 0.3}))
    many_probs = [[row.get(c, 0.0) for c in names] for _, _, row in many]
    # A binary model whose two classes are both longer than the label bound (64): positive P.
    P, N = 'churned_' + 'x' * 60, 'retained_' + 'x' * 60
    long_binary = [(P, 0.9, P), (N, 0.2, N), (N, 0.3, P), (P, 0.6, N)]
    lb_y = [1 if l == P else 0 for _, _, l in long_binary]
    lb_s = [sc for _, sc, _ in long_binary]
    return {
        'yesNo': {'events': [{'prediction': p, 'score': sc, 'label': l} for p, sc, l in yes_no],
                  'rocAuc': metrics.roc_auc_score(y, s), 'logLoss': metrics.log_loss(y, s, eps=EPS),
                  'accuracy': metrics.accuracy_score([l for _, _, l in yes_no], [p for p, _, _ in yes_no])},
        'registryChange': {'rocAuc': metrics.roc_auc_score(y13, s13), 'logLoss': metrics.log_loss(y13, s13, eps=EPS)},
        'longNames': {'events': [{'prediction': p, 'scores': dict(zip([a, b], q)), 'label': t}
                                 for p, t, q in zip(long_pred, long_true, long_probs)],
                      'accuracy': metrics.accuracy_score(long_true, long_pred),
                      'logLoss': metrics.log_loss(long_true, long_probs, labels=[a, b], eps=EPS)},
        'longBinary': {'positive': P,
                       'events': [{'prediction': p, 'score': sc, 'label': l} for p, sc, l in long_binary],
                       'rocAuc': metrics.roc_auc_score(lb_y, lb_s), 'logLoss': metrics.log_loss(lb_y, lb_s, eps=EPS),
                       'accuracy': metrics.accuracy_score([l for _, _, l in long_binary], [p for p, _, _ in long_binary])},
        'manyClasses': {'events': [{'prediction': p, 'scores': row, 'label': t} for p, t, row in many],
                        'accuracy': metrics.accuracy_score([t for _, t, _ in many], [p for p, _, _ in many]),
                        'logLoss': metrics.log_loss([t for _, t, _ in many], many_probs, labels=names, eps=EPS)},
    }


# ---------------------------------------------------------------- regression

def regression_case():
    n = 5000
    y = RNG.normal(50, 12, n)
    pred = y + RNG.standard_t(3, n) * 2.5
    return {
        'name': 'regression',
        'events': [[float(a), float(b)] for a, b in zip(y, pred)],
        'expected': {
            'mae': metrics.mean_absolute_error(y, pred),
            'rmse': math.sqrt(metrics.mean_squared_error(y, pred)),
        },
    }


def regression_extremes():
    """Errors at both ends of what ingest accepts (finite, |x| <= 1e100): subnormal (1e-320),
    tiny (1e-200), where float64 squares are subnormal (1e-160), either side of the exporter's
    tiny-error threshold 2^-500 with errors where squares turn subnormal (1e-154) or 0 (1e-163),
    and near the largest error, 2e100.

    sklearn's mean_squared_error squares in float64, so it says 0 for errors of 1e-200 (their
    squares underflow): it cannot be the reference here. The expected values are exact: the mean
    of the float64 errors' squares (and of their magnitudes) in rational arithmetic, its square
    root to 60 digits, correctly rounded to float64 (subnormals included). NumPy on the errors
    scaled by 2^k, with k chosen per case so that no square under- or overflows, must agree to a
    few ulps; the plain float64 formula is kept to show where it fails.
    """
    from decimal import Decimal, localcontext
    from fractions import Fraction

    rng = np.random.default_rng(20261201)  # its own generator: the other cases' draws stay as they were

    def exact(fr):
        with localcontext() as ctx:
            ctx.prec = 60
            return float(Decimal(fr.numerator) / Decimal(fr.denominator))

    def exact_sqrt(fr):
        with localcontext() as ctx:
            ctx.prec = 60
            return float((Decimal(fr.numerator) / Decimal(fr.denominator)).sqrt())

    def case(name, pairs, k):
        t = np.array([a for a, _ in pairs], dtype=np.float64)
        p = np.array([b for _, b in pairs], dtype=np.float64)
        e = p - t  # float64, as the exporter computes the error
        n = len(e)
        mae = exact(sum(Fraction(abs(float(x))) for x in e) / n)
        rmse = exact_sqrt(sum(Fraction(float(x)) ** 2 for x in e) / n)
        scaled = float(np.sqrt(np.mean((e * 2.0 ** k) ** 2)) / 2.0 ** k)
        assert abs(scaled - rmse) <= 4 * max(np.spacing(rmse), 5e-324), (name, scaled, rmse)
        with np.errstate(under='ignore'):
            plain = math.sqrt(metrics.mean_squared_error(t, p))
        return {'name': name, 'events': [[float(a), float(b)] for a, b in zip(t, p)],
                'expected': {'mae': mae, 'rmse': rmse, 'numpyScaled': scaled, 'sklearnRmse': plain}}

    sub = [int(x) for x in rng.integers(1, 2 ** 40, 40)]
    subnormal = [(0.0, s * 5e-324) if i % 2 else (s * 5e-324, -(2 ** 10) * 5e-324) for i, s in enumerate(sub)]
    tiny = [(float(x), float(x + y)) for x, y in zip(rng.uniform(-1e-200, 1e-200, 40), rng.normal(0, 1e-200, 40))]
    squares = [(0.0, float(v)) for v in rng.uniform(-3e-160, 3e-160, 40)]  # float64 squares subnormal
    edge = [(0.0, float(m) * 2.0 ** -500) for m in rng.uniform(0.5, 2, 30)]
    edge += [(0.0, v) for v in (1e-154, -1e-155, 1e-160, 1e-163, -3e-170, 2.0 ** -500, -(2.0 ** -501))]
    large = [(float(a), float(-b)) for a, b in zip(rng.uniform(0.5e100, 1e100, 30), rng.uniform(0.5e100, 1e100, 30))]
    large += [(-1e100, 1e100), (1e100, -1e100)]
    return [
        case('subnormal_equal', [(0.0, 1e-320), (1e-320, 0.0), (-5e-321, 5e-321), (2e-320, 1e-320)], 600),
        case('subnormal_varied', subnormal, 600),
        case('tiny', tiny, 600),
        case('subnormal_squares', squares, 600),
        case('threshold', edge, 400),
        case('tiny_and_ordinary', [(0.0, 1e-320), (1e-200, 0.0), (0.0, 1.0), (2.0, 0.5), (0.0, -3e-170)], 0),
        case('large', large, -200),
    ]


# ---------------------------------------------------------------- numeric drift

def numeric_case(name, ref, cur):
    r = np.array([v for v in ref if v is not None])
    c = np.array([v for v in cur if v is not None])
    n, m = len(r), len(c)
    psi_edges = np.unique(np.quantile(r, np.arange(1, 10) / 10))
    fine_edges = np.unique(np.quantile(r, np.arange(1, 200) / 200))
    ref_prop = np.bincount(np.searchsorted(psi_edges, r, side='left'), minlength=len(psi_edges) + 1) / n
    cur_prop = np.bincount(np.searchsorted(psi_edges, c, side='left'), minlength=len(psi_edges) + 1) / m
    rp, cp = np.maximum(ref_prop, PSI_FLOOR), np.maximum(cur_prop, PSI_FLOOR)
    d = stats.ks_2samp(r, c).statistic
    en = n * m / (n + m)
    bound = math.ceil((n - 1) / 200) / n
    distinct = np.unique(r)
    if len(distinct) <= 200:
        # Every distinct value is a cut point too: no open fine bin holds reference mass, KS is exact.
        fine_edges = np.unique(np.concatenate([fine_edges, distinct]))
        bound = 0.0
    return {
        'name': name,
        'reference': floats(ref),
        'window': floats(cur),
        'expected': {
            'count': n,
            'min': float(r.min()),
            'max': float(r.max()),
            'edges': fine_edges.tolist(),
            'psiEdges': psi_edges.tolist(),
            'psiRefProportions': ref_prop.tolist(),
            'psi': float(np.sum((cp - rp) * np.log(cp / rp))),
            'ksStatistic': float(d),
            'ksBound': bound,
            # p-value bracket: ours uses a D in [d − bound, d], and the p-value falls with D.
            'ksPValueAtD': float(stats.kstwo.sf(d, np.round(en))),
            'ksPValueAtDMinusBound': float(stats.kstwo.sf(max(0.0, d - bound), np.round(en))),
            'ks2sampAsympPValue': float(stats.ks_2samp(r, c, method='asymp').pvalue),
            'missingRatio': sum(v is None for v in cur) / len(cur),
            'outOfRangeRatio': float(np.mean((c < r.min()) | (c > r.max()))),
        },
    }


def numeric_cases():
    out = []
    out.append(numeric_case('shifted_normal', with_missing(RNG.normal(0, 1, 5000), 0.02), with_missing(RNG.normal(0.3, 1.1, 2000), 0.05)))
    out.append(numeric_case('same_distribution', with_missing(RNG.normal(10, 3, 4001), 0.0), with_missing(RNG.normal(10, 3, 3000), 0.0)))
    out.append(numeric_case('heavy_ties', with_missing(RNG.poisson(3, 4000), 0.01), with_missing(RNG.poisson(3.5, 2500), 0.0)))
    const = [5.0] * 1000
    out.append(numeric_case('constant_reference', const, with_missing(np.concatenate([RNG.normal(5, 1, 400), np.full(100, 5.0)]), 0.1)))
    # Zero-inflated reference (an atom at a cut point) against a window just below the atom:
    # the KS supremum sits at the left limit of the atom.
    zi = np.where(RNG.random(3000) < 0.4, 0.0, RNG.exponential(1, 3000))
    win = np.concatenate([RNG.uniform(-0.2, 0, 600), RNG.exponential(1, 900)])
    out.append(numeric_case('atom_below', with_missing(zi, 0.0), with_missing(win, 0.0)))
    out.append(numeric_case('small_reference', with_missing(RNG.lognormal(0, 1, 250), 0.0), with_missing(RNG.lognormal(0.2, 1, 800), 0.0)))
    # References of fewer than 200 values: each value becomes a cut point and KS is exact. A
    # generator of their own, so that adding them leaves every other case's data as it was.
    rng = np.random.default_rng(20261125)
    out.append(numeric_case('tiny_reference_20', floats(rng.normal(0, 1, 20)), floats(rng.normal(0.4, 1, 500))))
    out.append(numeric_case('tiny_reference_60', floats(rng.exponential(1, 60)), floats(rng.exponential(1.3, 300))))
    out.append(numeric_case('few_distinct_values', floats(rng.integers(0, 5, 3000).astype(float)), floats(rng.integers(0, 6, 700).astype(float))))
    return out


def ks_sweep():
    """Random reference/window pairs of varied shapes, for the grid KS's worst observed error."""
    out = []
    for i in range(12):
        n = int(RNG.integers(200, 3000))
        m = int(RNG.integers(50, 2000))
        kind = i % 4
        if kind == 0:
            ref, cur = RNG.normal(0, 1, n), RNG.normal(RNG.uniform(-0.5, 0.5), RNG.uniform(0.7, 1.4), m)
        elif kind == 1:
            ref, cur = RNG.exponential(1, n), RNG.exponential(RNG.uniform(0.6, 1.5), m)
        elif kind == 2:
            ref, cur = RNG.integers(0, 12, n).astype(float), RNG.integers(0, 14, m).astype(float)
        else:
            ref, cur = RNG.standard_t(2, n), RNG.standard_t(2, m) * RNG.uniform(0.8, 1.2)
        out.append(numeric_case(f'ks_sweep_{i}', floats(ref), floats(cur)))
    return out


def ks_pvalue_grid():
    """ks_2samp(method='asymp')'s p-value for a given D: kstwo.sf(d, round(n*m/(n+m))), over
    sizes and statistics that reach each of kstwo's algorithms (Ruben-Gambino, Durbin matrix,
    Pomeranz, Pelz-Good, 2x Smirnov)."""
    grid = []
    sizes = ((10, 10), (5, 7), (3, 1000), (50, 60), (100, 100), (141, 300), (200, 150), (1000, 1000),
             (5000, 300), (30000, 20000), (200000, 50000))
    for d in (0.0, 0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.35, 0.45, 0.5, 0.6, 0.8, 0.95, 1.0):
        for n, m in sizes:
            big, small = max(n, m), min(n, m)
            en = big * small / (big + small)
            grid.append({'d': d, 'n': n, 'm': m, 'p': float(stats.kstwo.sf(d, np.round(en)))})
    return grid


def ks_small_samples():
    """Case 7: 10 reference vs 10 current values; ks_2samp(method='asymp') gives 0.05 where the
    limiting distribution says 0.084. Here values with no ties and D = 6/10: ks_2samp says 0.030,
    the limiting distribution 0.055."""
    ref = [float(v) for v in range(10)]
    cur = [float(v) + 5.5 for v in range(10)]
    r = stats.ks_2samp(ref, cur, method='asymp')
    return {'reference': ref, 'window': cur, 'd': float(r.statistic), 'p': float(r.pvalue),
            'limiting': float(stats.kstwobign.sf(math.sqrt(5) * r.statistic))}


# ---------------------------------------------------------------- categorical drift

def profile(values, max_categories):
    """Mirror of buildFeatureReference for strings: top categories by count (ties by name)."""
    tally = {}
    other = 0
    for v in values:
        if v is None:
            continue
        if v == '__other__':
            other += 1
        else:
            tally[v] = tally.get(v, 0) + 1
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = ranked[:max_categories]
    other += sum(c for _, c in ranked[max_categories:])
    cats = [c for c, _ in kept] + (['__other__'] if other else [])
    counts = [c for _, c in kept] + ([other] if other else [])
    return cats, counts


def categorical_case(name, ref, cur, max_categories):
    cats, counts = profile(ref, max_categories)
    has_other = '__other__' in cats
    window = {}
    for v in cur:
        if v is None:
            continue
        key = v if v in cats or not has_other else '__other__'
        window[key] = window.get(key, 0) + 1
    union = cats + sorted(k for k in window if k not in cats)
    p = np.array([counts[cats.index(u)] if u in cats else 0 for u in union], float)
    q = np.array([window.get(u, 0) for u in union], float)
    pf, qf = np.maximum(p / p.sum(), PSI_FLOOR), np.maximum(q / q.sum(), PSI_FLOOR)
    return {
        'name': name,
        'maxCategories': max_categories,
        'reference': ref,
        'window': cur,
        'expected': {
            'categories': cats,
            'counts': counts,
            'union': union,
            'jsDistance': float(jensenshannon(p, q, base=2)),
            'psi': float(np.sum((qf - pf) * np.log(qf / pf))),
            'missingRatio': sum(v is None for v in cur) / len(cur),
        },
    }


def draw(categories, probs, n, missing=0.0):
    out = list(RNG.choice(categories, size=n, p=probs))
    out = [str(v) for v in out]
    for i in np.nonzero(RNG.random(n) < missing)[0]:
        out[i] = None
    return out


def categorical_cases():
    base = ['red', 'green', 'blue', 'black', 'white']
    ref = draw(base, [0.35, 0.25, 0.2, 0.15, 0.05], 3000, 0.02)
    cur = draw(base + ['purple', 'orange', 'teal'], [0.2, 0.25, 0.2, 0.1, 0.05, 0.1, 0.06, 0.04], 1500, 0.1)
    tail = [f'city_{i:02d}' for i in range(30)]
    w = np.arange(30, 0, -1, dtype=float)
    ref_tail = draw(tail, w / w.sum(), 5000)
    cur_tail = draw(tail + ['atlantis'], np.append(w[::-1], 20) / np.append(w[::-1], 20).sum(), 2000, 0.03)
    same = draw(base, [0.35, 0.25, 0.2, 0.15, 0.05], 2000)
    return [
        categorical_case('unseen_categories', ref, cur, 16),
        categorical_case('reference_tail', ref_tail, cur_tail, 10),
        categorical_case('same_distribution', ref, same, 16),
    ]


def main():
    doc = {
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'classification': [binary_balanced(), binary_skewed(), multiclass_full(), multiclass_partial(), single_class()],
        'regression': [regression_case()],
        'regressionExtremes': regression_extremes(),
        'numeric': numeric_cases(),
        'ksPValues': ks_pvalue_grid(),
        'ksSmall': ks_small_samples(),
        'bandSweep': band_sweep(),
        'extremeScores': extreme_scores(),
        'bandOutliers': band_outliers(),
        'bandSpreadWindows': band_spread_windows(),
        'logLoss': log_loss_cases(),
        'float32Softmax': float32_softmax_rows(),
        'wilson': wilson_cases(),
        'ingest': ingest_cases(),
        'classes': classes_cases(),
        'ksSweep': ks_sweep(),
        'aucSweep': auc_sweep(),
        'categorical': categorical_cases(),
        'cbpe': cbpe_cases(),
        'cbpeReal': real_data_case(),
    }
    text = json.dumps(doc, allow_nan=False)
    if len(sys.argv) > 1:
        with open(sys.argv[1], 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
