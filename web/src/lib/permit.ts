import { permitDomain, permitTypes, trvlTokenAbi } from "@trvl/abi";
import { parseSignature, type Address } from "viem";
import type { Config } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";

// `nonces(owner)` is the same ERC-2612 function on every permit token; TRVL's ABI has it.
const noncesAbi = trvlTokenAbi;

/**
 * Signs an ERC-2612 permit for `spender` to take `value` of `token` from `owner`, valid for an hour, and returns
 * the pieces a `…WithPermit` function takes.
 */
export async function signPermit(
  wagmiConfig: Config,
  args: { token: Address; tokenName: string; chainId: number; owner: Address; spender: Address; value: bigint },
) {
  const nonce = await readContract(wagmiConfig, {
    address: args.token,
    abi: noncesAbi,
    functionName: "nonces",
    args: [args.owner],
  });
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const signature = await signTypedData(wagmiConfig, {
    account: args.owner,
    domain: permitDomain(args.tokenName, args.chainId, args.token),
    types: permitTypes,
    primaryType: "Permit",
    message: { owner: args.owner, spender: args.spender, value: args.value, nonce, deadline },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return { deadline, v: Number(v ?? 27n + BigInt(yParity)), r, s };
}
