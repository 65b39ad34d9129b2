import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { CustomError, RequestValidationError, type SerializedError } from '../errors';
import { json, rateLimitHeaders, sessionSecurityScheme } from './openapi-parts';

/*
 * One contract per route: its method and path, what it takes (a zod schema for the body and one
 * for the query) and what it answers. The same contract validates the request (`handle`), types
 * the handler's input, and writes the route into the service's OpenAPI document
 * (`openApiDocumentFor`), so the three cannot drift apart.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented answer: a JSON body from a zod schema, or none; headers as OpenAPI has them. */
export interface ResponseContract {
  description: string;
  body?: z.ZodType;
  /** Answers that are not JSON (a CSV file, an event stream), by media type, as OpenAPI has them. */
  otherContent?: Record<string, { schema: object }>;
  headers?: Record<string, unknown>;
}

/**
 * A path parameter. Described; checked too when the contract says how a malformed one is answered
 * (`invalid`, as the route sees it: 404 where nothing is there, 400 for bad input): a value that
 * `pattern` does not match is refused with it before anything else is read.
 */
export interface PathParam {
  description: string;
  pattern?: string;
  invalid?: () => CustomError;
}

export interface RouteContract<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: HttpMethod;
  /** Express style (`/api/tickets/:id`); the document writes `{id}`. */
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Needs the session cookie. */
  signedIn?: boolean;
  pathParams?: Record<string, PathParam>;
  /** Request headers the route reads, described as path parameters are (it checks them itself). */
  headerParams?: Record<string, { description: string; pattern?: string }>;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseContract>;
}

/** Writes a contract down with its types kept (the schemas' outputs type the handler). */
export function route<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  contract: RouteContract<B, Q>,
): RouteContract<B, Q> {
  return contract;
}

// `body?: B` reads back as `B | undefined`: what the handler gets is the schema's output.
type Output<S> = [NonNullable<S>] extends [z.ZodType] ? z.output<NonNullable<S>> : undefined;

export interface RouteInput<C extends RouteContract> {
  body: Output<C['body']>;
  query: Output<C['query']>;
}

/**
 * The problems zod found in one part of a request, one per field (the first), in the common
 * error shape. A query parameter given twice arrives as an array: it "must be a single value".
 */
export function validationErrors(
  issues: z.core.$ZodIssue[],
  where: 'body' | 'query',
): SerializedError[] {
  const errors: SerializedError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    if (!field) {
      // A body that is no object at all; a rule about the whole body keeps its own words.
      const notAnObject = where === 'body' && issue.code === 'invalid_type';
      errors.push({ message: notAnObject ? 'The body must be a JSON object' : issue.message });
    } else if (
      where === 'query' &&
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
      typeof issue.input === 'object' &&
      issue.input !== null
    ) {
      // Not the string a query parameter is: given twice (an array) or bracketed (an object).
      // (A rule about the parsed value, an object after its transform, keeps its own words.)
      errors.push({ message: `${field} must be a single value`, field });
    } else {
      errors.push({ message: issue.message, field });
    }
  }
  return errors;
}

function parse(
  schema: z.ZodType | undefined,
  value: unknown,
  where: 'body' | 'query',
  errors: SerializedError[],
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  errors.push(...validationErrors(result.error.issues, where));
  return undefined;
}

/**
 * The route's handler behind its contract: the path parameters that say how a malformed one is
 * answered are checked first; then the body and query are parsed (trimmed, converted, defaults
 * filled in) before `handler` runs with them; anything that does not match is answered 400 in
 * the common shape, naming each field of both, and the handler never runs.
 */
export function handle<C extends RouteContract>(
  contract: C,
  handler: (input: RouteInput<C>, req: Request, res: Response) => unknown,
): RequestHandler {
  const checkedParams = Object.entries(contract.pathParams ?? {}).flatMap(([name, param]) =>
    param.pattern && param.invalid
      ? [{ name, pattern: new RegExp(param.pattern), invalid: param.invalid }]
      : [],
  );
  return async (req, res) => {
    for (const { name, pattern, invalid } of checkedParams) {
      if (!pattern.test(String(req.params[name]))) throw invalid();
    }
    const errors: SerializedError[] = [];
    const input = {
      body: parse(contract.body, req.body ?? {}, 'body', errors),
      query: parse(contract.query, req.query, 'query', errors),
    } as RouteInput<C>;
    if (errors.length > 0) throw new RequestValidationError(errors);
    await handler(input, req, res);
  };
}

