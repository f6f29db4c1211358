/** Picks the speech adapters from the configuration and what is installed. */
import type { Logger } from "pino";

import type { Catalog } from "../catalog/service.js";
import type { Config } from "../config/index.js";
import type { PlannerService } from "../planner/service.js";
import { DeepgramLiveStt } from "./deepgram-live.js";
import { DeepgramStt } from "./deepgram.js";
import { ElevenLabsTts } from "./elevenlabs.js";
import { EspeakTts } from "./espeak.js";
import { createCpuQuota, type CpuQuota } from "./cpu-quota.js";
import { findBinary } from "./exec.js";
import { PocketsphinxLiveStt } from "./pocketsphinx-live.js";
import { PocketsphinxStt } from "./pocketsphinx.js";
import { VoiceService } from "./service.js";
import type { SpeechToText, StreamingSpeechToText, StreamingTextToSpeech, TextToSpeech } from "./types.js";

/** How long a listening turn may go without audio before it ends. */
const IDLE_TIMEOUT_MS = 10_000;

export function createVoice(deps: {
  config: Config;
  catalog: Catalog;
  planner: PlannerService;
  logger: Logger;
}): VoiceService {
  const { config, catalog } = deps;
  const stt: SpeechToText[] = [];
  const tts: (TextToSpeech & StreamingTextToSpeech)[] = [];
  const pocketsphinx = findBinary(config.POCKETSPHINX_BIN);
  const espeak = findBinary(config.ESPEAK_BIN);
  const cpu = pocketsphinx || espeak ? speechCpuQuota(config.SPEECH_CPU_CORES, deps.logger) : undefined;

  const deepgram = () =>
    config.DEEPGRAM_API_KEY
      ? new DeepgramStt({
          apiKey: config.DEEPGRAM_API_KEY,
          baseUrl: config.DEEPGRAM_BASE_URL,
          model: config.DEEPGRAM_MODEL,
          timeoutMs: config.DEEPGRAM_TIMEOUT_MS,
        })
      : undefined;
  const sphinx = () =>
    pocketsphinx
      ? new PocketsphinxStt(catalog, { binary: pocketsphinx, modelDir: config.POCKETSPHINX_MODEL_DIR, cpu })
      : undefined;
  const chosenStt =
    config.STT_PROVIDER === "none"
      ? []
      : config.STT_PROVIDER === "deepgram"
        ? [deepgram()]
        : config.STT_PROVIDER === "pocketsphinx"
          ? [sphinx()]
          : [deepgram(), sphinx()];
  for (const adapter of chosenStt) if (adapter) stt.push(adapter);

  const elevenlabs = () =>
    config.ELEVENLABS_API_KEY
      ? new ElevenLabsTts({
          apiKey: config.ELEVENLABS_API_KEY,
          baseUrl: config.ELEVENLABS_BASE_URL,
          voiceId: config.ELEVENLABS_VOICE_ID,
          model: config.ELEVENLABS_MODEL,
          timeoutMs: config.ELEVENLABS_TIMEOUT_MS,
        })
      : undefined;
  const speak = () => (espeak ? new EspeakTts({ binary: espeak, cpu }) : undefined);
  const chosenTts =
    config.TTS_PROVIDER === "none"
      ? []
      : config.TTS_PROVIDER === "elevenlabs"
        ? [elevenlabs()]
        : config.TTS_PROVIDER === "espeak"
          ? [speak()]
          : [elevenlabs(), speak()];
  for (const adapter of chosenTts) if (adapter) tts.push(adapter);

  const sttHint =
    config.STT_PROVIDER === "deepgram"
      ? "STT_PROVIDER=deepgram needs DEEPGRAM_API_KEY"
      : config.STT_PROVIDER === "none"
        ? "STT_PROVIDER=none; set it to auto with DEEPGRAM_API_KEY, or install pocketsphinx"
        : `set DEEPGRAM_API_KEY, or install pocketsphinx (apt-get install pocketsphinx pocketsphinx-en-us; looked for ${config.POCKETSPHINX_BIN} on PATH)`;
  // The same providers, listening while the traveller speaks (GET /voice/stream).
  const liveStt: StreamingSpeechToText[] = stt.map((adapter) =>
    adapter instanceof DeepgramStt
      ? new DeepgramLiveStt(adapter.options)
      : new PocketsphinxLiveStt(adapter as PocketsphinxStt),
  );
  return new VoiceService({
    planner: deps.planner,
    logger: deps.logger.child({ component: "voice" }),
    stt,
    tts,
    maxBytes: config.VOICE_MAX_BYTES,
    maxSeconds: config.VOICE_MAX_SECONDS,
    sttHint,
    stream: {
      stt: liveStt,
      tts,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      turnsPerWindow: config.VOICE_RATE_LIMIT_PER_IP,
      turnWindowMs: config.RATE_LIMIT_WINDOW_MS,
      allowedOrigins: config.CORS_ORIGINS,
    },
  });
}

const quotas = new Map<number, CpuQuota | undefined>();

/** The speech binaries' CPU quota: one control group per process, set up (and its absence logged) once. */
function speechCpuQuota(cores: number, logger: Logger): CpuQuota | undefined {
  if (quotas.has(cores)) return quotas.get(cores);
  const quota = createCpuQuota(cores);
  if ("unavailable" in quota) {
    if (cores > 0)
      logger.warn({ reason: quota.unavailable }, "speech runs without a CPU quota, at the lowest priority only");
    quotas.set(cores, undefined);
    return undefined;
  }
  logger.info({ cores, cgroup: quota.directory }, "speech runs under a CPU quota");
  quotas.set(cores, quota);
  return quota;
}
