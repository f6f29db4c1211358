/**
 * The soak's traffic, as travellers make it: bookings created at a steady rate, most paid on-chain (half in ETH with
 * `pay`, half in test dollars with `payWithPermit`), a few cancelled before paying and a few after, at varied moments;
 * reads of their bookings, rewards, accounts and the catalog; and live-update streams counting the pushes that say a
 * booking was rewarded. Everything each booking went through is kept in its `SoakBooking`, for the checks.
 */
import { bookingEscrowAbi, getDeployment } from "@trvl/abi";
import {
  BaseError,
  encodeFunctionData,
  keccak256,
  parseSignature,
  TransactionReceiptNotFoundError,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { hardhat } from "viem/chains";

import type { SoakHttp } from "./http.js";
import type { PushEvent, PushStream } from "./push.js";
import type { Traveller } from "./travellers.js";

/** Of every 20 bookings, this one is cancelled before it is paid (5%). */
const CANCEL_BEFORE_PAYING = 7;
/** Of every 50 paid bookings, this one is cancelled after (2%). */
const CANCEL_AFTER_PAYING = 13;
/** How long after its payment a "later" cancellation comes, in turn. */
const LATER_CANCEL_MS = [500, 1_000, 2_000, 4_000, 8_000];
/** Check-in days ahead and nights of the stays booked. */
const CHECK_IN_DAYS = [14, 30, 45, 60, 90, 120];
const NIGHTS = [1, 2, 3];
const DESTINATIONS = 8;

export type PaymentMethod = "eth" | "permit";

export interface SoakBooking {
  id: Hex;
  traveller: number;
  method: PaymentMethod;
  /** What the soak does with it. */
  plan: "pay" | "cancel-before-paying" | "cancel-after-paying";
  /** For cancellations after paying: at once, or `cancelDelayMs` later. */
  cancelMoment?: "right-after" | "later";
  cancelDelayMs?: number;
  createdAt: number;
  paidAt?: number;
  txHash?: Hex;
  payError?: string;
  cancel?: {
    atSeconds: number;
    /** Milliseconds after the payment was mined (for cancellations after paying). */
    afterPaymentMs?: number;
    status: number;
    bookingStatus?: string;
    code?: string;
    detailsStatus?: string;
  };
  /** When the soak first saw it rewarded or refunded (a push or the database), performance.now() ms. */
  rewardedSeenAt?: number;
  refundedSeenAt?: number;
}

/** A stay to book: a destination, dates, and hotels available on them. */
interface Stay {
  destination: string;
  checkIn: string;
  checkOut: string;
  hotels: string[];
}

/** A small deterministic generator (mulberry32), so a run's choices repeat with its seed. */
export function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Traffic {
  readonly bookings = new Map<string, SoakBooking>();
  /** Payments the node answered with an error though it mined them (with what it said). */
  readonly sendErrorsMined: string[] = [];
  /** Bookings asked for but not created (any answer but 201). */
  createFailures = 0;
  /** Booking flows and reads not started because too many were still waiting for the API (the stack fell behind). */
  shedBookings = 0;
  shedReads = 0;
  /** Per stream: the bookings a push said were rewarded (with how many such pushes), and those a refresh showed. */
  readonly rewardedPushes: Map<string, number>[] = [];
  readonly rewardedByRefresh: Set<string>[] = [];
  /** Pushes by event type, and refetches a `refresh` event caused. */
  readonly pushCounts = new Map<string, number>();
  private readonly refetches = new Set<Promise<void>>();
  private stays: Stay[] = [];
  private paidOrdinal = 0;
  private cancelAfterOrdinal = 0;
  private readonly gas = new Map<PaymentMethod, bigint>();
  private fees = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n };
  private readonly random: () => number;
  private readonly contracts = getDeployment(hardhat.id).contracts;

  constructor(
    private readonly deps: {
      http: SoakHttp;
      client: PublicClient;
      travellers: Traveller[];
      seed: number;
    },
  ) {
    this.random = seeded(deps.seed);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Finds the stays to book (a few destinations × dates) and reads the chain's fees. */
  async prepare() {
    const { http, travellers } = this.deps;
    const token = travellers[0].token;
    const { status, body } = await http.request<{ destinations: { id: string }[] }>(
      "GET",
      `/catalog/destinations?limit=${DESTINATIONS}`,
      { route: "/catalog/destinations", token },
    );
    if (status !== 200) throw new Error(`GET /catalog/destinations answered ${status}`);
    for (const { id: destination } of body.destinations) {
      for (const ahead of CHECK_IN_DAYS) {
        const nights = this.pick(NIGHTS);
        const stay = { destination, checkIn: day(ahead), checkOut: day(ahead + nights) };
        const query = new URLSearchParams({ ...stay, type: "hotel", guests: "2", sort: "price_asc", limit: "20" });
        const found = await http.request<{ items: { id: string }[] }>("GET", `/catalog/search?${query}`, {
          route: "/catalog/search",
          token,
        });
        if (found.status === 200 && found.body.items.length > 0) {
          this.stays.push({ ...stay, hotels: found.body.items.map((item) => item.id) });
        }
      }
    }
    if (this.stays.length === 0) throw new Error("the catalog offered no hotel to book");
    await this.refreshFees();
  }

  /** The chain's current fees, with room for the base fee to rise between refreshes. */
  async refreshFees() {
    const fees = await this.deps.client.estimateFeesPerGas();
    this.fees = { maxFeePerGas: fees.maxFeePerGas * 3n, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }

  /** The `n`th booking of the run: created, then paid or cancelled as its number says. */
  async booking(n: number) {
    const { http, travellers } = this.deps;
    const traveller = this.pick(travellers);
    // Decided before anything is awaited, so that bookings in flight together still split as intended.
    const cancelBeforePaying = n % 20 === CANCEL_BEFORE_PAYING;
    const ordinal = cancelBeforePaying ? n : this.paidOrdinal++;
    const method: PaymentMethod = ordinal % 2 === 0 ? "eth" : "permit";
    const cancelAfterPaying = !cancelBeforePaying && ordinal % 50 === CANCEL_AFTER_PAYING;
    const cancelIndex = cancelAfterPaying ? this.cancelAfterOrdinal++ : 0;
    const later = cancelIndex % 2 === 1;
    const stay = this.pick(this.stays);
    const created = await http.request<{ booking: { id: Hex }; pay: Payment }>("POST", "/bookings", {
      route: "/bookings",
      token: traveller.token,
      body: {
        items: [{ itemId: this.pick(stay.hotels) }],
        checkIn: stay.checkIn,
        checkOut: stay.checkOut,
        guests: 2,
        paymentToken: method === "eth" ? zeroAddress : this.contracts.Stablecoin.address,
      },
    });
    if (created.status !== 201) {
      this.createFailures++;
      return;
    }
    const booking: SoakBooking = {
      id: created.body.booking.id,
      traveller: traveller.index,
      method,
      plan: "pay",
      createdAt: performance.now(),
    };
    this.bookings.set(booking.id.toLowerCase(), booking);
    traveller.bookings.push(booking.id);

    if (cancelBeforePaying) {
      booking.plan = "cancel-before-paying";
      await sleep(this.random() * 2_000);
      await this.cancel(traveller, booking);
      return;
    }
    if (cancelAfterPaying) {
      booking.plan = "cancel-after-paying";
      booking.cancelMoment = later ? "later" : "right-after";
      booking.cancelDelayMs = later ? LATER_CANCEL_MS[(cancelIndex >> 1) % LATER_CANCEL_MS.length] : 0;
    }
    // A traveller's transactions go one at a time, so their nonces (and permit nonces) follow each other.
    const paying = traveller.chainQueue.then(() => this.pay(traveller, booking, created.body.pay));
    traveller.chainQueue = paying.catch(() => {});
    await paying;
    if (booking.plan === "cancel-after-paying" && booking.paidAt !== undefined) {
      await sleep(booking.cancelDelayMs!);
      await this.cancel(traveller, booking);
    }
  }

  private async pay(traveller: Traveller, booking: SoakBooking, created: Payment) {
    const { http, client } = this.deps;
    const { account } = traveller;
    let pay = created;
    let data: Hex;
    let value = 0n;
    if (booking.method === "permit") {
      // The permit's nonce as of now (the API reads it when it answers), as the web app asks before paying.
      const fresh = await http.request<{ pay: Payment | null }>("GET", `/bookings/${booking.id}`, {
        route: "/bookings/{id}",
        token: traveller.token,
      });
      if (fresh.status !== 200 || !fresh.body.pay?.permit) {
        booking.payError = `GET /bookings/${booking.id} answered ${fresh.status} with no permit to sign`;
        return;
      }
      pay = fresh.body.pay;
      const { domain, types, message } = pay.permit!;
      const { v, r, s } = parseSignature(
        await account.signTypedData({
          domain: { ...domain, chainId: BigInt(domain.chainId) },
          types,
          primaryType: "Permit",
          message: {
            ...message,
            value: BigInt(message.value),
            nonce: BigInt(message.nonce),
            deadline: BigInt(message.deadline),
          },
        }),
      );
      data = encodeFunctionData({
        abi: bookingEscrowAbi,
        functionName: "payWithPermit",
        args: [quoteArgs(pay.quote), pay.signature, BigInt(message.deadline), Number(v), r, s],
      });
    } else {
      data = encodeFunctionData({
        abi: bookingEscrowAbi,
        functionName: "pay",
        args: [quoteArgs(pay.quote), pay.signature],
      });
      value = BigInt(pay.value);
    }
    const to = pay.escrow as Address;
    let step = "estimating its gas";
    try {
      let gas = this.gas.get(booking.method);
      if (gas === undefined) {
        gas = (await client.estimateGas({ account: account.address, to, data, value })) * 2n;
        this.gas.set(booking.method, gas);
      }
      const serializedTransaction = await account.signTransaction({
        chainId: hardhat.id,
        type: "eip1559",
        to,
        data,
        value,
        gas,
        nonce: traveller.nonce,
        ...this.fees,
      });
      const hash = keccak256(serializedTransaction);
      booking.txHash = hash;
      step = "sending it";
      await client.sendRawTransaction({ serializedTransaction }).catch(async (error) => {
        // A node that mines on arrival answers a reverted transaction with an error, yet mines it: its receipt says.
        const mined = await client.getTransactionReceipt({ hash }).catch(() => undefined);
        if (!mined) throw error;
        this.sendErrorsMined.push(`${booking.id}: ${describe(error)} (status ${mined.status})`);
      });
      traveller.nonce++;
      step = "waiting for its receipt";
      const receipt = await client
        .getTransactionReceipt({ hash })
        .catch((error) =>
          error instanceof TransactionReceiptNotFoundError
            ? client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 })
            : Promise.reject(error),
        );
      if (receipt.status === "success") booking.paidAt = performance.now();
      else booking.payError = `payment ${hash} reverted`;
    } catch (error) {
      booking.payError = `${step} at ${this.deps.http.seconds().toFixed(0)} s: ${describe(error)}`;
      traveller.nonce = await client.getTransactionCount({ address: account.address, blockTag: "pending" });
    }
  }

  private async cancel(traveller: Traveller, booking: SoakBooking) {
    const { http } = this.deps;
    const at = performance.now();
    const answer = await http.request<{ status?: string; error?: { code: string; details?: { status?: string } } }>(
      "POST",
      `/bookings/${booking.id}/cancel`,
      // After paying, a 409 is a truthful answer (the supplier is being or was paid); before, only a 200 is.
      { route: "/bookings/{id}/cancel", token: traveller.token, expect: booking.paidAt !== undefined ? [409] : [] },
    );
    booking.cancel = {
      atSeconds: Math.round(http.seconds(at) * 10) / 10,
      afterPaymentMs: booking.paidAt === undefined ? undefined : Math.round(at - booking.paidAt),
      status: answer.status,
      bookingStatus: answer.status === 200 ? answer.body?.status : undefined,
      code: answer.body?.error?.code,
      detailsStatus: answer.body?.error?.details?.status,
    };
  }

  /** The `n`th read: a traveller looks at their bookings, one booking, their rewards, an account or the catalog. */
  async read(n: number) {
    const { http, travellers } = this.deps;
    const traveller = this.pick(travellers);
    const token = traveller.token;
    const roll = this.random();
    if (roll < 0.25) {
      const status = n % 4 === 0 ? "&status=rewarded" : "";
      await http.request("GET", `/bookings?limit=20${status}`, { route: "/bookings", token, ignoreBody: true });
    } else if (roll < 0.5) {
      const id = traveller.bookings.length ? this.pick(traveller.bookings) : undefined;
      if (id) await http.request("GET", `/bookings/${id}`, { route: "/bookings/{id}", token, ignoreBody: true });
      else await http.request("GET", "/bookings?limit=20", { route: "/bookings", token, ignoreBody: true });
    } else if (roll < 0.7) {
      await http.request("GET", "/rewards?limit=20", { route: "/rewards", token, ignoreBody: true });
    } else if (roll < 0.85) {
      const someone = this.pick(travellers).account.address;
      await http.request("GET", `/accounts/${someone}`, { route: "/accounts/{address}", token, ignoreBody: true });
    } else {
      const stay = this.pick(this.stays);
      const query = new URLSearchParams({
        destination: stay.destination,
        type: this.pick(["hotel", "activity", "restaurant"]),
        checkIn: stay.checkIn,
        checkOut: stay.checkOut,
        guests: "2",
        sort: this.pick(["price_asc", "relevance", "rating_desc"]),
        limit: "20",
      });
      await http.request("GET", `/catalog/search?${query}`, { route: "/catalog/search", token, ignoreBody: true });
    }
  }

  /** What stream `index` (of `traveller`) does with each event it receives. */
  onPush(index: number, traveller: Traveller, event: PushEvent) {
    this.pushCounts.set(event.event, (this.pushCounts.get(event.event) ?? 0) + 1);
    this.rewardedPushes[index] ??= new Map();
    this.rewardedByRefresh[index] ??= new Set();
    if (event.event === "booking") {
      const { booking } = JSON.parse(event.data) as { booking: { id: string; status: string } };
      if (booking.status !== "rewarded") return;
      const id = booking.id.toLowerCase();
      const pushes = this.rewardedPushes[index];
      pushes.set(id, (pushes.get(id) ?? 0) + 1);
      const ours = this.bookings.get(id);
      if (ours) ours.rewardedSeenAt ??= performance.now();
    } else if (event.event === "refresh") {
      // Many things changed at once: the web app refetches the traveller's bookings, and so does the soak.
      const refetch = this.refetchRewarded(traveller).then((ids) => {
        for (const id of ids) this.rewardedByRefresh[index].add(id);
      });
      this.refetches.add(refetch);
      void refetch.finally(() => this.refetches.delete(refetch));
    }
  }

  /** Resolves once the refetches that `refresh` events started have finished. */
  async idle() {
    while (this.refetches.size) await Promise.all(this.refetches);
  }

  private async refetchRewarded(traveller: Traveller): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: { status: number; body: { bookings: { id: string }[]; nextCursor: string | null } } =
        await this.deps.http.request("GET", `/bookings?status=rewarded&limit=100${cursor ? `&cursor=${cursor}` : ""}`, {
          route: "/bookings",
          token: traveller.token,
        });
      if (answer.status !== 200) break;
      ids.push(...answer.body.bookings.map((b) => b.id.toLowerCase()));
      cursor = answer.body.nextCursor;
    } while (cursor);
    return ids;
  }
}

