/**
 * The backend against the launch rehearsal: a chain with Base Sepolia's id and the production deployment on it
 * (scripts/rehearsal/chain.ts), the app and its worker given nothing but configuration (chain id, RPC URL, keys).
 * A traveller books, pays, and the booking is settled and rewarded in TRVL priced by the Uniswap v3 TWAP feed.
 */
import { bookingEscrowAbi, getDeployment, rewardDistributorAbi, trvlTokenAbi } from "@trvl/abi";
import { createPublicClient, createWalletClient, formatEther, http, type Address } from "viem";
import { baseSepolia } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, siweMessage, testAccount, type TestApp } from "./helpers/app.js";
import { quoteArgs } from "./helpers/chain.js";
import { startEphemeralChain, type EphemeralChain } from "@trvl/tooling/ephemeral-chain";
import { FAST_WORKER_ENV, waitUntil } from "./helpers/pipeline.js";
import { ETH, tripRequest } from "./helpers/trips.js";

const CHAIN_ID = 84532;
const { contracts } = getDeployment(CHAIN_ID);

describe("the backend against the launch rehearsal (chain 84532, configured only)", () => {
  let chain: EphemeralChain;
  let t: TestApp;
  let worker: Worker;

  beforeAll(async () => {
    chain = await startEphemeralChain("scripts/rehearsal/chain.ts");
    t = await createTestApp("pglite", {
      env: {
        ...FAST_WORKER_ENV,
        CHAIN_ID: String(CHAIN_ID),
        CHAIN_RPC_URL: chain.url,
        KEEPER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.keeper).privateKey,
      },
    });
    worker = startWorker(t.services);
  }, 240_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await chain?.close();
  });

  it("quotes, takes the payment, settles and rewards a booking in TRVL priced by the TWAP feed", async () => {
    const client = createPublicClient({ chain: baseSepolia, transport: http(chain.url) });
    const traveller = testAccount("traveller");
    const message = await siweMessage(t.app, traveller, { chainId: CHAIN_ID });
    const verified = await call(t.app, "POST", "/auth/verify", {
      body: { message, signature: await traveller.signMessage({ message }) },
    });
    expect(verified.status).toBe(200);
    const token = verified.body.token as string;

    // Quoted in ETH at the ETH/USD feed, signed by the quote signer the deployment named, for the 84532 escrow.
    const created = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, ETH) });
    expect(created.status).toBe(201);
    const { booking, pay } = created.body;
    expect(pay.escrow).toBe(contracts.BookingEscrow.address);
    const quote = quoteArgs(pay.quote);
    const hash = await createWalletClient({
      account: traveller,
      chain: baseSepolia,
      transport: http(chain.url),
    }).writeContract({
      address: pay.escrow as Address,
      abi: bookingEscrowAbi,
      functionName: "pay",
      args: [quote, pay.signature],
      value: BigInt(pay.value),
    });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");

    // Paid, confirmed, settled, rewarded by the worker alone; a wait that ends too early names where it stopped.
    await waitUntil(
      "the booking to be rewarded",
      async () => {
        const { body } = await call(t.app, "GET", `/bookings/${booking.id}`, { token });
        if (body.booking?.status === "rewarded") return true;
        throw new Error(`booking is ${JSON.stringify(body.booking?.status)}: ${JSON.stringify(body.booking)}`);
      },
      180_000,
    );

    // TRVL/USD is the TWAP feed over the launch pool ($0.10); the traveller gets 70% of the commission's value.
    const trvlFeed = await client.readContract({
      address: contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
      functionName: "trvlPriceFeed",
    });
    expect(trvlFeed.feed).toBe(contracts.TrvlUsdTwapFeed.address);
    const balance = await client.readContract({
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "balanceOf",
      args: [traveller.address],
    });
    const commissionUsd = (Number(formatEther(quote.amount)) * quote.commissionBps * 3000) / 10_000; // ETH at $3,000
    const expected = (0.7 * commissionUsd) / 0.1;
    expect(Math.abs(Number(formatEther(balance)) - expected) / expected).toBeLessThan(0.001);
  }, 240_000);
});
