import { createRoute, z } from "@hono/zod-openapi";
import { CID } from "multiformats/cid";

import { ApiError, errorResponses } from "../http/errors.js";
import { createRouter } from "../http/router.js";
import { SUPPORTED_CODECS, verifies, type ContentStore } from "./store.js";

export function ipfsRoutes(store: ContentStore) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/{cid}",
      tags: ["ipfs"],
      summary: "A content-addressed document (e.g. a booking receipt), checked against its CID before it is served",
      request: { params: z.object({ cid: z.string().min(1).max(200).openapi({ example: "bagaaiera…" }) }) },
      responses: {
        200: {
          description: "The document's bytes, exactly as hashed",
          content: { "application/json": { schema: z.unknown() }, "application/octet-stream": { schema: z.unknown() } },
        },
        ...errorResponses(400, 404, 429, 502, 503),
      },
    }),
    async (c) => {
      let cid: CID;
      try {
        cid = CID.parse(c.req.valid("param").cid);
      } catch {
        throw new ApiError(400, "validation_failed", "param.cid: not a valid CID", {
          fields: [{ field: "param.cid", message: "not a valid CID" }],
        });
      }
      const contentType = SUPPORTED_CODECS[cid.code];
      if (cid.version !== 1 || !contentType) {
        throw new ApiError(400, "unsupported_cid", "Only CIDv1 json and raw blocks are served here");
      }
      let bytes: Uint8Array | undefined;
      try {
        bytes = await store.get(cid);
      } catch (error) {
        throw new ApiError(503, "ipfs_unavailable", "The content store did not answer", { reason: String(error) });
      }
      if (!bytes) throw new ApiError(404, "not_found", `No content for ${cid}`);
      if (!(await verifies(cid, bytes))) {
        throw new ApiError(502, "content_corrupted", `The stored bytes do not hash to ${cid}`);
      }
      return c.body(new Uint8Array(bytes), 200, {
        "Content-Type": contentType,
        "Cache-Control": "public, max-age=31536000, immutable",
        ETag: `"${cid.toString()}"`,
        "X-Ipfs-Path": `/ipfs/${cid.toString()}`,
      }) as never;
    },
  );
}
