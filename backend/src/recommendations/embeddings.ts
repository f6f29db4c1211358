/**
 * The embeddings port: texts (here, the features of catalog items and of travellers) to unit vectors of a fixed
 * dimension. OpenAI embeddings with a key; deterministic feature hashing offline.
 */
import { createHash } from "node:crypto";

import type OpenAI from "openai";

import { openAIClient } from "../planner/openai.js";

import { providerError } from "../planner/service.js";

export interface Embedder {
  readonly name: "openai" | "hashing";
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/**
 * Signed feature hashing: each text sets two signed coordinates chosen by its SHA-256, so equal features give
 * equal vectors, different ones nearly orthogonal ones. Deterministic, offline, microseconds per feature.
 */
export class HashingEmbedder implements Embedder {
  readonly name = "hashing" as const;
  constructor(readonly dimensions = 64) {}

  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const digest = createHash("sha256").update(text).digest();
    for (let k = 0; k < 2; k++) {
      const slot = digest.readUInt32BE(k * 4) % this.dimensions;
      vector[slot] += digest[8 + k] & 1 ? 1 : -1;
    }
    return normalize(vector);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }
}

export interface OpenAIEmbedderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  dimensions: number;
  timeoutMs: number;
  maxRetries: number;
}

export class OpenAIEmbedder implements Embedder {
  readonly name = "openai" as const;
  readonly dimensions: number;
  /** The SDK, loaded on first use (see OpenAIPlanner). */
  private sdk?: Promise<OpenAI>;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.dimensions = options.dimensions;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    // The API takes up to 2,048 inputs a request.
    for (let start = 0; start < texts.length; start += 2_048) {
      const batch = texts.slice(start, start + 2_048);
      try {
        const response = await (
          await (this.sdk ??= openAIClient(this.options))
        ).embeddings.create({
          model: this.options.model,
          input: batch,
          dimensions: this.dimensions,
          encoding_format: "float",
        });
        const rows = [...response.data].sort((a, b) => a.index - b.index);
        if (rows.length !== batch.length) throw new Error(`expected ${batch.length} embeddings, got ${rows.length}`);
        for (const row of rows) {
          if (row.embedding.length !== this.dimensions)
            throw new Error(`expected ${this.dimensions} dimensions, got ${row.embedding.length}`);
          out.push(normalize(Float32Array.from(row.embedding)));
        }
      } catch (error) {
        throw providerError("OpenAI embeddings", error);
      }
    }
    return out;
  }
}
