/**
 * End-to-end test of the web app in a real browser against the whole local stack, started as `npm start` starts it
 * (own ports, own Ignition journal and database, so it runs beside `npm start`). Run it from the repository root:
 *
 *   npm run test:e2e            (`npm run test:web` does it too)
 *
 * which runs `hardhat run web/e2e/run.ts` under faketime at a fixed date (at-fixed-date.ts, fixed-date.ts), so the
 * same items, totals and screenshots come out every day; `npx hardhat run web/e2e/run.ts` runs it at the real date.
 *
 * A traveller arrives through a referral link, reads how to use MetaMask on the local chain, and comes in with the
 * header's burner wallet instead (one click: a fresh key, funded by the node's test accounts, signs in at once),
 * accepts the referral, plans a trip by typing (a question back, then a follow-up the planner builds on), plans
 * another by voice (espeak-ng speaks the request into Chromium's fake microphone; the page's recorder, the API's
 * speech to text and the planner do the rest), saves it as a trip and edits its day cards (swap, remove, move, each
 * re-priced), books it as edited, pays with a stablecoin permit, watches the booking become
 * rewarded and their TRVL balance rise by the reward, stakes to the next tier, delegates, votes on a proposal and
 * carries it through the timelock, books again in ETH with the tier's discount and boost, cancels an unpaid booking,
 * saves an interest on the Profile page and sees For you on the plan page recommend it, and likes one (re-ranked),
 * adds a live Duffel flight (the stack's Duffel is a local stub) to a new trip and books it with its passengers (bad
 * ones refused first), pays, sees the airline's booking reference, then cancels it with Duffel and is refunded;
 * disconnecting signs them out (once); then the referrer connects a test wallet, signs in from the header instead
 * and sees what the bookings earned them. Every page is scanned with axe-core (no serious or critical violations) and
 * photographed into web/e2e/screenshots/; every page is opened at 390 px too (nothing wider than the screen, every
 * section in the navigation). No page logs a console error or makes a request that fails. E2E_WEB_URL, E2E_API_URL
 * and E2E_CHAIN_URL attach to a stack already running instead
 * (built with WEB_TEST_WALLET=1).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { contract, type ProtocolContractName } from "@trvl/abi";
import { DuffelStub } from "@trvl/backend/test/duffel-stub";
import hre from "hardhat";
import type { Page } from "playwright-core";
import { createPublicClient, createTestClient, createWalletClient, encodeFunctionData, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { LOCAL_ACCOUNT_INDEX, LOCAL_CHAIN_ID, localAccount } from "@trvl/tooling/local-accounts";
import { startStack, type Stack } from "../../scripts/dev/stack.js";
import type { Plan, PlanResult, SessionState, VoicePlan } from "../src/lib/api.ts";
import { formatDay, formatMoney, formatTime, formatToken } from "../src/lib/format.ts";
import { axeScan, eventually, launch, screenshot, type AxeFinding } from "./browser.js";
import { E2E_DAY, E2E_TRIP } from "./fixed-date.js";
import { handsFreeInOwnBrowser } from "./hands-free.js";
import { bookLiveFlight, DUFFEL_TEST_TOKEN } from "./live-flight.js";
import { profileAndForYou } from "./profile-for-you.js";
import { speechWav } from "./speech.js";
import { editSavedTrip } from "./trip-editing.js";

const started = Date.now();
const log = (message: string) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

// Under at-fixed-date.ts every clock of the run says E2E_DAY (checked below, so that a faketime that did not take
// fails here rather than in a plan that differs from the last run's).
const atFixedDate = process.env.E2E_FIXED_DATE === "1";
const today = new Date().toISOString().slice(0, 10);
if (atFixedDate) assert.equal(today, E2E_DAY, "faketime sets this process's clock to the fixed date");
else log(`running at the real date (${today}): plans and screenshots follow the day's demo availability`);

// The traveller comes in through the local chain's burner wallet (a fresh key in the browser); the referrer through
// a test wallet on a local test account.
const referrer = localAccount(LOCAL_ACCOUNT_INDEX.referrer);
/** A protocol contract on the local chain: its address and ABI, by name. */
const protocol = <N extends ProtocolContractName>(name: N) => contract(LOCAL_CHAIN_ID, name);
const trvl = (value: bigint) => formatToken(value, 18, "TRVL");

let stack: Stack | undefined;
// Duffel for the stack it starts: live flight offers and orders from a local stub (a stack attached to has its own).
const duffel = new DuffelStub();
const tmp = await mkdtemp(path.join(tmpdir(), "trvl-e2e-"));
let urls: { web: string; api: string; chain: string };
if (process.env.E2E_WEB_URL && process.env.E2E_API_URL && process.env.E2E_CHAIN_URL) {
  urls = { web: process.env.E2E_WEB_URL, api: process.env.E2E_API_URL, chain: process.env.E2E_CHAIN_URL };
} else {
  log("starting chain, API and web app (production build)…");
  const duffelUrl = await duffel.listen();
  stack = await startStack(hre, {
    chainPort: Number(process.env.E2E_CHAIN_PORT ?? 8745),
    apiPort: Number(process.env.E2E_API_PORT ?? 8987),
    webPort: Number(process.env.E2E_WEB_PORT ?? 3200),
    deploymentId: `e2e-${process.pid}`,
    dataDir: path.join(tmp, "data"),
    webDistDir: ".next-e2e",
    testWalletAccounts: [referrer.address],
    env: { LOG_LEVEL: "warn", DUFFEL_ACCESS_TOKEN: DUFFEL_TEST_TOKEN, DUFFEL_API_URL: duffelUrl },
    onLog: (source, line) => {
      if (process.env.E2E_VERBOSE || /error/i.test(line)) console.log(`  ${source}: ${line}`);
    },
  });
  urls = { web: stack.web!.url, api: stack.api.url, chain: stack.chain.url };
  log(`stack up: web ${urls.web}, API ${urls.api}, chain ${urls.chain}`);
}

