import { trvlTokenAbi } from "@trvl/abi";
import { LRUCache } from "lru-cache";
import type { Address } from "viem";

import { chainRead, requireContract, type ChainContext } from "../chain/index.js";
import type { StakingPosition, StakingReader } from "../staking/index.js";

export interface AccountSnapshot {
  address: Address;
  blockNumber: bigint;
  trvl: { token: Address; balance: bigint; votes: bigint; delegate: Address };
  staking: StakingPosition | null;
}

export interface AccountsDeps {
  chain: ChainContext;
  staking: StakingReader;
}

/**
 * On-chain account figures, read in one multicall at one block. Cached for `ttlMs` and coalesced, so a burst of
 * requests for the same account costs one round trip to the node.
 */
export class AccountReader {
  private readonly cache: LRUCache<Address, AccountSnapshot>;
  /** The read in flight per account, which every request for it meanwhile shares. */
  private readonly loading = new Map<Address, Promise<AccountSnapshot>>();

  constructor(
    private readonly deps: AccountsDeps,
    ttlMs: number,
  ) {
    this.cache = new LRUCache<Address, AccountSnapshot>({ max: 10_000, ttl: Math.max(ttlMs, 1) });
  }

  async snapshot(address: Address): Promise<AccountSnapshot> {
    const cached = this.cache.get(address);
    if (cached) return cached;
    const shared = this.loading.get(address);
    if (shared) return shared;
    const load: Promise<AccountSnapshot> = this.read(address)
      .then((snapshot) => {
        // Cached only if no invalidation came while it was read: its figures may predate the change.
        if (this.loading.get(address) === load) this.cache.set(address, snapshot);
        return snapshot;
      })
      .finally(() => {
        if (this.loading.get(address) === load) this.loading.delete(address);
      });
    this.loading.set(address, load);
    return load;
  }

  /**
   * Forgets an account's figures (when a change to them is announced, see push/broker.ts). A read in flight still
   * answers the requests waiting on it, but is not cached; the next request reads again.
   */
  invalidate(address: Address) {
    this.cache.delete(address);
    this.loading.delete(address);
  }

  /** Forgets every account's figures (a change too large to name each account). */
  invalidateAll() {
    this.cache.clear();
    this.loading.clear();
  }

  private async read(address: Address): Promise<AccountSnapshot> {
    const { chain, staking } = this.deps;
    const token = requireContract(chain, "TRVLToken");
    return chainRead(async () => {
      const blockNumber = await chain.client.getBlockNumber({ cacheTime: 0 });
      const [balance, votes, delegate] = await chain.client.multicall({
        ...chain.multicallOptions,
        allowFailure: false,
        blockNumber,
        contracts: [
          { address: token, abi: trvlTokenAbi, functionName: "balanceOf", args: [address] },
          { address: token, abi: trvlTokenAbi, functionName: "getVotes", args: [address] },
          { address: token, abi: trvlTokenAbi, functionName: "delegates", args: [address] },
        ],
      });
      return {
        address,
        blockNumber,
        trvl: { token, balance, votes, delegate },
        staking: await staking.positionOf(address, blockNumber),
      };
    });
  }
}
