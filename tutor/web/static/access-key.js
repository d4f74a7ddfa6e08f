// Private mode: when the service wants an operator's access key to open a conversation, ask
// the person for it in a modal dialog. The key is tried while the dialog stays open, so a
// wrong key is said at once, next to the field; only a key that worked is kept, and only for
// this tab (sessionStorage, see storage.js).

import { ui } from "./dom.js";
import { i18n } from "./i18n.js";

/**
 * Ask for the key until `attempt(key)` accepts one. `attempt` resolves to a result (the key
 * worked), to null (the key is wrong), or rejects (anything else, passed on).
 * Resolves to the result, or to null when the person cancels. `wrongAtStart`: the kept key
 * was just refused, so say so from the start.
 */
export function askAccessKey(attempt, { wrongAtStart = false } = {}) {
  return new Promise((resolve, reject) => {
    const { keyDialog: dialog, keyForm: form, keyInput: input, keyError: error, keySubmit: submit } = ui;
    let busy = false;

    const say = (key) => {
      if (key) i18n(error, key);
      error.hidden = !key;
      input.setAttribute("aria-invalid", key ? "true" : "false");
    };
    const finish = (settle) => {
      form.removeEventListener("submit", onSubmit);
      dialog.removeEventListener("cancel", onCancel);
      ui.keyCancel.removeEventListener("click", onCancel);
      input.value = "";
      say(null);
      if (dialog.open) dialog.close();
      settle();
    };
    async function onSubmit(event) {
      event.preventDefault();
      if (busy) return;
      const key = input.value.trim();
      if (!key) {
        say("keyEmpty");
        input.focus();
        return;
      }
      busy = true;
      submit.disabled = true;
      i18n(submit, "keyChecking");
      try {
        const result = await attempt(key);
        if (result === null) {
          say("keyWrong");
          input.select();
          input.focus();
        } else {
          finish(() => resolve(result));
        }
      } catch (failure) {
        finish(() => reject(failure));
      } finally {
        busy = false;
        submit.disabled = false;
        i18n(submit, "keySubmit");
      }
    }
    function onCancel(event) {
      event.preventDefault();
      if (!busy) finish(() => resolve(null));
    }

    form.addEventListener("submit", onSubmit);
    dialog.addEventListener("cancel", onCancel);
    ui.keyCancel.addEventListener("click", onCancel);
    input.value = "";
    say(wrongAtStart ? "keyWrong" : null);
    dialog.showModal();
    input.focus();
  });
}
