import { permitTypedData, type Permit, type TrvlContract } from "@trvl/abi";
import { parseSignature, type Address } from "viem";
import type { Config } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";

/** An ERC-2612 permit as the API sends it with a booking's payment instructions (integers as decimal strings). */
export interface PermitJson {
  domain: { name: string; chainId: number; verifyingContract: string };
  message: { owner: string; spender: string; value: string; nonce: string; deadline: string };
}

/** The permit's signature in the pieces a `…WithPermit` function takes, with its deadline. */
export type SignedPermit = { deadline: bigint; v: number; r: `0x${string}`; s: `0x${string}` };

async function sign(
  wagmiConfig: Config,
  token: { name: string; chainId: number; address: Address },
  permit: Permit,
): Promise<SignedPermit> {
  const signature = await signTypedData(wagmiConfig, { account: permit.owner, ...permitTypedData(token, permit) });
  const { r, s, v, yParity } = parseSignature(signature);
  return { deadline: permit.deadline, v: Number(v ?? 27n + BigInt(yParity)), r, s };
}

/** Signs the permit the API built for paying a booking, exactly as sent (its nonce, its deadline: the quote's). */
export function signApiPermit(wagmiConfig: Config, permit: PermitJson): Promise<SignedPermit> {
  const { domain, message } = permit;
  return sign(
    wagmiConfig,
    { name: domain.name, chainId: domain.chainId, address: domain.verifyingContract as Address },
    {
      owner: message.owner as Address,
      spender: message.spender as Address,
      value: BigInt(message.value),
      nonce: BigInt(message.nonce),
      deadline: BigInt(message.deadline),
    },
  );
}

/**
 * Signs an ERC-2612 permit for `spender` to take `value` TRVL from `owner`, valid for an hour (staking with a permit,
 * where no API builds one).
 */
export async function signTrvlPermit(
  wagmiConfig: Config,
  args: { token: TrvlContract<"TRVLToken">; chainId: number; owner: Address; spender: Address; value: bigint },
): Promise<SignedPermit> {
  const [name, nonce] = await Promise.all([
    readContract(wagmiConfig, { ...args.token, functionName: "name" }),
    readContract(wagmiConfig, { ...args.token, functionName: "nonces", args: [args.owner] }),
  ]);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  return sign(
    wagmiConfig,
    { name, chainId: args.chainId, address: args.token.address },
    { owner: args.owner, spender: args.spender, value: args.value, nonce, deadline },
  );
}
