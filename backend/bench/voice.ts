/**
 * Voice conversation latency, offline and in process: espeak-ng-spoken requests stream into a voice session (the
 * one GET /voice/stream runs) in 20 ms frames at the pace of speech, pocketsphinx hears them as they arrive, the
 * offline planner plans and espeak-ng speaks the reply sentence by sentence. Measured from the end of speech (the
 * stop): the final transcript, the first reply text, the first reply audio byte.
 */
import pino from "pino";

import { percentile } from "@trvl/tooling/stats";

import { Catalog } from "../src/catalog/service.js";
import { openDatabase } from "../src/db/index.js";
import { createPlanner } from "../src/planner/index.js";
import { decodeWav, encodeWav, resample } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { createVoice } from "../src/voice/index.js";
import { VoiceSession, type ServerEvent, type TurnTimings } from "../src/voice/session.js";
import { offlineBenchConfig } from "./offline-config.js";

const REQUESTS = [
  "Plan a trip to Paris for four days",
  "Three days in Rome for two people",
  "Plan a trip to Madrid for two days",
  "A trip to Tokyo for five days",
];
const FRAME_BYTES = 640;
const FRAME_MS = 20;

export interface VoiceFigure {
  name: string;
  p50Ms: number;
  p95Ms: number;
  targetMs: number | null;
}

export async function measureVoiceConversation(
  options: { turns?: number } = {},
): Promise<{ figures: VoiceFigure[]; notes: string[] }> {
  const turns = Math.max(20, options.turns ?? 20);
  const logger = pino({ level: "silent" });
  const catalog = new Catalog({ logger });
  const database = await openDatabase({ kind: "pglite" });
  try {
    const config = offlineBenchConfig();
    const planner = createPlanner({ config, catalog, db: database.db, logger, now: () => new Date() });
    const voice = createVoice({ config, catalog, planner, logger });
    if (voice.providers.stt.length === 0 || voice.providers.tts.length === 0)
      return {
        figures: [],
        notes: ["voice conversation not measured: install pocketsphinx pocketsphinx-en-us espeak-ng"],
      };
    const tts = new EspeakTts({ binary: config.ESPEAK_BIN });
    const speech = await Promise.all(
      REQUESTS.map(async (text) =>
        encodeWav(resample(decodeWav((await tts.synthesize(text)).audio), 16_000)).subarray(44),
      ),
    );

    const timings: TurnTimings[] = [];
    const failures: string[] = [];
    // One warm-up turn (the recogniser's model and grammar load once), not counted.
    for (let turn = -1; turn < turns; turn++) {
      const pcm = speech[(turn + speech.length) % speech.length];
      let finished!: (timings: TurnTimings) => void;
      let failed!: (error: Error) => void;
      const done = new Promise<TurnTimings>((resolve, reject) => ((finished = resolve), (failed = reject)));
      const peer = {
        send: async (event: ServerEvent) => {
          if (event.type === "done") finished(event.timings);
          if (event.type === "error") failed(new Error(`${event.error.code}: ${event.error.message}`));
        },
      };
      const session = new VoiceSession({ ...voice.streamOptions, admit: async () => () => undefined }, peer, {});
      await session.onText(JSON.stringify({ type: "start", newConversation: true }));
      for (let at = 0; at < pcm.length; at += FRAME_BYTES) {
        await session.onAudio(pcm.subarray(at, at + FRAME_BYTES));
        await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
      }
      await session.onText(JSON.stringify({ type: "stop" }));
      try {
        const result = await done;
        if (turn >= 0) timings.push(result);
      } catch (error) {
        if (turn >= 0) failures.push((error as Error).message);
      } finally {
        session.close();
      }
    }
    const figure = (name: string, values: number[], targetMs: number | null): VoiceFigure => ({
      name,
      p50Ms: Math.round(percentile(values, 50)),
      p95Ms: Math.round(percentile(values, 95)),
      targetMs,
    });
    const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
    return {
      figures: [
        figure("end of speech → final transcript", present(timings.map((t) => t.finalTranscriptMs)), 600),
        figure("end of speech → first reply text", present(timings.map((t) => t.firstTextMs)), null),
        figure("end of speech → first reply audio byte", present(timings.map((t) => t.firstAudioMs)), 1_500),
      ],
      notes: [
        `${timings.length} of ${turns} turns of ${REQUESTS.length} espeak-ng-spoken requests, streamed at the pace of speech`,
        ...(failures.length > 0 ? [`${failures.length} turns failed: ${[...new Set(failures)].join("; ")}`] : []),
      ],
    };
  } finally {
    await database.close();
  }
}

export function printVoiceFigures({ figures, notes }: { figures: VoiceFigure[]; notes: string[] }) {
  console.log("\nVoice conversation (offline: pocketsphinx, offline planner, espeak-ng; in process)\n");
  const width = Math.max(...figures.map((f) => f.name.length), 10);
  console.log(
    `  ${"measure".padEnd(width)}  ${"p50 ms".padStart(7)}  ${"p95 ms".padStart(7)}  ${"target p95".padStart(10)}`,
  );
  for (const f of figures) {
    const target = f.targetMs === null ? "" : `≤ ${f.targetMs}`;
    const verdict = f.targetMs === null ? "" : f.p95Ms <= f.targetMs ? "ok" : "MISSED";
    console.log(
      `  ${f.name.padEnd(width)}  ${String(f.p50Ms).padStart(7)}  ${String(f.p95Ms).padStart(7)}  ${target.padStart(10)}  ${verdict}`,
    );
  }
  for (const note of notes) console.log(`  ${note}`);
}
