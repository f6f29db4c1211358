/**
 * Offline speech to text while the traveller speaks: pocketsphinx_continuous reads raw 16 kHz PCM16 from its stdin as
 * it arrives and prints each utterance it has decoded (its own voice detector cuts them at pauses), so the transcript
 * grows during the turn and only the last phrase is left to decode when the speaker stops. English only.
 *
 * Loading the acoustic model and the grammar takes the decoder longer than a short phrase does, so the next turn's
 * decoder is started while this turn is heard: it loads, then waits on its stdin until a turn begins.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { Socket } from "node:net";
import { setPriority } from "node:os";

import type { PocketsphinxStt } from "./pocketsphinx.js";
import type { LiveOptions, LiveTranscriber, StreamingSpeechToText } from "./types.js";

/** Half a second of silence either side of the turn: the recogniser's voice detector needs some around the words. */
const SILENCE = Buffer.alloc(16_000);
const LOWEST_PRIORITY = 19;
/** Frames of 10 ms. */
const POSTSPEECH_FRAMES = 25;

/** A decoder process and what it has printed so far. */
interface Decoder {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  pending: string;
  stderr: string;
  exited: Promise<number | null>;
  onPartial?: (text: string) => void;
  kill(): void;
}

export class PocketsphinxLiveStt implements StreamingSpeechToText {
  readonly name = "pocketsphinx" as const;
  /** The next turn's decoder, started ahead (unreferenced: it never keeps the process alive). */
  private spare?: Promise<Decoder>;

  constructor(
    private readonly batch: PocketsphinxStt,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  hears(language: string): boolean {
    return language.toLowerCase().split("-")[0] === "en";
  }

  async open({ onPartial }: LiveOptions): Promise<LiveTranscriber> {
    // Claimed at once, so turns opening together never share a decoder.
    const claimed = this.spare ?? this.start();
    this.spare = undefined;
    let decoder = await claimed.catch(() => undefined);
    if (!decoder || decoder.child.exitCode !== null || decoder.child.signalCode !== null) decoder = await this.start();
    // The next turn's decoder loads while this turn is heard (one spare, however many turns opened meanwhile).
    if (!this.spare) {
      this.spare = this.start();
      this.spare.catch(() => undefined);
    }
    const { child, lines } = decoder;
    hold(child, true);
    decoder.onPartial = onPartial;
    const current = decoder;

    return {
      write: (pcm) => {
        if (child.stdin.writable) child.stdin.write(pcm);
      },
      finish: async () => {
        child.stdin.end(SILENCE);
        const timer = setTimeout(current.kill, this.options.timeoutMs ?? 30_000);
        try {
          const code = await current.exited;
          if (code !== 0) throw new Error(`pocketsphinx exited with ${code}: ${current.stderr.trim().slice(-300)}`);
        } finally {
          clearTimeout(timer);
        }
        if (current.pending.trim()) lines.push(current.pending.trim());
        return lines.join(" ");
      },
      abort: current.kill,
    };
  }

  /** A decoder reading its stdin, unreferenced until a turn takes it. */
  private async start(): Promise<Decoder> {
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
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    exited.catch(() => undefined);
    const decoder: Decoder = { child, lines: [], pending: "", stderr: "", exited, kill };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      decoder.pending += chunk;
      const complete = decoder.pending.split("\n");
      decoder.pending = complete.pop() ?? "";
      const heard = complete.map((line) => line.trim()).filter(Boolean);
      if (heard.length === 0) return;
      decoder.lines.push(...heard);
      decoder.onPartial?.(decoder.lines.join(" "));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (decoder.stderr.length < 4_000) decoder.stderr += chunk.toString();
    });
    // A recogniser that died is reported by `finish`; writes to it are dropped meanwhile.
    child.stdin.on("error", () => undefined);
    child.stdin.write(SILENCE);
    // Waiting for a turn, it keeps nothing alive: when the API exits, its stdin closes and it ends.
    hold(child, false);
    return decoder;
  }
}

/** Whether the decoder's process and pipes keep the API's event loop alive: only while a turn uses it. */
function hold(child: ChildProcessWithoutNullStreams, held: boolean) {
  // The pipes are sockets (which can be unreferenced), though typed as plain streams.
  for (const pipe of [child.stdin, child.stdout, child.stderr] as unknown[] as Socket[]) {
    if (held) pipe.ref();
    else pipe.unref();
  }
  if (held) child.ref();
  else child.unref();
}
