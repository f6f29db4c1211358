import path from "node:path";
import { fileURLToPath } from "node:url";

/** The subgraph workspace. */
export const SUBGRAPH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What `graph build` writes: the manifest, the schema, the ABIs and each data source's wasm. */
export const BUILD_DIR = path.join(SUBGRAPH_DIR, "build");
