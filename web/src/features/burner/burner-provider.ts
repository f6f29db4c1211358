/**
 * The burner wallet's EIP-1193 provider: signs with the burner's key in this browser, forwards everything else to the
 * local node. Loaded by the connector (./burner-connector.ts) only once someone connects the burner: deriving an
 * account is elliptic-curve work that no page load should pay for.
 */
import {
  createWalletClient,
  http,
  numberToHex,
  SwitchChainError,
  type Chain,
  type EIP1193RequestFn,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { estimateGas } from "viem/actions";
import { withGasHeadroom } from "@trvl/abi";

interface RpcTransaction {
  to?: Hex;
  data?: Hex;
  value?: Hex;
  gas?: Hex;
  nonce?: Hex;
}

const big = (value?: Hex) => (value === undefined ? undefined : BigInt(value));

/** An EIP-1193 provider for the burner's key on `chain`: signs locally, forwards every other request to the node. */
export function burnerProvider(chain: Chain, key: Hex) {
  const account = privateKeyToAccount(key);
  const url = chain.rpcUrls.default.http[0];
  const node = http(url)({ chain }).request as EIP1193RequestFn;
  const wallet = createWalletClient({ account, chain, transport: http(url) });
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case "eth_accounts":
      case "eth_requestAccounts":
        return [account.address];
      case "eth_chainId":
        return numberToHex(chain.id);
      case "personal_sign":
        return account.signMessage({ message: { raw: args[0] as Hex } });
      case "eth_signTypedData_v4":
        return account.signTypedData(JSON.parse(args[1] as string));
      case "eth_sendTransaction": {
        const tx = args[0] as RpcTransaction;
        const call = { account, to: tx.to, data: tx.data, value: big(tx.value) };
        const gas = big(tx.gas) ?? withGasHeadroom(await estimateGas(wallet, call));
        return wallet.sendTransaction({
          ...call,
          gas,
          nonce: tx.nonce === undefined ? undefined : Number(tx.nonce),
        });
      }
      case "wallet_switchEthereumChain":
        if (Number((args[0] as { chainId: Hex }).chainId) === chain.id) return null;
        throw new SwitchChainError(new Error(`The burner wallet lives on the local chain (${chain.id}) only`));
      default:
        return node({ method, params } as never);
    }
  };
  return { address: account.address, request: request as EIP1193RequestFn, node };
}
export type BurnerProvider = ReturnType<typeof burnerProvider>;
