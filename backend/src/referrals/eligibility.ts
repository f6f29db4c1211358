/**
 * Who the relayer pays gas for: accounts that show some stake in the product (RELAY_ELIGIBLE_IF, any one check
 * suffices), so that fresh keys made by the thousand cannot each have a registration relayed for free.
 */
import { trvlTokenAbi } from "@trvl/abi";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Address } from "viem";

import { chainRead, type ChainContext } from "../chain/index.js";
import type { Config, RELAY_ELIGIBILITY_CHECKS } from "../config/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";

type Check = (typeof RELAY_ELIGIBILITY_CHECKS)[number];

interface EligibilityDeps {
  db: Db;
  chain: ChainContext;
  config: Config;
}

const DESCRIPTIONS: Record<Check, (config: Config) => string> = {
  paid_booking: () => "a paid booking",
  eth_balance: (config) => `at least ${config.RELAY_MIN_ETH_WEI} wei of ETH`,
  trvl_balance: (config) => `at least ${config.RELAY_MIN_TRVL_WEI} wei of TRVL`,
  anyone: () => "nothing",
};

/** Passes when `user` meets one of the configured checks (cheapest first, as listed), else a 403 naming them. */
export async function requireRelayEligible(deps: EligibilityDeps, user: Address) {
  const checks = deps.config.RELAY_ELIGIBLE_IF;
  for (const check of checks) {
    if (await passes(deps, check, user)) return;
  }
  const needs = checks.map((check) => DESCRIPTIONS[check](deps.config));
  throw new ApiError(
    403,
    "relay_not_eligible",
    `Gasless registration is for accounts with ${needs.join(" or ")}; register from the wallet instead`,
    { requires: checks },
  );
}

async function passes({ db, chain, config }: EligibilityDeps, check: Check, user: Address): Promise<boolean> {
  switch (check) {
    case "anyone":
      return true;
    case "paid_booking": {
      const [paid] = await db
        .select({ id: schema.bookings.id })
        .from(schema.bookings)
        .where(and(eq(schema.bookings.traveller, user), isNotNull(schema.bookings.paidTxHash)))
        .limit(1);
      return paid !== undefined;
    }
    case "eth_balance":
      return (await chainRead(() => chain.client.getBalance({ address: user }))) >= config.RELAY_MIN_ETH_WEI;
    case "trvl_balance": {
      const token = chain.contract("TRVLToken");
      if (!token) return false;
      const balance = await chainRead(() =>
        chain.client.readContract({ address: token, abi: trvlTokenAbi, functionName: "balanceOf", args: [user] }),
      );
      return balance >= config.RELAY_MIN_TRVL_WEI;
    }
  }
}
