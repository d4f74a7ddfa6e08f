// How a turn's activity shows. A quiz question becomes a card where the question stands out
// and the learner is told that the next message is the answer; a quiz result says right or
// wrong (or partly right) in words and with ✓/✗/½ (never by colour alone) and offers another question; a recap,
// an overview of the course or the learner's progress get a light label. The activity comes
// from the `done` event, or from each stored message after a reload.

import { el, requestAsk } from "./dom.js";
import { i18n, t } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";

const LABELS = { quiz: "activityQuiz", recap: "activityRecap", overview: "activityOverview", progress: "activityProgress" };
const ADDED = ".activity-label, .quiz-question, .quiz-hint, .quiz-verdict, .quiz-next";

/**
 * The answer's text around the line that states the quiz question ("**퀴즈** …?"), so that
 * the card can show the question in its place, set apart. No such line: all of it comes before.
 */
function aroundQuestion(text, question) {
  const wanted = normalise(question);
  const lines = text.split("\n");
  const index = wanted ? lines.findIndex((line) => {
    const plain = normalise(line);
    return plain.includes(wanted) && plain.length - wanted.length <= 12;
  }) : -1;
  if (index < 0) return { before: text, after: "" };
  return { before: lines.slice(0, index).join("\n"), after: lines.slice(index + 1).join("\n") };
}

function normalise(text) {
  return String(text || "").replace(/[*_`#>]/g, "").replace(/\s+/g, " ").trim();
}

/** Whether the learner's next message answers this answer's quiz question. */
export function asksForAnAnswer(view) {
  return view.status === "complete" && view.activity === "quiz" && Boolean(view.quiz?.question);
}

/** Mark up a finished answer for its activity (again from scratch: it may be re-rendered). */
export function showActivity(view) {
  const { node, bubble } = view;
  node.querySelectorAll(ADDED).forEach((added) => added.remove());
  node.classList.remove("is-quiz", "is-quiz-result", "is-correct", "is-wrong", "is-partly");
  delete node.dataset.activity;
  if (view.status !== "complete" || !view.activity) return;
  node.dataset.activity = view.activity;

  const labelKey = LABELS[view.activity];
  if (labelKey) bubble.before(i18n(el("p", `activity-label activity-${view.activity}`), labelKey));

  if (asksForAnAnswer(view)) {
    node.classList.add("is-quiz");
    const box = el("div", "quiz-question");
    box.append(i18n(el("p", "quiz-question-label"), "quizQuestion"), el("p", "quiz-question-text", view.quiz.question));
    const { before, after } = aroundQuestion(view.shown, view.quiz.question);
    bubble.replaceChildren(renderMarkdown(before), box, renderMarkdown(after), i18n(el("p", "quiz-hint"), "quizHint"));
  } else if (view.activity === "quiz_result" && typeof view.quiz?.correct === "boolean") {
    const correct = view.quiz.correct;
    const partly = !correct && view.quiz.partly === true;   // a part of the answer was there
    node.classList.add("is-quiz-result", correct ? "is-correct" : partly ? "is-partly" : "is-wrong");
    const mark = el("span", "quiz-mark", correct ? "✓" : partly ? "½" : "✗");
    mark.setAttribute("aria-hidden", "true");       // the words beside it say the same
    const verdict = el("p", "quiz-verdict");
    verdict.append(mark, i18n(el("span"), correct ? "quizCorrect" : partly ? "quizPartly" : "quizWrong"));
    bubble.before(verdict);
    const next = i18n(el("button", "chip asks quiz-next"), "quizAnother");
    next.type = "button";
    next.addEventListener("click", () => requestAsk(t("quizAnotherAsk")));
    bubble.after(next);
  }
}
