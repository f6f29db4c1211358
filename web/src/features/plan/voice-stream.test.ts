import { describe, expect, it } from "vitest";

import { streamUrl } from "./voice-stream";

describe("the voice stream's address", () => {
  it("is the API's, over WebSocket, secure when the API is", () => {
    expect(streamUrl("http://127.0.0.1:8787")).toBe("ws://127.0.0.1:8787/voice/stream");
    expect(streamUrl("https://api.trvl.example")).toBe("wss://api.trvl.example/voice/stream");
  });
});