const chain = { ...hardhat, rpcUrls: { default: { http: [urls.chain] } } };
const client = createPublicClient({ chain, transport: http(urls.chain) });
const testClient = createTestClient({ chain, mode: "hardhat", transport: http(urls.chain) });
const findings: AxeFinding[] = [];

async function visit(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  // Let data load before the scan and the photo.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.waitForTimeout(300);
  findings.push(...(await axeScan(page, name)));
  await screenshot(page, name, options);
}

/** Sends a typed request on the plan page; returns the planner's answer as the page received it. */
async function ask(page: Page, text: string): Promise<PlanResult> {
  const answer = page.waitForResponse((r) => r.url() === `${urls.api}/planner/plan` && r.request().method() === "POST");
  await page.getByRole("textbox", { name: "Your trip request" }).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  return (await (await answer).json()) as PlanResult;
}

const planOf = (result: PlanResult): Plan => {
  assert.equal(result.status, "plan", `a plan, not: ${result.reply}`);
  return (result as Extract<PlanResult, { status: "plan" }>).plan;
};

/** The plan as day cards, each item with its price, and the totals, as the API sent it. */
async function expectPlanShown(page: Page, plan: Plan) {
  const card = page.getByTestId("plan").last();
  await card.waitFor({ timeout: 20_000 });
  assert.equal(await card.getByTestId("plan-day").count(), plan.days.length, "one card per day");
  for (const [index, day] of plan.days.entries()) {
    const dayCard = card.getByTestId("plan-day").nth(index);
    for (const item of day.items) {
      await dayCard.getByText(item.name).first().waitFor();
      await dayCard.getByText(formatMoney(item.total.amount), { exact: true }).first().waitFor();
    }
  }
  await card
    .getByTestId("plan-total")
    .filter({ hasText: formatMoney(plan.totals.total.amount) })
    .waitFor();
  await page
    .getByTestId("trip-summary")
    .filter({ hasText: formatMoney(plan.totals.total.amount) })
    .waitFor();
}

/**
 * Wallet signatures (the mock connector's `eth_sign` on the local node), sign-ins (each carries one signature, the
 * burner's made in the page) and sign-outs the page has asked for.
 */
const asked = { signatures: 0, signIns: 0, signOuts: 0 };
function countWalletRequests(page: Page) {
  page.on("request", (request) => {
    if (request.method() !== "POST") return;
    if (request.url() === `${urls.api}/auth/logout`) asked.signOuts += 1;
    else if (request.url() === `${urls.api}/auth/verify`) asked.signIns += 1;
    else if (request.url().startsWith(urls.chain) && /"method":"eth_sign"/.test(request.postData() ?? ""))
      asked.signatures += 1;
  });
}

/**
 * Console errors, uncaught page errors, and requests that failed or were answered with an error, on every page the
 * test opens: none is expected but those `expected` lists (a request the test itself made fail).
 */
