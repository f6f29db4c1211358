/**
 * Content-addressed documents (booking receipts, itineraries) as real IPFS blocks: JSON encoded with the `json`
 * multicodec, hashed with sha2-256, named by CIDv1. The default store keeps blocks under `.data/ipfs/`; with
 * IPFS_API_URL the same blocks are put and pinned on a Kubo node, so either store gives the same CID for a document.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

export interface ContentStore {
  readonly kind: "embedded" | "kubo";
  put(cid: CID, bytes: Uint8Array): Promise<void>;
  get(cid: CID): Promise<Uint8Array | undefined>;
}

export async function cidOf(bytes: Uint8Array, codec: number = json.code): Promise<CID> {
  return CID.createV1(codec, await sha256.digest(bytes));
}

export async function putJson(store: ContentStore, document: unknown): Promise<CID> {
  const bytes = json.encode(document);
  const cid = await cidOf(bytes);
  await store.put(cid, bytes);
  return cid;
}

/** Whether `bytes` really are the content `cid` names (sha2-256 CIDs only). */
export async function verifies(cid: CID, bytes: Uint8Array): Promise<boolean> {
  if (cid.multihash.code !== sha256.code) return false;
  const digest = await sha256.digest(bytes);
  return Buffer.from(digest.bytes).equals(Buffer.from(cid.multihash.bytes));
}

export const SUPPORTED_CODECS: Record<number, string> = {
  [json.code]: "application/json",
  [raw.code]: "application/octet-stream",
};

/** Blocks as files named by their CID under `dir`; written atomically, so a reader never sees half a block. */
export class EmbeddedStore implements ContentStore {
  readonly kind = "embedded";

  constructor(private readonly dir: string) {}

  private file(cid: CID) {
    return path.join(this.dir, cid.toString());
  }

  async put(cid: CID, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.file(cid)}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, this.file(cid));
  }

  async get(cid: CID): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.file(cid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }
}

/** A Kubo node through its RPC API (`kubo-rpc-client`): blocks are put with the same codec and hash, and pinned. */
export class KuboStore implements ContentStore {
  readonly kind = "kubo";
  private client?: Promise<import("kubo-rpc-client").KuboRPCClient>;

  constructor(private readonly url: string) {}

  private kubo() {
    this.client ??= import("kubo-rpc-client").then(({ create }) => create({ url: this.url, timeout: 15_000 }));
    return this.client;
  }

  async put(cid: CID, bytes: Uint8Array): Promise<void> {
    const kubo = await this.kubo();
    const stored = await kubo.block.put(bytes, {
      format: cid.code === json.code ? "json" : "raw",
      mhtype: "sha2-256",
      pin: true,
    });
    if (!stored.equals(cid)) throw new Error(`Kubo stored ${stored} for a block whose CID is ${cid}`);
  }

  async get(cid: CID): Promise<Uint8Array | undefined> {
    const kubo = await this.kubo();
    try {
      return await kubo.block.get(cid, { timeout: 15_000 });
    } catch (error) {
      if (/not found|no link named/i.test(String(error))) return undefined;
      throw error;
    }
  }
}
