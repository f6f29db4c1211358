/** Offline text to speech: espeak-ng writing a WAV. */
import type { CpuQuota } from "./cpu-quota.js";
import { run } from "./exec.js";
import { ESPEAK_VOICES, isVoiceLanguage } from "./languages.js";
import type { Speech, SpeechStream, StreamingTextToSpeech, TextToSpeech } from "./types.js";

export class EspeakTts implements TextToSpeech, StreamingTextToSpeech {
  readonly name = "espeak" as const;

  constructor(
    private readonly options: {
      binary: string;
      voice?: string;
      wordsPerMinute?: number;
      timeoutMs?: number;
      cpu?: CpuQuota;
    },
  ) {}

  async synthesize(text: string, signal?: AbortSignal, voice = this.options.voice ?? "en-us"): Promise<Speech> {
    // `--` ends the options: the text is never read as one.
    const { stdout } = await run(
      this.options.binary,
      ["-v", voice, "-s", String(this.options.wordsPerMinute ?? 150), "--stdout", "--", text],
      { timeoutMs: this.options.timeoutMs ?? 20_000, signal, cpu: this.options.cpu },
    );
    if (stdout.length < 44) throw new Error("espeak-ng produced no audio");
    return { audio: fixStreamedWavSizes(stdout), mimeType: "audio/wav" };
  }

  /** A whole WAV per sentence: the reply plays from its first sentence while the next is synthesised. */
  async stream(text: string, language: string, signal?: AbortSignal): Promise<SpeechStream> {
    const voice = isVoiceLanguage(language) ? ESPEAK_VOICES[language] : this.options.voice;
    const speech = await this.synthesize(text, signal, voice);
    return { mimeType: speech.mimeType, chunks: [speech.audio] };
  }
}

/** espeak-ng writing to a pipe cannot seek back to fill in the RIFF and data sizes: set them from the length. */
function fixStreamedWavSizes(wav: Buffer): Buffer {
  const out = Buffer.from(wav);
  if (out.toString("ascii", 0, 4) !== "RIFF") return out;
  out.writeUInt32LE(out.length - 8, 4);
  for (let at = 12; at + 8 <= out.length;) {
    const id = out.toString("ascii", at, at + 4);
    const size = out.readUInt32LE(at + 4);
    if (id === "data") {
      out.writeUInt32LE(out.length - at - 8, at + 4);
      break;
    }
    at += 8 + size + (size % 2);
  }
  return out;
}
