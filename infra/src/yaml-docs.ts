import { parseAllDocuments } from 'yaml';

/** Every non-empty document of a multi-document YAML stream; a syntax error throws. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) {
        throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
      }
      return doc.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}
