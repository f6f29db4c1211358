/**
 * Projections of events the scripted runs reach only on their happy path: a proposal the guardian vetoes in the
 * timelock (the governor emits nothing; only the timelock's `Cancelled` of the operation it queued tells), and a
 * reorg that takes the veto away again. Events are stored and projected as the listener does, in one transaction.
 */
import { getDeployment } from "@trvl/abi";
import { and, eq, gt } from "drizzle-orm";
import { keccak256, toHex, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ChainEvent, WatchedContract } from "../src/chain/events.js";
import { project, rewind, type ProjectionDeps } from "../src/chain/projections/index.js";
import { schema } from "../src/db/index.js";
import { createTestApp, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { testClock } from "./helpers/clock.js";

const CHAIN_ID = 31337;
const { contracts } = getDeployment(CHAIN_ID);

describe.each(DRIVERS)("proposal projections (%s)", (driver) => {
  let t: TestApp;
  let deps: ProjectionDeps;
  const proposer = testAccount("traveller").address;

  beforeAll(async () => {
    t = await createTestApp(driver);
    deps = { chainId: CHAIN_ID, now: testClock, retryBackoff: { baseMs: 1_000, maxMs: 60_000 } };
  });
  afterAll(() => t.close());

  let logIndex = 0;
  const event = (
    contract: WatchedContract,
    name: string,
    args: Record<string, unknown>,
    txHash: Hex,
    blockNumber: bigint,
  ): ChainEvent => ({
    chainId: CHAIN_ID,
    txHash,
    logIndex: logIndex++,
    blockNumber,
    blockHash: keccak256(toHex(`block ${blockNumber}`)),
    blockTime: new Date(Number(blockNumber) * 1_000),
    address: contracts[contract].address,
    contract,
    name,
    args,
    bookingId: null,
  });
  const hash = (label: string) => keccak256(toHex(label));
  /** Stores and projects `events` as one listener batch. */
  const apply = (events: ChainEvent[]) =>
    t.services.db.transaction(async (tx) => {
      await tx.insert(schema.chainEvents).values(events);
      await project(tx, deps, events);
    });
  const stateOf = async (proposalId: bigint) => {
    const [row] = await t.services.db
      .select({ state: schema.proposals.state })
      .from(schema.proposals)
      .where(and(eq(schema.proposals.chainId, CHAIN_ID), eq(schema.proposals.proposalId, proposalId)));
    return row?.state;
  };

  it("a timelock veto cancels the proposal queued as that operation, and a reorg that drops the veto undoes it", async () => {
    const created = (proposalId: bigint, txHash: Hex, block: bigint) =>
      event(
        "TRVLGovernor",
        "ProposalCreated",
        {
          proposalId: String(proposalId),
          proposer,
          description: `Proposal ${proposalId}`,
          voteStart: String(block + 1n),
          voteEnd: String(block + 600n),
        },
        txHash,
        block,
      );
    // The governor schedules a proposal's calls (one CallScheduled per call, all with the operation's id), then
    // emits ProposalQueued, in one transaction.
    const queued = (proposalId: bigint, operation: Hex, txHash: Hex, block: bigint) => [
      event("Timelock", "CallScheduled", { id: operation, index: "0" }, txHash, block),
      event("Timelock", "CallScheduled", { id: operation, index: "1" }, txHash, block),
      event("TRVLGovernor", "ProposalQueued", { proposalId: String(proposalId), etaSeconds: "100" }, txHash, block),
    ];
    const [vetoed, kept] = [11n, 12n];
    await apply([created(vetoed, hash("create 11"), 10n), created(kept, hash("create 12"), 10n)]);
    await apply([
      ...queued(vetoed, hash("operation 11"), hash("queue 11"), 20n),
      ...queued(kept, hash("operation 12"), hash("queue 12"), 20n),
      // An operation scheduled in the timelock directly, not by the governor.
      event("Timelock", "CallScheduled", { id: hash("operation x"), index: "0" }, hash("schedule x"), 21n),
    ]);
    expect([await stateOf(vetoed), await stateOf(kept)]).toEqual(["Queued", "Queued"]);

    // The guardian cancels the operation of one proposal, and the one scheduled directly.
    await apply([
      event("Timelock", "Cancelled", { id: hash("operation x") }, hash("cancel x"), 30n),
      event("Timelock", "Cancelled", { id: hash("operation 11") }, hash("cancel 11"), 31n),
    ]);
    expect([await stateOf(vetoed), await stateOf(kept)]).toEqual(["Canceled", "Queued"]);

    // A reorg back to block 30: the veto is gone (the listener deletes the later events, then rewinds).
    await t.services.db.transaction(async (tx) => {
      await tx
        .delete(schema.chainEvents)
        .where(and(eq(schema.chainEvents.chainId, CHAIN_ID), gt(schema.chainEvents.blockNumber, 30n)));
      await rewind(tx, deps, 30n);
    });
    expect([await stateOf(vetoed), await stateOf(kept)]).toEqual(["Queued", "Queued"]);

    // The veto again on the new branch; a rewind that keeps it keeps the proposal cancelled.
    await apply([event("Timelock", "Cancelled", { id: hash("operation 11") }, hash("cancel 11 again"), 32n)]);
    expect(await stateOf(vetoed)).toBe("Canceled");
    await t.services.db.transaction((tx) => rewind(tx, deps, 32n));
    expect([await stateOf(vetoed), await stateOf(kept)]).toEqual(["Canceled", "Queued"]);
  });

  it("one batch with a proposal's whole life, as a backfill reads it: created, voted, queued, vetoed", async () => {
    const proposalId = 21n;
    const vote = (voter: Hex, support: number, weight: bigint, block: bigint) =>
      event(
        "TRVLGovernor",
        "VoteCast",
        { voter, proposalId: String(proposalId), support: String(support), weight: String(weight), reason: "" },
        hash(`vote ${voter}`),
        block,
      );
    await apply([
      event(
        "TRVLGovernor",
        "ProposalCreated",
        {
          proposalId: String(proposalId),
          proposer,
          description: "Whole life in one batch",
          voteStart: "41",
          voteEnd: "60",
        },
        hash("create 21"),
        40n,
      ),
      vote(testAccount("traveller").address, 1, 300n, 45n),
      vote(testAccount(10).address, 0, 100n, 46n),
      vote(testAccount(11).address, 1, 50n, 47n),
      event("Timelock", "CallScheduled", { id: hash("operation 21"), index: "0" }, hash("queue 21"), 61n),
      event(
        "TRVLGovernor",
        "ProposalQueued",
        { proposalId: String(proposalId), etaSeconds: "100" },
        hash("queue 21"),
        61n,
      ),
      event("Timelock", "Cancelled", { id: hash("operation 21") }, hash("cancel 21"), 62n),
    ]);
    const [row] = await t.services.db
      .select()
      .from(schema.proposals)
      .where(and(eq(schema.proposals.chainId, CHAIN_ID), eq(schema.proposals.proposalId, proposalId)));
    expect(row).toMatchObject({ state: "Canceled", forVotes: 350n, againstVotes: 100n, abstainVotes: 0n });
  });
});
