/**
 * Proposal templates: one per kind of parameter the timelock governs. Each names its fields, reads their current
 * values from the chain (the form starts from them), and turns what was entered into the calls the timelock will
 * make, with a line per change saying what moves from what to what. Pure, apart from the reads it is given.
 */
import { TIER_NAMES, timelockControllerAbi, type TrvlContract } from "@trvl/abi";
import {
  encodeFunctionData,
  getAddress,
  isAddress,
  keccak256,
  stringToHex,
  zeroAddress,
  zeroHash,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type EncodeFunctionDataParameters,
  type Hex,
} from "viem";

import { formatBps, formatUnits, parseUnits } from "@/lib/format";

export interface ProposalCall {
  target: Address;
  value: bigint;
  data: Hex;
}

/** The contracts the templates read and call, by their name in `@trvl/abi`'s registry. */
export const TEMPLATE_CONTRACTS = [
  "RewardDistributor",
  "TRVLStaking",
  "BookingEscrow",
  "Timelock",
  "TRVLToken",
  "Stablecoin",
  "Guardian",
] as const;

export type GovernedContracts = { [N in (typeof TEMPLATE_CONTRACTS)[number]]: TrvlContract<N> };

/** Reads a view function; the component passes wagmi's readContract. */
export type Reader = (request: {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: unknown[];
}) => Promise<unknown>;

export interface TemplateField {
  name: string;
  label: string;
  kind: "bps" | "trvl" | "uint" | "address" | "choice";
  options?: { value: string; label: string }[];
  hint?: string;
}

export type Values = Record<string, string>;

export type Built =
  { ok: true; title: string; calls: ProposalCall[]; effects: string[] } | { ok: false; errors: Record<string, string> };

export interface ProposalTemplate {
  id: string;
  label: string;
  fields: TemplateField[];
  /** Fields that choose what `current` reads (which feed, which role): kept when the current values reload. */
  selects?: string[];
  /** The chain's current values, as the form's starting point and the "from" of each effect. */
  current(read: Reader, contracts: GovernedContracts, values: Values): Promise<Values>;
  build(values: Values, current: Values, contracts: GovernedContracts): Built;
}

const SPLIT_PARTS = ["traveller", "level1", "level2", "treasury"] as const;
const SPLIT_LABELS = {
  traveller: "Traveller",
  level1: "Referrer, level 1",
  level2: "Referrer, level 2",
  treasury: "Treasury",
};
const ETH = zeroAddress;

/** Field values parsed by kind; every problem collected under its field's name. */
class Parser {
  errors: Record<string, string> = {};
  constructor(private readonly values: Values) {}

  bps(name: string, max = 10_000): number {
    const text = (this.values[name] ?? "").trim();
    if (!/^\d+$/.test(text) || Number(text) > max) {
      this.errors[name] = `Whole basis points from 0 to ${max.toLocaleString("en-US")} (100 = 1%)`;
      return 0;
    }
    return Number(text);
  }

  uint(name: string, max: bigint = 2n ** 256n - 1n): bigint {
    const text = (this.values[name] ?? "").trim();
    if (!/^\d+$/.test(text) || BigInt(text) > max) {
      this.errors[name] = `A whole number up to ${max.toLocaleString("en-US")}`;
      return 0n;
    }
    return BigInt(text);
  }

  trvl(name: string): bigint {
    const parsed = parseUnits(this.values[name] ?? "", 18);
    if (!parsed.ok) {
      this.errors[name] = parsed.error;
      return 0n;
    }
    return parsed.value;
  }

  address(name: string, allowZero = false): Address {
    const text = (this.values[name] ?? "").trim();
    if (!isAddress(text, { strict: false }) || (!allowZero && BigInt(text) === 0n)) {
      this.errors[name] = allowZero ? "An address (0x and 40 hex digits)" : "A non-zero address (0x and 40 hex digits)";
      return zeroAddress;
    }
    return getAddress(text);
  }

  choice(name: string, options: readonly string[]): string {
    const value = this.values[name] ?? "";
    if (!options.includes(value)) this.errors[name] = "Pick one of the options";
    return value;
  }

  result(title: string, calls: ProposalCall[], effects: string[]): Built {
    return Object.keys(this.errors).length > 0
      ? { ok: false, errors: this.errors }
      : { ok: true, title, calls, effects };
  }
}

type Writable = "nonpayable" | "payable";

