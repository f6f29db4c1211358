/**
 * Offline speech to text while the traveller speaks: pocketsphinx_continuous reads raw 16 kHz PCM16 from its stdin as
 * it arrives and prints each utterance it has decoded (its own voice detector cuts them at pauses), so the transcript
 * grows during the turn and only the last phrase is left to decode when the speaker stops. English only.
 */
import { spawn } from "node:child_process";
import { setPriority } from "node:os";

import type { PocketsphinxStt } from "./pocketsphinx.js";
import type { LiveOptions, LiveTranscriber, StreamingSpeechToText } from "./types.js";

/** Half a second of silence either side of the turn: the recogniser's voice detector needs some around the words. */
const SILENCE = Buffer.alloc(16_000);
const LOWEST_PRIORITY = 19;
/** Frames of 10 ms. */
const POSTSPEECH_FRAMES = 25;

export class PocketsphinxLiveStt implements StreamingSpeechToText {
  readonly name = "pocketsphinx" as const;

  constructor(
    private readonly batch: PocketsphinxStt,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  hears(language: string): boolean {
    return language.toLowerCase().split("-")[0] === "en";
  }

  async open({ onPartial }: LiveOptions): Promise<LiveTranscriber> {
    const { file, args } = await this.batch.command("/dev/stdin");
    // A phrase ends at a quarter-second pause (the default is half a second), so words show while the traveller goes
    // on speaking; the whole turn's words are joined at the end, so nothing is lost by cutting finer.
    args.push("-vad_postspeech", String(POSTSPEECH_FRAMES));
    // Node's stdin is a socket, which the decoder cannot open by name: `cat` turns it into a pipe. In a process
    // group of their own, so that aborting stops both.
    const child = spawn("/bin/sh", ["-c", 'cat | "$0" "$@"', file, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, LOWEST_PRIORITY);
      } catch {
        // Not allowed here: it runs at the API's priority.
      }
    }
    const lines: string[] = [];
    let pending = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      const heard = complete.map((line) => line.trim()).filter(Boolean);
      if (heard.length === 0) return;
      lines.push(...heard);
      onPartial(lines.join(" "));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString();
    });
    // A recogniser that died is reported by `finish`; writes to it are dropped meanwhile.
    child.stdin.on("error", () => undefined);
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    exited.catch(() => undefined);
    child.stdin.write(SILENCE);

    return {
      write: (pcm) => {
        if (child.stdin.writable) child.stdin.write(pcm);
      },
      finish: async () => {
        child.stdin.end(SILENCE);
        const timer = setTimeout(kill, this.options.timeoutMs ?? 30_000);
        try {
          const code = await exited;
          if (code !== 0) throw new Error(`pocketsphinx exited with ${code}: ${stderr.trim().slice(-300)}`);
        } finally {
          clearTimeout(timer);
        }
        if (pending.trim()) lines.push(pending.trim());
        return lines.join(" ");
      },
      abort: kill,
    };
  }
}
