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

  constructor(
    private readonly deps: AccountsDeps,
    ttlMs: number,
  ) {
    this.cache = new LRUCache<Address, AccountSnapshot>({
      max: 10_000,
      ttl: Math.max(ttlMs, 1),
      fetchMethod: (address) => this.read(address),
    });
  }

  async snapshot(address: Address): Promise<AccountSnapshot> {
    return (await this.cache.fetch(address)) as AccountSnapshot;
  }

  /** Forget cached figures (the listener calls this when it sees an account's balance change). */
  invalidate(address: Address) {
    this.cache.delete(address);
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
