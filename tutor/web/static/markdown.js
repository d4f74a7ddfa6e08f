// A small, safe Markdown renderer: paragraphs, line breaks, bullet and numbered lists,
// headings (shown bold), **bold**, *italic* and `code`. It builds DOM nodes from text nodes
// only, so markup in a model's or learner's text is shown as written and never runs.

import { el } from "./dom.js";

const INLINE = /`([^`\n]+)`|\*\*(?=\S)(.+?)\*\*|\*(?=[^\s*])(.+?)\*/g;

/** Paragraphs, line breaks, bullet and numbered lists, **bold**, *italic* and `code`; the rest stays text. */
export function renderMarkdown(text) {
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
