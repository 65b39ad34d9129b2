import Ajv2020 from 'ajv/dist/2020';

interface ResponseLike {
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