/** A call the timelock makes to `target`, encoded with the target's own ABI. */
function callTo<const A extends Abi, F extends ContractFunctionName<A, Writable>>(
  target: { address: Address; abi: A },
  functionName: F,
  args: ContractFunctionArgs<A, Writable, F>,
): ProposalCall {
  const data = encodeFunctionData({ abi: target.abi, functionName, args } as EncodeFunctionDataParameters);
  return { target: target.address, value: 0n, data };
}
const change = (label: string, from: string | undefined, to: string) =>
  from === undefined || from === to
    ? `${label}: ${to}${from === to ? " (unchanged)" : ""}`
    : `${label}: ${from} → ${to}`;
const trvlText = (wei: bigint) => `${formatUnits(wei, 18, 2)} TRVL`;
/** A current value the form holds as decimal TRVL text, back in wei. */
const wei = (text: string | undefined) => {
  const parsed = parseUnits(text ?? "0", 18);
  return parsed.ok ? parsed.value : 0n;
};

const rewardSplit: ProposalTemplate = {
  id: "reward-split",
  label: "Reward split",
  fields: SPLIT_PARTS.map((part) => ({
    name: part,
    label: `${SPLIT_LABELS[part]} (basis points)`,
    kind: "bps" as const,
    hint: part === "treasury" ? "The four parts must add up to 10,000 (100%)." : undefined,
  })),
  async current(read, contracts) {
    const split = (await read({ ...contracts.RewardDistributor, functionName: "split" })) as Record<
      (typeof SPLIT_PARTS)[number],
      number
    >;
    return Object.fromEntries(SPLIT_PARTS.map((p) => [p, String(split[p])]));
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const split = Object.fromEntries(SPLIT_PARTS.map((part) => [part, p.bps(part)])) as Record<
      (typeof SPLIT_PARTS)[number],
      number
    >;
    const sum = SPLIT_PARTS.reduce((total, part) => total + split[part], 0);
    if (Object.keys(p.errors).length === 0 && sum !== 10_000) {
      p.errors.treasury = `The parts add up to ${sum.toLocaleString("en-US")}, not 10,000`;
    }
    return p.result(
      `Set the reward split to ${SPLIT_PARTS.map((part) => formatBps(split[part])).join(" / ")}`,
      [callTo(contracts.RewardDistributor, "setSplit", [split])],
      SPLIT_PARTS.map((part) =>
        change(SPLIT_LABELS[part], current[part] && formatBps(Number(current[part])), formatBps(split[part])),
      ),
    );
  },
};

const tiers: ProposalTemplate = {
  id: "tiers",
  label: "Staking tiers (thresholds, boosts, discounts)",
  fields: TIER_NAMES.flatMap((name, i) => [
    ...(i === 0 ? [] : [{ name: `minStake${i}`, label: `${name}: stake from (TRVL)`, kind: "trvl" as const }]),
    { name: `boost${i}`, label: `${name}: reward boost (basis points)`, kind: "bps" as const },
    { name: `discount${i}`, label: `${name}: booking discount (basis points)`, kind: "bps" as const },
  ]),
  async current(read, contracts) {
    const list = (await read({ ...contracts.TRVLStaking, functionName: "tiers" })) as {
      minStake: bigint;
      boostBps: number;
      discountBps: number;
    }[];
    return Object.fromEntries(
      list.flatMap((tier, i) => [
        ...(i === 0 ? [] : [[`minStake${i}`, formatUnits(tier.minStake, 18, 18).replace(/,/g, "")]]),
        [`boost${i}`, String(tier.boostBps)],
        [`discount${i}`, String(tier.discountBps)],
      ]),
    );
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const list = TIER_NAMES.map((_, i) => ({
      minStake: i === 0 ? 0n : p.trvl(`minStake${i}`),
      boostBps: p.bps(`boost${i}`),
      discountBps: p.bps(`discount${i}`),
    }));
    const effects = TIER_NAMES.map((name, i) => {
      const now = `from ${trvlText(list[i].minStake)}, boost ${formatBps(list[i].boostBps)}, discount ${formatBps(list[i].discountBps)}`;
      const before =
        current[`boost${i}`] === undefined
          ? undefined
          : `from ${trvlText(wei(current[`minStake${i}`]))}, boost ${formatBps(Number(current[`boost${i}`]))}, discount ${formatBps(Number(current[`discount${i}`]))}`;
      return change(name, before, now);
    });
    return p.result("Set the staking tiers", [callTo(contracts.TRVLStaking, "setTiers", [list])], effects);
  },
};

