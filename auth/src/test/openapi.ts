import { openApiChecker } from '@taskforge/common/testing';
import { openApiDocument } from '../contracts';

/** The status, body and API headers of a real response must all be in the OpenAPI document. */
export const expectDocumented = openApiChecker(openApiDocument);
