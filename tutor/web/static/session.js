// The learner's conversation on the service: creating it on the first question, showing it
// again after a reload, starting a new one, deleting it. The id and token are kept in the
// browser (storage.js); a conversation the service no longer knows is quietly replaced.

import { HttpError, NetworkError, request, sessionPath } from "./api.js";
import { setBusy, setInput } from "./composer.js";
import { renderStoredMessages, scrollToBottom, updateWelcome } from "./conversation.js";
import { ui } from "./dom.js";
import { clearError, showError } from "./errors.js";
import { currentLanguage, t } from "./i18n.js";
import { updateCovered } from "./path-panel.js";
import { state } from "./state.js";
import { readSession, writeSession } from "./storage.js";

export function saveSession(session) {
  state.session = session;
  writeSession(session);
  ui.deleteChat.disabled = !session;
}

/** Pick up the conversation kept in this browser, if there is one and it is not past its lifetime. */
export function restoreSession() {
  const stored = readSession();
  saveSession(stored && !stored.expired ? stored : null);
}

/** The conversation was just used: its lifetime starts again (the service counts idle time too). */
export function touchSession() {
  if (state.session) saveSession({ ...state.session, usedAt: Date.now() });
}

export async function ensureSession() {
  if (state.session) return state.session;
  const response = await request("/v1/sessions", { method: "POST", body: { language: currentLanguage() }, auth: false });
  const created = await response.json();
  saveSession({ id: created.id, token: created.token });
  return state.session;
}

/**
 * Show the stored conversation (after a reload). `onLive(view)` is given the answer that is
 * still being written, if any. Returns false when it could not be loaded (the banner says so).
 */
export async function loadConversation(onLive) {
  if (!state.session) return true;
  let data;
  try {
    const response = await request(sessionPath(state.session.id));
    data = await response.json();
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 401)) {
      startNewConversation({ keepInput: true });
      return true;
    }
    showError(error instanceof NetworkError ? t("errUnreachable") : t("errLoad"), () => loadConversation(onLive));
    return false;
  }
  clearError();
  ui.messages.replaceChildren();
  const live = renderStoredMessages(data.messages || []);
  state.covered = new Set(data.covered || []);
  updateCovered();
  scrollToBottom(true);
  if (live) onLive(live);
  return true;
}

/** Stop following the answer being written (the service may go on writing it). */
export function abandonCurrent() {
  const view = state.current;
  if (!view) return;
  view.abandoned = true;
  try { view.controller?.abort(); } catch { /* already closed */ }
  state.current = null;
  setBusy(false);
}

export function startNewConversation({ keepInput = false } = {}) {
  abandonCurrent();
  saveSession(null);
  state.covered = new Set();
  updateCovered();
  clearError();
  ui.messages.replaceChildren();
  updateWelcome();
  if (!keepInput) setInput("");
}

/** The conversation is gone on the service: forget it, keeping only the nodes in `keep`. */
export function forgetSession(keep) {
  saveSession(null);
  state.covered = new Set();
  updateCovered();
  for (const node of [...ui.messages.children]) {
    if (!keep.includes(node)) node.remove();
  }
}

export async function deleteConversation() {
  const session = state.session;
  if (!session) return;
  abandonCurrent();
  try {
    await request(sessionPath(session.id), { method: "DELETE" });
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 404)) {
      showError(error instanceof NetworkError ? t("errUnreachable") : t("errDelete"), deleteConversation);
      return;
    }
  }
  startNewConversation({ keepInput: true });
  ui.input.focus();
}

export function wireSessionButtons() {
  ui.newChat.addEventListener("click", () => {
    startNewConversation({ keepInput: true });
    ui.input.focus();
  });
  ui.deleteChat.addEventListener("click", () => ui.deleteDialog.showModal());
  ui.deleteDialog.addEventListener("close", () => {
    if (ui.deleteDialog.returnValue === "delete") deleteConversation();
    else ui.deleteChat.focus();
    ui.deleteDialog.returnValue = "";
  });
}
