/** Never less than this much gas over an estimate (see `withGasHeadroom`). */
const MIN_GAS_HEADROOM = 150_000n;

/**
 * The gas limit a wallet sends a call to these contracts with, from the node's exact estimate: half again, as MetaMask
 * adds, and never less than 150,000 more. Blocks on the local chain may share a second, so an estimate taken in the
 * pending block can update vote checkpoints in place where the mined block, a second later, pushes new ones: about 20k
 * gas more each, and a staking call writes several, which can exceed half of a small call's estimate. Unused gas is
 * not charged.
 */
export function withGasHeadroom(estimate: bigint): bigint {
  const half = estimate / 2n;
  return estimate + (half > MIN_GAS_HEADROOM ? half : MIN_GAS_HEADROOM);
}
