/**
 * `npm run book`: books and pays a trip on the stack `npm start` runs, as a traveller would from the web app, then
 * watches the booking turn rewarded on its own (listener + keeper) and prints each step with its time.
 *
 *   npm run book                          # traveller #6, pays in test dollars with a permit (one transaction)
 *   BOOK_ACCOUNT=9 BOOK_PAY_WITH=eth npm run book
 *
 * Signs in with Sign-In with Ethereum, picks the cheapest hotel and activity in BOOK_DESTINATION that are free on
 * the dates, creates the booking (the API signs the quote) and pays the escrow. Local chain only: it uses Hardhat's
 * public test keys.
 */
import { bookingEscrowAbi, getDeployment } from "@trvl/abi";
import {
  createPublicClient,
  createWalletClient,
  formatUnits,
  http,
  parseSignature,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { z } from "zod";

import { ok, signIn } from "@trvl/tooling/api-client";
import { pickTrip } from "@trvl/tooling/book-trip";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";

const env = z
  .object({
    API_URL: z.url().default("http://127.0.0.1:8787"),
    CHAIN_RPC_URL: z.url().default("http://127.0.0.1:8545"),
    /** Where the web app runs: the SIWE message is for its domain (the API's SIWE_DOMAINS). */
    WEB_URL: z.url().default("http://localhost:3000"),
    BOOK_ACCOUNT: z.coerce.number().int().min(0).max(19).default(LOCAL_ACCOUNT_INDEX.traveller),
    BOOK_PAY_WITH: z.enum(["usd", "eth"]).default("usd"),
    BOOK_DESTINATION: z.string().min(1).default("lisbon-pt-2267057"),
    BOOK_TIMEOUT_S: z.coerce.number().positive().default(60),
  })
  .parse(process.env);

const account = privateKeyToAccount(localAccount(env.BOOK_ACCOUNT).privateKey as Hex);
const chain = { ...hardhat, rpcUrls: { default: { http: [env.CHAIN_RPC_URL] } } };
const publicClient = createPublicClient({ chain, transport: http(env.CHAIN_RPC_URL) });
const wallet = createWalletClient({ account, chain, transport: http(env.CHAIN_RPC_URL) });
const started = Date.now();
const log = (step: string) => console.log(`${((Date.now() - started) / 1000).toFixed(2).padStart(6)} s  ${step}`);

// Sign in.
const { api } = await signIn(env.API_URL, account, env.WEB_URL);
log(`signed in as #${env.BOOK_ACCOUNT} ${account.address}`);

// Pick a trip two nights long, a month or more from now (see pickTrip for what it books).
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const checkIn = day(30 + Math.floor(Math.random() * 200));
const checkOut = new Date(Date.parse(checkIn) + 2 * 86_400_000).toISOString().slice(0, 10);
const { hotel, activity } = await pickTrip(api, { destination: env.BOOK_DESTINATION, checkIn, checkOut });

const paymentToken = env.BOOK_PAY_WITH === "eth" ? zeroAddress : getDeployment(hardhat.id).contracts.Stablecoin.address;
const { booking, pay } = await ok(
  api.bookings.$post({
    header: {},
    json: {
      items: [{ itemId: hotel.id }, { itemId: activity.id, date: checkIn }],
      checkIn,
      checkOut,
      guests: 2,
      paymentToken,
    },
  }),
);
if (!pay) throw new Error("the API returned no payment instructions");
log(
  `quoted ${booking.id}: ${booking.pricing.total.amount} ${booking.pricing.total.currency} for ${checkIn}..${checkOut}`,
);

// Pay: test dollars with a permit in the same transaction, or ETH.
const quote = {
  ...pay.quote,
  bookingId: pay.quote.bookingId as Hex,
  traveller: pay.quote.traveller as Address,
  token: pay.quote.token as Address,
  supplier: pay.quote.supplier as Address,
  amount: BigInt(pay.quote.amount),
  expiresAt: BigInt(pay.quote.expiresAt),
};
let hash: Hex;
if (pay.permit) {
  const { domain, types, message: permit } = pay.permit;
  const signature = await account.signTypedData({
    domain: { ...domain, chainId: Number(domain.chainId), verifyingContract: domain.verifyingContract as Address },
    types,
    primaryType: "Permit",
    message: { ...permit, value: BigInt(permit.value), nonce: BigInt(permit.nonce), deadline: BigInt(permit.deadline) },
  } as never);
  const { v, r, s } = parseSignature(signature);
  hash = await wallet.writeContract({
    address: pay.escrow as Address,
    abi: bookingEscrowAbi,
    functionName: "payWithPermit",
    args: [quote, pay.signature as Hex, BigInt(permit.deadline), Number(v), r, s],
  });
} else {
  hash = await wallet.writeContract({
    address: pay.escrow as Address,
    abi: bookingEscrowAbi,
    functionName: "pay",
    args: [quote, pay.signature as Hex],
    value: BigInt(pay.value),
  });
}
const receipt = await publicClient.waitForTransactionReceipt({ hash });
if (receipt.status !== "success") throw new Error(`the payment ${hash} reverted`);
log(`paid in ${env.BOOK_PAY_WITH === "eth" ? "ETH" : "tUSD"}: ${hash} (block ${receipt.blockNumber})`);

// Watch it go: nothing else touches the system from here on.
let last = "quoted";
const deadline = Date.now() + env.BOOK_TIMEOUT_S * 1000;
while (Date.now() < deadline) {
  const { booking: current } = await ok(api.bookings[":id"].$get({ param: { id: booking.id } }));
  if (current.status !== last) {
    last = current.status;
    log(`status ${current.status}`);
  }
  if (current.status === "rewarded") break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
if (last !== "rewarded") {
  console.error(`The booking is still ${last} after ${env.BOOK_TIMEOUT_S} s: is the worker running (WORKER_ENABLED)?`);
  process.exit(1);
}
const rewards = await ok(api.rewards.$get({ query: {} }));
const earned = rewards.rewards.find((reward) => reward.bookingId === booking.id && reward.role === "traveller");
log(`${formatUnits(BigInt(earned?.amount ?? "0"), 18)} TRVL earned for this booking (tx ${earned?.txHash})`);
