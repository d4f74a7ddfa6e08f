// The learning path: the lessons and their passages in teaching order, each a button that
// asks about it, with a ✓ on what this conversation has covered; on a narrow screen it is a
// drawer over the chat (focus moves into it, Escape closes it, the chat behind is inert).

import { el, requestAsk, ui } from "./dom.js";
import { setBusy } from "./composer.js";
import { i18n, localized, t } from "./i18n.js";
import { request } from "./api.js";
import { state } from "./state.js";

export async function loadLessons() {
  try {
    const response = await request("/v1/lessons", { auth: false });
    state.lessons = (await response.json()).lessons || [];
    ui.lessonError.hidden = true;
  } catch {
    ui.lessonError.hidden = false;
    i18n(ui.lessonError, "lessonsFailed");
    return;
  }
  renderLessons();
}


export function renderLessons() {
  const open = new Set([...ui.lessonList.querySelectorAll("details[open]")].map((d) => d.dataset.lessonId));
  const firstRender = ui.lessonList.childElementCount === 0;
  ui.lessonList.replaceChildren();
  state.lessons.forEach((lesson, index) => {
    const item = el("li");
    const details = el("details", "lesson");
    details.dataset.lessonId = lesson.id;
    if (open.has(lesson.id) || (firstRender && index === 0)) details.open = true;
    const summary = el("summary");
    summary.append(el("span", "lesson-number", String(index + 1)));
    summary.append(el("span", "lesson-title", localized(lesson.title)));
    summary.append(el("span", "lesson-count"));
    details.append(summary);

    const body = el("div", "lesson-body");
    if (localized(lesson.summary)) body.append(el("p", "lesson-summary", localized(lesson.summary)));
    const explain = i18n(el("button", "chip explain-lesson"), "explainLesson");
    explain.type = "button";
    explain.addEventListener("click", () => requestAsk(t("askAbout", { title: localized(lesson.title) })));
    body.append(explain);

    const passages = el("ul", "passage-list");
    for (const passage of lesson.passages || []) {
      const li = el("li", "passage");
      li.dataset.passageId = passage.id;
      const button = el("button", "passage-button");
      button.type = "button";
      button.append(el("span", "passage-mark"), el("span", null, localized(passage.title)));
      button.addEventListener("click", () => requestAsk(t("askAbout", { title: localized(passage.title) })));
      li.append(button);
      passages.append(li);
    }
    body.append(passages);
    details.append(body);
    item.append(details);
    ui.lessonList.append(item);
  });
  updateCovered();
  setBusy(Boolean(state.current));
}

export function updateCovered() {
  let total = 0;
  let done = 0;
  for (const details of ui.lessonList.querySelectorAll(".lesson")) {
    const lesson = state.lessons.find((l) => l.id === details.dataset.lessonId);
    let covered = 0;
    const items = details.querySelectorAll(".passage");
    items.forEach((li) => {
      const passage = lesson?.passages.find((p) => p.id === li.dataset.passageId);
      const isCovered = state.covered.has(li.dataset.passageId);
      li.classList.toggle("is-covered", isCovered);
      li.querySelector(".passage-mark").textContent = isCovered ? "✓" : "";
      i18n(li.querySelector("button"), isCovered ? "passageAskCovered" : "passageAsk",
        { title: localized(passage?.title) }, "aria-label");
      if (isCovered) covered += 1;
    });
    total += items.length;
    done += covered;
    details.classList.toggle("is-covered", items.length > 0 && covered === items.length);
    details.classList.toggle("is-partial", covered > 0 && covered < items.length);
    const count = details.querySelector(".lesson-count");
    i18n(count, "lessonCount", { n: covered, total: items.length });
    i18n(count, "lessonCountLabel", { n: covered, total: items.length }, "aria-label");
  }
  if (total) i18n(ui.progress, "pathProgress", { n: done, total });
  ui.meter.max = Math.max(total, 1);
  ui.meter.value = done;
}

function isNarrow() {
  return window.matchMedia("(max-width: 860px)").matches;
}

function openPath() {
  ui.returnFocus = null;
  ui.panel.classList.add("is-open");
  ui.backdrop.hidden = false;
  ui.openPath.setAttribute("aria-expanded", "true");
  ui.chat.inert = true;
  ui.closePath.focus();
}

function closePath() {
  if (!ui.panel.classList.contains("is-open")) return;
  ui.panel.classList.remove("is-open");
  ui.backdrop.hidden = true;
  ui.openPath.setAttribute("aria-expanded", "false");
  ui.chat.inert = false;
}

function returnFocusFromPath() {
  const target = ui.returnFocus && !ui.returnFocus.closest("[hidden]") ? ui.returnFocus : ui.openPath;
  ui.returnFocus = null;
  target.focus();
}

export function closePathOnNarrow() {
  if (isNarrow()) closePath();
}

export function wirePath() {
  ui.openPath.addEventListener("click", openPath);
  ui.welcomePath.addEventListener("click", () => {
    openPath();
    ui.returnFocus = ui.welcomePath;
  });
  ui.closePath.addEventListener("click", () => { closePath(); returnFocusFromPath(); });
  ui.backdrop.addEventListener("click", closePath);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && ui.panel.classList.contains("is-open")) {
      closePath();
      returnFocusFromPath();
    }
  });
  window.matchMedia("(max-width: 860px)").addEventListener("change", (query) => {
    if (!query.matches) closePath();
  });
}
