import { bookingEscrowAbi, guardianCancellerAbi, timelockControllerAbi, trvlStakingAbi, trvlTokenAbi } from "@trvl/abi";
import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  isAddress,
  keccak256,
  parseAbiParameters,
  parseUnits,
  toHex,
  zeroHash,
  type Address,
  type Hex,
} from "viem";

import { AdminError, type AdminContext } from "./safe.js";

/** One call the Safe makes. */
export interface Call {
  to: Address;
  value: string;
  data: Hex;
}

export interface PlannedAction {
  description: string;
  calls: Call[];
}

// The protocol's access-controlled contracts, by the name `@trvl/abi` publishes them under.
const PAUSABLE = ["BookingEscrow", "RewardDistributor", "TRVLStaking"] as const;
const ACCESS_CONTROLLED = [...PAUSABLE, "TRVLToken", "Timelock"] as const;
// Every one of them is an OpenZeppelin AccessControl: any of their ABIs has hasRole/getRoleAdmin/grantRole.
const accessControlAbi = bookingEscrowAbi;

export const ACTIONS = {
  pause: "pause <BookingEscrow|RewardDistributor|TRVLStaking>",
  unpause: "unpause <BookingEscrow|RewardDistributor|TRVLStaking>",
  "grant-role": "grant-role <contract> <ROLE_NAME> <account>",
  "revoke-role": "revoke-role <contract> <ROLE_NAME> <account>",
  "rotate-quote-signer": "rotate-quote-signer <old signer> <new signer>",
  "rotate-settler": "rotate-settler <old settler> <new settler>",
  "fund-staking-rewards": "fund-staking-rewards <TRVL amount> <duration: e.g. 3600, 12h, 30d>",
  "cancel-timelock": "cancel-timelock <operation id>",
} as const;
export type ActionName = keyof typeof ACTIONS;

/**
 * Turns an action and its arguments into the Safe's calls, after checking on-chain that the Safe holds what each
 * call needs: a clear error now beats a failed multisig execution after everyone signed.
 */
export async function planAction(ctx: AdminContext, name: string, args: string[]): Promise<PlannedAction> {
  if (!(name in ACTIONS)) {
    throw new AdminError(`unknown action "${name}"; known actions:\n  ${Object.values(ACTIONS).join("\n  ")}`);
  }
  const action = name as ActionName;
  const usage = `usage: propose ${ACTIONS[action]}`;
  const arg = (i: number) => {
    const value = args[i];
    if (value === undefined) throw new AdminError(usage);
    return value;
  };

  switch (action) {
    case "pause":
    case "unpause": {
      const contract = contractNamed(ctx, arg(0), PAUSABLE);
      await requireRole(ctx, contract, "PAUSER_ROLE");
      return {
        description: `${action === "pause" ? "Pause" : "Unpause"} ${contract.name} (${contract.address})`,
        calls: [call(contract.address, encodeFunctionData({ abi: bookingEscrowAbi, functionName: action }))],
      };
    }
    case "grant-role":
    case "revoke-role": {
      const contract = contractNamed(ctx, arg(0), ACCESS_CONTROLLED);
      const role = roleId(arg(1));
      const account = addressArg(arg(2), "account");
      await requireRoleAdmin(ctx, contract, arg(1), role);
      const functionName = action === "grant-role" ? "grantRole" : "revokeRole";
      return {
        description: `${action === "grant-role" ? "Grant" : "Revoke"} ${arg(1)} on ${contract.name} ${action === "grant-role" ? "to" : "from"} ${account}`,
        calls: [
          call(contract.address, encodeFunctionData({ abi: accessControlAbi, functionName, args: [role, account] })),
        ],
      };
    }
    case "rotate-quote-signer":
    case "rotate-settler": {
      const roleName = action === "rotate-settler" ? "SETTLER_ROLE" : "QUOTE_SIGNER_ROLE";
      const escrow = contractNamed(ctx, "BookingEscrow", ACCESS_CONTROLLED);
      const [previous, next] = [addressArg(arg(0), "old key"), addressArg(arg(1), "new key")];
      const role = roleId(roleName);
      await requireRoleAdmin(ctx, escrow, roleName, role);
      if (!(await hasRole(ctx, escrow.address, role, previous))) {
        throw new AdminError(`${previous} does not hold ${roleName} on BookingEscrow: nothing to rotate`);
      }
      return {
        description: `Rotate the ${action === "rotate-settler" ? "settler (keeper)" : "quote signer"}: ${previous} → ${next}`,
        calls: [
          call(
            escrow.address,
            encodeFunctionData({ abi: bookingEscrowAbi, functionName: "grantRole", args: [role, next] }),
          ),
          call(
            escrow.address,
            encodeFunctionData({ abi: bookingEscrowAbi, functionName: "revokeRole", args: [role, previous] }),
          ),
        ],
      };
    }
    case "fund-staking-rewards": {
      const staking = contractNamed(ctx, "TRVLStaking", PAUSABLE);
      const token = contractNamed(ctx, "TRVLToken", ACCESS_CONTROLLED);
      const amount = parseAmount(arg(0));
      const duration = parseDuration(arg(1));
      await requireRole(ctx, staking, "REWARDS_FUNDER_ROLE");
      const balance = await ctx.client.readContract({
        address: token.address,
        abi: trvlTokenAbi,
        functionName: "balanceOf",
        args: [ctx.safeAddress],
      });
      if (balance < amount) {
        throw new AdminError(`the Safe holds ${balance} TRVL wei, less than the ${amount} to fund`);
      }
      return {
        description: `Fund staking rewards: ${arg(0)} TRVL streamed over ${duration} seconds`,
        calls: [
          call(
            token.address,
            encodeFunctionData({ abi: trvlTokenAbi, functionName: "approve", args: [staking.address, amount] }),
          ),
          call(
            staking.address,
            encodeFunctionData({ abi: trvlStakingAbi, functionName: "notifyRewardAmount", args: [amount, duration] }),
          ),
        ],
      };
    }
    case "cancel-timelock": {
      const operation = arg(0);
      if (!/^0x[0-9a-fA-F]{64}$/.test(operation))
        throw new AdminError(`"${operation}" is not an operation id (32 bytes hex)`);
      return planVeto(ctx, operation as Hex);
    }
  }
}

