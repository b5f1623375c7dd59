import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiArtifacts } from '../../scripts/api-artifacts.js';
import { ERROR_CODES } from '../../src/error-codes.js';
import { REQUEST_EXAMPLES } from '../../src/http/openapi-examples.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { REPO_ROOT } from '../docs/readme-blocks.js';

interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, { schema: { $ref?: string }; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
  'x-required-role'?: string;
  parameters?: Array<{ in: string }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> }; servers?: unknown[] };

describe('the OpenAPI document as a contract', () => {
  let s: TestServer;
  let doc: Doc;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));

  beforeAll(async () => {
    s = await startTestServer();
    doc = (await (await s.api('/api/v1/openapi.json', { token: null })).json()) as Doc;
  });
  afterAll(async () => {
    await s.close();
  });

  it('passes the OpenAPI 3.1 schema validator', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('names every operation with a unique operationId', () => {
    const ids = operations().map(({ key, op }) => [key, op.operationId]);
    expect(ids.length).toBeGreaterThanOrEqual(29);
    expect(ids.filter(([, id]) => !id)).toEqual([]);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
  });

  it('refers to named component schemas for every body, and documents every error status it can give', () => {
    for (const { key, op } of operations()) {
      for (const media of Object.values(op.requestBody?.content ?? {}))
        expect([key, media.schema.$ref]).toEqual([key, expect.stringMatching(/^#\/components\/schemas\//)]);
      for (const [status, r] of Object.entries(op.responses)) {
        for (const media of Object.values(r.content ?? {}))
          expect([key, status, media.schema.$ref]).toEqual([key, status, expect.stringMatching(/^#\/components\/schemas\//)]);
      }
      const statuses = Object.keys(op.responses);
      const expected = [
        ...(op.requestBody ? ['400', '413', '415'] : []),
        ...(op['x-required-role'] ? ['401', '403'] : []),
        ...(op.parameters?.some((p) => p.in === 'path') ? ['404'] : []),
        '500',
      ];
      expect([key, expected.filter((c) => !statuses.includes(c))]).toEqual([key, []]);
    }
    for (const ref of JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [])
      expect(doc.components.schemas).toHaveProperty(ref.split('/').at(-1)!);
  });

  it('gives request examples that the operation itself accepts', () => {
    const ops = new Map(s.parts.openapi.operations().map((o) => [o.operationId, o]));
    expect(Object.keys(REQUEST_EXAMPLES).filter((id) => !ops.get(id)?.body)).toEqual([]);
    for (const [id, example] of Object.entries(REQUEST_EXAMPLES)) {
      const parsed = ops.get(id)!.body!.safeParse(example);
      expect([id, parsed.success ? 'ok' : parsed.error.message]).toEqual([id, 'ok']);
    }
    const withExample = operations().filter(({ op }) => Object.values(op.requestBody?.content ?? {}).some((m) => m.example !== undefined));
    expect(withExample.length).toBe(Object.keys(REQUEST_EXAMPLES).length);
  });

  it('keeps the committed openapi.json, generated TypeScript types and docs/errors.md up to date (npm run api -w exporter)', async () => {
    const artifacts = await apiArtifacts();
    for (const [file, content] of Object.entries(artifacts)) {
      const absolute = path.join(REPO_ROOT, file);
      const formatted = await prettier.format(content, { ...(await prettier.resolveConfig(absolute)), filepath: absolute });
      expect([file, fs.readFileSync(absolute, 'utf8') === formatted]).toEqual([file, true]);
    }
    for (const code of Object.keys(ERROR_CODES)) expect(artifacts['docs/errors.md']).toContain(`\`${code}\``);
  });
});
