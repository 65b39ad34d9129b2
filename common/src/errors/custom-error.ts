export interface SerializedError {
  message: string;
  field?: string;
}

/** An error that is safe to show to the client: it knows its status and its JSON shape. */
export abstract class CustomError extends Error {
  abstract readonly statusCode: number;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  serializeErrors(): SerializedError[] {
    return [{ message: this.message }];
  }
}