/**
 * The guardian's veto: the Safe cancels through the GuardianCanceller (which holds the timelock's cancel role), passing
 * the operation's calls as the timelock scheduled them, read from its `CallScheduled` and `CallSalt` events. Refused
 * here, before anyone signs, when one of the calls changes the guardian's own roles: the canceller would revert.
 */
async function planVeto(ctx: AdminContext, operation: Hex): Promise<PlannedAction> {
  const timelock = contractNamed(ctx, "Timelock", ACCESS_CONTROLLED);
  const canceller = contractNamed(ctx, "GuardianCanceller", ["GuardianCanceller"]);
  const guardian = await ctx.client.readContract({
    address: canceller.address,
    abi: guardianCancellerAbi,
    functionName: "guardian",
  });
  if (getAddress(guardian) !== getAddress(ctx.safeAddress)) {
    throw new AdminError(`the GuardianCanceller vetoes for ${guardian}, not for this Safe (${ctx.safeAddress})`);
  }
  const pending = await ctx.client.readContract({
    address: timelock.address,
    abi: timelockControllerAbi,
    functionName: "isOperationPending",
    args: [operation],
  });
  if (!pending) throw new AdminError(`timelock operation ${operation} is not pending: nothing to cancel`);

  const fromBlock = BigInt(
    (ctx.deployment.contracts as Record<string, { blockNumber: number }>).Timelock?.blockNumber ?? 0,
  );
  const [scheduled, salts] = await Promise.all([
    ctx.client.getContractEvents({
      address: timelock.address,
      abi: timelockControllerAbi,
      eventName: "CallScheduled",
      args: { id: operation },
      fromBlock,
    }),
    ctx.client.getContractEvents({
      address: timelock.address,
      abi: timelockControllerAbi,
      eventName: "CallSalt",
      args: { id: operation },
      fromBlock,
    }),
  ]);
  const calls = scheduled
    .map((log) => log.args)
    .sort((a, b) => Number(a.index! - b.index!))
    .filter((call, i, all) => i === 0 || call.index !== all[i - 1]!.index);
  if (calls.length === 0) throw new AdminError(`no scheduled calls of timelock operation ${operation} were found`);
  const predecessor = calls[0]!.predecessor!;
  const salt = salts.at(-1)?.args.salt ?? zeroHash;
  for (const [i, c] of calls.entries()) {
    const protectedCall = await ctx.client.readContract({
      address: canceller.address,
      abi: guardianCancellerAbi,
      functionName: "touchesGuardianRoles",
      args: [c.data!],
    });
    if (protectedCall) {
      throw new AdminError(
        `call ${i} of timelock operation ${operation} changes the guardian's own roles: the guardian cannot veto it`,
      );
    }
  }
  const [targets, values, payloads] = [
    calls.map((c) => c.target!),
    calls.map((c) => c.value!),
    calls.map((c) => c.data!),
  ];
  // `schedule` and a one-call `scheduleBatch` hash differently: the id says which one queued it.
  const single =
    calls.length === 1 &&
    keccak256(
      encodeAbiParameters(parseAbiParameters("address, uint256, bytes, bytes32, bytes32"), [
        targets[0]!,
        values[0]!,
        payloads[0]!,
        predecessor,
        salt,
      ]),
    ) === operation;
  return {
    description: `Veto timelock operation ${operation} (through the GuardianCanceller)`,
    calls: [
      call(
        canceller.address,
        single
          ? encodeFunctionData({
              abi: guardianCancellerAbi,
              functionName: "cancel",
              args: [targets[0]!, values[0]!, payloads[0]!, predecessor, salt],
            })
          : encodeFunctionData({
              abi: guardianCancellerAbi,
              functionName: "cancelBatch",
              args: [targets, values, payloads, predecessor, salt],
            }),
      ),
    ],
  };
}

