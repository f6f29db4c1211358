/** Offline speech to text: Debian's pocketsphinx (CMU Sphinx) decoding 16 kHz mono WAV against the trip grammar. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Catalog } from "../catalog/service.js";
import type { CpuQuota } from "./cpu-quota.js";
import { paddedWav, type AudioFormat } from "./audio.js";
import { run } from "./exec.js";
import { buildGrammar, loadDictionary } from "./grammar.js";
import type { SpeechToText, Transcript } from "./types.js";

export interface PocketsphinxOptions {
  binary: string;
  /** Directory of the en-us model: `en-us/` (acoustic model) and `cmudict-en-us.dict`. */
  modelDir: string;
  timeoutMs?: number;
  /** The CPU quota the decoder runs under, when the machine grants one. */
  cpu?: CpuQuota;
}

export class PocketsphinxStt implements SpeechToText {
  readonly name = "pocketsphinx" as const;
  private grammarFile?: Promise<string>;

  constructor(
    private readonly catalog: Catalog,
    private readonly options: PocketsphinxOptions,
  ) {}

  accepts(format: AudioFormat): boolean {
    return format === "wav";
  }

  private get dictionary() {
    return path.join(this.options.modelDir, "cmudict-en-us.dict");
  }

  /** Writes the grammar once per process (built from the catalog and the dictionary). */
  grammar(): Promise<string> {
    this.grammarFile ??= (async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "trvl-jsgf-"));
      const file = path.join(dir, "trip.gram");
      await writeFile(file, buildGrammar(this.catalog, loadDictionary(this.dictionary)).grammar);
      return file;
    })();
    return this.grammarFile;
  }

  /**
   * The decoder's command line for 16 kHz audio in `file` (a WAV, or raw PCM16 such as /dev/stdin, which it decodes
   * as it arrives), confined to the CPU quota when there is one.
   */
  async command(file: string): Promise<{ file: string; args: string[] }> {
    const model = path.join(this.options.modelDir, "en-us");
    const grammar = await this.grammar();
    const args = ["-infile", file, "-hmm", model, "-dict", this.dictionary, "-jsgf", grammar, "-samprate", "16000"];
    args.push("-logfn", "/dev/null");
    return this.options.cpu ? this.options.cpu.confine(this.options.binary, args) : { file: this.options.binary, args };
  }

  async transcribe(audio: Uint8Array, format: AudioFormat, signal?: AbortSignal): Promise<Transcript> {
    if (format !== "wav") throw new Error("pocketsphinx reads WAV only");
    const { wav, durationSeconds } = paddedWav(audio, 16_000, 0.5);
    const dir = await mkdtemp(path.join(tmpdir(), "trvl-stt-"));
    try {
      const file = path.join(dir, "speech.wav");
      await writeFile(file, wav);
      const { file: binary, args } = await this.command(file);
      const { stdout } = await run(binary, args, { timeoutMs: this.options.timeoutMs ?? 30_000, signal });
      // One line per utterance the recogniser heard.
      const text = stdout
        .toString("utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join(" ");
      return { text, durationSeconds };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