const problems: string[] = [];
const expectedFailures: RegExp[] = [];
function watchForProblems(page: Page, name: string) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // The browser's own line for a response the test expects to fail (the response itself is checked below).
    const resource = message.location().url;
    if (message.text().startsWith("Failed to load resource") && expectedFailures.some((p) => p.test(resource))) return;
    problems.push(`${name}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${name}: page error: ${error.message.split("\n")[0]}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "";
    // A request the browser drops because the page moved on (a navigation, a closed live-update stream).
    if (failure === "net::ERR_ABORTED") return;
    problems.push(`${name}: request failed: ${request.method()} ${request.url()} (${failure})`);
  });
  page.on("response", (response) => {
    if (response.status() < 400) return;
    const what = `${response.request().method()} ${response.url()} → ${response.status()}`;
    if (!expectedFailures.some((pattern) => pattern.test(what))) problems.push(`${name}: ${what}`);
  });
}

/** No page at phone width is wider than the screen (nothing to scroll sideways). */
async function expectNoOverflow(page: Page, name: string) {
  const { scrollWidth, innerWidth } = (await page.evaluate(
    "({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })",
  )) as { scrollWidth: number; innerWidth: number };
  assert.ok(scrollWidth <= innerWidth, `${name}: ${scrollWidth} px wide on a ${innerWidth} px screen`);
}

/**
 * The traveller's way in on the local chain: the header's burner wallet. One click connects it (the node's test
 * accounts fund it) and signs in with Ethereum (one signature, made in the page). The wallet modal lists it too.
 * Returns the burner's key, which the page keeps in its storage.
 */
async function burnerSignIn(page: Page): Promise<{ address: Hex; privateKey: Hex }> {
  const banner = page.getByRole("banner");
  const signInsBefore = asked.signIns;
  await banner.getByRole("button", { name: /connect wallet/i }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /Burner wallet \(local chain\)/ }).waitFor();
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await dialog.waitFor({ state: "hidden", timeout: 10_000 });
  await banner.getByRole("button", { name: "Burner wallet", exact: true }).click();
  await banner.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 30_000 });
  assert.equal(asked.signIns - signInsBefore, 1, "one click, one sign-in: the burner signed one message");
  const privateKey = (await page.evaluate('window.localStorage.getItem("trvl.burnerWallet.key")')) as Hex;
  const { address } = privateKeyToAccount(privateKey);
  await banner.getByRole("button", { name: new RegExp(address.slice(0, 6), "i") }).waitFor();
  return { address, privateKey };
}

/**
 * Connects the test wallet through ConnectKit's modal, then signs in with Ethereum once: by default with the step
 * ConnectKit's modal offers right after connecting; with `via: "header"` the visitor closes the modal at that step and
 * uses the header's Sign in instead. Either way the header says "Sign out" at once and the wallet signed one message.
 */
async function connectAndSignIn(page: Page, address: string, via: "modal" | "header" = "modal") {
  const short = `${address.slice(0, 6)}`;
  const banner = page.getByRole("banner");
  const signaturesBefore = asked.signatures;
  // The first click downloads the wallet modal (ConnectKit) and opens it.
  await banner.getByRole("button", { name: /connect wallet/i }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: new RegExp(`Test wallet ${short}`) }).click();
  // Once connected, the modal's next step is ConnectKit's Sign-In with Ethereum.
  const modalSignIn = dialog.getByRole("button", { name: "Sign In", exact: true });
  await modalSignIn.waitFor({ timeout: 20_000 });
  if (via === "modal") {
    await modalSignIn.click();
    await banner.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 20_000 });
    // ConnectKit closes its modal a second after signing in.
    await dialog.waitFor({ state: "hidden", timeout: 10_000 });
  } else {
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await dialog.waitFor({ state: "hidden", timeout: 10_000 });
    await banner.getByRole("button", { name: "Sign in", exact: true }).click();
    await banner.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 20_000 });
  }
  assert.equal(asked.signatures - signaturesBefore, 1, "signing in asked the wallet for one signature");
}

// The spoken request: a phrase the offline recogniser (pocketsphinx with the catalog's grammar) hears reliably. Said
// this way round: "three days in Madrid" was misheard ("in Guinea with food", "in Guadalupe") for about one in four
// alignments of the recording's samples, where this phrase was heard right for all 96 tried.
const SPOKEN = "Madrid for three days for two people";
const speech = await speechWav(SPOKEN, tmp);
const browser = await launch({ fakeAudioFile: speech.file });
let page: Page | undefined;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  watchForProblems(page, "desktop");
  countWalletRequests(page);
  if (atFixedDate) {
    const { timestamp } = await client.getBlock();
    assert.equal(new Date(Number(timestamp) * 1000).toISOString().slice(0, 10), E2E_DAY, "the chain's clock too");
  }

  // 1. Arrive through the referrer's link, sign in, accept the referral (gasless, relayed by the API).
  await page.goto(`${urls.web}/plan?ref=${referrer.address}`);
  await page.getByRole("heading", { name: "Plan a trip" }).waitFor();
  await visit(page, "plan-empty");
  // Signed out, the local chain's help says how to use MetaMask instead.
  await page.getByRole("link", { name: "Bookings", exact: true }).click();
  await page.getByTestId("local-chain-help").getByText("Use MetaMask on the local chain").click();
  await page.getByTestId("local-chain-help").getByText("chain id").waitFor();
  await visit(page, "bookings-signed-out");
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  const traveller = await burnerSignIn(page);
  const funded = await client.getBalance({ address: traveller.address });
  assert.ok(funded >= 10n ** 18n, "the node's test accounts funded the burner with ETH");
  log(`traveller ${traveller.address} signed in with the burner wallet: one click, one signature`);
  await page.getByRole("button", { name: "Accept referral" }).click();
  await page.getByText(/^Registered\./).waitFor({ timeout: 30_000 });
  const registered = await client.readContract({
    ...protocol("ReferralRegistry"),
    functionName: "referrerOf",
    args: [traveller.address],
  });
  assert.equal(registered, referrer.address, "the referral is registered on chain");
  log("referral registered through the relayer");
  await page.getByRole("button", { name: "Close" }).click();

  // 2. Plan by typing: the planner asks when, and the follow-up builds on the conversation (the page sends its id).
  const question = await ask(page, "A trip to Lisbon");
  assert.equal(question.status, "clarification");
  await page.getByText(question.reply).waitFor();
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const { checkIn, checkOut } = atFixedDate ? E2E_TRIP : { checkIn: inDays(30), checkOut: inDays(33) };
  const typedResult = await ask(page, `from ${checkIn} to ${checkOut} for four, we love food`);
  const typed = planOf(typedResult);
  assert.equal(typedResult.conversationId, question.conversationId, "the follow-up continues the conversation");
  assert.equal(typed.destination.name, "Lisbon", "the destination comes from the first turn");
  assert.equal(typed.guests, 4);
  await expectPlanShown(page, typed);
  await visit(page, "plan-typed", { fullPage: false });
  log(`planned by typing: ${typed.days.length} days in Lisbon for 4, ${formatMoney(typed.totals.total.amount)}`);

  // 3. Plan by voice, holding Speak to talk: the recorder makes a 16 kHz mono 16-bit WAV of the fake microphone
  // (espeak-ng saying SPOKEN); the API hears it, plans it and speaks the reply.
  // Keep the recording the page uploads, to check the WAV it made.
  await page.evaluate(`(() => {
    const upload = window.fetch;
    window.fetch = (input, init) => {
      if (init && init.body instanceof FormData && init.body.get("audio")) window.lastRecording = init.body.get("audio");
      return upload(input, init);
    };
  })()`);
  const speak = page.getByRole("button", { name: "Speak your trip request" });
  const heard = page.waitForResponse((r) => r.url() === `${urls.api}/voice/plan`, { timeout: 60_000 });
  await speak.hover();
  const pressed = Date.now();
  await page.mouse.down();
  await page.getByRole("meter", { name: "Microphone level" }).waitFor();
  await page.getByRole("button", { name: "Release to send" }).waitFor();
  await page.waitForTimeout(speech.seconds * 1000 + 1200);
  await page.mouse.up();
  const held = (Date.now() - pressed) / 1000;
  const voiceResponse = await heard;
  assert.equal(voiceResponse.status(), 200, await voiceResponse.text());
  const voice = (await voiceResponse.json()) as VoicePlan;
  const wav = (await page.evaluate(`(async () => {
    const view = new DataView(await window.lastRecording.arrayBuffer());
    const text = (o) => String.fromCharCode(...[0, 1, 2, 3].map((i) => view.getUint8(o + i)));
    return { riff: text(0), wave: text(8), channels: view.getUint16(22, true), rate: view.getUint32(24, true),
      bits: view.getUint16(34, true), dataBytes: view.getUint32(40, true), size: view.byteLength };
  })()`)) as {
    riff: string;
    wave: string;
    channels: number;
    rate: number;
    bits: number;
    dataBytes: number;
    size: number;
  };
  assert.deepEqual(
    { riff: wav.riff, wave: wav.wave, channels: wav.channels, rate: wav.rate, bits: wav.bits },
    { riff: "RIFF", wave: "WAVE", channels: 1, rate: 16_000, bits: 16 },
  );
  assert.equal(wav.size, 44 + wav.dataBytes);
  const seconds = wav.dataBytes / 2 / 16_000;
  // All the speech (the button was held that long after the microphone came on), and no longer than the press as
  // measured here, give or take the recorder's last buffers: it stops on release. Bound by the measured press rather
  // than a fixed margin over the speech, so that a loaded machine, slow to release, does not fail it.
  assert.ok(
    seconds > speech.seconds && seconds < held + 1,
    `the recording lasts about as long as the press (${seconds.toFixed(2)} s recorded, ${held.toFixed(2)} s held)`,
  );
  assert.equal(voice.transcript, SPOKEN.toLowerCase(), "the API heard the spoken request");
  await page.getByTestId("transcript").filter({ hasText: voice.transcript }).waitFor();
  const spoken = planOf(voice.result);
  // "Three days" are three day cards: two nights.
  assert.deepEqual([spoken.destination.name, spoken.days.length, spoken.nights, spoken.guests], ["Madrid", 3, 2, 2]);
  await expectPlanShown(page, spoken);
  assert.ok(voice.reply.audio, "the reply is spoken (espeak-ng on the API)");
  await page.getByLabel("The reply, spoken").last().waitFor();
  await page.getByTestId("trip-summary").filter({ hasText: "Madrid, Spain" }).waitFor();
  await visit(page, "plan-voice", { fullPage: false });
  // A tap instead records until the next tap on the same button (now Stop), or Discard: nothing is sent then.
  await speak.click();
  await page.getByRole("meter", { name: "Microphone level" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Recording. Press Stop to send it, or Discard." }).waitFor();
  await page.getByRole("button", { name: "Stop", exact: true }).waitFor();
  await page.getByRole("button", { name: "Discard" }).click();
  await speak.waitFor();
  log(
    `planned by voice (${seconds.toFixed(1)} s WAV, heard "${voice.transcript}"): ${formatMoney(spoken.totals.total.amount)}`,
  );
  // Hands-free, in a browser of its own whose microphone says another request: the voice detector ends the turn.
  await handsFreeInOwnBrowser(urls.web, tmp, log);

  const balanceBefore = await client.readContract({
    ...protocol("TRVLToken"),
    functionName: "balanceOf",
    args: [traveller.address],
  });
  // Saved as a trip and edited on its day cards (swap, remove, move, each re-priced), then booked as edited.
  const booked = await editSavedTrip(page, urls.api, spoken, expectedFailures);
  await visit(page, "trip-edited");
  log(`trip edited: swap, remove, move; ${formatMoney(booked.totals.total.amount)}`);
  await page.getByRole("button", { name: "Book this trip" }).click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  const bookingId = page.url().split("/").pop() as Hex;
  await page.getByText(booked.days[0].items[0].name).first().waitFor();
  // A record of the trip: its city, each item's day and time as the plan had them, the policy the API applies.
  await page.getByTestId("booking-destination").filter({ hasText: "Madrid, Spain" }).waitFor();
  const firstItem = booked.days[0].items[0];
  await page
    .getByTestId("item-when")
    .filter({ hasText: `${formatDay(firstItem.date)}, ${formatTime(firstItem.time)}` })
    .first()
    .waitFor();
  await page.getByTestId("cancellation-policy").filter({ hasText: "until the booking is settled" }).waitFor();
  await page.getByRole("button", { name: /^Pay \d/ }).waitFor();
  // The page listens to the API's server-sent events: nothing else refreshes it while the booking moves on.
  await page.getByText("Updates live as your booking moves.").waitFor({ timeout: 20_000 });
  await visit(page, "booking-quoted");
  log(`booking ${bookingId.slice(0, 10)}… quoted`);

  // 3. Pay with the stablecoin: permit signature + one transaction; then watch it move to rewarded, live.
  await page.getByRole("button", { name: /^Pay \d/ }).click();
  // The transaction's "Paid." lasts only until the booking moves on, which may be at once: either shows the payment.
  await page
    .getByText(/^Paid\./)
    .or(page.getByTestId("booking-status").filter({ hasText: /Paid|Confirmed|Settled|Rewarded/ }))
    .first()
    .waitFor({ timeout: 30_000 });
  log("paid; waiting for confirmed → settled → rewarded");
  await page.getByTestId("booking-status").filter({ hasText: "Rewarded" }).waitFor({ timeout: 90_000 });
  const [reward] = await client.getContractEvents({
    ...protocol("RewardDistributor"),
    eventName: "RewardDistributed",
    args: { bookingId },
    fromBlock: 0n,
  });
  assert.ok(reward, "a RewardDistributed event for the booking");
  const earned = reward.args.travellerAmount!;
  const referrerEarned = reward.args.level1Amount!;
  await page
    .getByTestId("trvl-earned")
    .filter({ hasText: trvl(earned) })
    .waitFor({ timeout: 20_000 });
  await visit(page, "booking-rewarded");
  log(`rewarded: ${trvl(earned)} to the traveller, ${trvl(referrerEarned)} to the referrer`);

  // 4. Rewards: the balance rose by exactly the reward; history and totals show it.
  await page.getByRole("link", { name: "Rewards", exact: true }).click();
  await page
    .getByTestId("trvl-balance")
    .filter({ hasText: trvl(balanceBefore + earned) })
    .waitFor({ timeout: 20_000 });
  await page
    .getByTestId("total-traveller")
    .filter({ hasText: trvl(earned) })
    .waitFor();
  await page.getByRole("img", { name: /TRVL earned over time/ }).waitFor();
  await visit(page, "rewards");
  log("rewards page shows the new balance, totals and chart");

  // 5. Stake 1,000 TRVL: the tier moves from Explorer to Voyager.
  await page.getByRole("link", { name: "Stake", exact: true }).click();
  await page.getByTestId("tier-name").filter({ hasText: "Explorer" }).waitFor();
  // Nobody stakes yet: no APR until someone does.
  await page.getByTestId("apr").filter({ hasText: "—" }).waitFor({ timeout: 20_000 });
  await page.getByLabel("Amount of TRVL").first().fill("1000");
  // The tier after the stake, before signing.
  await page
    .getByTestId("tier-after")
    .filter({ hasText: "Staking 1,000 TRVL moves you up to Voyager: boost +10%, discount 2%." })
    .waitFor();
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await page.getByText(/^Confirmed\./).waitFor({ timeout: 30_000 });
  await page.getByTestId("tier-name").filter({ hasText: "Voyager" }).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByLabel("Amount of TRVL").first().inputValue(), "", "the amount is cleared once staked");
  await page
    .getByTestId("apr")
    .filter({ hasText: /^[\d,.]+%$/ })
    .waitFor({ timeout: 20_000 });
  // Unstaking part of it would drop the tier: said before anything is signed (nothing is, here).
  await page.getByLabel("Amount of TRVL").nth(1).fill("200");
  await page
    .getByTestId("tier-after")
    .filter({ hasText: "Unstaking 200 TRVL drops you to Explorer: boost +0%, discount 0%." })
    .waitFor();
  await page.getByLabel("Amount of TRVL").nth(1).fill("");
  await visit(page, "stake");
  log("staked 1,000 TRVL: tier Voyager");

  // 6. DAO: delegate to oneself, then propose a reward split change from the UI (a template, simulated against the
  // chain, its description pinned to IPFS), vote for it, queue it and execute it through the timelock.
  await page.getByRole("link", { name: "DAO", exact: true }).click();
  await page.getByRole("button", { name: "Delegate to myself" }).click();
  await page.getByText(/^Delegated\./).waitFor({ timeout: 30_000 });
  await page.getByTestId("delegate").filter({ hasText: "Yourself" }).waitFor({ timeout: 20_000 });
  // Held and staked TRVL both vote once delegated (the staked part is moved along in the same flow).
  const votingPower = trvl(balanceBefore + earned);
  await page.getByTestId("voting-power").filter({ hasText: votingPower }).waitFor({ timeout: 20_000 });
  // The guardian Safe holds most TRVL; on this test chain it delegates to the traveller (impersonated, outside the
  // browser) so that the vote can reach quorum and the proposal can go through the timelock.
  const guardian = protocol("Guardian").address;
  await testClient.impersonateAccount({ address: guardian });
  await testClient.setBalance({ address: guardian, value: 10n ** 18n });
  const asGuardian = createWalletClient({ chain, transport: http(urls.chain), account: guardian });
  await client.waitForTransactionReceipt({
    hash: await asGuardian.writeContract({
      ...protocol("TRVLToken"),
      functionName: "delegate",
      args: [traveller.address as Hex],
    }),
  });
  await testClient.stopImpersonatingAccount({ address: guardian });
  // Votes count from the second after the delegation (the Governor reads them at clock() - 1).
  await testClient.increaseTime({ seconds: 1 });
  await testClient.mine({ blocks: 1 });
  // As `npm start` runs the chain: a block every second besides one per transaction, so that the proposal leaves
  // Pending with nobody transacting (turned off again after the vote, so later steps run as before).
  await testClient.setIntervalMining({ interval: 1 });

  const NEW_SPLIT = { traveller: 7_500, level1: 700, level2: 300, treasury: 1_500 };
  await page.getByRole("button", { name: "New proposal" }).click();
  await page.getByLabel("What to change").selectOption("reward-split");
  const travellerShare = page.getByLabel("Traveller (basis points)");
  // The template starts from the chain's current split.
  await eventually("the current split in the form", async () =>
    (await travellerShare.inputValue()) === "7000" ? true : undefined,
  );
  await travellerShare.fill(String(NEW_SPLIT.traveller));
  await page.getByLabel("Treasury (basis points)").fill(String(NEW_SPLIT.treasury));
  await page.getByTestId("proposal-effects").getByText("Traveller: 70% → 75%").waitFor();
  await page
    .getByLabel("Why (shown with the proposal and pinned to IPFS)")
    .fill("Travellers get a bigger share of each booking's reward, out of the treasury's.");
  await page.getByRole("button", { name: "Simulate" }).click();
  await page
    .getByTestId("simulation")
    .getByText("every call succeeds as the timelock would run it")
    .waitFor({ timeout: 20_000 });
  await page.getByTestId("simulation").getByText('RewardDistributor.setSplit({"traveller":7500').waitFor();
  await visit(page, "dao-new-proposal");
  await page.getByRole("button", { name: "Propose", exact: true }).click();
  await page.getByText(/^Proposed\./).waitFor({ timeout: 30_000 });
  const [created] = await client.getContractEvents({
    ...protocol("TRVLGovernor"),
    eventName: "ProposalCreated",
    fromBlock: 0n,
  });
  assert.ok(created, "the proposal is on chain");
  assert.equal(created.args.proposer, traveller.address as Hex, "proposed by the traveller's wallet");
  assert.deepEqual(created.args.targets, [protocol("RewardDistributor").address]);
  assert.equal(
    created.args.calldatas?.[0],
    encodeFunctionData({ abi: protocol("RewardDistributor").abi, functionName: "setSplit", args: [NEW_SPLIT] }),
  );
  const proposalId = created.args.proposalId!;
  const cid = /ipfs:\/\/([a-z0-9]+)\s*$/.exec(created.args.description ?? "")?.[1];
  assert.ok(cid, `the description links its pinned document: ${created.args.description}`);
  const pinned = (await (await fetch(`${urls.api}/ipfs/${cid}`)).json()) as { title: string; calls: unknown[] };
  assert.equal(pinned.title, "Set the reward split to 75% / 7% / 3% / 15%");
  log(`proposed from the UI: the split change, simulated first, description pinned at ipfs://${cid}`);

  const proposal = page.getByTestId("proposal").filter({ hasText: "Set the reward split to 75% / 7% / 3% / 15%" });
  const proposalState = (state: string, timeout = 20_000) =>
    proposal.getByTestId("proposal-state").filter({ hasText: state }).waitFor({ timeout });
  await proposal.waitFor({ timeout: 30_000 });
  await proposal.getByRole("link", { name: "Full proposal on IPFS" }).waitFor();
  // Interval mining alone moves the chain's clock past the voting delay.
  await proposalState("Active", 30_000);
  await testClient.setIntervalMining({ interval: 0 });
  await proposal.getByRole("button", { name: "Vote for" }).click();
  const [, forVotes] = await eventually("the vote on chain", async () => {
    const votes = await client.readContract({
      ...protocol("TRVLGovernor"),
      functionName: "proposalVotes",
      args: [proposalId],
    });
    return votes[1] > 0n ? votes : undefined;
  });
  const votesFor = formatToken(forVotes, 18, "TRVL", 2);
  // The voter sees how they voted and with what weight (all of it, on their side).
  await proposal
    .getByTestId("my-vote")
    .filter({ hasText: `You voted for with ${votesFor}.` })
    .waitFor({ timeout: 30_000 });
  await proposal.getByTestId("votes-for").filter({ hasText: votesFor }).waitFor({ timeout: 20_000 });
  await proposal.getByText(/Quorum: .* \(reached\)/).waitFor();
  await visit(page, "dao");
  log(`voted for the proposal (${votesFor}, quorum reached)`);
  const advance = async (seconds: number) => {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  };
  await advance(601);
  await proposalState("Succeeded");
  await proposal.getByRole("button", { name: "Queue in the timelock" }).click();
  await proposalState("Queued", 30_000);
  await proposal
    .getByTestId("proposal-eta")
    .getByText(/In the timelock: executable in/)
    .waitFor();
  // The ops page (read-only) shows the operation in the timelock queue, decoded, beside the guardian Safe.
  await page.goto(`${urls.web}/ops`);
  await page
    .getByTestId("timelock-queue")
    .getByText('RewardDistributor.setSplit({"traveller":7500,"level1":700,"level2":300,"treasury":1500})')
    .waitFor({ timeout: 20_000 });
  await page.getByTestId("safe-threshold").filter({ hasText: "2 of 3" }).waitFor();
  await page.getByTestId("pause-state").getByText("BookingEscrow: running").waitFor();
  await visit(page, "ops");
  await page.goto(`${urls.web}/dao`);
  await advance(61);
  await proposal.getByRole("button", { name: "Execute" }).click();
  await proposalState("Executed", 30_000);
  const split = await client.readContract({
    ...protocol("RewardDistributor"),
    functionName: "split",
  });
  assert.deepEqual(split, NEW_SPLIT, "the timelock set the new split");
  log("queued in the timelock (ETA shown), then executed: the split is 75/7/3/15");

  // 7. Book again as a Voyager, paying in ETH: the tier discount applies; cancel a third booking before paying.
  // The plan page shows the conversation the API remembers; its latest plan (Madrid, by voice) is booked again.
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  await page.getByRole("log").getByText(voice.transcript, { exact: true }).waitFor();
  await page.getByTestId("trip-summary").filter({ hasText: "Madrid, Spain" }).waitFor();
  await page.getByLabel("Pay with").selectOption("eth");
  await page.getByRole("button", { name: "Book this trip" }).click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  await page.getByText("Tier discount (2%)").waitFor();
  await page.getByRole("button", { name: /^Pay [\d.]+ ETH$/ }).click();
  // The transaction's "Paid." lasts only until the booking moves on, which may be at once: either shows the payment.
  await page
    .getByText(/^Paid\./)
    .or(page.getByTestId("booking-status").filter({ hasText: /Paid|Confirmed|Settled|Rewarded/ }))
    .first()
    .waitFor({ timeout: 30_000 });
  await page.getByTestId("booking-status").filter({ hasText: "Rewarded" }).waitFor({ timeout: 90_000 });
  await page.getByTestId("trvl-earned").filter({ hasText: "+10% tier boost" }).waitFor({ timeout: 20_000 });
  // It was rewarded with the split the DAO just set: 75% to the traveller (plus the tier's boost), 7% to the referrer.
  const secondBooking = page.url().split("/").pop() as Hex;
  const [second] = await client.getContractEvents({
    ...protocol("RewardDistributor"),
    eventName: "RewardDistributed",
    args: { bookingId: secondBooking },
    fromBlock: 0n,
  });
  const { travellerAmount, level1Amount, level2Amount, treasuryAmount, boostBps } = second.args;
  const total = travellerAmount! + level1Amount! + level2Amount! + treasuryAmount!;
  const base = (total * 7_500n) / 10_000n;
  assert.equal(travellerAmount, base + (base * boostBps!) / 10_000n, "the traveller's 75% share, boosted");
  assert.equal(level1Amount, (total * 700n) / 10_000n, "the referrer's 7% share");
  log("paid a second booking in ETH with the Voyager discount; rewarded with the +10% boost");
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  await page.getByTestId("trip-summary").filter({ hasText: "Madrid, Spain" }).waitFor();
  await page.getByRole("button", { name: "Book this trip" }).click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  // The same booking open in a second tab, ready to pay: cancelling in the first takes its Pay button away, live.
  const secondTab = await context.newPage();
  watchForProblems(secondTab, "second tab");
  await secondTab.goto(page.url());
  await secondTab.getByRole("button", { name: /^Pay \d/ }).waitFor({ timeout: 20_000 });
  await secondTab.getByText("Updates live as your booking moves.").waitFor({ timeout: 20_000 });
  await page.getByRole("button", { name: "Cancel booking" }).click();
  await page.getByTestId("booking-status").filter({ hasText: "Cancelled" }).waitFor({ timeout: 20_000 });
  await secondTab.getByTestId("booking-status").filter({ hasText: "Cancelled" }).waitFor({ timeout: 20_000 });
  assert.equal(await secondTab.getByRole("button", { name: /^Pay \d/ }).count(), 0, "no Pay button once cancelled");
  await secondTab.close();
  log("cancelled an unpaid booking");

  // 8. Bookings list, and the app's own transaction page (the local chain has no explorer).
  await page.getByRole("link", { name: "Bookings", exact: true }).click();
  await page.getByRole("list", { name: "Your bookings" }).waitFor();
  await visit(page, "bookings");
  await page.goto(`${urls.web}/tx/${reward.transactionHash}?chain=${LOCAL_CHAIN_ID}`);
  await page.getByText("RewardDistributed").first().waitFor({ timeout: 20_000 });
  await visit(page, "tx");

  // The profile feeds For you: an interest saved on the Profile page is recommended with its reason; a like re-ranks.
  await profileAndForYou(page, urls.api, visit);
  log("saved an interest on the profile; For you recommended it, and a like re-ranked it");

  // A live Duffel flight (the stub's): added from search to a new trip, booked with its passengers, paid, cancelled.
  if (stack) {
    const live = await bookLiveFlight(page, urls, duffel, { checkIn, checkOut }, expectedFailures, visit);
    log(
      `booked a live flight with its passengers (a bad phone and birth date refused first): Duffel order ${live.reference}, then cancelled with Duffel and refunded`,
    );
  } else log("attached to a running stack: its Duffel is not the stub's, so no live flight is booked");

  // 9. On a phone, same session (cookie and remembered wallet): the session survives a new page load.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: await context.storageState(),
  });
  const phonePage = await phone.newPage();
  watchForProblems(phonePage, "phone");
  // Every page at 390 px: nothing wider than the screen, every section in the navigation, a photo of each.
  const phonePages: [string, string, () => Promise<unknown>][] = [
    ["plan", "/plan", () => phonePage.getByRole("heading", { name: "Plan a trip" }).waitFor()],
    [
      "bookings",
      "/bookings",
      () => phonePage.getByRole("list", { name: "Your bookings" }).waitFor({ timeout: 20_000 }),
    ],
    [
      "booking",
      `/bookings/${bookingId}`,
      () => phonePage.getByTestId("booking-status").filter({ hasText: "Rewarded" }).waitFor({ timeout: 20_000 }),
    ],
    ["rewards", "/rewards", () => phonePage.getByTestId("trvl-balance").waitFor({ timeout: 20_000 })],
    ["stake", "/stake", () => phonePage.getByTestId("tier-name").waitFor({ timeout: 20_000 })],
    ["referrals", "/referrals", () => phonePage.getByRole("heading", { level: 1 }).waitFor()],
    ["dao", "/dao", () => phonePage.getByTestId("proposal").first().waitFor({ timeout: 20_000 })],
    ["profile", "/profile", () => phonePage.getByTestId("profile-form").waitFor({ timeout: 20_000 })],
    [
      "tx",
      `/tx/${reward.transactionHash}?chain=${LOCAL_CHAIN_ID}`,
      () => phonePage.getByText("RewardDistributed").first().waitFor({ timeout: 20_000 }),
    ],
  ];
  for (const [name, url, ready] of phonePages) {
    await phonePage.goto(`${urls.web}${url}`);
    await ready();
    const nav = phonePage.getByRole("navigation", { name: "Main" });
    for (const section of ["Plan", "Bookings", "Rewards", "Stake", "Referrals", "DAO", "Profile"])
      assert.ok(
        await nav.getByRole("link", { name: section, exact: true }).isVisible(),
        `${section} in view on ${name}`,
      );
    await visit(phonePage, `phone-${name}`);
    await expectNoOverflow(phonePage, `phone ${name}`);
  }
  await phone.close();

  // 10. Switch to the referrer's wallet: the traveller's session ends; the referrer signs in and sees the earnings.
  await page.goto(`${urls.web}/referrals`);
  const signOutsBefore = asked.signOuts;
  await page
    .getByRole("banner")
    .getByRole("button", { name: new RegExp(traveller.address.slice(0, 6), "i") })
    .click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /disconnect/i })
    .click();
  await page
    .getByRole("banner")
    .getByRole("button", { name: "Sign out" })
    .waitFor({ state: "hidden", timeout: 20_000 });
  const me = await page.evaluate(
    async (api) => (await (await fetch(`${api}/auth/session`, { credentials: "include" })).json()) as SessionState,
    urls.api,
  );
  assert.deepEqual(me, { address: null }, "disconnecting the wallet signs the traveller out of the API");
  assert.equal(asked.signOuts - signOutsBefore, 1, "one sign-out, not one from the app and one from ConnectKit");
  // The referrer closes ConnectKit's sign-in step and signs in from the header instead.
  await connectAndSignIn(page, referrer.address, "header");
  log("referrer signed in with Ethereum (the header's Sign in)");
  const rewardEvents = await client.getContractEvents({
    ...protocol("RewardDistributor"),
    eventName: "RewardDistributed",
    fromBlock: 0n,
    toBlock: "latest",
  });
  const referrerTotal = rewardEvents
    .filter((e) => e.args.level1?.toLowerCase() === referrer.address.toLowerCase())
    .reduce((sum, e) => sum + e.args.level1Amount!, 0n);
  log(`${rewardEvents.length} rewards on chain; the referrer's level-1 total is ${trvl(referrerTotal)}`);
  await page
    .getByTestId(`referee-earned-${traveller.address}`)
    .filter({ hasText: trvl(referrerTotal) })
    .waitFor({ timeout: 20_000 });
  await page
    .getByTestId("referral-earnings")
    .filter({ hasText: trvl(referrerTotal) })
    .waitFor();
  await page
    .getByRole("cell", { name: trvl(referrerEarned), exact: true })
    .first()
    .waitFor();
  await visit(page, "referrals");
  log(`the referrer sees ${trvl(referrerTotal)} earned from the traveller's two bookings`);

  if (problems.length > 0) {
    for (const problem of problems) console.log(`  ${problem}`);
    throw new Error(`${problems.length} console errors or failed requests nobody caused`);
  }
  log("no console errors and no failed requests on any page");
  if (findings.length > 0) {
    for (const f of findings)
      console.log(`  axe ${f.impact}: ${f.page}: ${f.id} (${f.help}) at ${f.targets.join(", ")}`);
    throw new Error(`${findings.length} serious or critical accessibility violations`);
  }
  log("axe: no serious or critical violations on any page");
  log("PASS");
} catch (error) {
  if (page) await screenshot(page, "failure").catch(() => undefined);
  console.error(`E2E FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await stack?.stop();
  if (stack) await duffel.close();
  await rm(tmp, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
