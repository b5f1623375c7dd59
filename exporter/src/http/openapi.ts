import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/v1/models/{model}`. */
  path: string;
  summary: string;
  tag: string;
  /** Minimum role; absent for unauthenticated endpoints. */
  role?: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Status code to response schema (or description only). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

/**
 * Collects operations as routes are mounted, so that the OpenAPI document is generated from
 * the same zod schemas that validate requests.
 */
export class OpenApiCatalog {
  private readonly ops: OperationSpec[] = [];

  add(op: OperationSpec): void {
    this.ops.push(op);
  }

  document(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.ops) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams = op.query
        ? Object.entries(op.query.shape).map(([name, s]) => ({
            name,
            in: 'query',
            required: !(s as z.ZodType).safeParse(undefined).success,
            schema: toSchema(s as z.ZodType),
          }))
        : [];
      const responses: Record<string, unknown> = {};
      for (const [code, r] of Object.entries(op.responses)) {
        responses[code] = r.schema
          ? { description: r.description, content: { 'application/json': { schema: toSchema(r.schema, 'output') } } }
          : { description: r.description };
      }
      if (op.role) {
        responses['401'] ??= { description: 'missing or invalid bearer token' };
        responses['403'] ??= { description: `role below ${op.role}` };
      }
      (paths[op.path] ??= {})[op.method] = {
        summary: op.summary,
        tags: [op.tag],
        ...(op.role ? { security: [{ bearer: [] }], 'x-required-role': op.role } : {}),
        ...(params.length + queryParams.length ? { parameters: [...params, ...queryParams] } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body) } } } } : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'modelwatch exporter API', version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}

function toSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
}
