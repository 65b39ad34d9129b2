import { openApiChecker } from '@taskforge/common/testing';
import type { Response } from 'supertest';
import { openApiDocument } from '../openapi';

const checkBody = openApiChecker(openApiDocument);

/** Headers the API sets on purpose; each must be documented where it appears. */
const API_HEADERS = ['x-next-cursor', 'link', 'retry-after'];

/** The status, body and API headers of a real response must all be in the OpenAPI document. */
export function expectDocumented(method: string, path: string, res: Response): void {
  checkBody(method, path, res);
  const operation = (openApiDocument.paths as Record<string, Record<string, unknown>>)[path]?.[
    method
  ] as { responses: Record<string, { headers?: Record<string, unknown> }> };
  const documented = Object.keys(operation.responses[String(res.status)]?.headers ?? {}).map((h) =>
    h.toLowerCase(),
  );
  for (const header of API_HEADERS) {
    if (res.headers[header] !== undefined && !documented.includes(header)) {
      throw new Error(`${method.toUpperCase()} ${path} ${res.status} does not document ${header}`);
    }
  }
}
