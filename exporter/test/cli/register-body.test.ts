import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRegisterBody } from '../../src/cli/commands/register-body.js';
import { UsageError } from '../../src/cli/client-errors.js';

describe('register request body from flags', () => {
  it('puts metrics and lineage where the API expects them, keeping hyperparameter types', () => {
    const body = buildRegisterBody('1.1', {
      accuracy: '0.87',
      latencyMs: '40',
      metric: ['f1=0.8', 'auc=0.91'],
      dataVersion: 'd-2',
      codeCommit: 'abc123',
      param: ['lr=0.05', 'depth=8', 'early_stop=true', 'loss=log=2'],
      env: ['python=3.11'],
      artifactUri: 's3://m/1.1',
      tag: ['owner=risk'],
      parent: '1.0',
    });
    expect(body).toEqual({
      version: '1.1',
      metrics: { f1: 0.8, auc: 0.91, accuracy: 0.87, latency_ms: 40 },
      lineage: {
        data_version: 'd-2',
        code_commit: 'abc123',
        artifact_uri: 's3://m/1.1',
        parent_version: '1.0',
        hyperparameters: { lr: 0.05, depth: 8, early_stop: true, loss: 'log=2' },
        environment: { python: '3.11' },
        tags: { owner: 'risk' },
      },
    });
  });

  it('starts from --from-file and lets flags override single fields', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-cli-'));
    const file = path.join(dir, 'v.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 'ignored',
        description: 'from file',
        metrics: { accuracy: 0.5, recall: 0.7 },
        lineage: { tags: { a: '1' }, code_commit: 'old' },
      }),
    );
    const body = buildRegisterBody('2.0', { fromFile: file, accuracy: '0.9', tag: ['b=2'] });
    expect(body).toEqual({
      version: '2.0',
      description: 'from file',
      metrics: { accuracy: 0.9, recall: 0.7 },
      lineage: { tags: { a: '1', b: '2' }, code_commit: 'old' },
    });
  });

  it.each([
    [{ accuracy: 'high' }, /--accuracy expects a number/],
    [{ latencyMs: '' }, /--latency-ms expects a number/],
    [{ metric: ['f1'] }, /--metric expects key=value/],
    [{ tag: ['=x'] }, /--tag expects key=value/],
    [{ fromFile: '/nonexistent/modelwatch.json' }, /cannot read/],
  ])('refuses bad flags as usage errors: %o', (flags, message) => {
    expect(() => buildRegisterBody('1', flags)).toThrowError(UsageError);
    expect(() => buildRegisterBody('1', flags)).toThrowError(message);
  });

  it('refuses a file that is not a JSON object', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-cli-')), 'bad.json');
    fs.writeFileSync(file, '[1,2]');
    expect(() => buildRegisterBody('1', { fromFile: file })).toThrowError(/must be a JSON object/);
    fs.writeFileSync(file, '{"metrics": ');
    expect(() => buildRegisterBody('1', { fromFile: file })).toThrowError(/not valid JSON/);
  });
});
