/**
 * The pack's REST calls from a console page: the console's own keycloak-js instance supplies a fresh token, and
 * an error answer in the pack's contract shape ({"error", "error_description"}) becomes an {@link ApiError} whose
 * message is the server's description, shown to the user as it is.
 */
export type TokenSource = {
  token?: string;
  updateToken(minValidity: number): Promise<boolean>;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

export async function call<T>(
  keycloak: TokenSource,
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  await keycloak.updateToken(5);
  const headers: Record<string, string> = {
    Authorization: `Bearer ${keycloak.token}`,
    Accept: "application/json",
  };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const body = (json ?? {}) as { error?: string; error_description?: string; errorMessage?: string };
    throw new ApiError(
      response.status,
      body.error ?? `HTTP ${response.status}`,
      body.error_description ?? body.errorMessage ?? body.error ?? `The server answered ${response.status}`,
    );
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "2026-12-01T10:00:00Z" → the user's locale, or an em dash for none. */
export function when(iso?: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export const enc = encodeURIComponent;

/** The request field a contract error names ("Field 'duration' ..."), to show the error at that field. */
export function fieldOf(e: unknown): string | undefined {
  return /^Fields? '([A-Za-z]+)'/.exec(message(e))?.[1];
}
