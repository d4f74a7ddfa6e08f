// The conversation on the page: the learner's messages, the tutor's answers (AnswerView,
// re-rendered as the text streams in), their sources and suggestions, and keeping the newest
// text in view while the learner has not scrolled away.

import { showActivity } from "./activity.js";
import { el, requestAsk, ui } from "./dom.js";
import { STOP_CODES } from "./errors.js";
import { i18n } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";
import { state } from "./state.js";

export function isNearBottom() {
  const m = ui.main;
  return m.scrollHeight - m.scrollTop - m.clientHeight < 120;
}

/**
 * Scroll the conversation to `top` at once. The page's own scrolls are never smooth: a smooth
 * scroll still under way would make the next "is the reader near the bottom?" check say no.
 */
export function scrollConversationTo(top) {
  ui.main.scrollTo({ top, behavior: "instant" });
}

export function scrollToBottom(force) {
  if (force || state.pinned) scrollConversationTo(ui.main.scrollHeight);
}

export function updateWelcome() {
  ui.welcome.hidden = ui.messages.childElementCount > 0;
}

export function userMessageNode(text) {
  const article = el("article", "message user");
  article.append(i18n(el("p", "visually-hidden"), "you"));
  article.append(el("div", "bubble", text));
  return article;
}

export function appendUserMessage(text) {
  const article = userMessageNode(text);
  ui.messages.append(article);
  updateWelcome();
  return article;
}

/** The answer's own closing list of suggestions is dropped when the buttons below offer the same. */
function withoutSuggestionList(text, suggestions) {
  if (!suggestions.length) return text;
  const wanted = new Set(suggestions.map((s) => s.trim()));
  const item = /^\s*[-*]\s+/;
  const lines = text.replace(/\s+$/, "").split("\n");
  let end = lines.length;
  while (end > 0 && item.test(lines[end - 1]) && wanted.has(lines[end - 1].replace(item, "").trim())) end--;
  if (end === lines.length) return text;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  if (end > 0 && /^\*\*[^*]+\*\*:?$/.test(lines[end - 1].trim())) end--;
  return lines.slice(0, end).join("\n");
}

/** One answer on the page: its text (re-rendered as it grows), sources, suggestions and status. */
export class AnswerView {
  /** `parent`: where the answer goes (the conversation, or a fragment of older messages). */
  constructor(parent = ui.messages) {
    this.text = "";
    this.sources = [];
    this.suggestions = [];
    this.activity = null;          // what kind of turn this was ("answer", "quiz", "recap", ...)
    this.quiz = null;              // {question} for a quiz, {correct} for a quiz result
    this.messageId = null;
    this.lastEventId = null;
    this.status = "streaming";
    this.shown = "";               // the text as last rendered (without a closing suggestion list)
    this.error = null;
    this.frame = 0;
    this.node = el("article", "message assistant");
    this.node.append(i18n(el("p", "message-label"), "tutor"));
    this.bubble = el("div", "bubble");
    this.node.append(this.bubble);
    parent.append(this.node);
    updateWelcome();
  }

  startStreaming() {
    this.node.classList.add("streaming");
    this.node.setAttribute("aria-busy", "true");
    this.renderText();
  }

  append(text) {
    this.text += text;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderText();
      });
    }
  }

  renderText() {
    const pinned = isNearBottom();
    if (!this.text && this.status === "streaming") {
      const dots = el("span", "typing");
      dots.append(el("span"), el("span"), el("span"));
      this.bubble.replaceChildren(dots);
    } else {
      this.shown = this.status === "complete" ? withoutSuggestionList(this.text, this.suggestions) : this.text;
      this.bubble.replaceChildren(renderMarkdown(this.shown));
    }
    if (pinned) scrollConversationTo(ui.main.scrollHeight);
  }

  /** The answer has ended: show it whole, with what belongs under it. */
  finish(status, error) {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.status = status;
    this.error = error || null;
    this.node.classList.remove("streaming");
    this.node.removeAttribute("aria-busy");
    if (this.messageId) this.node.dataset.messageId = this.messageId;
    const pinned = isNearBottom();
    this.renderText();
    showActivity(this);
    this.node.querySelectorAll(".status-note, .extras").forEach((n) => n.remove());
    if (status === "interrupted" || status === "failed") {
      const stoppedByUs = !error || STOP_CODES.has(error.code);
      const key = status === "failed" ? "failedAnswer" : stoppedByUs ? "stopped" : "cutShort";
      const note = i18n(el("p", `status-note ${status === "failed" ? "failed" : "stopped"}`), key);
      this.node.append(note);
    }
    const extras = el("div", "extras");
    if (this.sources.length) extras.append(renderSources(this.sources));
    if (status === "complete" && this.suggestions.length) extras.append(renderSuggestions(this.suggestions));
    if (extras.childElementCount) this.node.append(extras);
    if (pinned) scrollConversationTo(ui.main.scrollHeight);
  }
}

function renderSources(sources) {
  const details = el("details", "sources");
  details.append(i18n(el("summary"), "sourcesSummary", { n: sources.length }));
  const list = el("ul", "source-list");
  for (const source of sources) {
    const item = el("li");
    const one = el("details", "source");
    one.append(el("summary", null, source.title || source.id));
    one.append(el("p", "source-text", source.text || ""));
    item.append(one);
    list.append(item);
  }
  details.append(list);
  return details;
}

function renderSuggestions(suggestions) {
  const box = el("div");
  const label = i18n(el("p", "suggestions-label"), "suggestionsLabel");
  label.id = `suggestions-${Math.random().toString(36).slice(2)}`;
  const group = el("div", "suggestions");
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", label.id);
  for (const text of suggestions) {
    const button = el("button", "chip suggestion", text);
    button.type = "button";
    button.addEventListener("click", () => requestAsk(text));
    group.append(button);
  }
  box.append(label, group);
  return box;
}

/**
 * Show stored messages (from GET /v1/sessions/{id}) into `parent`. Returns the answer still
 * being written, if the last message is one, so that the caller can stream the rest in.
 */
export function renderStoredMessages(messages, parent = ui.messages) {
  let live = null;
  for (const message of messages) {
    if (message.role === "user") {
      parent.append(userMessageNode(message.content));
      continue;
    }
    const view = new AnswerView(parent);
    view.messageId = message.id;
    view.text = message.content || "";
    view.sources = message.sources || [];
    view.suggestions = message.suggestions || [];
    view.activity = message.activity || null;
    view.quiz = message.quiz || null;
    if (message.status === "streaming") {
      view.startStreaming();
      live = view;
    } else {
      view.finish(message.status, message.error_code ? { code: message.error_code } : null);
    }
  }
  updateWelcome();
  return live;
}
