// Talking to the service: one fetch wrapper that adds the conversation's token, turns every
// failure into an HttpError (status, code, Retry-After) or a NetworkError, and never caches.

import { state } from "./state.js";

export class HttpError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export class NetworkError extends Error {}

/** The path of one session (or something under it), with ids safely encoded. */
export function sessionPath(sessionId, ...rest) {
  return ["/v1/sessions", sessionId, ...rest].map((part, i) => (i ? encodeURIComponent(part) : part)).join("/");
}

export async function request(path, { method = "GET", body, headers = {}, signal, auth = true } = {}) {
  const allHeaders = { ...headers };
  if (auth && state.session) allHeaders.Authorization = `Bearer ${state.session.token}`;
  if (body !== undefined) allHeaders["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers: allHeaders, signal, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new NetworkError(String(error));
  }
  if (!response.ok) throw await httpError(response);
  return response;
}

async function httpError(response) {
  let code = "";
  let message = "";
  try {
    const body = await response.json();
    code = body?.error?.code || "";
    message = body?.error?.message || "";
  } catch { /* not JSON: the status says enough */ }
  return new HttpError(response.status, code, message, retryAfterSeconds(response.headers.get("Retry-After")));
}

function retryAfterSeconds(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}