/** The shape every error leaves in (see the error handler): the `ErrorResponse` component. */
export const errorResponse = z
  .object({
    errors: z
      .array(
        z.object({
          message: z.string(),
          field: z.string().meta({ description: 'The input the message is about' }).optional(),
        }),
      )
      .min(1),
  })
  .meta({ id: 'ErrorResponse' });

/** An error answer, for a contract's responses. */
export const errorAnswer = (description: string): ResponseContract => ({
  description,
  body: errorResponse,
});

/** The 429 the rate limiter answers, with its headers. */
export const tooManyRequestsAnswer = (description = 'Too many requests'): ResponseContract => ({
  description,
  headers: {
    'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
    ...rateLimitHeaders,
  },
  body: errorResponse,
});

type JsonSchema = Record<string, unknown>;

/** `#/$defs/X` (zod's) → `#/components/schemas/X` (OpenAPI's), through the whole schema. */
function componentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(componentRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, nested]) =>
      key === '$ref' && typeof nested === 'string'
        ? [key, nested.replace('#/$defs/', '#/components/schemas/')]
        : [key, componentRefs(nested)],
    ),
  );
}

/**
 * Turns zod schemas into the document's JSON schemas: a schema with an id (`.meta({ id })`)
 * becomes a component (`$ref`), everything else is written in place. Requests are described as
 * they may be sent (`input`), answers as they are sent (`output`).
 */
class SchemaWriter {
  readonly components: Record<string, unknown> = {};

  write(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const written = z.toJSONSchema(schema, {
      io,
      // A transform or refinement has no JSON Schema: the schema it refines stands for it.
      unrepresentable: 'any',
      // zod leaves out the default of a schema that transforms; one its metadata states stays.
      override: ({ zodSchema, jsonSchema }) => {
        const meta = z.globalRegistry.get(zodSchema);
        if (meta && meta.default !== undefined) jsonSchema.default = meta.default;
      },
    }) as JsonSchema;
    const { $schema: _schema, $defs: defs, ...rest } = written;
    for (const [id, def] of Object.entries((defs ?? {}) as Record<string, unknown>)) {
      this.components[id] = componentRefs(def);
    }
    return componentRefs(rest) as JsonSchema;
  }
}

function queryParameters(writer: SchemaWriter, query: z.ZodType): JsonSchema[] {
  const written = writer.write(query, 'input');
  const properties = (written.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((written.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      ...(required.has(name) ? { required: true } : {}),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operationOf(writer: SchemaWriter, contract: RouteContract) {
  const parameters = [
    ...Object.entries(contract.pathParams ?? {}).map(([name, param]) => ({
      name,
      in: 'path',
      required: true,
      description: param.description,
      schema: { type: 'string', ...(param.pattern ? { pattern: param.pattern } : {}) },
    })),
    ...Object.entries(contract.headerParams ?? {}).map(([name, param]) => ({
      name,
      in: 'header',
      description: param.description,
      schema: { type: 'string', ...(param.pattern ? { pattern: param.pattern } : {}) },
    })),
    ...(contract.query ? queryParameters(writer, contract.query) : []),
  ];
  const responses = Object.fromEntries(
    Object.entries(contract.responses).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.headers ? { headers: answer.headers } : {}),
        ...(answer.body || answer.otherContent
          ? {
              content: {
                ...(answer.body ? json(writer.write(answer.body, 'output')) : {}),
                ...answer.otherContent,
              },
            }
          : {}),
      },
    ]),
  );
  return {
    tags: contract.tags,
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    ...(contract.signedIn ? { security: [{ session: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(contract.body
      ? { requestBody: { required: true, content: json(writer.write(contract.body, 'input')) } }
      : {}),
    responses,
  };
}

/**
 * A service's OpenAPI 3.1 document, written from its routes' contracts: every path and method,
 * its parameters, body and answers; the zod schemas with an id become its components.
 */
export function openApiDocumentFor(options: {
  title: string;
  description: string;
  tags: string[];
  routes: RouteContract[];
}) {
  const writer = new SchemaWriter();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of options.routes) {
    const path = contract.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [contract.method]: operationOf(writer, contract) };
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '0.1.0', description: options.description },
    servers: [{ url: '/' }],
    tags: options.tags.map((name) => ({ name })),
    components: { securitySchemes: sessionSecurityScheme, schemas: writer.components },
    paths,
  };
}
