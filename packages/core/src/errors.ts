/**
 * Errors that map to an HTTP response in one of DANDI's error shapes:
 * - `detail`: {"detail": "..."} (DRF standard: 401/403/404/405)
 * - `string`: a bare JSON string (DANDI's service errors)
 * - `body`: any JSON body as given (serializer field errors, lists)
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "string" ? body : JSON.stringify(body));
  }

  /** {"detail": message} */
  static detail(status: number, message: string, headers?: Record<string, string>): ApiError {
    return new ApiError(status, { detail: message }, headers);
  }

  /** A bare JSON string body, as DANDI's DandiError subclasses answer. */
  static string(status: number, message: string, headers?: Record<string, string>): ApiError {
    return new ApiError(status, message, headers);
  }

  static notFound(message = "Not found."): ApiError {
    return ApiError.detail(404, message);
  }

  /**
   * 401 with DRF's WWW-Authenticate, which comes from DANDI's first
   * authentication class (OAuth2: `Bearer realm="api"`). Also for a bad key
   * (DRF's AuthenticationFailed carries the same header).
   */
  static unauthenticated(message = "Authentication credentials were not provided."): ApiError {
    return ApiError.detail(401, message, { "WWW-Authenticate": 'Bearer realm="api"' });
  }

  static forbidden(message = "You do not have permission to perform this action."): ApiError {
    return ApiError.detail(403, message);
  }

  /** Serializer-style field errors: {"field": ["message"]}. */
  static fields(errors: Record<string, string[] | unknown[]>, status = 400): ApiError {
    return new ApiError(status, errors);
  }

  /** A non-field validation error: ["message"]. */
  static list(messages: string[], status = 400): ApiError {
    return new ApiError(status, messages);
  }
}
