import {
  RequestValidationError,
  validationErrors,
  type openApiDocumentFor,
  type RouteContract,
} from '@taskforge/common';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/*
 * ADAPTERS for what common's route contracts cannot say yet; each goes once common offers it.
 */

/**
 * A rule about the body as a whole, answered without a field. `handle` turns every issue that
 * has no field into "The body must be a JSON object", so such a rule cannot live in the schema:
 * it runs before `handle` and, when broken, is answered with the fields' own problems.
 */
export function bodyRule(
  contract: RouteContract,
  message: string,
  holds: (body: Record<string, unknown>) => boolean,
): RequestHandler {
  return (req, _res, next) => {
    const body: unknown = req.body ?? {};
    // Anything but an object is `handle`'s to refuse.
    if (typeof body !== 'object' || Array.isArray(body) || holds(body as Record<string, unknown>)) {
      next();
      return;
    }
    const result = contract.body?.safeParse(body, { reportInput: true });
    const fields = result?.error ? validationErrors(result.error.issues, 'body') : [];
    throw new RequestValidationError([...fields, { message }]);
  };
}

type Document = ReturnType<typeof openApiDocumentFor>;

interface Operation {
  parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
}

/**
 * The document with the defaults of the query parameters whose schema converts: zod writes no
 * `default` for the input of a transform, so `pageQueryFields`' `limit` would lose its own.
 */
export function withQueryDefaults(document: Document, routes: RouteContract[]): Document {
  for (const contract of routes) {
    const path = contract.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = document.paths[path]?.[contract.method] as Operation | undefined;
    const shape = contract.query instanceof z.ZodObject ? contract.query.shape : {};
    for (const parameter of operation?.parameters ?? []) {
      const field: unknown = shape[parameter.name];
      if (parameter.in === 'query' && field instanceof z.ZodDefault) {
        parameter.schema.default ??= field.def.defaultValue;
      }
    }
  }
  return document;
}
