import { describe, expect, it } from "vitest";

import { splitDescription } from "./description";

describe("proposal descriptions", () => {
  it("reads the title, the summary and the pinned document's CID the API wrote", () => {
    const cid = "bagaaierasords4njcts6vs7qvdjfcvgnume4hqohf65zsfguprqphs3icwea";
    expect(
      splitDescription(`# Raise the traveller's share\n\nMore for travellers.\n\nFull proposal: ipfs://${cid}`),
    ).toEqual({
      title: "Raise the traveller's share",
      body: "More for travellers.",
      cid,
    });
  });

  it("takes any other description as a title line and a body, with no link", () => {
    expect(splitDescription("Keep the voting period\nA harmless proposal.")).toEqual({
      title: "Keep the voting period",
      body: "A harmless proposal.",
      cid: undefined,
    });
    expect(splitDescription("Mentions ipfs://abc in the middle\nand more")).toMatchObject({ cid: undefined });
  });
});
