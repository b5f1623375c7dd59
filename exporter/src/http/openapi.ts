import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../error-codes.js';
import { ErrorSchema } from './error-schema.js';
import { REQUEST_EXAMPLES } from './openapi-examples.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface OperationSpec {
  method: HttpMethod;
  /** Stable camelCase name; generated clients name their functions after it. */
  operationId: string;
  /** OpenAPI path template, e.g. `/api/v1/models/{model}`. */
  path: string;
  summary: string;
  tag: string;
  /** Minimum role; absent for unauthenticated endpoints. */
  role?: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Status code to response schema (or description only). Error statuses use the Error component. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

/** Codes of the catalog sent with `status`, for the response's description and example. */
function codesFor(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => ERROR_CODES[c].status === status);
}

/**
 * Collects operations as routes are mounted, so that the OpenAPI document is generated from
 * the same zod schemas that validate requests. Request and response schemas become named
 * components (`<OperationId>Request`, `<OperationId>Response`, one `Error`); every operation
 * lists the error responses the stack can give it (400/413/415 with a body, 401/403 with a
 * role, 404 with path parameters, 500), each with the catalog's codes.
 */
export class OpenApiCatalog {
  private readonly ops: OperationSpec[] = [];

  add(op: OperationSpec): void {
    if (this.ops.some((o) => o.operationId === op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
    this.ops.push(op);
  }

  operations(): readonly OperationSpec[] {
    return this.ops;
  }

  document(version: string): Record<string, unknown> {
    const schemas: Record<string, unknown> = { Error: toSchema(ErrorSchema, 'output') };
    // Per direction: a schema with defaults reads differently as input (optional) and output.
    const named = { input: new Map<z.ZodType, string>(), output: new Map<z.ZodType, string>([[ErrorSchema, 'Error']]) };
    /** A $ref to `schema` as a component, named `name` the first time it is seen. */
    const ref = (schema: z.ZodType, name: string, io: 'input' | 'output') => {
      let id = named[io].get(schema);
      if (!id) {
        name = z.globalRegistry.get(schema)?.title ?? name;
        id = schemas[name] === undefined ? name : `${name}${io === 'input' ? 'Input' : 'Output'}`;
        named[io].set(schema, id);
        schemas[id] = toSchema(schema, io);
      }
      return { $ref: `#/components/schemas/${id}` };
    };
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.ops) {
      const Name = op.operationId[0].toUpperCase() + op.operationId.slice(1);
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
      const errorResponse = (status: number, description: string) => {
        const codes = codesFor(status);
        responses[String(status)] ??= {
          description: `${description} (code: ${codes.join(', ')})`,
          content: {
            'application/json': { schema: ERROR_REF, example: { error: description, code: codes[0] } },
          },
        };
      };
      for (const [code, r] of Object.entries(op.responses)) {
        const status = Number(code);
        const isError = status >= 400 && (!r.schema || r.schema === ErrorSchema);
        if (isError) errorResponse(status, r.description);
        else
          responses[code] = r.schema
            ? {
                description: r.description,
                content: {
                  'application/json': {
                    schema: ref(r.schema, `${Name}Response${status === 200 || status === 201 ? '' : status}`, 'output'),
                  },
                },
              }
            : { description: r.description };
      }
      if (op.body || params.length || queryParams.length) errorResponse(400, 'invalid path, query or body');
      if (op.body) {
        errorResponse(413, 'body larger than MODELWATCH_MAX_BODY_BYTES');
        errorResponse(415, 'Content-Type is not application/json');
      }
      if (op.role) {
        errorResponse(401, 'missing or invalid bearer token');
        errorResponse(403, `role below ${op.role}`);
      }
      if (params.length) errorResponse(404, 'not found');
      errorResponse(500, 'internal error');
      const example = REQUEST_EXAMPLES[op.operationId];
      (paths[op.path] ??= {})[op.method] = {
        operationId: op.operationId,
        summary: op.summary,
        tags: [op.tag],
        ...(op.role ? { security: [{ bearer: [] }], 'x-required-role': op.role } : {}),
        ...(params.length + queryParams.length ? { parameters: [...params, ...queryParams] } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: ref(op.body, `${Name}Request`, 'input'), ...(example ? { example } : {}) } },
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'modelwatch exporter API',
        version,
        description: 'Every error body is `{error, code, details?}`; the codes are cataloged in docs/errors.md.',
      },
      servers: [
        { url: '/', description: 'the exporter serving this document' },
        { url: 'http://localhost:9400', description: 'a local exporter on the default port' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas },
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
