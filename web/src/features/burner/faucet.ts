/**
 * Funds a burner wallet on the local chain from one of the node's own test accounts (the Hardhat node holds their
 * keys and signs `eth_sendTransaction` for them): ETH for gas and payments, and test USD (the local stablecoin mints
 * to anyone). Only ever called on the local chain.
 */
import type { TrvlContract } from "@trvl/abi";
import { encodeFunctionData, type Address, type EIP1193RequestFn } from "viem";

/** Which of the node's test accounts gives: one no script or service of TRVL signs with. */
export const FAUCET_ACCOUNT_INDEX = 9;
// 10 ETH and 10,000 tUSD (6 decimals), as literals: nothing of this module runs on import.
export const FAUCET_ETH = 10_000_000_000_000_000_000n;
export const FAUCET_USD = 10_000_000_000n;

/** What the wallet is given and when: topped up below a tenth of each amount, so a refill is rare. */
export function faucetNeeds(balances: { eth: bigint; usd: bigint }): { eth: bigint; usd: bigint } {
  return {
    eth: balances.eth < FAUCET_ETH / 10n ? FAUCET_ETH : 0n,
    usd: balances.usd < FAUCET_USD / 10n ? FAUCET_USD : 0n,
  };
}

type Request = EIP1193RequestFn;

/** Tops up `address` on the node behind `request`; resolves once the transfers are mined. */
export async function fundFromNode(
  request: Request,
  address: Address,
  stablecoin: TrvlContract<"Stablecoin">,
): Promise<void> {
  const [eth, usd] = await Promise.all([
    request({ method: "eth_getBalance", params: [address, "latest"] }),
    request({
      method: "eth_call",
      params: [
        {
          to: stablecoin.address,
          data: encodeFunctionData({ abi: stablecoin.abi, functionName: "balanceOf", args: [address] }),
        },
        "latest",
      ],
    }),
  ]);
  const needs = faucetNeeds({ eth: BigInt(eth as `0x${string}`), usd: BigInt(usd as `0x${string}`) });
  if (needs.eth === 0n && needs.usd === 0n) return;
  const accounts = (await request({ method: "eth_accounts" })) as Address[];
  const from = accounts[FAUCET_ACCOUNT_INDEX];
  if (!from) throw new Error("The local node offers no test account to fund the burner wallet from");
  const sent: `0x${string}`[] = [];
  if (needs.eth > 0n)
    sent.push(
      (await request({
        method: "eth_sendTransaction",
        params: [{ from, to: address, value: `0x${needs.eth.toString(16)}` }],
      })) as `0x${string}`,
    );
  if (needs.usd > 0n)
    sent.push(
      (await request({
        method: "eth_sendTransaction",
        params: [
          {
            from,
            to: stablecoin.address,
            data: encodeFunctionData({ abi: stablecoin.abi, functionName: "mint", args: [address, needs.usd] }),
          },
        ],
      })) as `0x${string}`,
    );
  for (const hash of sent) await waitForReceipt(request, hash);
}

async function waitForReceipt(request: Request, hash: `0x${string}`) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await request({ method: "eth_getTransactionReceipt", params: [hash] })) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The local node did not mine the faucet transaction ${hash}`);
}
