/**
 * End-to-end test of the web app in a real browser against the whole local stack, started as `npm start` starts it
 * (own ports, own Ignition journal and database, so it runs beside `npm start`). Run it from the repository root:
 *
 *   npm run test:e2e            (`npm run test:web` does it too)
 *
 * which runs `hardhat run web/e2e/run.ts` under faketime at a fixed date (at-fixed-date.ts, fixed-date.ts), so the
 * same items, totals and screenshots come out every day; `npx hardhat run web/e2e/run.ts` runs it at the real date.
 *
 * A traveller arrives through a referral link, connects and signs in with Ethereum in ConnectKit's modal (one
 * signature), accepts the referral, plans a trip by typing (a question back, then a follow-up the planner builds on),
 * plans another by voice (espeak-ng speaks the request into Chromium's fake microphone; the page's recorder, the API's
 * speech to text and the planner do the rest), books it, pays with a stablecoin permit, watches the booking become
 * rewarded and their TRVL balance rise by the reward, stakes to the next tier, delegates, votes on a proposal and
 * carries it through the timelock, books again in ETH with the tier's discount and boost, cancels an unpaid booking;
 * disconnecting signs them out (once); then the referrer connects, signs in from the header instead and sees what the
 * bookings earned them. Every page is scanned with axe-core (no serious or critical violations) and photographed into
 * web/e2e/screenshots/. E2E_WEB_URL, E2E_API_URL and E2E_CHAIN_URL attach to a stack already running instead
 * (built with WEB_TEST_WALLET=1).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getDeployment, rewardDistributorAbi, referralRegistryAbi, trvlGovernorAbi, trvlTokenAbi } from "@trvl/abi";
import hre from "hardhat";
import type { Page } from "playwright-core";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  http,
  parseEventLogs,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { LOCAL_ACCOUNT_INDEX, LOCAL_CHAIN_ID, localAccount } from "@trvl/tooling/local-accounts";
import { startStack, type Stack } from "../../scripts/dev/stack.js";
import type { Plan, PlanResult } from "../src/lib/api.ts";
import { formatMoney, formatToken } from "../src/lib/format.ts";
import { axeScan, eventually, launch, screenshot, type AxeFinding } from "./browser.js";
import { E2E_DAY, E2E_TRIP } from "./fixed-date.js";
import { speechWav } from "./speech.js";

const started = Date.now();
const log = (message: string) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

// Under at-fixed-date.ts every clock of the run says E2E_DAY (checked below, so that a faketime that did not take
// fails here rather than in a plan that differs from the last run's).
const atFixedDate = process.env.E2E_FIXED_DATE === "1";
const today = new Date().toISOString().slice(0, 10);
if (atFixedDate) assert.equal(today, E2E_DAY, "faketime sets this process's clock to the fixed date");
else log(`running at the real date (${today}): plans and screenshots follow the day's demo availability`);

const traveller = localAccount(LOCAL_ACCOUNT_INDEX.traveller);
const referrer = localAccount(LOCAL_ACCOUNT_INDEX.referrer);
const contracts = getDeployment(LOCAL_CHAIN_ID).contracts;
const trvl = (value: bigint) => formatToken(value, 18, "TRVL");

let stack: Stack | undefined;
const tmp = await mkdtemp(path.join(tmpdir(), "trvl-e2e-"));
let urls: { web: string; api: string; chain: string };
if (process.env.E2E_WEB_URL && process.env.E2E_API_URL && process.env.E2E_CHAIN_URL) {
  urls = { web: process.env.E2E_WEB_URL, api: process.env.E2E_API_URL, chain: process.env.E2E_CHAIN_URL };
} else {
  log("starting chain, API and web app (production build)…");
  stack = await startStack(hre, {
    chainPort: Number(process.env.E2E_CHAIN_PORT ?? 8745),
    apiPort: Number(process.env.E2E_API_PORT ?? 8987),
    webPort: Number(process.env.E2E_WEB_PORT ?? 3200),
    deploymentId: `e2e-${process.pid}`,
    dataDir: path.join(tmp, "data"),
    webDistDir: ".next-e2e",
    testWalletAccounts: [traveller.address, referrer.address],
    env: { LOG_LEVEL: "warn" },
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

/** Wallet signatures (the mock connector's `eth_sign` on the local node) and sign-outs the page has asked for. */
const asked = { signatures: 0, signOuts: 0 };
function countWalletRequests(page: Page) {
  page.on("request", (request) => {
    if (request.method() !== "POST") return;
    if (request.url() === `${urls.api}/auth/logout`) asked.signOuts += 1;
    else if (request.url().startsWith(urls.chain) && /"method":"eth_sign"/.test(request.postData() ?? ""))
      asked.signatures += 1;
  });
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

// The spoken request: a phrase the offline recogniser (pocketsphinx with the catalog's grammar) hears reliably.
const SPOKEN = "Three days in Madrid for two people";
const speech = await speechWav(SPOKEN, tmp);
const browser = await launch({ fakeAudioFile: speech.file });
let page: Page | undefined;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => console.log(`  page error: ${error.message.split("\n")[0]}`));
  countWalletRequests(page);
  if (atFixedDate) {
    const { timestamp } = await client.getBlock();
    assert.equal(new Date(Number(timestamp) * 1000).toISOString().slice(0, 10), E2E_DAY, "the chain's clock too");
  }

  // 1. Arrive through the referrer's link, sign in, accept the referral (gasless, relayed by the API).
  await page.goto(`${urls.web}/plan?ref=${referrer.address}`);
  await page.getByRole("heading", { name: "Plan a trip" }).waitFor();
  await visit(page, "plan-empty");
  await connectAndSignIn(page, traveller.address);
  log("traveller signed in with Ethereum (ConnectKit's sign-in step)");
  await page.getByRole("button", { name: "Accept referral" }).click();
  await page.getByText(/^Registered\./).waitFor({ timeout: 30_000 });
  const registered = await client.readContract({
    address: contracts.ReferralRegistry.address,
    abi: referralRegistryAbi,
    functionName: "referrerOf",
    args: [traveller.address as Hex],
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
  const voice = (await voiceResponse.json()) as { transcript: string; result: PlanResult; reply: { audio: unknown } };
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
  assert.deepEqual([spoken.destination.name, spoken.nights, spoken.guests], ["Madrid", 3, 2]);
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

  const balanceBefore = await client.readContract({
    address: contracts.TRVLToken.address,
    abi: trvlTokenAbi,
    functionName: "balanceOf",
    args: [traveller.address as Hex],
  });
  await page.getByRole("button", { name: "Book this trip" }).click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  const bookingId = page.url().split("/").pop() as Hex;
  await page.getByText(spoken.days[0].items[0].name).first().waitFor();
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
    address: contracts.RewardDistributor.address,
    abi: rewardDistributorAbi,
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
  await page.getByLabel("Amount of TRVL").first().fill("1000");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await page.getByText(/^Confirmed\./).waitFor({ timeout: 30_000 });
  await page.getByTestId("tier-name").filter({ hasText: "Voyager" }).waitFor({ timeout: 20_000 });
  await visit(page, "stake");
  log("staked 1,000 TRVL: tier Voyager");

  // 6. DAO: delegate to oneself, then vote on a proposal (made here by the same account, outside the browser).
  await page.getByRole("link", { name: "DAO", exact: true }).click();
  await page.getByRole("button", { name: "Delegate to myself" }).click();
  await page.getByText(/^Delegated\./).waitFor({ timeout: 30_000 });
  await page.getByTestId("delegate").filter({ hasText: "Yourself" }).waitFor({ timeout: 20_000 });
  // Held and staked TRVL both vote once delegated (the staked part is moved along in the same flow).
  const votingPower = trvl(balanceBefore + earned);
  await page.getByTestId("voting-power").filter({ hasText: votingPower }).waitFor({ timeout: 20_000 });
  // The guardian Safe holds most TRVL; on this test chain it delegates to the traveller (impersonated, outside the
  // browser) so that the vote can reach quorum and the proposal can go through the timelock.
  const guardian = contracts.Guardian.address;
  await testClient.impersonateAccount({ address: guardian });
  await testClient.setBalance({ address: guardian, value: 10n ** 18n });
  const asGuardian = createWalletClient({ chain, transport: http(urls.chain), account: guardian });
  await client.waitForTransactionReceipt({
    hash: await asGuardian.writeContract({
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "delegate",
      args: [traveller.address as Hex],
    }),
  });
  await testClient.stopImpersonatingAccount({ address: guardian });
  // Votes count from the second after the delegation (the Governor reads them at clock() - 1).
  await testClient.increaseTime({ seconds: 1 });
  await testClient.mine({ blocks: 1 });
  const wallet = createWalletClient({
    chain,
    transport: http(urls.chain),
    account: privateKeyToAccount(traveller.privateKey as Hex),
  });
  const description = "Keep the voting period at ten minutes\nA harmless proposal made by the end-to-end test.";
  const proposeHash = await wallet.writeContract({
    address: contracts.TRVLGovernor.address,
    abi: trvlGovernorAbi,
    functionName: "propose",
    args: [
      [contracts.TRVLGovernor.address],
      [0n],
      [encodeFunctionData({ abi: trvlGovernorAbi, functionName: "setVotingPeriod", args: [600] })],
      description,
    ],
  });
  const proposeReceipt = await client.waitForTransactionReceipt({ hash: proposeHash });
  const [created] = parseEventLogs({ abi: trvlGovernorAbi, eventName: "ProposalCreated", logs: proposeReceipt.logs });
  const proposalId = created.args.proposalId;
  const advance = async (seconds: number) => {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  };
  await advance(5);
  const proposal = page.getByTestId("proposal").filter({ hasText: "Keep the voting period at ten minutes" });
  const proposalState = (state: string, timeout = 20_000) =>
    proposal.getByTestId("proposal-state").filter({ hasText: state }).waitFor({ timeout });
  await proposal.waitFor({ timeout: 30_000 });
  await proposalState("Active");
  await proposal.getByRole("button", { name: "Vote for" }).click();
  await proposal.getByText("You voted on this proposal.").waitFor({ timeout: 30_000 });
  const [, forVotes] = await client.readContract({
    address: contracts.TRVLGovernor.address,
    abi: trvlGovernorAbi,
    functionName: "proposalVotes",
    args: [proposalId],
  });
  const votesFor = formatToken(forVotes, 18, "TRVL", 2);
  await proposal.getByTestId("votes-for").filter({ hasText: votesFor }).waitFor({ timeout: 20_000 });
  await proposal.getByText(/Quorum: .* \(reached\)/).waitFor();
  await visit(page, "dao");
  log(`voted for the proposal (${votesFor}, quorum reached)`);
  await advance(601);
  await proposalState("Succeeded");
  await proposal.getByRole("button", { name: "Queue in the timelock" }).click();
  await proposalState("Queued", 30_000);
  await advance(61);
  await proposal.getByRole("button", { name: "Execute" }).click();
  await proposalState("Executed", 30_000);
  log("queued in the timelock, then executed");

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
  log("paid a second booking in ETH with the Voyager discount; rewarded with the +10% boost");
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  await page.getByTestId("trip-summary").filter({ hasText: "Madrid, Spain" }).waitFor();
  await page.getByRole("button", { name: "Book this trip" }).click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Cancel booking" }).click();
  await page.getByTestId("booking-status").filter({ hasText: "Cancelled" }).waitFor({ timeout: 20_000 });
  log("cancelled an unpaid booking");

  // 8. Bookings list, and the app's own transaction page (the local chain has no explorer).
  await page.getByRole("link", { name: "Bookings", exact: true }).click();
  await page.getByRole("list", { name: "Your bookings" }).waitFor();
  await visit(page, "bookings");
  await page.goto(`${urls.web}/tx/${reward.transactionHash}?chain=${LOCAL_CHAIN_ID}`);
  await page.getByText("RewardDistributed").first().waitFor({ timeout: 20_000 });
  await visit(page, "tx");

  // 9. On a phone, same session (cookie and remembered wallet): the session survives a new page load.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: await context.storageState(),
  });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${urls.web}/plan`);
  await phonePage.getByRole("heading", { name: "Plan a trip" }).waitFor();
  await visit(phonePage, "phone-plan");
  await phonePage.goto(`${urls.web}/bookings/${bookingId}`);
  await phonePage.getByTestId("booking-status").filter({ hasText: "Rewarded" }).waitFor({ timeout: 20_000 });
  await visit(phonePage, "phone-booking");
  await phonePage.goto(`${urls.web}/rewards`);
  await phonePage.getByTestId("trvl-balance").waitFor({ timeout: 20_000 });
  await visit(phonePage, "phone-rewards");
  await phone.close();

  // 10. Switch to the referrer's wallet: the traveller's session ends; the referrer signs in and sees the earnings.
  await page.goto(`${urls.web}/referrals`);
  const signOutsBefore = asked.signOuts;
  await page
    .getByRole("banner")
    .getByRole("button", { name: /0x976E/i })
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
    async (api) => (await fetch(`${api}/auth/me`, { credentials: "include" })).status,
    urls.api,
  );
  assert.equal(me, 401, "disconnecting the wallet signs the traveller out of the API");
  assert.equal(asked.signOuts - signOutsBefore, 1, "one sign-out, not one from the app and one from ConnectKit");
  // The referrer closes ConnectKit's sign-in step and signs in from the header instead.
  await connectAndSignIn(page, referrer.address, "header");
  log("referrer signed in with Ethereum (the header's Sign in)");
  const rewardEvents = await client.getContractEvents({
    address: contracts.RewardDistributor.address,
    abi: rewardDistributorAbi,
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
  await rm(tmp, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