const mintLimit: ProposalTemplate = {
  id: "mint-limit",
  label: "Mint limit",
  fields: [
    { name: "capacity", label: "TRVL mintable per window", kind: "trvl" },
    { name: "window", label: "Window (seconds)", kind: "uint", hint: "86400 = one day" },
  ],
  async current(read, contracts) {
    const [capacity, window] = (await read({ ...contracts.RewardDistributor, functionName: "mintLimit" })) as [
      bigint,
      number,
      bigint,
    ];
    return { capacity: formatUnits(capacity, 18, 18).replace(/,/g, ""), window: String(window) };
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const capacity = p.trvl("capacity");
    const window = p.uint("window", 2n ** 48n - 1n);
    if (window === 0n && !p.errors.window) p.errors.window = "The window must be at least one second";
    return p.result(
      `Set the mint limit to ${trvlText(capacity)} per ${window} s`,
      [callTo(contracts.RewardDistributor, "setMintLimit", [capacity, Number(window)])],
      [
        change("Capacity", current.capacity && trvlText(wei(current.capacity)), trvlText(capacity)),
        change("Window", current.window && `${current.window} s`, `${window} s`),
      ],
    );
  },
};

const priceFeed: ProposalTemplate = {
  id: "price-feed",
  label: "Price feed",
  selects: ["token"],
  fields: [
    {
      name: "token",
      label: "Feed for",
      kind: "choice",
      options: [
        { value: "ETH", label: "ETH (payments in the native coin)" },
        { value: "Stablecoin", label: "The stablecoin" },
        { value: "TRVL", label: "TRVL (converts USD into TRVL)" },
      ],
    },
    {
      name: "feed",
      label: "Chainlink aggregator address",
      kind: "address",
      hint: "The zero address removes a payment token's feed.",
    },
    { name: "maxAge", label: "Maximum answer age (seconds)", kind: "uint" },
    { name: "minAnswer", label: "Lowest trusted answer (feed decimals)", kind: "uint" },
    { name: "maxAnswer", label: "Highest trusted answer (feed decimals)", kind: "uint" },
  ],
  async current(read, contracts, values) {
    const token = values.token || "ETH";
    const config = (await read(
      token === "TRVL"
        ? { ...contracts.RewardDistributor, functionName: "trvlPriceFeed" }
        : {
            ...contracts.RewardDistributor,
            functionName: "priceFeedOf",
            args: [token === "ETH" ? ETH : contracts.Stablecoin.address],
          },
    )) as { feed: Address; maxAge: number; minAnswer: bigint; maxAnswer: bigint };
    return {
      token,
      feed: config.feed,
      maxAge: String(config.maxAge),
      minAnswer: String(config.minAnswer),
      maxAnswer: String(config.maxAnswer),
    };
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const token = p.choice("token", ["ETH", "Stablecoin", "TRVL"]);
    const feed = p.address("feed", token !== "TRVL");
    const maxAge = p.uint("maxAge", 2n ** 32n - 1n);
    const minAnswer = p.uint("minAnswer", 2n ** 128n - 1n);
    const maxAnswer = p.uint("maxAnswer", 2n ** 128n - 1n);
    const limits = [Number(maxAge), minAnswer, maxAnswer] as const;
    const setFeed =
      token === "TRVL"
        ? callTo(contracts.RewardDistributor, "setTrvlPriceFeed", [feed, ...limits])
        : callTo(contracts.RewardDistributor, "setPriceFeed", [
            token === "ETH" ? ETH : contracts.Stablecoin.address,
            feed,
            ...limits,
          ]);
    const same = current.token === token;
    return p.result(
      `Set the ${token}/USD price feed`,
      [setFeed],
      [
        change("Feed", same ? current.feed : undefined, feed),
        change("Maximum age", same ? `${current.maxAge} s` : undefined, `${maxAge} s`),
        change(
          "Trusted answers",
          same ? `${current.minAnswer}–${current.maxAnswer}` : undefined,
          `${minAnswer}–${maxAnswer}`,
        ),
      ],
    );
  },
};

const paymentToken: ProposalTemplate = {
  id: "payment-token",
  label: "Payment token",
  selects: ["token"],
  fields: [
    { name: "token", label: "Token address (the zero address is ETH)", kind: "address" },
    {
      name: "allowed",
      label: "New payments in it",
      kind: "choice",
      options: [
        { value: "true", label: "Allowed" },
        { value: "false", label: "Not allowed" },
      ],
    },
  ],
  async current(read, contracts, values) {
    const token = isAddress(values.token ?? "", { strict: false })
      ? getAddress(values.token)
      : contracts.Stablecoin.address;
    const allowed = await read({ ...contracts.BookingEscrow, functionName: "isPaymentToken", args: [token] });
    return { token, allowed: String(allowed) };
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const token = p.address("token", true);
    const allowed = p.choice("allowed", ["true", "false"]) === "true";
    return p.result(
      `${allowed ? "Allow" : "Stop"} payments in ${token === ETH ? "ETH" : token}`,
      [callTo(contracts.BookingEscrow, "setPaymentToken", [token, allowed])],
      [
        change(
          `Payments in ${token === ETH ? "ETH" : token}`,
          current.token === token ? yesNo(current.allowed) : undefined,
          yesNo(String(allowed)),
        ),
      ],
    );
  },
};
const yesNo = (value: string | undefined) => (value === "true" ? "allowed" : "not allowed");

