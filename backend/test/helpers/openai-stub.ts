/**
 * A local stand-in for OpenAI's chat completions API, streaming (the planner's only mode): each request is answered
 * with the tool calls `turn` picks from the conversation so far, as server-sent chunks the real SDK parses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { Catalog } from "../../src/catalog/service.js";
import { OpenAIPlanner } from "../../src/planner/openai.js";

type Json = Record<string, any>;

function chunk(delta: Json, finish: string | null = null) {
  const body = { id: "chatcmpl-stub", object: "chat.completion.chunk", created: 0, model: "gpt-test" };
  return `data: ${JSON.stringify({ ...body, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/** The streamed body of a model turn that calls these tools. */
export function streamed(calls: { name: string; args: Json }[]): string {
  let body = "";
  calls.forEach((call, index) => {
    const args = JSON.stringify(call.args);
    const id = `call_${index}_${call.name}`;
    body += chunk({ tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: args } }] });
  });
  return `${body}${chunk({}, "tool_calls")}data: [DONE]\n\n`;
}

export class ChatStub {
  /** Every request body received, in order. */
  readonly chats: Json[] = [];
  private server?: Server;

  constructor(private readonly turn: (messages: Json[]) => string) {}

  /** Starts listening on a free loopback port; resolves to the API's base URL (`…/v1`). */
  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  /** Listens (see `listen`) and returns the real OpenAI planner on `catalog`, pointed here with the tests' settings. */
  async planner(catalog: Catalog): Promise<OpenAIPlanner> {
    return new OpenAIPlanner(catalog, {
      apiKey: "sk-test",
      baseURL: await this.listen(),
      model: "gpt-test",
      timeoutMs: 5_000,
      maxRetries: 0,
      contextTokens: 2_000,
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString()) as Json;
    this.chats.push(body);
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(this.turn(body.messages));
  }
}
