import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishReadmePictures, REPO_ROOT } from '@modelwatch/test-support';

/** Debian's Python, which has python3-sklearn (the real-data case is scikit-learn's digits). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(REPO_ROOT, 'exporter', 'scripts', 'reference', 'cbpe_picture.py');
const README_PICTURE = 'docs/images/label-free-estimate.svg';

describe('the README picture of the label-free estimate (label-free-estimate.svg)', () => {
  it('is what cbpe_picture.py draws from the real-data case today (MODELWATCH_UPDATE_SCREENSHOTS=1 redraws it)', () => {
    const started = Date.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-picture-'));
    try {
      const out = path.join(dir, 'label-free-estimate.svg');
      execFileSync(PYTHON, [SCRIPT, out], { cwd: path.dirname(SCRIPT), stdio: 'pipe' });
      publishReadmePictures({ [out]: README_PICTURE }, started);
      expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, README_PICTURE), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
