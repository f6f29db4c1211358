import { onchainTable } from "ponder";

/** Every event of the watched contracts, as the backend's `chain_events` keeps them. */
export const chainEvent = onchainTable("chain_event", (t) => ({
  id: t.text().primaryKey(),
  contract: t.text().notNull(),
  name: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  blockTime: t.bigint().notNull(),
  args: t.json().notNull(),
  bookingId: t.hex(),
}));

/** A booking's on-chain life, as the backend's projection keeps it. */
export const booking = onchainTable("booking", (t) => ({
  id: t.hex().primaryKey(),
  traveller: t.hex().notNull(),
  token: t.hex().notNull(),
  amount: t.bigint().notNull(),
  status: t.text().notNull(),
  paidBlock: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** Each booking's reward split. */
export const reward = onchainTable("reward", (t) => ({
  id: t.hex().primaryKey(),
  traveller: t.hex().notNull(),
  travellerAmount: t.bigint().notNull(),
  referrerAmount: t.bigint().notNull(),
  treasuryAmount: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
}));
