// The learner's chat page: the entry module, which only wires the parts together.
// Plain JavaScript modules, no build step, no third-party code.
//
// Safety rule for every module: text that comes from the model or the learner only ever
// reaches the page through textContent or text nodes (never as markup), so nothing anyone
// writes can run script or inject markup. tests/test_web_headers.py checks each file.
//
//   strings.js       every string the page shows, Korean and English
//   i18n.js          the current language, string lookup, translating marked elements
//   storage.js       what the browser remembers (conversation token, language, draft, access key)
//   state.js         the page's shared, changing state
//   dom.js           the page's fixed elements, an element factory, the "ask this" event
//   api.js           requests to the service, and their errors
//   errors.js        plain-words explanations and the error banner
//   stream.js        reading the answer's server-sent events, reopening a dropped stream
//   markdown.js      a small Markdown renderer that builds DOM from text nodes only
//   conversation.js  the messages on the page (AnswerView), sources and suggestions
//   composer.js      the question box (IME-safe Enter, draft, busy state)
//   session.js       the conversation on the service: create, reload (paged), expire, new, delete
//   turn.js          one turn: send, stream, resume, stop
//   path-panel.js    the learning path
//   activity.js      how a quiz, a quiz result, a recap ... show (from `done.activity`)
//   access-key.js    asking for the access key of a private service

import { isNearBottom, updateWelcome } from "./conversation.js";
import { wireComposer } from "./composer.js";
import { isTouch, onAskRequest, ui } from "./dom.js";
import { wireErrorBanner } from "./errors.js";
import { currentLanguage, setLanguage, t } from "./i18n.js";
import { loadLessons, renderLessons, wirePath } from "./path-panel.js";
import { restoreSession, wireSessionButtons } from "./session.js";
import { state } from "./state.js";
import { ask, reloadConversation, stopAnswer } from "./turn.js";

function applyLanguage(next) {
  setLanguage(next);
  ui.langToggle.textContent = t("langButton");
  ui.langToggle.lang = next === "ko" ? "en" : "ko";
  ui.langToggle.setAttribute("aria-label", t("langButtonLabel"));
  if (state.lessons.length) renderLessons();
}

function wire() {
  onAskRequest(ask);
  wireComposer();
  wireErrorBanner();
  wireSessionButtons();
  wirePath();
  ui.stop.addEventListener("click", stopAnswer);
  ui.main.addEventListener("scroll", () => { state.pinned = isNearBottom(); }, { passive: true });
  ui.langToggle.addEventListener("click", () => applyLanguage(currentLanguage() === "ko" ? "en" : "ko"));
  document.querySelectorAll("[data-i18n^='starter']").forEach((button) => {
    button.addEventListener("click", () => ask(button.textContent));
  });
  document.getElementById("ask-quiz").addEventListener("click", () => ask(t("askQuizText")));
  document.getElementById("ask-recap").addEventListener("click", () => ask(t("askRecapText")));
}

function start() {
  wire();
  applyLanguage(currentLanguage());
  restoreSession();
  updateWelcome();
  loadLessons();
  reloadConversation();
  if (!isTouch()) ui.input.focus();
}

start();
