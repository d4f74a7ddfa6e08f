// What the page remembers in the browser: the conversation's id and token (with when it was
// last used, so an old token is dropped rather than sent), the language, the unsent draft,
// and, for a private service, the access key for this tab only (sessionStorage).
// Storage may be disabled or full: every function here then simply forgets.

const SESSION_KEY = "tutor.session.v1";
const LANG_KEY = "tutor.lang";
const DRAFT_KEY = "tutor.draft";
const ACCESS_KEY = "tutor.accessKey";

/** How long an unused conversation is kept: the service forgets idle sessions too. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The stored conversation {id, token, usedAt}, or null (none, damaged, or past its lifetime). */
export function readSession(now = Date.now()) {
  let value = null;
  try {
    value = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
  } catch { /* a damaged entry counts as none */ }
  if (!value || typeof value.id !== "string" || typeof value.token !== "string") return null;
  const usedAt = Number.isFinite(value.usedAt) ? value.usedAt : now;
  const lifetime = Number.isFinite(value.lifetimeMs) ? value.lifetimeMs : SESSION_LIFETIME_MS;
  if (now - usedAt > lifetime) return { ...value, usedAt, expired: true };
  return { id: value.id, token: value.token, usedAt, lifetimeMs: value.lifetimeMs };
}

export function writeSession(session) {
  try {
    if (!session) {
      localStorage.removeItem(SESSION_KEY);
      return;
    }
    const entry = { id: session.id, token: session.token, usedAt: session.usedAt ?? Date.now() };
    if (Number.isFinite(session.lifetimeMs)) entry.lifetimeMs = session.lifetimeMs;
    localStorage.setItem(SESSION_KEY, JSON.stringify(entry));
  } catch { /* the conversation just will not survive a reload */ }
}

export function readLanguage() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "ko" || saved === "en") return saved;
  } catch { /* storage may be disabled */ }
  return "ko";
}

export function writeLanguage(lang) {
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* ignore */ }
}

export function readDraft() {
  try { return localStorage.getItem(DRAFT_KEY) || ""; } catch { return ""; }
}

export function writeDraft(text) {
  try { localStorage.setItem(DRAFT_KEY, text); } catch { /* ignore */ }
}

export function readAccessKey() {
  try { return sessionStorage.getItem(ACCESS_KEY) || ""; } catch { return ""; }
}

export function writeAccessKey(key) {
  try {
    if (key) sessionStorage.setItem(ACCESS_KEY, key);
    else sessionStorage.removeItem(ACCESS_KEY);
  } catch { /* asked again on the next reload */ }
}
