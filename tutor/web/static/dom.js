// The page's fixed elements, a small element factory, and the one way any part of the page
// asks a question on the learner's behalf (a "tutor:ask" event the turn logic listens to),
// so that buttons deep in a view need not know how a turn is run.

const $ = (id) => document.getElementById(id);

export const ui = {
  main: $("main"),
  welcome: $("welcome"),
  welcomePath: $("welcome-path"),
  messages: $("messages"),
  form: $("composer"),
  input: $("composer-input"),
  hint: $("composer-hint"),
  notice: $("notice"),
  noticeText: $("notice-text"),
  noticeClose: $("notice-close"),
  earlier: $("earlier"),
  loadEarlier: $("load-earlier"),
  keyDialog: $("key-dialog"),
  keyForm: $("key-form"),
  keyInput: $("key-input"),
  keyError: $("key-error"),
  keySubmit: $("key-submit"),
  keyCancel: $("key-cancel"),
  send: $("send"),
  stop: $("stop"),
  errorBanner: $("error-banner"),
  errorText: $("error-text"),
  errorRetry: $("error-retry"),
  errorClose: $("error-close"),
  newChat: $("new-chat"),
  deleteChat: $("delete-chat"),
  deleteDialog: $("delete-dialog"),
  langToggle: $("lang-toggle"),
  panel: $("path-panel"),
  openPath: $("open-path"),
  closePath: $("close-path"),
  backdrop: $("path-backdrop"),
  lessonList: $("lesson-list"),
  lessonError: $("lesson-error"),
  progress: $("path-progress"),
  meter: $("path-meter"),
  chat: document.querySelector(".chat"),
};

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const ASK_EVENT = "tutor:ask";

/** Ask `text` as if the learner had typed and sent it. */
export function requestAsk(text) {
  document.dispatchEvent(new CustomEvent(ASK_EVENT, { detail: { text } }));
}

export function onAskRequest(handler) {
  document.addEventListener(ASK_EVENT, (event) => handler(event.detail.text));
}

export function isTouch() {
  return window.matchMedia("(pointer: coarse)").matches;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
