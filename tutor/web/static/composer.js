// The question box: sending with Enter (but not the Enter that ends an IME composition),
// growing with its text, keeping an unsent draft across reloads, and the busy state that
// swaps Send for Stop and disables every button that would ask something; after a quiz
// question it says that the next message is the answer.

import { requestAsk, ui } from "./dom.js";
import { i18n } from "./i18n.js";
import { state } from "./state.js";
import { readDraft, writeDraft } from "./storage.js";

/** Every button that asks a question on the learner's behalf carries one of these classes. */
const ASKING_BUTTONS = ".suggestion, .passage-button, .explain-lesson, .chip[data-i18n^='starter'], .asks";

export function setBusy(busy) {
  ui.send.hidden = busy;
  ui.stop.hidden = !busy;
  ui.stop.disabled = false;
  document.querySelectorAll(ASKING_BUTTONS).forEach((button) => { button.disabled = busy; });
}

function autosize() {
  if (CSS.supports("field-sizing", "content")) return;
  ui.input.style.height = "auto";
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, window.innerHeight * 0.4)}px`;
}

export function setInput(value) {
  ui.input.value = value;
  autosize();
  writeDraft(ui.input.value);
}

/** After a quiz question the box says that the next message is the answer (and looks it). */
export function expectQuizAnswer(expected) {
  ui.form.classList.toggle("expects-answer", expected);
  i18n(ui.input, expected ? "quizInputPlaceholder" : "inputPlaceholder", undefined, "placeholder");
  i18n(ui.hint, expected ? "quizInputHint" : "inputHint");
}

let composing = false;

function onKeyDown(event) {
  if (event.key !== "Enter" || event.shiftKey) return;          // Shift+Enter: a new line
  // The Enter that commits a syllable in an input method belongs to the IME, not to us.
  if (event.isComposing || composing || event.keyCode === 229) return;
  event.preventDefault();
  submitInput();
}

function submitInput() {
  const text = ui.input.value;
  if (!text.trim() || state.current) return;
  requestAsk(text);
}

export function wireComposer() {
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitInput();
  });
  ui.input.addEventListener("compositionstart", () => { composing = true; });
  ui.input.addEventListener("compositionend", () => { composing = false; });
  ui.input.addEventListener("keydown", onKeyDown);
  ui.input.addEventListener("input", () => { autosize(); writeDraft(ui.input.value); });
  setInput(readDraft());
}
