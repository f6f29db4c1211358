const IPFS_LINK = /\n*Full proposal: ipfs:\/\/([a-z0-9]+)\s*$/;

/**
 * Title, body and pinned document of an on-chain proposal description as the API composes it (`# Title`, the
 * summary, `Full proposal: ipfs://<cid>`); any other description is a first-line title and the rest.
 */
export function splitDescription(description: string): { title: string; body: string; cid?: string } {
  const link = IPFS_LINK.exec(description);
  const text = link ? description.slice(0, link.index) : description;
  const [first, ...rest] = text.split("\n");
  return { title: first.replace(/^#+\s*/, "").trim(), body: rest.join("\n").trim(), cid: link?.[1] };
}
