// The learner's chat page. Plain JavaScript, no build step, no third-party code.
//
// Safety rule for this file: text that comes from the model or the learner only
// ever reaches the page through textContent or text nodes (never innerHTML), so
// nothing anyone writes can run script or inject markup.
"use strict";

(() => {
  // ---------------------------------------------------------------- strings

  const STRINGS = {
    ko: {
      pageTitle: "AI 튜터 · 생성형 AI와 LLM 이야기",
      appName: "AI 튜터",
      appSubtitle: "생성형 AI와 LLM 이야기",
      skipToInput: "질문 입력으로 건너뛰기",
      pathHeading: "학습 경로",
      pathIntro: "단원을 골라 설명을 들어 보세요. 이 대화에서 다룬 부분에는 ✓ 표시가 붙어요.",
      pathProgress: "이 대화에서 {total}개 중 {n}개를 다뤘어요",
      openPath: "학습 경로 열기",
      closePath: "학습 경로 닫기",
      lessonsFailed: "단원 목록을 불러오지 못했어요. 페이지를 새로 고쳐 주세요.",
      explainLesson: "이 단원 설명해 줘",
      askAbout: "「{title}」 설명해 줘",
      passageAsk: "「{title}」 설명 듣기",
      passageAskCovered: "「{title}」 설명 듣기 (이미 다룸)",
      lessonCount: "{n}/{total}",
      lessonCountLabel: "{total}개 중 {n}개 다룸",
      newChat: "새 대화",
      deleteChat: "삭제",
      langButton: "EN",
      langButtonLabel: "Switch to English",
      welcomeTitle: "무엇이든 편하게 물어보세요",
      welcomeText: "생성형 AI와 LLM을 처음 배우는 분을 위한 튜터예요. 어려운 말 없이 차근차근 설명해 드릴게요.",
      startersLabel: "이렇게 시작해 보세요",
      starter1: "생성형 AI가 뭐예요?",
      starter2: "GAN이 뭐예요?",
      starter3: "ChatGPT는 어떻게 만들어졌어요?",
      browsePath: "단원별 학습 경로 보기",
      messagesLabel: "대화",
      you: "나",
      tutor: "튜터",
      retry: "다시 시도",
      dismiss: "닫기",
      inputLabel: "질문",
      inputPlaceholder: "궁금한 것을 적어 주세요",
      inputHint: "Enter 보내기 · Shift+Enter 줄바꿈",
      send: "보내기",
      stop: "답변 멈추기",
      sourcesSummary: "참고한 내용 {n}개",
      suggestionsLabel: "이어서 물어보기",
      stopped: "답변을 멈췄어요",
      cutShort: "답변이 중간에 끊겼어요",
      failedAnswer: "답변을 받지 못했어요",
      deleteTitle: "이 대화를 삭제할까요?",
      deleteText: "대화의 모든 메시지가 서버에서 영구히 지워지고 되돌릴 수 없어요.",
      cancel: "취소",
      confirmDelete: "삭제하기",
      newChatAndAsk: "새 대화에서 묻기",
      errUnreachable: "서비스에 연결할 수 없어요. 인터넷 연결을 확인한 뒤 다시 시도해 주세요.",
      errProvider: "AI가 지금 답하지 못하고 있어요. 잠시 뒤에 다시 시도해 주세요.",
      errRateLimited: "질문이 너무 빨리 이어졌어요. {seconds}초 뒤에 다시 시도해 주세요.",
      errTooLong: "메시지가 너무 길어요({length}자, 최대 {max}자). 조금 줄이거나 두 번에 나눠 보내 주세요.",
      errTooLongPlain: "메시지가 너무 길어요. 조금 줄이거나 두 번에 나눠 보내 주세요.",
      errBusy: "앞의 답변을 아직 쓰고 있어요. 끝나기를 기다리거나 멈춘 뒤 다시 보내 주세요.",
      errSessionFull: "이 대화가 너무 길어졌어요. 새 대화에서 이어서 물어봐 주세요.",
      errBudget: "이 대화에 정해진 사용량을 모두 썼어요. 새 대화에서 이어서 물어봐 주세요.",
      errBudgetDaily: "오늘 서비스에 정해진 사용량을 모두 썼어요. 세계 표준시(UTC) 자정이 지나면 다시 물어봐 주세요.",
      errServer: "서비스에 문제가 생겼어요. 잠시 뒤에 다시 시도해 주세요.",
      errInvalid: "이 메시지는 보낼 수 없어요. 내용을 확인해 주세요.",
      errTimeout: "답변이 너무 오래 걸려 멈췄어요. 다시 시도해 주세요.",
      errRestarting: "서비스가 다시 시작되고 있어요. 잠시 뒤에 다시 물어봐 주세요.",
      errDelete: "대화를 삭제하지 못했어요. 다시 시도해 주세요.",
      errStop: "답변을 멈추지 못했어요. 다시 시도해 주세요.",
      errLoad: "지난 대화를 불러오지 못했어요. 다시 시도해 주세요.",
      errLost: "연결이 끊겨 답변을 마저 받지 못했어요. 다시 시도해 주세요.",
    },
    en: {
      pageTitle: "AI Tutor · Generative AI and LLMs",
      appName: "AI Tutor",
      appSubtitle: "Generative AI and LLMs, explained",
      skipToInput: "Skip to the question box",
      pathHeading: "Learning path",
      pathIntro: "Pick a lesson to hear it explained. Parts this conversation has covered get a ✓.",
      pathProgress: "This conversation has covered {n} of {total}",
      openPath: "Open the learning path",
      closePath: "Close the learning path",
      lessonsFailed: "The lessons could not be loaded. Please reload the page.",
      explainLesson: "Explain this lesson",
      askAbout: "Please explain “{title}”",
      passageAsk: "Explain “{title}”",
      passageAskCovered: "Explain “{title}” (already covered)",
      lessonCount: "{n}/{total}",
      lessonCountLabel: "{n} of {total} covered",
      newChat: "New chat",
      deleteChat: "Delete",
      langButton: "한국어",
      langButtonLabel: "한국어로 보기",
      welcomeTitle: "Ask anything you like",
      welcomeText: "A tutor for people new to generative AI and large language models. Step by step, without jargon.",
      startersLabel: "Try one of these",
      starter1: "What is generative AI?",
      starter2: "What is a GAN?",
      starter3: "How was ChatGPT made?",
      browsePath: "Browse the learning path",
      messagesLabel: "Conversation",
      you: "You",
      tutor: "Tutor",
      retry: "Try again",
      dismiss: "Dismiss",
      inputLabel: "Your question",
      inputPlaceholder: "Type your question",
      inputHint: "Enter to send · Shift+Enter for a new line",
      send: "Send",
      stop: "Stop the answer",
      sourcesSummary: "{n} lesson passages used",
      suggestionsLabel: "Ask next",
      stopped: "Answer stopped",
      cutShort: "The answer was cut short",
      failedAnswer: "No answer was received",
      deleteTitle: "Delete this conversation?",
      deleteText: "Every message in it is erased from the server for good. This cannot be undone.",
      cancel: "Cancel",
      confirmDelete: "Delete",
      newChatAndAsk: "Ask in a new chat",
      errUnreachable: "The service cannot be reached. Check your connection and try again.",
      errProvider: "The AI is not answering right now. Please try again in a moment.",
      errRateLimited: "Too many questions in a short time. Please try again in {seconds} s.",
      errTooLong: "Your message is too long ({length} characters, at most {max}). Shorten it or send it in two parts.",
      errTooLongPlain: "Your message is too long. Shorten it or send it in two parts.",
      errBusy: "The previous answer is still being written. Wait for it or stop it, then send again.",
      errSessionFull: "This conversation has grown too long. Please continue in a new chat.",
      errBudget: "This conversation has used up its budget. Please continue in a new chat.",
      errBudgetDaily: "The service has used up today's budget. Please come back after midnight UTC.",
      errServer: "Something went wrong on our side. Please try again in a moment.",
      errInvalid: "This message cannot be sent. Please check it.",
      errTimeout: "The answer took too long and was stopped. Please try again.",
      errRestarting: "The service is restarting. Please ask again in a moment.",
      errDelete: "The conversation could not be deleted. Please try again.",
      errStop: "The answer could not be stopped. Please try again.",
      errLoad: "The previous conversation could not be loaded. Please try again.",
      errLost: "The connection dropped before the answer was finished. Please try again.",
    },
  };

  const SESSION_KEY = "tutor.session.v1";
  const LANG_KEY = "tutor.lang";
  const DRAFT_KEY = "tutor.draft";
  const STOP_CODES = new Set(["stopped", "interrupted", "client_disconnected", "session_deleted", "cancelled"]);
  const RESUME_DELAYS_MS = [0, 500, 1000, 2000, 4000, 8000];

  let lang = readLanguage();

  function t(key, args) {
    const table = STRINGS[lang] || STRINGS.ko;
    const text = table[key] ?? STRINGS.ko[key] ?? key;
    return args ? text.replace(/\{(\w+)\}/g, (_, name) => String(args[name] ?? "")) : text;
  }

  /** Mark an element's text (or one of its attributes) as translated, and translate it now. */
  function i18n(element, key, args, attribute) {
    const slot = attribute === "aria-label" ? "i18nLabel" : attribute === "placeholder" ? "i18nPlaceholder" : "i18n";
    element.dataset[slot] = key;
    if (args) element.dataset[slot + "Args"] = JSON.stringify(args);
    else delete element.dataset[slot + "Args"];
    translateElement(element);
    return element;
  }

  function translateElement(element) {
    const args = (name) => (element.dataset[name] ? JSON.parse(element.dataset[name]) : undefined);
    if (element.dataset.i18n) element.textContent = t(element.dataset.i18n, args("i18nArgs"));
    if (element.dataset.i18nLabel) element.setAttribute("aria-label", t(element.dataset.i18nLabel, args("i18nLabelArgs")));
    if (element.dataset.i18nPlaceholder) element.placeholder = t(element.dataset.i18nPlaceholder, args("i18nPlaceholderArgs"));
  }

  function readLanguage() {
    try {
      const saved = localStorage.getItem(LANG_KEY);
      if (saved === "ko" || saved === "en") return saved;
    } catch { /* storage may be disabled */ }
    return "ko";
  }

  // ---------------------------------------------------------------- elements

  const $ = (id) => document.getElementById(id);
  const ui = {
    main: $("main"),
    welcome: $("welcome"),
    messages: $("messages"),
    form: $("composer"),
    input: $("composer-input"),
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

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- state

  const state = {
    session: readSession(),   // {id, token} or null
    lessons: [],
    covered: new Set(),
    current: null,            // the answer being streamed (an AnswerView)
    retry: null,              // what the error banner's button does
  };

  function readSession() {
    try {
      const value = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
      if (value && typeof value.id === "string" && typeof value.token === "string") return value;
    } catch { /* ignore a damaged entry */ }
    return null;
  }

  function saveSession(session) {
    state.session = session;
    try {
      if (session) localStorage.setItem(SESSION_KEY, JSON.stringify({ id: session.id, token: session.token }));
      else localStorage.removeItem(SESSION_KEY);
    } catch { /* the conversation just will not survive a reload */ }
    ui.deleteChat.disabled = !session;
  }

  // ---------------------------------------------------------------- HTTP

  class HttpError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message || code || String(status));
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  class NetworkError extends Error {}

  async function request(path, { method = "GET", body, headers = {}, signal, auth = true } = {}) {
    const allHeaders = { ...headers };
    if (auth && state.session) allHeaders.Authorization = `Bearer ${state.session.token}`;
    if (body !== undefined) allHeaders["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method, headers: allHeaders, signal, cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new NetworkError(String(error));
    }
    if (!response.ok) throw await httpError(response);
    return response;
  }

  async function httpError(response) {
    let code = "";
    let message = "";
    try {
      const body = await response.json();
      code = body?.error?.code || "";
      message = body?.error?.message || "";
    } catch { /* not JSON: the status says enough */ }
    return new HttpError(response.status, code, message, retryAfterSeconds(response.headers.get("Retry-After")));
  }

  function retryAfterSeconds(value) {
    if (!value) return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }

  /** A plain-words explanation for anything that went wrong. */
  function describe(error, text) {
    if (error instanceof NetworkError) return t("errUnreachable");
    if (!(error instanceof HttpError)) return t("errServer");
    const { status, code } = error;
    if (code === "budget_exhausted") return t(status === 429 ? "errBudgetDaily" : "errBudget");
    if (status === 429 || code === "rate_limited" || code === "provider_rate_limited") {
      return t("errRateLimited", { seconds: error.retryAfter || 30 });
    }
    if (code === "message_too_long" || status === 413) {
      const max = /(?:limit is|최대) (\d+)/.exec(error.message || "");
      return max && text ? t("errTooLong", { length: text.length, max: max[1] }) : t("errTooLongPlain");
    }
    if (code === "turn_in_progress") return t("errBusy");
    if (code === "session_full") return t("errSessionFull");
    if (status === 503 || status === 502 || status === 504 || code.startsWith("provider_")) return t("errProvider");
    if (code === "turn_timeout") return t("errTimeout");
    if (code === "server_shutdown") return t("errRestarting");
    if (status >= 400 && status < 500) return t("errInvalid");
    return t("errServer");
  }

  // ---------------------------------------------------------------- error banner

  function showError(message, retry, retryLabelKey = "retry") {
    ui.errorText.textContent = message;
    state.retry = retry || null;
    ui.errorRetry.hidden = !retry;
    i18n(ui.errorRetry, retryLabelKey);
    ui.errorBanner.hidden = false;
  }

  function clearError() {
    ui.errorBanner.hidden = true;
    ui.errorText.textContent = "";
    state.retry = null;
  }

  // ---------------------------------------------------------------- safe Markdown

  const INLINE = /`([^`\n]+)`|\*\*(?=\S)(.+?)\*\*|\*(?=[^\s*])(.+?)\*/g;

  /** Paragraphs, line breaks, bullet and numbered lists, **bold**, *italic* and `code`; the rest stays text. */
  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    let paragraph = null;
    let list = null;

    const closeParagraph = () => {
      if (!paragraph) return;
      const p = el("p");
      paragraph.forEach((line, index) => {
        if (index) p.append(el("br"));
        appendInline(p, line);
      });
      fragment.append(p);
      paragraph = null;
    };
    const listItem = (type, start, content) => {
      closeParagraph();
      if (!list || list.type !== type) {
        list = { type, node: el(type) };
        if (type === "ol" && start !== 1) list.node.start = start;
        fragment.append(list.node);
      }
      const li = el("li");
      appendInline(li, content);
      list.node.append(li);
    };

    for (const raw of String(text).replace(/\r\n?/g, "\n").split("\n")) {
      const line = raw.trimEnd();
      let match;
      if (!line.trim()) {
        closeParagraph();
        list = null;
      } else if ((match = /^\s*[-*•]\s+(.*)$/.exec(line))) {
        listItem("ul", 1, match[1]);
      } else if ((match = /^\s*(\d{1,4})[.)]\s+(.*)$/.exec(line))) {
        listItem("ol", Number(match[1]), match[2]);
      } else if ((match = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line))) {
        closeParagraph();
        list = null;
        const p = el("p");
        const strong = el("strong");
        appendInline(strong, match[1]);
        p.append(strong);
        fragment.append(p);
      } else if (list && /^\s{2,}\S/.test(raw)) {
        const li = list.node.lastElementChild;
        li.append(el("br"));
        appendInline(li, line.trim());
      } else {
        list = null;
        (paragraph ||= []).push(line);
      }
    }
    closeParagraph();
    return fragment;
  }

  function appendInline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        parent.append(el("code", null, match[1]));
      } else {
        const node = el(match[2] !== undefined ? "strong" : "em");
        appendInline(node, match[2] ?? match[3]);
        parent.append(node);
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
  }

  // ---------------------------------------------------------------- conversation view

  function isNearBottom() {
    const m = ui.main;
    return m.scrollHeight - m.scrollTop - m.clientHeight < 120;
  }

  function scrollToBottom(force) {
    if (force || state.pinned) ui.main.scrollTop = ui.main.scrollHeight;
  }

  function updateWelcome() {
    ui.welcome.hidden = ui.messages.childElementCount > 0;
  }

  function appendUserMessage(text) {
    const article = el("article", "message user");
    article.append(i18n(el("p", "visually-hidden"), "you"));
    article.append(el("div", "bubble", text));
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
  class AnswerView {
    constructor() {
      this.text = "";
      this.sources = [];
      this.suggestions = [];
      this.messageId = null;
      this.lastEventId = null;
      this.status = "streaming";
      this.error = null;
      this.frame = 0;
      this.node = el("article", "message assistant");
      this.node.append(i18n(el("p", "message-label"), "tutor"));
      this.bubble = el("div", "bubble");
      this.node.append(this.bubble);
      ui.messages.append(this.node);
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
        const shown = this.status === "complete" ? withoutSuggestionList(this.text, this.suggestions) : this.text;
        this.bubble.replaceChildren(renderMarkdown(shown));
      }
      if (pinned) ui.main.scrollTop = ui.main.scrollHeight;
    }

    /** The answer has ended: show it whole, with what belongs under it. */
    finish(status, error) {
      if (this.frame) cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.status = status;
      this.error = error || null;
      this.node.classList.remove("streaming");
      this.node.removeAttribute("aria-busy");
      const pinned = isNearBottom();
      this.renderText();
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
      if (pinned) ui.main.scrollTop = ui.main.scrollHeight;
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
      button.addEventListener("click", () => ask(text));
      group.append(button);
    }
    box.append(label, group);
    return box;
  }

  function renderStoredConversation(data) {
    ui.messages.replaceChildren();
    let last = null;
    for (const message of data.messages || []) {
      if (message.role === "user") {
        appendUserMessage(message.content);
        continue;
      }
      const view = new AnswerView();
      view.messageId = message.id;
      view.text = message.content || "";
      view.sources = message.sources || [];
      view.suggestions = message.suggestions || [];
      if (message.status === "streaming") {
        view.startStreaming();
        last = view;
      } else {
        view.finish(message.status, message.error_code ? { code: message.error_code } : null);
      }
    }
    state.covered = new Set(data.covered || []);
    updateCovered();
    updateWelcome();
    scrollToBottom(true);
    return last;
  }

  // ---------------------------------------------------------------- composer

  function setBusy(busy) {
    ui.send.hidden = busy;
    ui.stop.hidden = !busy;
    ui.stop.disabled = false;
    document.querySelectorAll(".suggestion, .passage-button, .explain-lesson, .chip[data-i18n^='starter']")
      .forEach((button) => { button.disabled = busy; });
  }

  function autosize() {
    if (CSS.supports("field-sizing", "content")) return;
    ui.input.style.height = "auto";
    ui.input.style.height = `${Math.min(ui.input.scrollHeight, window.innerHeight * 0.4)}px`;
  }

  function saveDraft() {
    try { localStorage.setItem(DRAFT_KEY, ui.input.value); } catch { /* ignore */ }
  }

  function setInput(value) {
    ui.input.value = value;
    autosize();
    saveDraft();
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
    ask(text);
  }

  // ---------------------------------------------------------------- one turn

  async function ensureSession() {
    if (state.session) return state.session;
    const response = await request("/v1/sessions", { method: "POST", body: { language: lang }, auth: false });
    const created = await response.json();
    saveSession({ id: created.id, token: created.token });
    return state.session;
  }

  /** Send a question and stream its answer in; on a refusal, put everything back as it was. */
  async function ask(rawText) {
    const text = rawText.trim();
    if (!text || state.current) return;
    clearError();
    closePathOnNarrow();
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
      if (!ui.input.value.trim()) setInput(text);
      showError(message, retry, label);
      ui.input.focus();
    };

    let response;
    try {
      response = await postMessage(text, [userNode, view.node]);
    } catch (error) {
      if (error instanceof HttpError && (error.code === "session_full" ||
                                         (error.code === "budget_exhausted" && error.status === 409))) {
        undo(describe(error, text), () => { startNewConversation(); ask(text); }, "newChatAndAsk");
      } else {
        undo(describe(error, text), () => ask(text));
      }
      return;
    }
    view.controller = response.controller;
    const outcome = await readStream(response, view);
    if (outcome === "dropped") await resume(view, text);
    else endTurn(view, text);
  }

  async function postMessage(text, keep) {
    const post = async () => {
      const session = await ensureSession();
      const controller = new AbortController();
      const response = await request(`/v1/sessions/${encodeURIComponent(session.id)}/messages`, {
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
        saveSession(null);
        state.covered = new Set();
        updateCovered();
        for (const node of [...ui.messages.children]) {
          if (!keep.includes(node)) node.remove();
        }
        return await post();
      }
      throw error;
    }
  }

  /** Read an SSE response into the view. Returns "finished" or "dropped". */
  async function readStream(response, view) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let event = { name: "message", data: [], id: null };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        for (const line of lines) {
          if (line === "") {
            if (event.data.length) handleEvent(view, event.name, event.data.join("\n"), event.id);
            event = { name: "message", data: [], id: null };
            if (view.status !== "streaming") return "finished";
            continue;
          }
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") event.name = value;
          else if (field === "data") event.data.push(value);
          else if (field === "id") event.id = value;
        }
      }
    } catch (error) {
      if (view.abandoned) return "finished";
      return "dropped";
    }
    return view.status === "streaming" ? "dropped" : "finished";
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
      view.finish("complete");
    } else if (name === "error") {
      view.finish(view.text ? "interrupted" : "failed", { code: data.code || "", message: data.message || "" });
    }
  }

  /** After an answer ended: remember what it covered, say what went wrong, give the input back. */
  function endTurn(view, question) {
    if (state.current === view) state.current = null;
    setBusy(false);
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
        const headers = { Accept: "text/event-stream" };
        if (view.lastEventId) headers["Last-Event-ID"] = view.lastEventId;
        else view.text = "";
        const response = await request(
          `/v1/sessions/${encodeURIComponent(state.session.id)}/messages/${encodeURIComponent(view.messageId)}/events`,
          { headers });
        if ((await readStream(response, view)) === "finished") {
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
    const reloaded = await loadConversation();
    if (!reloaded) showError(t("errLost"), () => loadConversation());
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function stopAnswer() {
    const view = state.current;
    if (!view) return;
    if (!view.messageId) {
      view.stopRequested = true;     // stop as soon as the answer has a name
      return;
    }
    ui.stop.disabled = true;
    try {
      await request(`/v1/sessions/${encodeURIComponent(state.session.id)}/messages/${encodeURIComponent(view.messageId)}/stop`,
        { method: "POST" });
    } catch (error) {
      ui.stop.disabled = false;
      if (!(error instanceof HttpError && error.status === 404)) showError(t("errStop"), stopAnswer);
    }
    ui.input.focus();
  }

  // ---------------------------------------------------------------- whole conversations

  /** Show the stored conversation (after a reload); resume an answer still being written. */
  async function loadConversation() {
    if (!state.session) return true;
    let data;
    try {
      const response = await request(`/v1/sessions/${encodeURIComponent(state.session.id)}`);
      data = await response.json();
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 401)) {
        startNewConversation({ keepInput: true });
        return true;
      }
      showError(error instanceof NetworkError ? t("errUnreachable") : t("errLoad"), loadConversation);
      return false;
    }
    clearError();
    const live = renderStoredConversation(data);
    if (live) {
      state.current = live;
      state.pinned = true;
      setBusy(true);
      live.text = "";
      resume(live, "");
    }
    return true;
  }

  function abandonCurrent() {
    const view = state.current;
    if (!view) return;
    view.abandoned = true;
    try { view.controller?.abort(); } catch { /* already closed */ }
    state.current = null;
    setBusy(false);
  }

  function startNewConversation({ keepInput = false, keepMessages = false } = {}) {
    abandonCurrent();
    saveSession(null);
    state.covered = new Set();
    updateCovered();
    clearError();
    if (!keepMessages) ui.messages.replaceChildren();
    updateWelcome();
    if (!keepInput) setInput("");
  }

  async function deleteConversation() {
    const session = state.session;
    if (!session) return;
    abandonCurrent();
    try {
      await request(`/v1/sessions/${encodeURIComponent(session.id)}`, { method: "DELETE" });
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) {
        showError(error instanceof NetworkError ? t("errUnreachable") : t("errDelete"), deleteConversation);
        return;
      }
    }
    startNewConversation({ keepInput: true });
    ui.input.focus();
  }

  // ---------------------------------------------------------------- learning path

  async function loadLessons() {
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

  function localized(value) {
    if (typeof value === "string") return value;
    return (value && (value[lang] || value.ko || value.en)) || "";
  }

  function renderLessons() {
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
      explain.addEventListener("click", () => ask(t("askAbout", { title: localized(lesson.title) })));
      body.append(explain);

      const passages = el("ul", "passage-list");
      for (const passage of lesson.passages || []) {
        const li = el("li", "passage");
        li.dataset.passageId = passage.id;
        const button = el("button", "passage-button");
        button.type = "button";
        button.append(el("span", "passage-mark"), el("span", null, localized(passage.title)));
        button.addEventListener("click", () => ask(t("askAbout", { title: localized(passage.title) })));
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

  function updateCovered() {
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

  function isTouch() {
    return window.matchMedia("(pointer: coarse)").matches;
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

  function closePathOnNarrow() {
    if (isNarrow()) closePath();
  }

  // ---------------------------------------------------------------- language

  function applyLanguage(next) {
    lang = next;
    try { localStorage.setItem(LANG_KEY, lang); } catch { /* ignore */ }
    document.documentElement.lang = lang;
    document.title = t("pageTitle");
    document.querySelectorAll("[data-i18n], [data-i18n-label], [data-i18n-placeholder]").forEach(translateElement);
    ui.langToggle.textContent = t("langButton");
    ui.langToggle.lang = lang === "ko" ? "en" : "ko";
    ui.langToggle.setAttribute("aria-label", t("langButtonLabel"));
    if (state.lessons.length) renderLessons();
  }

  // ---------------------------------------------------------------- wiring

  function wire() {
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitInput();
    });
    ui.input.addEventListener("compositionstart", () => { composing = true; });
    ui.input.addEventListener("compositionend", () => { composing = false; });
    ui.input.addEventListener("keydown", onKeyDown);
    ui.input.addEventListener("input", () => { autosize(); saveDraft(); });
    ui.stop.addEventListener("click", stopAnswer);
    ui.main.addEventListener("scroll", () => { state.pinned = isNearBottom(); }, { passive: true });

    ui.errorRetry.addEventListener("click", () => {
      const retry = state.retry;
      clearError();
      if (retry) retry();
    });
    ui.errorClose.addEventListener("click", () => { clearError(); ui.input.focus(); });

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

    ui.langToggle.addEventListener("click", () => applyLanguage(lang === "ko" ? "en" : "ko"));

    document.querySelectorAll("[data-i18n^='starter']").forEach((button) => {
      button.addEventListener("click", () => ask(button.textContent));
    });

    ui.openPath.addEventListener("click", openPath);
    $("welcome-path").addEventListener("click", () => {
      openPath();
      ui.returnFocus = $("welcome-path");
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

  function start() {
    wire();
    applyLanguage(lang);
    saveSession(state.session);
    try { setInput(localStorage.getItem(DRAFT_KEY) || ""); } catch { /* ignore */ }
    updateWelcome();
    loadLessons();
    loadConversation();
    if (!isTouch()) ui.input.focus();
  }

  start();
})();