const treasury: ProposalTemplate = {
  id: "treasury",
  label: "Treasury address",
  fields: [
    { name: "treasury", label: "New treasury (commissions, the treasury share, unstake fees)", kind: "address" },
  ],
  async current(read, contracts) {
    const address = await read({ ...contracts.BookingEscrow, functionName: "treasury" });
    return { treasury: String(address) };
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const to = p.address("treasury");
    return p.result(
      `Move the treasury to ${to}`,
      [
        callTo(contracts.BookingEscrow, "setTreasury", [to]),
        callTo(contracts.RewardDistributor, "setTreasury", [to]),
        callTo(contracts.TRVLStaking, "setTreasury", [to]),
      ],
      [change("Treasury of the escrow, distributor and staking", current.treasury, to)],
    );
  },
};

/** The guardian's powers, each a role on a contract: the DAO grants and revokes them. */
export const GUARDIAN_ROLES = [
  { value: "BookingEscrow:PAUSER_ROLE", label: "Pause payments (BookingEscrow PAUSER_ROLE)" },
  { value: "RewardDistributor:PAUSER_ROLE", label: "Pause rewards (RewardDistributor PAUSER_ROLE)" },
  { value: "TRVLStaking:PAUSER_ROLE", label: "Pause staking (TRVLStaking PAUSER_ROLE)" },
  { value: "BookingEscrow:OPERATOR_ROLE", label: "Rotate keeper and quote keys (BookingEscrow OPERATOR_ROLE)" },
  { value: "TRVLStaking:REWARDS_FUNDER_ROLE", label: "Fund staking rewards (TRVLStaking REWARDS_FUNDER_ROLE)" },
  { value: "Timelock:CANCELLER_ROLE", label: "Veto queued operations (Timelock CANCELLER_ROLE)" },
] as const;

// Every governed contract is an OpenZeppelin AccessControl: the timelock's ABI has the same functions.
const accessControl = ({ address }: { address: Address }) => ({ address, abi: timelockControllerAbi });

export function roleId(name: string): Hex {
  return name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(stringToHex(name));
}

const guardianRoles: ProposalTemplate = {
  id: "guardian-roles",
  label: "Guardian roles",
  selects: ["role", "account"],
  fields: [
    {
      name: "action",
      label: "Action",
      kind: "choice",
      options: [
        { value: "grant", label: "Grant" },
        { value: "revoke", label: "Revoke" },
      ],
    },
    { name: "role", label: "Power", kind: "choice", options: GUARDIAN_ROLES.map((r) => ({ ...r })) },
    { name: "account", label: "Account (the guardian Safe by default)", kind: "address" },
  ],
  async current(read, contracts, values) {
    const role = values.role || GUARDIAN_ROLES[0].value;
    const account = isAddress(values.account ?? "", { strict: false })
      ? getAddress(values.account)
      : contracts.Guardian.address;
    const [contract, roleName] = role.split(":") as [keyof GovernedContracts, string];
    const holds = await read({
      ...accessControl(contracts[contract]),
      functionName: "hasRole",
      args: [roleId(roleName), account],
    });
    return { action: values.action || (holds ? "revoke" : "grant"), role, account, holds: String(holds) };
  },
  build(values, current, contracts) {
    const p = new Parser(values);
    const action = p.choice("action", ["grant", "revoke"]);
    const role = p.choice(
      "role",
      GUARDIAN_ROLES.map((r) => r.value),
    );
    const account = p.address("account");
    const [contract, roleName] = (role || GUARDIAN_ROLES[0].value).split(":") as [keyof GovernedContracts, string];
    const sameAccount = current.account === account && current.role === role;
    return p.result(
      `${action === "grant" ? "Grant" : "Revoke"} ${roleName} on ${contract} ${action === "grant" ? "to" : "from"} ${account}`,
      [
        callTo(accessControl(contracts[contract]), action === "grant" ? "grantRole" : "revokeRole", [
          roleId(roleName),
          account,
        ]),
      ],
      [
        change(
          `${roleName} on ${contract} for ${account}`,
          sameAccount ? (current.holds === "true" ? "held" : "not held") : undefined,
          action === "grant" ? "held" : "not held",
        ),
      ],
    );
  },
};

export const TEMPLATES: ProposalTemplate[] = [
  rewardSplit,
  tiers,
  mintLimit,
  priceFeed,
  paymentToken,
  treasury,
  guardianRoles,
];
