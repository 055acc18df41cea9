// Voice REST API error bodies (bandwidth.md §7.2).

export type ErrorType =
  | "validation"
  | "authentication-error"
  | "authorization-error"
  | "error"
  | "internal-error"
  | "system-overloaded";

export interface ApiError {
  status: number;
  body: { type: ErrorType; description: string; id: string | null };
  headers?: Record<string, string>;
}

export const apiError = (status: number, type: ErrorType, description: string, id: string | null = null): ApiError => ({
  status,
  body: { type, description, id },
});

export const ERRORS = {
  unauthorized: () => apiError(401, "authentication-error", "The credentials provided were invalid"),
  forbidden: () => apiError(403, "authorization-error", "Access is denied"),
  notFound: (callId: string) => apiError(404, "validation", `Call [${callId}] not found`),
  noRoute: () => apiError(404, "validation", "Resource not found"),
  methodNotAllowed: () => apiError(405, "validation", "Method Not Allowed"),
  conflict: (callId: string) => apiError(409, "validation", `Call [${callId}] cannot be modified in its current state`, ""),
  unsupportedType: (ct: string) => apiError(415, "validation", `Content type '${ct}' not supported`),
  invalid: (description: string) => apiError(400, "validation", description),
  internal: () => apiError(500, "internal-error", "An unknown internal error occurred"),
};
