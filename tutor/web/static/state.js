// The page's shared, changing state. Each field is written by the module named beside it.

export const state = {
  session: null,           // {id, token, usedAt} of this conversation, or null (session.js)
  older: null,             // cursor for the messages before the first one shown, or null (session.js)
  lessons: [],             // the learning path's lessons (path-panel.js)
  covered: new Set(),      // ids of the passages this conversation has covered (path-panel.js)
  current: null,           // the answer being streamed, an AnswerView (turn.js)
  pinned: true,            // keep the newest text in view while it streams (conversation.js)
  retry: null,             // what the error banner's button does (errors.js)
};
