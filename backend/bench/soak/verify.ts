/**
 * The soak's verdict on correctness, from the chain's own logs: each paid booking paid once, settled or refunded
 * exactly once (never both), rewarded exactly once iff settled; rewards per recipient as the API reports them;
 * cancellations answered truthfully; the API's statuses agreeing with the chain; every reward pushed live.
 */
import { bookingEscrowAbi, getDeployment, rewardDistributorAbi, SKIP_REASONS } from "@trvl/abi";
import { formatUnits, zeroAddress, type Abi, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";

import type { SoakBooking, Traffic } from "./traffic.js";
import type { Traveller } from "./travellers.js";

/** Blocks per eth_getLogs request. */
const LOG_RANGE = 2_000n;
/** Offending bookings named per kind of failure. */
const NAMED = 5;

export type RewardRole = "traveller" | "referrer_l1" | "referrer_l2";
export type RewardTotals = Record<RewardRole, bigint>;

/** What the verdict checks, each reported pass or fail with its failures. */
const CATEGORIES = {
  payments: "each payment mined, each paid booking paid exactly once",
  settlement: "each paid booking settled or refunded exactly once, never both",
  rewards: "each booking rewarded exactly once iff settled (no double, no missing reward)",
  statuses: "the API's final status of each booking agrees with the chain",
  totals: "GET /rewards totals of each traveller = RewardDistributed sums (to the registered referrers)",
  cancellations:
    "cancellations truthful (200 → refunded, never settled; 409 → settled and rewarded; unpaid → cancelled)",
  pushes: "every rewarded booking pushed live as rewarded to each of its traveller's streams",
} as const;
type Category = keyof typeof CATEGORIES;

export interface Verdict {
  checks: { name: string; failures: string[] }[];
  figures: {
    bookings: {
      created: number;
      paid: { eth: number; permit: number };
      cancelledBeforePaying: number;
      cancelledAfterPaying: Record<string, number>;
      settled: number;
      refunded: number;
      rewarded: number;
      rewardSkips: Record<string, number>;
    };
    rewards: { trvlMinted: string; recipients: number; checkedTravellers: number };
    pushes: { streams: number; rewardedBookings: number; direct: number; byRefresh: number; duplicates: number };
  };
}

async function eventsOf(
  client: PublicClient,
  address: Address,
  abi: Abi,
  eventName: string,
  fromBlock: bigint,
  toBlock: bigint,
) {
  const logs: { args: Record<string, any> }[] = [];
  for (let from = fromBlock; from <= toBlock; from += LOG_RANGE) {
    const to = from + LOG_RANGE - 1n < toBlock ? from + LOG_RANGE - 1n : toBlock;
    logs.push(
      ...((await client.getContractEvents({ address, abi, eventName, fromBlock: from, toBlock: to })) as never[]),
    );
  }
  return logs;
}

function countBy(logs: { args: Record<string, any> }[], key = "bookingId") {
  const counts = new Map<string, number>();
  for (const { args } of logs) {
    const id = String(args[key]).toLowerCase();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export async function verify(input: {
  client: PublicClient;
  fromBlock: bigint;
  traffic: Traffic;
  travellers: Traveller[];
  streams: { traveller: number }[];
  /** Each traveller's reward totals as GET /rewards answers them. */
  apiRewards: RewardTotals[];
  /** Each booking's status in the API's database at the end. */
  apiStatuses: Map<string, string>;
}): Promise<Verdict> {
  const { client, fromBlock, traffic, travellers } = input;
  const { contracts } = getDeployment(hardhat.id);
  const toBlock = await client.getBlockNumber();
  const escrow = contracts.BookingEscrow.address;
  const distributor = contracts.RewardDistributor.address;
  const [paidLogs, settledLogs, refundedLogs, rewardedLogs, skippedLogs] = await Promise.all([
    eventsOf(client, escrow, bookingEscrowAbi, "BookingPaid", fromBlock, toBlock),
    eventsOf(client, escrow, bookingEscrowAbi, "BookingSettled", fromBlock, toBlock),
    eventsOf(client, escrow, bookingEscrowAbi, "BookingRefunded", fromBlock, toBlock),
    eventsOf(client, distributor, rewardDistributorAbi, "RewardDistributed", fromBlock, toBlock),
    eventsOf(client, distributor, rewardDistributorAbi, "RewardSkipped", fromBlock, toBlock),
  ]);
  const paid = countBy(paidLogs);
  const settled = countBy(settledLogs);
  const refunded = countBy(refundedLogs);
  const rewarded = countBy(rewardedLogs);

  const problems = new Map<string, { category: Category; details: string[] }>();
  const problem = (category: Category, kind: string, detail: string) => {
    const entry = problems.get(kind) ?? { category, details: [] };
    problems.set(kind, entry);
    entry.details.push(detail);
  };
  const bookings = [...traffic.bookings.values()];
  const n = (counts: Map<string, number>, b: SoakBooking) => counts.get(b.id.toLowerCase()) ?? 0;
  const cancelledAfter: Record<string, number> = {};

  for (const b of bookings) {
    const id = b.id.toLowerCase();
    const [p, s, r, w] = [n(paid, b), n(settled, b), n(refunded, b), n(rewarded, b)];
    const api = input.apiStatuses.get(id);
    const facts = `paid ${p}×, settled ${s}×, refunded ${r}×, rewarded ${w}× on chain; API says ${api}`;
    if (b.plan === "cancel-before-paying") {
      if (b.cancel?.status !== 200 || b.cancel.bookingStatus !== "cancelled") {
        problem(
          "cancellations",
          "cancellations before paying not answered 200 cancelled",
          `${id}: answered ${b.cancel?.status} ${b.cancel?.bookingStatus ?? b.cancel?.code ?? ""}`,
        );
      }
      if (p + s + r + w > 0)
        problem("cancellations", "bookings cancelled before paying that reached the chain", `${id}: ${facts}`);
      if (api !== "cancelled")
        problem("cancellations", "bookings cancelled before paying not cancelled in the API", `${id}: ${facts}`);
      continue;
    }
    if (b.payError) {
      problem("payments", "payments that failed", `${id} (${b.method}): ${b.payError}`);
      continue;
    }
    if (b.paidAt === undefined) {
      problem("payments", "bookings the soak did not get to pay", id);
      continue;
    }
    if (p !== 1) problem("payments", "bookings not paid exactly once", `${id}: ${facts}`);
    if (s > 0 && r > 0) problem("settlement", "bookings both settled and refunded", `${id}: ${facts}`);
    else if (s + r === 0)
      problem("settlement", "paid bookings neither settled nor refunded (stuck)", `${id}: ${facts}`);
    else if (s + r > 1) problem("settlement", "bookings settled or refunded more than once", `${id}: ${facts}`);
    if (w > 1) problem("rewards", "bookings rewarded more than once (double rewards)", `${id}: ${facts}`);
    if (s === 1 && w === 0) problem("rewards", "settled bookings never rewarded (missing rewards)", `${id}: ${facts}`);
    if (s === 0 && w > 0) problem("rewards", "rewards for bookings not settled", `${id}: ${facts}`);
    const expected = s === 1 && w === 1 ? "rewarded" : r === 1 && s === 0 ? "refunded" : undefined;
    if (expected && api !== expected)
      problem("statuses", "bookings whose API status disagrees with the chain", `${id}: ${facts}`);

    if (b.plan === "cancel-after-paying") {
      const c = b.cancel;
      const key = `${b.cancelMoment} → ${c ? (c.status === 200 ? `200 ${c.bookingStatus}` : `${c.status} ${c.code ?? ""}`.trim()) : "not sent"}`;
      cancelledAfter[key] = (cancelledAfter[key] ?? 0) + 1;
      const when = `${b.cancelMoment}, ${c?.afterPaymentMs} ms after payment`;
      if (!c) problem("cancellations", "cancellations after paying not sent", id);
      else if (c.status === 200) {
        if (!(r === 1 && s === 0)) {
          problem(
            "cancellations",
            "untruthful cancellations: 200 but not refunded (or settled)",
            `${id} (${when}): ${facts}`,
          );
        }
        if (c.bookingStatus !== "refund_requested" && c.bookingStatus !== "cancelled") {
          problem(
            "cancellations",
            "cancellations after paying answered 200 with an odd status",
            `${id}: ${c.bookingStatus}`,
          );
        }
      } else if (c.status === 409) {
        if (!(s === 1 && w === 1 && r === 0)) {
          problem(
            "cancellations",
            "untruthful cancellations: 409 but not settled and rewarded",
            `${id} (${when}, ${c.code}): ${facts}`,
          );
        }
        if (c.code !== "settlement_in_progress" && c.code !== "not_cancellable") {
          problem("cancellations", "cancellations after paying refused with an undocumented code", `${id}: ${c.code}`);
        }
        if (!c.detailsStatus) problem("cancellations", "409 cancellations without error.details.status", id);
      } else {
        problem(
          "cancellations",
          "cancellations after paying answered neither 200 nor 409",
          `${id} (${when}): ${c.status} ${c.code}`,
        );
      }
    }
  }

  // Rewards per recipient from RewardDistributed, against GET /rewards of each traveller; and their recipients
  // against the referrals registered at the start.
  const byAddress = new Map(travellers.map((t) => [t.account.address.toLowerCase(), t]));
  const chainTotals: RewardTotals[] = travellers.map(() => ({ traveller: 0n, referrer_l1: 0n, referrer_l2: 0n }));
  const recipients = new Set<string>();
  let minted = 0n;
  const credit = (address: string, role: RewardRole, amount: bigint) => {
    if (address === zeroAddress || amount === 0n) return;
    recipients.add(address.toLowerCase());
    const t = byAddress.get(address.toLowerCase());
    if (t) chainTotals[t.index][role] += amount;
  };
  for (const { args } of rewardedLogs) {
    const a = args as {
      bookingId: string;
      traveller: Address;
      level1: Address;
      level2: Address;
      travellerAmount: bigint;
      level1Amount: bigint;
      level2Amount: bigint;
      treasuryAmount: bigint;
    };
    minted += a.travellerAmount + a.level1Amount + a.level2Amount + a.treasuryAmount;
    credit(a.traveller, "traveller", a.travellerAmount);
    credit(a.level1, "referrer_l1", a.level1Amount);
    credit(a.level2, "referrer_l2", a.level2Amount);
    const t = byAddress.get(a.traveller.toLowerCase());
    if (!t) continue;
    const l1 = t.referrer === undefined ? zeroAddress : travellers[t.referrer].account.address;
    const l2 = t.level2 === undefined ? zeroAddress : travellers[t.level2].account.address;
    if ((a.level1Amount > 0n && a.level1 !== l1) || (a.level2Amount > 0n && a.level2 !== l2)) {
      problem(
        "totals",
        "rewards paid to someone other than the registered referrers",
        `${a.bookingId}: ${a.level1}, ${a.level2}`,
      );
    }
  }
  for (const t of travellers) {
    for (const role of ["traveller", "referrer_l1", "referrer_l2"] as const) {
      const onChain = chainTotals[t.index][role];
      const api = input.apiRewards[t.index]?.[role];
      if (api !== onChain) {
        problem(
          "totals",
          "travellers whose GET /rewards totals differ from the chain's RewardDistributed sums",
          `traveller ${t.index} ${t.account.address} ${role}: API ${api === undefined ? "no answer" : formatUnits(api, 18)}, chain ${formatUnits(onChain, 18)} TRVL`,
        );
      }
    }
  }

  // Live updates: every booking rewarded on chain was pushed as rewarded to each of its traveller's streams (or the
  // stream got a `refresh` after which the refetched bookings showed it); and no push said rewarded otherwise.
  let direct = 0;
  let viaRefresh = 0;
  let duplicates = 0;
  const rewardedBookings = bookings.filter((b) => n(rewarded, b) > 0);
  input.streams.forEach((stream, index) => {
    const pushes = traffic.rewardedPushes[index] ?? new Map<string, number>();
    const refreshed = traffic.rewardedByRefresh[index] ?? new Set<string>();
    for (const b of rewardedBookings) {
      if (b.traveller !== stream.traveller) continue;
      const id = b.id.toLowerCase();
      const count = pushes.get(id) ?? 0;
      if (count > 0) direct++;
      else if (refreshed.has(id)) viaRefresh++;
      else
        problem(
          "pushes",
          "rewarded bookings whose push never arrived",
          `${id} on stream ${index} (traveller ${stream.traveller})`,
        );
      if (count > 1) duplicates++;
    }
    for (const id of pushes.keys()) {
      if ((rewarded.get(id) ?? 0) === 0 && traffic.bookings.has(id)) {
        problem(
          "pushes",
          "pushes that said rewarded for a booking the chain never rewarded",
          `${id} on stream ${index}`,
        );
      }
    }
  });

  const skipReasons: Record<string, number> = {};
  for (const { args } of skippedLogs) {
    const reason = SKIP_REASONS[Number(args.reason)] ?? `reason ${args.reason}`;
    skipReasons[reason] = (skipReasons[reason] ?? 0) + 1;
  }
  const count = (counts: Map<string, number>) =>
    bookings.filter((b) => (counts.get(b.id.toLowerCase()) ?? 0) > 0).length;
  return {
    checks: Object.entries(CATEGORIES).map(([category, name]) => ({
      name,
      failures: [...problems.entries()]
        .filter(([, entry]) => entry.category === category)
        .map(
          ([kind, { details }]) =>
            `${details.length} ${kind}: ${details.slice(0, NAMED).join("; ")}${details.length > NAMED ? `; … ${details.length - NAMED} more` : ""}`,
        ),
    })),
    figures: {
      bookings: {
        created: bookings.length,
        paid: {
          eth: bookings.filter((b) => b.paidAt !== undefined && b.method === "eth").length,
          permit: bookings.filter((b) => b.paidAt !== undefined && b.method === "permit").length,
        },
        cancelledBeforePaying: bookings.filter((b) => b.plan === "cancel-before-paying").length,
        cancelledAfterPaying: cancelledAfter,
        settled: count(settled),
        refunded: count(refunded),
        rewarded: count(rewarded),
        rewardSkips: skipReasons,
      },
      rewards: {
        trvlMinted: formatUnits(minted, 18),
        recipients: recipients.size,
        checkedTravellers: travellers.length,
      },
      pushes: {
        streams: input.streams.length,
        rewardedBookings: rewardedBookings.length,
        direct,
        byRefresh: viaRefresh,
        duplicates,
      },
    },
  };
}
