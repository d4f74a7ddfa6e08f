// The page's language: looking strings up, and marking elements so that a language switch
// re-translates them (data-i18n, data-i18n-label, data-i18n-placeholder).

import { STRINGS } from "./strings.js";
import { readLanguage, writeLanguage } from "./storage.js";

let lang = readLanguage();

export function currentLanguage() {
  return lang;
}

/** Switch the language, remember it, and translate everything marked on the page. */
export function setLanguage(next) {
  lang = next;
  writeLanguage(lang);
  document.documentElement.lang = lang;
  document.title = t("pageTitle");
  document.querySelectorAll("[data-i18n], [data-i18n-label], [data-i18n-placeholder]").forEach(translateElement);
}

export function t(key, args) {
  const table = STRINGS[lang] || STRINGS.ko;
  const text = table[key] ?? STRINGS.ko[key] ?? key;
  return args ? text.replace(/\{(\w+)\}/g, (_, name) => String(args[name] ?? "")) : text;
}

/** Mark an element's text (or one of its attributes) as translated, and translate it now. */
export function i18n(element, key, args, attribute) {
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

/** A lesson pack value that is either a plain string or {ko, en}. */
export function localized(value) {
  if (typeof value === "string") return value;
  return (value && (value[lang] || value.ko || value.en)) || "";
}
