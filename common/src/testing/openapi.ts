import Ajv2020 from 'ajv/dist/2020';

export interface ResponseLike {
  status: number;
  body: unknown;
}

/**
 * Checks real responses against an OpenAPI 3.1 document: the status must be documented for the
 * operation and the body must match its JSON schema (components resolved through `$ref`).
 */
export function openApiChecker(document: { paths: Record<string, unknown> }) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true);
  ajv.addFormat('email', true);
  ajv.addFormat('uri', true);
  ajv.addFormat('uuid', true);
  ajv.addSchema(document, 'openapi');
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

  return function expectToMatch(method: string, path: string, res: ResponseLike): void {
    const operation = (document.paths[path] as Record<string, unknown> | undefined)?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    const responses = (operation as { responses: Record<string, unknown> }).responses;
    const status = String(res.status);
    if (!responses[status]) {
      throw new Error(`${method.toUpperCase()} ${path} does not document status ${status}`);
    }
    const content = (responses[status] as { content?: Record<string, unknown> }).content;
    if (!content?.['application/json']) {
      if (res.body && typeof res.body === 'object' && Object.keys(res.body).length > 0) {
        throw new Error(`${method.toUpperCase()} ${path} ${status} documents no body`);
      }
      return;
    }
    const ref = `openapi#/paths/${escape(path)}/${method}/responses/${status}/content/${escape('application/json')}/schema`;
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!validate(res.body)) {
      throw new Error(
        `${method.toUpperCase()} ${path} ${status} body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body)}`,
      );
    }
  };
}

interface DocumentedResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

export interface HttpResponseLike extends ResponseLike {
  headers: Record<string, unknown>;
}

/** Headers the services set on purpose; each must be documented where it appears. */
export const API_HEADERS = ['x-next-cursor', 'link', 'retry-after', 'content-disposition'];

/**
 * A stricter `openApiChecker` for whole responses: the status, the body (JSON against its
 * schema; any other content type must be documented) and every header of `apiHeaders` the
 * response carries must be in the document.
 */
export function documentedResponseChecker(
  document: { paths: Record<string, unknown> },
  apiHeaders: string[] = API_HEADERS,
) {
  const checkBody = openApiChecker(document);
  return function expectDocumented(method: string, path: string, res: HttpResponseLike): void {
    const operation = (document.paths[path] as Record<string, unknown> | undefined)?.[method] as
      { responses: Record<string, DocumentedResponse> } | undefined;
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
    for (const header of apiHeaders) {
      if (res.headers[header] !== undefined && !headers.includes(header)) {
        throw new Error(
          `${method.toUpperCase()} ${path} ${res.status} does not document ${header}`,
        );
      }
    }
  };
}
