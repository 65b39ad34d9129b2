import { NotFoundError, type SerializedError } from '@taskforge/common';

/** A 404 about one input: the thing it names does not exist (an email nobody has). */
export class FieldNotFoundError extends NotFoundError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }

  override serializeErrors(): SerializedError[] {
    return [{ message: this.message, field: this.field }];
  }
}
