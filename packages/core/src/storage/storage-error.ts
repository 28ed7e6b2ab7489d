/**
 * An S3-style failure of the local backend: `code` is the S3 error code a
 * client would see from AWS for the same mistake, `status` its HTTP status.
 */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
