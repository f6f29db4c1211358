/** The Safe fragments `@trvl/abi` publishes are the Safe 1.4.1 package's own, to the letter. */
import { createRequire } from "node:module";

import { multiSendAbi, safeAbi } from "@trvl/abi";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const artifact = (path: string) =>
  (require(`@safe-global/safe-contracts/build/artifacts/contracts/${path}`) as { abi: { name?: string }[] }).abi;

describe("the Safe ABI in @trvl/abi", () => {
  it("is Safe 1.4.1's", () => {
    expect((require("@safe-global/safe-contracts/package.json") as { version: string }).version).toBe("1.4.1");
  });

  for (const [name, fragments, path] of [
    ["Safe", safeAbi, "Safe.sol/Safe.json"],
    ["MultiSend", multiSendAbi, "libraries/MultiSend.sol/MultiSend.json"],
    ["MultiSendCallOnly", multiSendAbi, "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json"],
  ] as const) {
    it(`declares ${name}'s functions as its artifact does`, () => {
      const abi = artifact(path);
      for (const fragment of fragments) expect(abi.find((item) => item.name === fragment.name)).toEqual(fragment);
    });
  }
});
