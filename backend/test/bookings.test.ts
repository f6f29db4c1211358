import { randomUUID } from "node:crypto";
import { bookingEscrowAbi, mockStablecoinAbi } from "@trvl/abi";
import { eq } from "drizzle-orm";
import { parseEventLogs, parseSignature, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { payInEth, publicClient, quoteArgs, stakeTrvl, wallet } from "./helpers/chain.js";
import { DRIVERS } from "./helpers/databases.js";
import { ETH, STABLECOIN, futureDay, tripRequest } from "./helpers/trips.js";
import { testClock } from "./helpers/clock.js";

type Json = Record<string, any>;

describe.each(DRIVERS)("bookings (%s)", (driver) => {
  let t: TestApp;
  // Each driver's run pays from its own accounts, so concurrent test files never race for a nonce.
  const traveller = testAccount(driver === "pglite" ? 10 : 11);
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    token = await signIn(t.app, traveller);
  });
  afterAll(() => t.close());

  it("prices items from the catalog and returns a quote signed by the quote signer", async () => {
    const request = await tripRequest(t.app);
    const response = await call(t.app, "POST", "/bookings", { token, body: request });
    expect(response.status).toBe(201);
    const { booking, pay } = response.body as Json;
    expect(booking.status).toBe("quoted");
    expect(booking.traveller).toBe(traveller.address);
    expect(booking.items).toHaveLength(2);
    // Hotel: 3 nights × 1 room for 2 guests; activity: per person.
    expect(booking.items[0]).toMatchObject({ type: "hotel", quantity: 3 });
    expect(booking.items[1]).toMatchObject({ type: "activity", quantity: 2 });
    const cents = (amount: string) => BigInt(amount.replace(".", ""));
    const subtotal = booking.items.reduce((sum: bigint, item: Json) => sum + cents(item.total.amount), 0n);
    expect(cents(booking.pricing.subtotal.amount)).toBe(subtotal);
    // Nothing staked: an Explorer, no discount.
    expect(booking.pricing.discount).toEqual({ bps: 0, amount: { amount: "0.00", currency: "USD" } });
    // tUSD has 6 decimals and is priced at exactly $1.00 by its feed.
    expect(BigInt(booking.payment.amount)).toBe(subtotal * 10_000n);
    expect(pay.method).toBe("payWithPermit");
    expect(pay.permit.message.owner).toBe(traveller.address);

    const valid = await publicClient().verifyTypedData({
      address: testAccount("quoteSigner").address,
      domain: { ...pay.typedData.domain, chainId: BigInt(pay.typedData.domain.chainId) },
      types: pay.typedData.types,
      primaryType: "Quote",
      message: quoteArgs(pay.quote),
      signature: pay.signature,
    });
    expect(valid).toBe(true);
  });

  it("applies the traveller's staking-tier discount, read on chain, to the quote", async () => {
    const staker = testAccount(driver === "pglite" ? 15 : 16);
    await stakeTrvl(staker, 1_000n * 10n ** 18n); // Voyager: 2% off bookings
    const stakerToken = await signIn(t.app, staker);
    const response = await call(t.app, "POST", "/bookings", { token: stakerToken, body: await tripRequest(t.app) });
    expect(response.status).toBe(201);
    const { booking } = response.body as Json;
    const cents = (amount: string) => BigInt(amount.replace(".", ""));
    const subtotal = cents(booking.pricing.subtotal.amount);
    expect(booking.pricing.discount.bps).toBe(200);
    expect(cents(booking.pricing.discount.amount.amount)).toBe((subtotal * 200n) / 10_000n);
    expect(cents(booking.pricing.total.amount)).toBe(subtotal - (subtotal * 200n) / 10_000n);
  });

  it("pays with a stablecoin permit on the local chain: the escrow accepts the quote and emits BookingPaid", async () => {
    const created = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, STABLECOIN, 50) });
    expect(created.status).toBe(201);
    const { booking, pay } = created.body as Json;
    const permitSignature = await traveller.signTypedData({
      domain: { ...pay.permit.domain, chainId: BigInt(pay.permit.domain.chainId) },
      types: pay.permit.types,
      primaryType: "Permit",
      message: {
        ...pay.permit.message,
        value: BigInt(pay.permit.message.value),
        nonce: BigInt(pay.permit.message.nonce),
        deadline: BigInt(pay.permit.message.deadline),
      },
    });
    const { v, r, s } = parseSignature(permitSignature);
    const balanceBefore = await publicClient().readContract({
      address: STABLECOIN,
      abi: mockStablecoinAbi,
      functionName: "balanceOf",
      args: [traveller.address],
    });
    const hash = await wallet(traveller).writeContract({
      address: pay.escrow as Address,
      abi: bookingEscrowAbi,
      functionName: "payWithPermit",
      args: [quoteArgs(pay.quote), pay.signature, BigInt(pay.permit.message.deadline), Number(v), r, s],
    });
    const receipt = await publicClient().waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    const [paid] = parseEventLogs({ abi: bookingEscrowAbi, eventName: "BookingPaid", logs: receipt.logs });
    expect(paid.args).toMatchObject({
      bookingId: booking.id,
      traveller: traveller.address,
      amount: BigInt(booking.payment.amount),
    });
    const balanceAfter = await publicClient().readContract({
      address: STABLECOIN,
      abi: mockStablecoinAbi,
      functionName: "balanceOf",
      args: [traveller.address],
    });
    expect(balanceBefore - balanceAfter).toBe(BigInt(booking.payment.amount));

    // The traveller reports the payment: checked on-chain, receipt published as a CIDv1 document.
    const reported = await call(t.app, "POST", `/bookings/${booking.id}/payment`, { token, body: { txHash: hash } });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ status: "paid", payment: { txHash: hash } });
    const cid = (reported.body as Json).payment.receiptCid as string;
    expect(cid).toMatch(/^bagaaiera/);
    const document = await t.app.request(`/ipfs/${cid}`);
    expect(document.status).toBe(200);
    expect(document.headers.get("content-type")).toBe("application/json");
    expect(await document.json()).toMatchObject({
      type: "trvl.booking-receipt",
      bookingId: booking.id,
      traveller: traveller.address,
      payment: { txHash: hash, amount: booking.payment.amount },
    });
    // Reporting the same transaction again changes nothing.
    const again = await call(t.app, "POST", `/bookings/${booking.id}/payment`, { token, body: { txHash: hash } });
    expect(again.body).toMatchObject({ status: "paid", payment: { receiptCid: cid } });

    // Cancelling a paid booking asks the keeper for a refund.
    const cancelled = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
    expect(cancelled.body).toMatchObject({ status: "refund_requested" });
    const jobs = await t.services.db
      .select()
      .from(schema.keeperJobs)
      .where(eq(schema.keeperJobs.bookingId, booking.id));
    // A paid booking waits for its supplier's confirmation; cancelling replaces that with the refund.
    expect(jobs.filter((job) => job.status === "pending")).toMatchObject([{ kind: "refund" }]);
    expect(jobs.find((job) => job.kind === "confirm")).toMatchObject({ status: "done" });
  });

  it("pays in ETH at the Chainlink ETH/USD price", async () => {
    const created = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, ETH, 60) });
    expect(created.status).toBe(201);
    const { booking, pay } = created.body as Json;
    const totalCents = BigInt(booking.pricing.total.amount.replace(".", ""));
    // ETH/USD is $3,000 (8 decimals) on the local chain: ceil(cents · 1e18 · 1e8 / (100 · 3000e8)).
    const expected = (totalCents * 10n ** 26n + 100n * 3_000n * 10n ** 8n - 1n) / (100n * 3_000n * 10n ** 8n);
    expect(BigInt(booking.payment.amount)).toBe(expected);
    expect(pay).toMatchObject({ method: "pay", value: booking.payment.amount, permit: null, approve: null });
    const receipt = await payInEth(traveller, pay);
    const hash = receipt.transactionHash;
    const [paid] = parseEventLogs({ abi: bookingEscrowAbi, eventName: "BookingPaid", logs: receipt.logs });
    expect(paid.args.bookingId).toBe(booking.id);
    const reported = await call(t.app, "POST", `/bookings/${booking.id}/payment`, { token, body: { txHash: hash } });
    expect(reported.body).toMatchObject({ status: "paid" });
  });

  it("refuses a reported transaction that did not pay this booking", async () => {
    const first = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, ETH, 70) });
    const second = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, ETH, 71) });
    const pay = (first.body as Json).pay;
    const hash = (await payInEth(traveller, pay)).transactionHash;
    const secondId = (second.body as Json).booking.id;
    const mismatch = await call(t.app, "POST", `/bookings/${secondId}/payment`, { token, body: { txHash: hash } });
    expect(expectError(mismatch)).toMatchObject({ status: 422, code: "payment_mismatch" });
    const unknown = await call(t.app, "POST", `/bookings/${secondId}/payment`, {
      token,
      body: { txHash: `0x${"12".repeat(32)}` },
    });
    expect(expectError(unknown)).toMatchObject({ status: 409, code: "payment_not_found" });
    // A quote paid on-chain but never reported is not cancelled as if unpaid.
    const firstId = (first.body as Json).booking.id;
    const cancelled = await call(t.app, "POST", `/bookings/${firstId}/cancel`, { token });
    expect(cancelled.body).toMatchObject({ status: "refund_requested" });
  });

  it("an Idempotency-Key makes a retried POST return the same booking, and refuses reuse for another request", async () => {
    const request = await tripRequest(t.app, STABLECOIN, 80);
    const headers = { "idempotency-key": `trip-${driver}-${randomUUID()}` };
    const first = await call(t.app, "POST", "/bookings", { token, body: request, headers });
    const retry = await call(t.app, "POST", "/bookings", { token, body: request, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((retry.body as Json).booking.id).toBe((first.body as Json).booking.id);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        call(t.app, "POST", "/bookings", {
          token,
          body: request,
          headers: { "idempotency-key": `${headers["idempotency-key"]}-c` },
        }),
      ),
    );
    expect(new Set(concurrent.map((r) => (r.body as Json).booking.id)).size).toBe(1);
    const reused = await call(t.app, "POST", "/bookings", { token, body: { ...request, guests: 1 }, headers });
    expect(expectError(reused)).toMatchObject({ status: 422, code: "idempotency_key_reused" });
    const list = await call(t.app, "GET", "/bookings?limit=100", { token });
    const ids = ((list.body as Json).bookings as Json[]).map((b) => b.id);
    expect(ids.filter((id) => id === (first.body as Json).booking.id)).toHaveLength(1);
  });

  it("is a record of the trip: the city, each item's day and local times, and the cancellation policy it has now", async () => {
    const request = await tripRequest(t.app, STABLECOIN, 95);
    const [hotel, activity] = request.items;
    const body = {
      ...request,
      items: [
        { ...hotel, time: "15:00" },
        // Ends after midnight: the next day.
        { ...activity, time: "22:00", endTime: "01:30" },
      ],
    };
    const created = await call(t.app, "POST", "/bookings", { token, body });
    expect(created.status).toBe(201);
    const { booking } = created.body as Json;
    expect(booking.destination).toEqual({
      id: "lisbon-pt-2267057",
      name: "Lisbon",
      country: "Portugal",
      timezone: "Europe/Lisbon",
    });
    const nextDay = new Date(Date.parse(`${request.checkIn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(booking.items.map((item: Json) => [item.type, item.date, item.startsAt, item.endsAt])).toEqual([
      ["hotel", request.checkIn, `${request.checkIn}T15:00`, null],
      ["activity", request.checkIn, `${request.checkIn}T22:00`, `${nextDay}T01:30`],
    ]);
    expect(booking.cancellation).toMatchObject({ policy: "refund_until_settled", cancellable: true, refund: "none" });
    expect(booking.cancellation.summary).toMatch(/until the booking is settled/);

    // The list says the same.
    const listed = await call(t.app, "GET", "/bookings?limit=1", { token });
    const [first] = (listed.body as Json).bookings as Json[];
    expect(first).toMatchObject({ id: booking.id, destination: booking.destination, items: booking.items });

    // Without times, each item still has its day; cancelled, nothing more can be cancelled.
    const untimed = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, STABLECOIN, 96) });
    const plain = (untimed.body as Json).booking;
    expect(plain.items.map((item: Json) => [item.date, item.startsAt, item.endsAt])).toEqual([
      [plain.stay.checkIn, null, null],
      [plain.stay.checkIn, null, null],
    ]);
    const cancelled = await call(t.app, "POST", `/bookings/${plain.id}/cancel`, { token });
    expect((cancelled.body as Json).cancellation).toMatchObject({ cancellable: false, refund: "none" });

    // Bad times are named, and nothing is written.
    const before = await t.services.db.select().from(schema.bookings);
    const noStart = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, items: [hotel, { ...activity, endTime: "10:00" }] },
    });
    expect(expectError(noStart)).toMatchObject({ status: 400, code: "validation_failed" });
    expect(expectError(noStart).message).toMatch(/^body\.items\.1\.endTime: needs time/);
    const badTime = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, items: [{ ...hotel, time: "24:00" }, activity] },
    });
    expect(expectError(badTime).message).toMatch(/^body\.items\.0\.time: must be HH:MM/);
    expect(await t.services.db.select().from(schema.bookings)).toHaveLength(before.length);
  });

  it("cancels an unpaid booking, lists bookings newest first with a cursor, and expires stale quotes", async () => {
    const created = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, STABLECOIN, 90) });
    const id = (created.body as Json).booking.id as Hex;
    const cancelled = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    expect((await call(t.app, "POST", `/bookings/${id}/cancel`, { token })).body).toMatchObject({
      status: "cancelled",
    });
    const detail = await call(t.app, "GET", `/bookings/${id}`, { token });
    expect(detail.body).toMatchObject({ booking: { id, status: "cancelled" }, pay: null });

    const page1 = await call(t.app, "GET", "/bookings?limit=2", { token });
    const page1Body = page1.body as Json;
    expect(page1Body.bookings).toHaveLength(2);
    expect(page1Body.bookings[0].id).toBe(id);
    const page2 = await call(t.app, "GET", `/bookings?limit=2&cursor=${page1Body.nextCursor}`, { token });
    const seen = [...page1Body.bookings, ...(page2.body as Json).bookings].map((b: Json) => b.id);
    expect(new Set(seen).size).toBe(seen.length);

    await t.services.db
      .update(schema.bookings)
      .set({ quoteExpiresAt: new Date(testClock().getTime() - 1_000) })
      .where(eq(schema.bookings.traveller, traveller.address));
    const expired = await call(t.app, "GET", "/bookings?status=expired&limit=100", { token });
    expect(((expired.body as Json).bookings as Json[]).length).toBeGreaterThan(0);
  });

  it("refuses items that do not exist, are unavailable, outside the stay, or a token the escrow does not accept", async () => {
    const request = await tripRequest(t.app, STABLECOIN, 100);
    const unknown = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, items: [{ itemId: "demo-hotel-1-99" }] },
    });
    expect(expectError(unknown)).toMatchObject({ status: 422, code: "item_not_found" });
    const outside = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, items: [{ itemId: request.items[1].itemId, date: futureDay(400) }] },
    });
    expect(expectError(outside)).toMatchObject({ status: 400, code: "validation_failed" });
    expect(String(expectError(outside).message)).toContain("body.items.0.date");
    const token404 = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, paymentToken: testAccount("supplier").address },
    });
    expect(expectError(token404)).toMatchObject({ status: 422, code: "token_not_accepted" });
    const past = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...request, checkIn: "2020-01-01", checkOut: "2020-01-03" },
    });
    expect(expectError(past)).toMatchObject({ status: 400 });
  });
});
