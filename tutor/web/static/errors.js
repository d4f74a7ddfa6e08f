// What went wrong, in plain words, and the banner above the question box that says it
// (with a button that retries, when retrying makes sense); and a quieter notice for what the
// page did on its own (a new conversation in place of an expired one).

import { HttpError, NetworkError } from "./api.js";
import { ui } from "./dom.js";
import { i18n, t } from "./i18n.js";
import { state } from "./state.js";

/** Codes that end an answer because someone chose to stop it: nothing to apologise for. */
export const STOP_CODES = new Set(["stopped", "interrupted", "client_disconnected", "session_deleted", "cancelled"]);

/** A plain-words explanation for anything that went wrong (`text`: the message being sent). */
export function describe(error, text) {
  if (error instanceof NetworkError) return t("errUnreachable");
  if (!(error instanceof HttpError)) return t("errServer");
  const { status, code } = error;
  if (status === 429 || code === "rate_limited" || code === "provider_rate_limited") {
    return t("errRateLimited", { seconds: error.retryAfter || 30 });
  }
  if (code === "message_too_long" || status === 413) {
    const max = /limit is (\d+)/.exec(error.message || "");
    return max && text ? t("errTooLong", { length: text.length, max: max[1] }) : t("errTooLongPlain");
  }
  if (code === "api_key_required") return t("errKeyNeeded");
  if (code === "turn_in_progress") return t("errBusy");
  if (code === "session_full") return t("errSessionFull");
  if (status === 503 || status === 502 || status === 504 || code.startsWith("provider_")) return t("errProvider");
  if (code === "turn_timeout") return t("errTimeout");
  if (code === "server_shutdown") return t("errRestarting");
  if (status >= 400 && status < 500) return t("errInvalid");
  return t("errServer");
}

export function showError(message, retry, retryLabelKey = "retry") {
  ui.errorText.textContent = message;
  state.retry = retry || null;
  ui.errorRetry.hidden = !retry;
  i18n(ui.errorRetry, retryLabelKey);
  ui.errorBanner.hidden = false;
}

export function clearError() {
  ui.errorBanner.hidden = true;
  ui.errorText.textContent = "";
  state.retry = null;
}

export function showNotice(key) {
  i18n(ui.noticeText, key);
  ui.notice.hidden = false;
}

export function clearNotice() {
  ui.notice.hidden = true;
}

export function wireErrorBanner() {
  ui.noticeClose.addEventListener("click", () => { clearNotice(); ui.input.focus(); });
  ui.errorRetry.addEventListener("click", () => {
    const retry = state.retry;
    clearError();
    if (retry) retry();
  });
  ui.errorClose.addEventListener("click", () => { clearError(); ui.input.focus(); });
}
