/**
 * The backend as the real process `npm start` runs (API and worker), on a test app's database and the shared local
 * chain, with the fast worker settings: what the crash tests kill with SIGKILL and start again.
 */
import { inject } from "vitest";
import type { Hex } from "viem";

import { startBackend, type BackendProcess } from "@trvl/tooling/backend-process";
import { testEnv, type TestApp } from "./app.js";
import { FAST_WORKER_ENV } from "./pipeline.js";

export function startWorkerProcess(
  t: TestApp,
  options: { dataDir: string; keeper: Hex; env?: Record<string, string> },
): Promise<BackendProcess> {
  return startBackend({
    chainUrl: inject("chainUrl"),
    env: {
      ...testEnv(),
      ...FAST_WORKER_ENV,
      NODE_ENV: "production",
      DATABASE_URL: t.database.url,
      DATA_DIR: options.dataDir,
      API_HOST: "127.0.0.1",
      API_PORT: "0",
      KEEPER_PRIVATE_KEY: options.keeper,
      WORKER_ENABLED: "true",
      ...options.env,
    },
  });
}
