/**
 * The parts of Safe 1.4.1 (the guardian multisig) and its MultiSend library the protocol's tools call, as the
 * `@safe-global/safe-contracts` 1.4.1 artifacts declare them; `backend/test/safe-abi.test.ts` holds each fragment to
 * the package's. The Safe's own transactions are built and signed by `@safe-global/protocol-kit`.
 */
export const safeAbi = [
  {
    inputs: [],
    name: "getOwners",
    outputs: [{ internalType: "address[]", name: "", type: "address[]" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "getThreshold",
    outputs: [{ internalType: "uint256", name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "nonce",
    outputs: [{ internalType: "uint256", name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
] as const;

/** MultiSend and MultiSendCallOnly: a batch of calls packed into one `multiSend(bytes)`. */
export const multiSendAbi = [
  {
    inputs: [{ internalType: "bytes", name: "transactions", type: "bytes" }],
    name: "multiSend",
    outputs: [],
    stateMutability: "payable",
    type: "function",
  },
] as const;