interface Payment {
  escrow: string;
  value: string;
  quote: Record<string, string | number>;
  signature: Hex;
  permit: {
    domain: Record<string, any>;
    types: Record<string, any>;
    message: Record<string, string>;
  } | null;
}

/** What went wrong, with what the node or the HTTP layer said (viem keeps it in `details`). */
function describe(error: unknown): string {
  if (error instanceof BaseError) return [error.shortMessage, error.details].filter(Boolean).join(" — ");
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** A quote as the API returns it (decimal strings) in the form the escrow's ABI takes. */
function quoteArgs(quote: Record<string, string | number>) {
  return {
    bookingId: quote.bookingId as Hex,
    traveller: quote.traveller as Address,
    token: quote.token as Address,
    amount: BigInt(quote.amount),
    commissionBps: Number(quote.commissionBps),
    supplier: quote.supplier as Address,
    expiresAt: BigInt(quote.expiresAt),
  };
}

/**
 * Starts `task(0)`, `task(1)`, … at `rate` per second for `seconds`, keeping at most `maxInFlight` running (a start
 * beyond that is skipped and counted by `onShed`: the stack fell behind). Resolves when the last one has finished.
 */
export async function paced(
  rate: number,
  seconds: number,
  maxInFlight: number,
  task: (n: number) => Promise<void>,
  onShed: () => void,
): Promise<number> {
  const running = new Set<Promise<void>>();
  const start = performance.now();
  let started = 0;
  for (;;) {
    const elapsed = (performance.now() - start) / 1000;
    const due = Math.floor(Math.min(elapsed, seconds) * rate);
    for (; started < due; started++) {
      if (running.size >= maxInFlight) {
        onShed();
        continue;
      }
      const n = started;
      const run = task(n).catch((error) => console.error(`soak task ${n} failed:`, error));
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    if (elapsed >= seconds) break;
    await sleep(20);
  }
  await Promise.all(running);
  return started;
}