interface NamedContract {
  name: string;
  address: Address;
}

function contractNamed(ctx: AdminContext, name: string, allowed: readonly string[]): NamedContract {
  const contracts = ctx.deployment.contracts as Record<string, { address: string } | undefined>;
  const entry = contracts[name];
  if (!allowed.includes(name) || !entry) {
    throw new AdminError(`unknown contract "${name}"; expected one of ${allowed.join(", ")}`);
  }
  return { name, address: getAddress(entry.address) };
}

function call(to: Address, data: Hex): Call {
  return { to, value: "0", data };
}

/** `DEFAULT_ADMIN_ROLE` is zero; every other role is the hash of its name. */
export function roleId(name: string): Hex {
  if (!/^[A-Z][A-Z0-9_]*_ROLE$/.test(name)) throw new AdminError(`"${name}" is not a role name (e.g. SETTLER_ROLE)`);
  return name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(toHex(name));
}

function addressArg(value: string, what: string): Address {
  if (!isAddress(value)) throw new AdminError(`${what} "${value}" is not an address`);
  return getAddress(value);
}

async function hasRole(ctx: AdminContext, contract: Address, role: Hex, account: Address) {
  return ctx.client.readContract({
    address: contract,
    abi: accessControlAbi,
    functionName: "hasRole",
    args: [role, account],
  });
}

async function requireRole(ctx: AdminContext, contract: NamedContract, roleName: string) {
  if (!(await hasRole(ctx, contract.address, roleId(roleName), ctx.safeAddress))) {
    throw new AdminError(
      `the Safe ${ctx.safeAddress} does not hold ${roleName} on ${contract.name}; that change goes through governance`,
    );
  }
}

async function requireRoleAdmin(ctx: AdminContext, contract: NamedContract, roleName: string, role: Hex) {
  const adminRole = await ctx.client.readContract({
    address: contract.address,
    abi: accessControlAbi,
    functionName: "getRoleAdmin",
    args: [role],
  });
  if (!(await hasRole(ctx, contract.address, adminRole, ctx.safeAddress))) {
    throw new AdminError(
      `the Safe cannot grant or revoke ${roleName} on ${contract.name}: that takes the role ${adminRole}, which it ` +
        `does not hold; propose the change to governance instead`,
    );
  }
}

function parseAmount(value: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(value)) throw new AdminError(`"${value}" is not a TRVL amount (e.g. 10000 or 0.5)`);
  const amount = parseUnits(value, 18);
  if (amount === 0n) throw new AdminError("the amount must be positive");
  return amount;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export function parseDuration(value: string): bigint {
  const match = /^(\d+)([smhd]?)$/.exec(value);
  if (!match) throw new AdminError(`"${value}" is not a duration (seconds, or with s/m/h/d: 3600, 12h, 30d)`);
  return BigInt(match[1]) * BigInt(UNIT_SECONDS[(match[2] || "s") as keyof typeof UNIT_SECONDS]);
}
