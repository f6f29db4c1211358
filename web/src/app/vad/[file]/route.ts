/**
 * The voice detector's files, served by the app itself (no CDN): the Silero model and the audio worklet from
 * @ricky0123/vad-web, and onnxruntime-web's WebAssembly runtime that runs the model. Only these names are served.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/** Each file and the package file it sits beside. */
const FILES: Record<string, { beside: string; type: string }> = {
  "vad.worklet.bundle.min.js": { beside: "@ricky0123/vad-web/dist/real-time-vad.js", type: "text/javascript" },
  "silero_vad_v5.onnx": { beside: "@ricky0123/vad-web/dist/real-time-vad.js", type: "application/octet-stream" },
  "ort-wasm-simd-threaded.mjs": { beside: "onnxruntime-web/wasm", type: "text/javascript" },
  "ort-wasm-simd-threaded.wasm": { beside: "onnxruntime-web/wasm", type: "application/wasm" },
};

// Resolved when served, from the app's directory: the bundler leaves a module name it cannot see alone.
const resolve = (name: string) => createRequire(path.join(process.cwd(), "package.json")).resolve(name);

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const entry = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (!entry) return new Response("Not found", { status: 404 });
  const body = await readFile(path.join(path.dirname(resolve(entry.beside)), file));
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": entry.type, "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
