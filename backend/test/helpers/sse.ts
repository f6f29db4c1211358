// Response bodies are checked by assertions, not by types.
type Json = Record<string, any>;

/** Parses a server-sent event stream into its events (each `data` is JSON). */
export function parseSse(text: string): { event: string; data: Json }[] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("data:"))
    .map((block) => {
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.replace(/^data: ?/, ""))
        .join("\n");
      return { event, data: JSON.parse(data) as Json };
    });
}
