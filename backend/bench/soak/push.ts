/**
 * Live-update streams (GET /events) as a browser's EventSource holds them: opened with the traveller's bearer token
 * or session cookie, read as server-sent events, and reopened (with Last-Event-ID) should the server end one.
 */
export interface PushEvent {
  event: string;
  data: string;
  id?: string;
}

export interface PushStream {
  traveller: number;
  via: "bearer" | "cookie";
  /** Resolves at the stream's first `ready` event. */
  ready: Promise<void>;
  /** Times the stream ended while the soak still wanted it (each is reopened a second later). */
  drops: number;
  /** Why it ended, each time. */
  dropReasons: string[];
  close(): void;
}

const REOPEN_MS = 1_000;

export function openPushStream(
  baseUrl: string,
  options: { traveller: number; token: string; via: "bearer" | "cookie"; onEvent: (event: PushEvent) => void },
): PushStream {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let resolveReady!: () => void;
  const stream: PushStream = {
    traveller: options.traveller,
    via: options.via,
    ready: new Promise((resolve) => (resolveReady = resolve)),
    drops: 0,
    dropReasons: [],
    close: () => controller.abort(),
  };

  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (options.via === "bearer") headers.authorization = `Bearer ${options.token}`;
  else headers.cookie = `trvl_session=${options.token}`;

  const connect = async () => {
    while (!controller.signal.aborted) {
      let reason: string;
      try {
        const response = await fetch(`${baseUrl}/events`, {
          headers: lastEventId ? { ...headers, "last-event-id": lastEventId } : headers,
          signal: controller.signal,
        });
        if (response.status === 204) {
          // EventSource stops for good on a 204 (the server superseded this stream).
          stream.drops++;
          stream.dropReasons.push("answered 204: superseded by a newer stream");
          return;
        }
        if (response.status !== 200 || !response.body) {
          reason = `answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
        } else {
          await read(response.body);
          reason = "the server ended the stream";
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (controller.signal.aborted) return;
      stream.drops++;
      if (stream.dropReasons.length < 5) stream.dropReasons.push(reason);
      await new Promise((resolve) => setTimeout(resolve, REOPEN_MS));
    }
  };

  // The text/event-stream format: fields up to a blank line make an event; lines starting with ':' are comments.
  const read = async (body: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    let buffer = "";
    let event: PushEvent = { event: "message", data: "" };
    let hasData = false;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          if (hasData) {
            if (event.id !== undefined) lastEventId = event.id;
            if (event.event === "ready") resolveReady();
            options.onEvent(event);
          }
          event = { event: "message", data: "" };
          hasData = false;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event.event = value;
        else if (field === "id") event.id = value;
        else if (field === "data") {
          event.data = hasData ? `${event.data}\n${value}` : value;
          hasData = true;
        }
      }
    }
  };

  void connect();
  return stream;
}
