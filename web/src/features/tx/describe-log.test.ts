import { bookingEscrowAbi, getDeployment } from "@trvl/abi";
import { encodeAbiParameters, encodeEventTopics, zeroAddress, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { formatDateTime } from "@/lib/format";

import { describeLog, namedAddresses } from "./describe-log";

const contracts = getDeployment(31337).contracts;
const traveller = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const bookingId = `0x${"ab".repeat(32)}` as Hex;

function bookingPaid(token: Hex, amount: bigint, commission: bigint) {
  return {
    address: contracts.BookingEscrow.address,
    topics: encodeEventTopics({
      abi: bookingEscrowAbi,
      eventName: "BookingPaid",
      args: { bookingId, traveller, token },
    }),
    data: encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint256" }, { type: "address" }, { type: "uint40" }],
      [amount, commission, traveller, 1_900_000_000],
    ),
  } as { address: Hex; topics: [Hex, ...Hex[]]; data: Hex };
}

describe("a transaction's events on the transaction page", () => {
  const named = namedAddresses(31337);

  it("names the contracts and shows amounts in the payment token's units", () => {
    const event = describeLog(bookingPaid(contracts.Stablecoin.address, 1_970_500_000n, 197_050_000n), named)!;
    expect(event.name).toBe("BookingPaid");
    expect(event.emitter.name).toBe("BookingEscrow");
    const args = Object.fromEntries(event.args.map((a) => [a.key, a.value]));
    expect(args.token).toBe(`Stablecoin (${contracts.Stablecoin.address})`);
    expect(args.amount).toBe("1,970.5 tUSD");
    expect(args.commission).toBe("197.05 tUSD");
    expect(args.refundableAt).toBe(formatDateTime(1_900_000_000));
  });

  it("reads ETH payments in ETH", () => {
    const event = describeLog(bookingPaid(zeroAddress, 618_000_000_000_000_000n, 61_800_000_000_000_000n), named)!;
    const args = Object.fromEntries(event.args.map((a) => [a.key, a.value]));
    expect(args.amount).toBe("0.618 ETH");
  });

  it("leaves a log no TRVL contract emits undecoded", () => {
    expect(describeLog({ address: zeroAddress, topics: [`0x${"00".repeat(32)}`], data: "0x" }, named)).toBeUndefined();
  });
});
