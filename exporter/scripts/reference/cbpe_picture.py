#!/usr/bin/python3
"""Draws docs/images/label-free-estimate.svg (README) from the real-data case of cbpe_real.py:
per live window, the label-free estimate with its 95% band and the accuracy the labels showed.
No plotting library: the SVG is written by hand. Run: /usr/bin/python3 scripts/reference/cbpe_picture.py OUT.svg
"""
import sys

import numpy as np

from cbpe_real import real_data_case

LEFT, RIGHT, TOP, ROW = 230, 620, 40, 46
LO, HI = 0.4, 1.0


def x(v):
    return LEFT + (v - LO) / (HI - LO) * (RIGHT - LEFT)


def main(out):
    case = real_data_case()
    labels = {
        'all-live': 'all live traffic',
        'pixel20-high': 'covariate shift: pixel 20 > 3',
        'pixel25-high': 'covariate shift: pixel 25 > 0',
        'pixel20-high-concept': 'concept shift: labels flipped',
    }
    height = TOP + ROW * len(case['windows']) + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="660" height="{height}" font-family="sans-serif" font-size="13">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="20" y="22" font-weight="bold">Accuracy on sklearn digits: estimated without labels vs realized</text>']
    for t in np.arange(LO, HI + 1e-9, 0.1):
        parts.append(f'<line x1="{x(t):.1f}" y1="{TOP - 8}" x2="{x(t):.1f}" y2="{height - 40}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{height - 24}" text-anchor="middle" fill="#555">{t:.1f}</text>')
    for i, w in enumerate(case['windows']):
        y = TOP + ROW * i + 14
        est, real = w['estimatedAccuracy'], w['realizedAccuracy']
        lo, hi = w['band']
        parts.append(f'<text x="{LEFT - 10}" y="{y + 4}" text-anchor="end">{labels.get(w["name"], w["name"])}</text>')
        parts.append(f'<rect x="{x(lo):.1f}" y="{y - 7}" width="{x(hi) - x(lo):.1f}" height="14" fill="#9ecae1" opacity="0.7"/>')
        parts.append(f'<circle cx="{x(est):.1f}" cy="{y}" r="5" fill="#08519c"/>')
        parts.append(f'<path d="M {x(real):.1f} {y - 7} l 7 7 l -7 7 l -7 -7 z" fill="#cb181d"/>')
    ly = height - 8
    parts.append(f'<circle cx="{LEFT}" cy="{ly - 4}" r="5" fill="#08519c"/><text x="{LEFT + 10}" y="{ly}">estimated (band: 95%)</text>')
    parts.append(f'<path d="M {LEFT + 200} {ly - 11} l 7 7 l -7 7 l -7 -7 z" fill="#cb181d"/><text x="{LEFT + 212}" y="{ly}">realized (labels)</text>')
    parts.append('</svg>')
    with open(out, 'w') as f:
        f.write('\n'.join(parts) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
