/**
 * One handler per event of every watched contract, doing what the backend's listener does with it: store the event,
 * and project bookings and rewards.
 */
import { PROTOCOL_CONTRACTS, WATCHED_CONTRACTS } from "@trvl/abi";
import { ponder } from "ponder:registry";
import { booking, chainEvent, reward } from "ponder:schema";
import type { Hex } from "viem";

const STATUS_OF: Record<string, string> = {
  BookingSettled: "settled",
  BookingRefunded: "refunded",
  BookingPartiallyRefunded: "partially_refunded",
};

type Args = Record<string, unknown>;

function json(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(json);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v)]));
  return value;
}

for (const contract of WATCHED_CONTRACTS) {
  for (const item of PROTOCOL_CONTRACTS[contract].abi) {
    if (item.type !== "event") continue;
    const name = item.name;
    // The registry's event names are typed per contract; registering them in a loop needs the looser signature.
    (ponder.on as (key: string, handler: (input: { event: any; context: any }) => Promise<void>) => void)(
      `${contract}:${name}`,
      async ({ event, context }) => {
        const args = event.args as Args;
        const bookingId = typeof args.bookingId === "string" ? (args.bookingId as Hex) : null;
        await context.db.insert(chainEvent).values({
          id: `${event.transaction.hash}-${event.log.logIndex}`,
          contract,
          name,
          blockNumber: event.block.number,
          blockTime: event.block.timestamp,
          args: json(args),
          bookingId,
        });
        if (!bookingId) return;
        if (name === "BookingPaid") {
          await context.db.insert(booking).values({
            id: bookingId,
            traveller: args.traveller as Hex,
            token: args.token as Hex,
            amount: args.amount as bigint,
            status: "paid",
            paidBlock: event.block.number,
            updatedBlock: event.block.number,
          });
        } else if (STATUS_OF[name]) {
          await context.db
            .update(booking, { id: bookingId })
            .set({ status: STATUS_OF[name], updatedBlock: event.block.number });
        } else if (name === "RewardDistributed") {
          await context.db
            .update(booking, { id: bookingId })
            .set({ status: "rewarded", updatedBlock: event.block.number });
          await context.db.insert(reward).values({
            id: bookingId,
            traveller: args.traveller as Hex,
            travellerAmount: args.travellerAmount as bigint,
            referrerAmount: (args.level1Amount as bigint) + (args.level2Amount as bigint),
            treasuryAmount: args.treasuryAmount as bigint,
            blockNumber: event.block.number,
          });
        }
      },
    );
  }
}
