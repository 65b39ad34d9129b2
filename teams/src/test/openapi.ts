import { openApiChecker } from '@taskforge/common/testing';
import type { Response } from 'supertest';
import { openApiDocument } from '../openapi';

const checkBody = openApiChecker(openApiDocument);

/** Headers the API sets on purpose; each must be documented where it appears. */
const API_HEADERS = ['x-next-cursor', 'link', 'retry-after', 'content-disposition'];

interface DocumentedResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

/**
 * The status, body (JSON against its schema; any other type must be documented) and API
 * headers of a real response must all be in the OpenAPI document.
 */
export function expectDocumented(method: string, path: string, res: Response): void {
  const operation = (openApiDocument.paths as Record<string, Record<string, unknown>>)[path]?.[
    method
  ] as { responses: Record<string, DocumentedResponse> } | undefined;
  const documented = operation?.responses[String(res.status)];
  const type = String(res.headers['content-type'] ?? '').split(';')[0];
  if (type && type !== 'application/json') {
    if (!documented?.content?.[type]) {
      throw new Error(`${method.toUpperCase()} ${path} ${res.status} does not document ${type}`);
    }
  } else {
    checkBody(method, path, res);
  }
  const headers = Object.keys(documented?.headers ?? {}).map((h) => h.toLowerCase());
  for (const header of API_HEADERS) {
    if (res.headers[header] !== undefined && !headers.includes(header)) {
      throw new Error(`${method.toUpperCase()} ${path} ${res.status} does not document ${header}`);
    }
  }
}
