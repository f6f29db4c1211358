/**
 * What the escrow accepts and what a dollar is worth in it: the allow-list is the escrow's, the USD price is the
 * same Chainlink feed (and the same staleness/bounds rules) the reward distributor uses, so a quote is priced as
 * the protocol values it.
 */
import { bookingEscrowAbi, mockStablecoinAbi, mockV3AggregatorAbi, rewardDistributorAbi } from "@trvl/abi";
import { LRUCache } from "lru-cache";
import { zeroAddress, type Address } from "viem";

import { chainRead, requireContract, type ChainContext } from "../chain/index.js";
import { ApiError } from "../http/errors.js";

export interface PaymentToken {
  address: Address;
  symbol: string;
  decimals: number;
  /** EIP-712 domain name for ERC-2612 permits; null for ETH. */
  permitName: string | null;
}

export interface UsdPrice {
  /** Feed answer: USD per whole token, with `feedDecimals` decimals. */
  answer: bigint;
  feedDecimals: number;
}

const TOKEN_TTL_MS = 5 * 60_000;
const PRICE_TTL_MS = 15_000;

export class PaymentTokens {
  private readonly tokens = new LRUCache<Address, PaymentToken>({
    max: 100,
    ttl: TOKEN_TTL_MS,
    fetchMethod: (address) => this.readToken(address),
  });
  private readonly prices = new LRUCache<Address, UsdPrice>({
    max: 100,
    ttl: PRICE_TTL_MS,
    fetchMethod: (address) => this.readPrice(address),
  });

  constructor(private readonly chain: ChainContext) {}

  async token(address: Address): Promise<PaymentToken> {
    return (await this.tokens.fetch(address)) as PaymentToken;
  }

  async usdPrice(address: Address): Promise<UsdPrice> {
    return (await this.prices.fetch(address)) as UsdPrice;
  }

  private async readToken(address: Address): Promise<PaymentToken> {
    const escrow = requireContract(this.chain, "BookingEscrow");
    const allowed = await chainRead(() =>
      this.chain.client.readContract({
        address: escrow,
        abi: bookingEscrowAbi,
        functionName: "isPaymentToken",
        args: [address],
      }),
    );
    if (!allowed) {
      throw new ApiError(422, "token_not_accepted", `The escrow does not accept ${address} as payment`, {
        fields: [{ field: "body.paymentToken", message: "not an accepted payment token" }],
      });
    }
    if (address === zeroAddress) return { address, symbol: "ETH", decimals: 18, permitName: null };
    const [symbol, decimals, name] = await chainRead(() =>
      this.chain.client.multicall({
        ...this.chain.multicallOptions,
        allowFailure: false,
        contracts: [
          { address, abi: mockStablecoinAbi, functionName: "symbol" },
          { address, abi: mockStablecoinAbi, functionName: "decimals" },
          { address, abi: mockStablecoinAbi, functionName: "name" },
        ],
      }),
    );
    return { address, symbol, decimals, permitName: name };
  }

  private async readPrice(address: Address): Promise<UsdPrice> {
    const distributor = requireContract(this.chain, "RewardDistributor");
    const unavailable = (reason: string) =>
      new ApiError(503, "price_unavailable", `No trustworthy USD price for ${address} right now`, { reason });
    const [config, [sequencerReady, readyAt]] = await chainRead(() =>
      this.chain.client.multicall({
        ...this.chain.multicallOptions,
        allowFailure: false,
        contracts: [
          { address: distributor, abi: rewardDistributorAbi, functionName: "priceFeedOf", args: [address] },
          { address: distributor, abi: rewardDistributorAbi, functionName: "sequencerStatus" },
        ],
      }),
    );
    if (!sequencerReady) {
      // The L2's sequencer is down or just restarted: the feeds may still show answers from before the outage.
      const until =
        readyAt === 0n
          ? "it is back up and its grace period has passed"
          : new Date(Number(readyAt) * 1000).toISOString();
      throw new ApiError(
        503,
        "sequencer_down",
        `The network's sequencer is down or restarted moments ago: prices cannot be trusted until ${until}`,
        { readyAt: readyAt === 0n ? null : Number(readyAt) },
      );
    }
    if (config.feed === zeroAddress) throw unavailable("no price feed is configured for this token");
    const [, answer, , updatedAt] = await chainRead(() =>
      this.chain.client.readContract({
        address: config.feed,
        abi: mockV3AggregatorAbi,
        functionName: "latestRoundData",
      }),
    );
    const block = await chainRead(() => this.chain.client.getBlock({ blockTag: "latest" }));
    if (answer <= 0n) throw unavailable("the feed's answer is not positive");
    if (updatedAt + BigInt(config.maxAge) < block.timestamp) throw unavailable("the feed's answer is stale");
    if (answer < config.minAnswer || answer > config.maxAnswer) throw unavailable("the feed's answer is out of bounds");
    return { answer, feedDecimals: config.feedDecimals };
  }
}

/** Smallest token amount worth at least `cents` US cents: ceil(cents · 10^decimals · 10^feedDecimals / (100 · answer)). */
export function tokenAmountForCents(cents: bigint, decimals: number, price: UsdPrice): bigint {
  const numerator = cents * 10n ** BigInt(decimals) * 10n ** BigInt(price.feedDecimals);
  const denominator = 100n * price.answer;
  return (numerator + denominator - 1n) / denominator;
}
