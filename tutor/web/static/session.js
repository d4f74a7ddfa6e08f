// The learner's conversation on the service: creating it on the first question (with an
// access key when the service is private), showing its newest messages again after a reload
// and earlier ones on request, starting a new one, deleting it. The id and token are kept in
// the browser with when they were last used (storage.js); a conversation past its lifetime, or
// one the service no longer knows, is replaced by a new one with a short notice.

import { askAccessKey } from "./access-key.js";
import { HttpError, NetworkError, request, sessionPath } from "./api.js";
import { expectQuizAnswer, setBusy, setInput } from "./composer.js";
import { renderStoredMessages, scrollConversationTo, scrollToBottom, updateWelcome } from "./conversation.js";
import { ui } from "./dom.js";
import { clearError, clearNotice, describe, showError, showNotice } from "./errors.js";
import { currentLanguage, i18n, t } from "./i18n.js";
import { updateCovered } from "./path-panel.js";
import { state } from "./state.js";
import { SESSION_LIFETIME_MS, readAccessKey, readSession, writeAccessKey, writeSession } from "./storage.js";

/** Messages per read: the service's default page, newest first. */
const PAGE_SIZE = 50;

export function saveSession(session) {
  state.session = session;
  writeSession(session);
  ui.deleteChat.disabled = !session;
}

/** Pick up the conversation kept in this browser, if there is one and it is not past its lifetime. */
export function restoreSession() {
  const stored = readSession();
  saveSession(stored && !stored.expired ? stored : null);
  if (stored?.expired) showNotice("noticeExpired");
}

function isPastLifetime(session) {
  return Date.now() - session.usedAt > (session.lifetimeMs ?? SESSION_LIFETIME_MS);
}

/** The conversation was just used: its lifetime starts again (the service counts idle time too). */
export function touchSession() {
  if (state.session) saveSession({ ...state.session, usedAt: Date.now() });
}

/** The conversation to send to: the current one, or a new one (the old one kept `keep` on the page). */
export async function ensureSession(keep = []) {
  if (state.session && isPastLifetime(state.session)) expireSession(keep);
  if (state.session) return state.session;
  const created = await createSession();
  saveSession({ id: created.id, token: created.token });
  return state.session;
}

async function createSession() {
  const post = async (key) => {
    const headers = key ? { "X-API-Key": key } : {};
    const response = await request("/v1/sessions", {
      method: "POST", body: { language: currentLanguage() }, headers, auth: false,
    });
    return response.json();
  };
  const kept = readAccessKey();
  try {
    return await post(kept);
  } catch (error) {
    if (!isKeyRequired(error)) throw error;
  }
  writeAccessKey("");
  const created = await askAccessKey(async (key) => {
    try {
      const result = await post(key);
      writeAccessKey(key);
      return result;
    } catch (error) {
      if (isKeyRequired(error)) return null;
      throw error;
    }
  }, { wrongAtStart: Boolean(kept) });
  if (created === null) throw new HttpError(401, "api_key_required", "");
  return created;
}

function isKeyRequired(error) {
  return error instanceof HttpError && error.status === 401
    && (error.code === "api_key_required" || error.code === "unauthorized");
}

/**
 * Show the stored conversation (after a reload). `onLive(view)` is given the answer that is
 * still being written, if any. Returns false when it could not be loaded (the banner says so).
 */
export async function loadConversation(onLive) {
  if (!state.session) return true;
  let data;
  try {
    const response = await request(`${sessionPath(state.session.id)}?limit=${PAGE_SIZE}`);
    data = await response.json();
  } catch (error) {
    if (isGone(error)) {
      startNewConversation({ keepInput: true });
      showNotice("noticeExpired");
      return true;
    }
    showError(error instanceof NetworkError ? t("errUnreachable") : t("errLoad"), () => loadConversation(onLive));
    return false;
  }
  clearError();
  ui.messages.replaceChildren();
  const live = renderStoredMessages(data.messages || []);
  showEarlierControl(data.older);
  state.covered = new Set(data.covered || []);
  updateCovered();
  scrollToBottom(true);
  expectQuizAnswer(Boolean(ui.messages.lastElementChild?.classList.contains("is-quiz")));
  if (live) onLive(live);
  return true;
}

/** Show the page of messages before the first one shown, keeping the view where it was. */
export async function loadEarlier() {
  const session = state.session;
  if (!session || !state.older) return;
  ui.loadEarlier.disabled = true;
  i18n(ui.loadEarlier, "loadingEarlier");
  let data;
  try {
    const before = encodeURIComponent(state.older);
    data = await (await request(`${sessionPath(session.id)}?limit=${PAGE_SIZE}&before=${before}`)).json();
  } catch (error) {
    i18n(ui.loadEarlier, "loadEarlier");
    ui.loadEarlier.disabled = false;
    if (isGone(error)) {
      startNewConversation({ keepInput: true });
      showNotice("noticeExpired");
    } else {
      showError(describe(error), loadEarlier);
    }
    return;
  }
  if (state.session !== session) return;          // a new conversation began meanwhile
  const { scrollHeight, scrollTop } = ui.main;
  const older = document.createDocumentFragment();
  renderStoredMessages(data.messages || [], older);
  const firstNew = older.firstElementChild;
  ui.messages.prepend(older);
  scrollConversationTo(scrollTop + (ui.main.scrollHeight - scrollHeight));
  i18n(ui.loadEarlier, "loadEarlier");
  ui.loadEarlier.disabled = false;
  showEarlierControl(data.older);
  if (ui.earlier.hidden && firstNew) {
    // The button is gone: keep the keyboard where the reader is, on the oldest message.
    firstNew.tabIndex = -1;
    firstNew.focus({ preventScroll: true });
  }
}

function showEarlierControl(older) {
  state.older = older ?? null;
  ui.earlier.hidden = !state.older;
}

/** The service no longer knows this conversation: deleted elsewhere, or idle past its lifetime. */
function isGone(error) {
  return error instanceof HttpError && (error.status === 404 || error.status === 401);
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
  clearNotice();
  ui.messages.replaceChildren();
  showEarlierControl(null);
  expectQuizAnswer(false);
  updateWelcome();
  if (!keepInput) setInput("");
}

/**
 * The conversation is gone on the service (or past its lifetime here): forget it, keeping
 * only the nodes in `keep` (the question being sent), and say that a new one begins.
 */
export function expireSession(keep) {
  saveSession(null);
  state.covered = new Set();
  updateCovered();
  showEarlierControl(null);
  for (const node of [...ui.messages.children]) {
    if (!keep.includes(node)) node.remove();
  }
  showNotice("noticeExpired");
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
  ui.loadEarlier.addEventListener("click", loadEarlier);
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
