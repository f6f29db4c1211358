// protocol-kit's type declarations describe its CommonJS build; a namespace import reads its default export (the
// Safe class) the same way under TypeScript and at run time.
import * as protocolKitModule from "@safe-global/protocol-kit";
import type { ContractNetworksConfig } from "@safe-global/protocol-kit";
import { getDeployment, type ChainDeployment } from "@trvl/abi";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { LOCAL_CHAIN_ID } from "@trvl/tooling/local-accounts";

type SafeClass = typeof protocolKitModule.default.default;
type Safe = InstanceType<SafeClass>;
// Under TypeScript the namespace's default is the CommonJS module; at run time (ES module build) it is the class.
const Safe = ("init" in protocolKitModule.default
  ? protocolKitModule.default
  : protocolKitModule.default.default) as unknown as SafeClass;

export interface AdminContext {
  chainId: number;
  deployment: ChainDeployment;
  safeAddress: Address;
  /** The owner (or executor) this run signs and sends with. */
  account: Address;
  protocolKit: Safe;
  client: PublicClient;
}

export class AdminError extends Error {}

/**
 * Connects to the guardian Safe with the key of one of its owners. On the local chain the Safe contracts are the
 * ones our deployment put there; elsewhere protocol-kit uses the canonical Safe deployments.
 */
export async function connect(options: {
  rpcUrl: string;
  privateKey: Hex;
  safeAddress?: Address;
}): Promise<AdminContext> {
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const chainId = await client.getChainId().catch((error: Error) => {
    throw new AdminError(`cannot reach the chain at ${options.rpcUrl}: ${error.message}`);
  });
  const deployment = getDeployment(chainId);
  const contracts = deployment.contracts as Record<string, { address: string } | undefined>;
  const safeAddress = options.safeAddress ?? (contracts.Guardian?.address as Address | undefined);
  if (!safeAddress) throw new AdminError(`no guardian Safe is known on chain ${chainId}: set SAFE_ADDRESS`);

  const protocolKit = await Safe.init({
    provider: options.rpcUrl,
    signer: options.privateKey,
    safeAddress,
    contractNetworks: chainId === LOCAL_CHAIN_ID ? localSafeContracts(contracts) : undefined,
  });
  return {
    chainId,
    deployment,
    safeAddress,
    account: privateKeyToAccount(options.privateKey).address,
    protocolKit,
    client,
  };
}

function localSafeContracts(contracts: Record<string, { address: string } | undefined>): ContractNetworksConfig {
  const address = (name: string) => {
    const entry = contracts[name];
    if (!entry) throw new AdminError(`the local deployment has no ${name}: run \`npm run generate\``);
    return entry.address;
  };
  return {
    [LOCAL_CHAIN_ID]: {
      safeSingletonAddress: address("SafeSingleton"),
      safeProxyFactoryAddress: address("SafeProxyFactory"),
      multiSendAddress: address("MultiSend"),
      multiSendCallOnlyAddress: address("MultiSendCallOnly"),
      fallbackHandlerAddress: address("CompatibilityFallbackHandler"),
      signMessageLibAddress: address("SignMessageLib"),
      createCallAddress: address("CreateCall"),
      simulateTxAccessorAddress: address("SimulateTxAccessor"),
    },
  };
}
