// One turn of the conversation: send the learner's message, stream the answer into an
// AnswerView, pick a dropped stream up again where it stopped, and stop an answer on request.
// A refused message (429, 503, too long, ...) is put back in the question box, nothing lost.

import { HttpError, request, sessionPath } from "./api.js";
import { asksForAnAnswer } from "./activity.js";
import { expectQuizAnswer, setBusy, setInput } from "./composer.js";
import { AnswerView, appendUserMessage, scrollToBottom, updateWelcome } from "./conversation.js";
import { isTouch, sleep, ui } from "./dom.js";
import { STOP_CODES, clearError, clearNotice, describe, showError } from "./errors.js";
import { t } from "./i18n.js";
import { closePathOnNarrow, updateCovered } from "./path-panel.js";
import { ensureSession, expireSession, loadConversation, startNewConversation, touchSession } from "./session.js";
import { state } from "./state.js";
import { readStream, reopenStream } from "./stream.js";

const RESUME_DELAYS_MS = [0, 500, 1000, 2000, 4000, 8000];

/** Send a question and stream its answer in; on a refusal, put everything back as it was. */
export async function ask(rawText) {
  const text = rawText.trim();
  if (!text || state.current) return;
  clearError();
  clearNotice();
  closePathOnNarrow();
  const answeringQuiz = ui.form.classList.contains("expects-answer");
  expectQuizAnswer(false);
  if (ui.input.value.trim() === text) setInput("");
  const userNode = appendUserMessage(text);
  const view = new AnswerView();
  state.current = view;
  state.pinned = true;
  view.startStreaming();
  scrollToBottom(true);
  setBusy(true);
  // Back to the question box; on a touch screen only if the learner was typing (no keyboard pop-up).
  if (!isTouch() || document.activeElement === ui.input) ui.input.focus();

  const undo = (message, retry, label) => {
    userNode.remove();
    view.node.remove();
    state.current = null;
    setBusy(false);
    updateWelcome();
    expectQuizAnswer(answeringQuiz);
    if (!ui.input.value.trim()) setInput(text);
    showError(message, retry, label);
    ui.input.focus();
  };

  let response;
  try {
    response = await postMessage(text, [userNode, view.node]);
  } catch (error) {
    if (error instanceof HttpError && error.code === "session_full") {
      undo(describe(error, text), () => { startNewConversation(); ask(text); }, "newChatAndAsk");
    } else {
      undo(describe(error, text), () => ask(text));
    }
    return;
  }
  view.controller = response.controller;
  const outcome = await readStream(response, view, (name, data, id) => handleEvent(view, name, data, id));
  if (outcome === "dropped") await resume(view, text);
  else endTurn(view, text);
}

async function postMessage(text, keep) {
  const post = async () => {
    const session = await ensureSession(keep);
    const controller = new AbortController();
    const response = await request(sessionPath(session.id, "messages"), {
      method: "POST", body: { content: text }, headers: { Accept: "text/event-stream" },
      signal: controller.signal,
    });
    response.controller = controller;
    return response;
  };
  try {
    return await post();
  } catch (error) {
    // The conversation is gone (deleted in another tab, or expired): start a fresh one, once.
    if (error instanceof HttpError && (error.status === 404 || error.status === 401) && state.session) {
      expireSession(keep);
      return await post();
    }
    throw error;
  }
}

function handleEvent(view, name, rawData, id) {
  if (view.abandoned) return;
  let data;
  try { data = JSON.parse(rawData); } catch { return; }
  if (id) {
    view.lastEventId = id;
    const colon = id.lastIndexOf(":");
    if (colon > 0) view.messageId = id.slice(0, colon);
  }
  if (name === "sources") {
    view.sources = data.sources || [];
    if (data.message_id) view.messageId = data.message_id;
    if (view.stopRequested) stopAnswer();
  } else if (name === "delta") {
    view.append(data.text || "");
  } else if (name === "done") {
    view.suggestions = data.suggestions || [];
    view.activity = data.activity || null;
    view.quiz = data.quiz || null;
    view.finish("complete");
  } else if (name === "error") {
    view.finish(view.text ? "interrupted" : "failed", { code: data.code || "", message: data.message || "" });
  }
}

/** After an answer ended: remember what it covered, say what went wrong, give the input back. */
function endTurn(view, question) {
  if (state.current === view) state.current = null;
  setBusy(false);
  touchSession();
  expectQuizAnswer(asksForAnAnswer(view));
  if (view.status === "complete") {
    view.sources.forEach((source) => state.covered.add(source.id));
    updateCovered();
  } else if (view.error && !STOP_CODES.has(view.error.code)) {
    const error = new HttpError(0, view.error.code, view.error.message);
    showError(describe(error, question), question ? () => ask(question) : null);
  }
  if (document.activeElement === document.body || document.activeElement === ui.stop) ui.input.focus();
}

/** The connection dropped mid-answer: pick the stream up again where it stopped. */
async function resume(view, question) {
  for (const delay of RESUME_DELAYS_MS) {
    if (delay) await sleep(delay);
    if (view.abandoned) return;
    if (!view.messageId) break;
    try {
      if (!view.lastEventId) view.text = "";
      const response = await reopenStream(state.session.id, view.messageId, view.lastEventId);
      const outcome = await readStream(response, view, (name, data, id) => handleEvent(view, name, data, id));
      if (outcome === "finished") {
        endTurn(view, question);
        return;
      }
    } catch (error) {
      if (error instanceof HttpError) break;   // too late to resume: read the stored conversation
    }
  }
  if (view.abandoned) return;
  if (state.current === view) state.current = null;
  setBusy(false);
  const reloaded = await reloadConversation();
  if (!reloaded) showError(t("errLost"), () => reloadConversation());
}

/** Show the stored conversation; an answer still being written there streams on. */
export function reloadConversation() {
  return loadConversation((live) => {
    state.current = live;
    state.pinned = true;
    setBusy(true);
    live.text = "";
    resume(live, "");
  });
}

export async function stopAnswer() {
  const view = state.current;
  if (!view) return;
  if (!view.messageId) {
    view.stopRequested = true;     // stop as soon as the answer has a name
    return;
  }
  ui.stop.disabled = true;
  try {
    await request(sessionPath(state.session.id, "messages", view.messageId, "stop"), { method: "POST" });
  } catch (error) {
    ui.stop.disabled = false;
    if (!(error instanceof HttpError && error.status === 404)) showError(t("errStop"), stopAnswer);
  }
  ui.input.focus();
}
