// The answer stream: reading the service's server-sent events from a fetch response (fetch,
// not EventSource, because a turn is a POST with a token header), and reopening a dropped
// stream from the last event received (Last-Event-ID).

import { request, sessionPath } from "./api.js";

/**
 * Read SSE events from `response`, handing each to `onEvent(name, rawData, id)`.
 * `view.status` leaving "streaming" ends the read; `view.abandoned` means nobody cares any more.
 * Returns "finished" (the answer ended, or was abandoned) or "dropped" (the connection broke first).
 */
export async function readStream(response, view, onEvent) {
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
          if (event.data.length) onEvent(event.name, event.data.join("\n"), event.id);
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
  } catch {
    if (view.abandoned) return "finished";
    return "dropped";
  }
  return view.status === "streaming" ? "dropped" : "finished";
}

/** Reopen the stream of one answer; with `lastEventId`, only what came after it is sent again. */
export function reopenStream(sessionId, messageId, lastEventId) {
  const headers = { Accept: "text/event-stream" };
  if (lastEventId) headers["Last-Event-ID"] = lastEventId;
  return request(sessionPath(sessionId, "messages", messageId, "events"), { headers });
}
