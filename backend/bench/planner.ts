/**
 * Planner, voice and recommendations benchmark, all offline and in process:
 * - offline planner latency over the test's request table;
 * - voice pipeline overhead: wall time of POST /voice/plan (the real route, multipart in, JSON with base64 audio
 *   out) minus the time spent in the providers (speech to text, planner, text to speech) it reports;
 * - recommendation query latency over the full demo catalog (every item scored), for a traveller with interactions.
 * Run alone: `npx tsx backend/bench/planner.ts`.
 */
import { fileURLToPath } from "node:url";

import pino from "pino";

import { percentile } from "@trvl/tooling/stats";
import { Catalog } from "../src/catalog/service.js";
import { openDatabase, schema } from "../src/db/index.js";
import { createRouter } from "../src/http/router.js";
import { createPlanner } from "../src/planner/index.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { EMPTY_TRAVELLER } from "../src/planner/types.js";
import { HashingEmbedder } from "../src/recommendations/embeddings.js";
import { Recommender } from "../src/recommendations/service.js";
import { decodeWav, encodeWav, resample } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { createVoice } from "../src/voice/index.js";
import { voiceRoutes } from "../src/voice/routes.js";
import { PLANNER_REQUESTS, TODAY } from "../test/fixtures/planner-requests.js";
import { offlineBenchConfig } from "./offline-config.js";

export interface Figure {
  name: string;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  targetMs: number;
}

const ms = (value: number) => Math.round(value * 100) / 100;

const figure = (name: string, values: number[], targetMs: number): Figure => ({
  name,
  samples: values.length,
  p50Ms: ms(percentile(values, 50)),
  p95Ms: ms(percentile(values, 95)),
  targetMs,
});

const VOICE_REQUESTS = [
  "Plan a trip to Paris for four days",
  "Three days in Rome for two people",
  "Plan a trip to Madrid for two days",
  "A trip to Tokyo for five days",
];

export async function measurePlanner(
  options: { rounds?: number } = {},
): Promise<{ figures: Figure[]; notes: string[] }> {
  const rounds = options.rounds ?? 5;
  const logger = pino({ level: "silent" });
  const notes: string[] = [];
  const catalog = new Catalog({ logger });

  // Offline planner over the request table (first pass warms the JIT and is not counted).
  const offline = new OfflinePlanner(catalog);
  const plan = (text: string) => offline.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
  for (const [text] of PLANNER_REQUESTS) await plan(text);
  const planTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [text] of PLANNER_REQUESTS) {
      const start = performance.now();
      await plan(text);
      planTimes.push(performance.now() - start);
    }
  }

  // Voice: the real route and service, pocketsphinx and espeak-ng as providers.
  const database = await openDatabase({ kind: "pglite" });
  try {
    const config = offlineBenchConfig();
    const recommender = new Recommender({ catalog, db: database.db, logger, embedder: new HashingEmbedder() });
    const planner = createPlanner({
      config,
      catalog,
      db: database.db,
      logger,
      now: () => new Date(),
      affinity: recommender,
    });
    const voice = createVoice({ config, catalog, planner, logger });
    const overhead: number[] = [];
    if (voice.providers.stt.length === 0 || voice.providers.tts.length === 0) {
      notes.push(
        "voice overhead not measured: pocketsphinx or espeak-ng is not installed (apt-get install pocketsphinx pocketsphinx-en-us espeak-ng)",
      );
    } else {
      const app = createRouter().route(
        "/",
        voiceRoutes(voice, async (_c, next) => next(), config.VOICE_MAX_BYTES),
      );
      const tts = new EspeakTts({ binary: config.ESPEAK_BIN });
      const recordings = await Promise.all(
        VOICE_REQUESTS.map(async (text) => encodeWav(resample(decodeWav((await tts.synthesize(text)).audio), 16_000))),
      );
      for (let round = 0; round < rounds + 1; round++) {
        for (const wav of recordings) {
          const form = new FormData();
          form.set("audio", new Blob([Uint8Array.from(wav)], { type: "audio/wav" }), "request.wav");
          const start = performance.now();
          const response = await app.request("/voice/plan", { method: "POST", body: form });
          const body = (await response.json()) as { timings: { sttMs: number; planMs: number; ttsMs: number } };
          const total = performance.now() - start;
          if (response.status !== 200)
            throw new Error(`voice request failed: ${response.status} ${JSON.stringify(body)}`);
          if (round > 0) overhead.push(total - body.timings.sttMs - body.timings.planMs - body.timings.ttsMs);
        }
      }
    }

    // Recommendations over the full catalog for a traveller with a profile and interactions.
    const address = "0x00000000000000000000000000000000000000b1";
    await database.db.insert(schema.users).values({ address });
    const items = catalog.demo.all;
    for (let i = 0; i < 30; i++) {
      const item = items[(i * 7919) % items.length];
      await database.db.insert(schema.interactions).values({
        address,
        itemId: item.id,
        destinationId: item.destinationId,
        kind: (["view", "like", "book"] as const)[i % 3],
      });
    }
    const traveller = { ...EMPTY_TRAVELLER, interests: ["food", "hiking"], dietary: ["vegetarian"] };
    let start = performance.now();
    await recommender.warm();
    notes.push(
      `recommendation index of ${items.length.toLocaleString("en-US")} items built in ${Math.round(performance.now() - start)} ms (once per process)`,
    );
    const types = [undefined, "activity", "restaurant", "hotel"] as const;
    const recommendTimes: number[] = [];
    for (let i = 0; i < 20 * rounds + 10; i++) {
      start = performance.now();
      await recommender.recommend(address, traveller, { type: types[i % types.length], limit: 20 });
      if (i >= 10) recommendTimes.push(performance.now() - start);
    }
    const figures = [figure(`offline planner (${PLANNER_REQUESTS.length} requests × ${rounds})`, planTimes, 100)];
    if (overhead.length > 0)
      figures.push(figure(`voice pipeline overhead (${VOICE_REQUESTS.length} recordings × ${rounds})`, overhead, 50));
    figures.push(
      figure(`recommendations, full catalog (${items.length.toLocaleString("en-US")} items)`, recommendTimes, 30),
    );
    return { figures, notes };
  } finally {
    await database.close();
  }
}

export function printPlannerFigures({ figures, notes }: { figures: Figure[]; notes: string[] }) {
  console.log("\nTrip planner, voice and recommendations (offline adapters, in process)\n");
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(
    `  ${"measure".padEnd(width)}  ${"p50 ms".padStart(7)}  ${"p95 ms".padStart(7)}  ${"target p95".padStart(10)}`,
  );
  for (const f of figures) {
    const verdict = f.p95Ms < f.targetMs ? "ok" : "MISSED";
    console.log(
      `  ${f.name.padEnd(width)}  ${String(f.p50Ms).padStart(7)}  ${String(f.p95Ms).padStart(7)}  ${`< ${f.targetMs}`.padStart(10)}  ${verdict}`,
    );
  }
  for (const note of notes) console.log(`  (${note})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printPlannerFigures(await measurePlanner());
}
