ALTER TYPE "public"."keeper_job_kind" ADD VALUE 'confirm' BEFORE 'settle';--> statement-breakpoint
CREATE TABLE "chain_blocks" (
	"chain_id" integer NOT NULL,
	"number" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "chain_blocks_chain_id_number_pk" PRIMARY KEY("chain_id","number")
);
--> statement-breakpoint
CREATE TABLE "chain_cursors" (
	"chain_id" integer PRIMARY KEY NOT NULL,
	"genesis_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_events" (
	"chain_id" integer NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	"address" text NOT NULL,
	"contract" text NOT NULL,
	"name" text NOT NULL,
	"args" jsonb NOT NULL,
	"booking_id" text,
	CONSTRAINT "chain_events_chain_id_tx_hash_log_index_pk" PRIMARY KEY("chain_id","tx_hash","log_index")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"chain_id" integer NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"proposal_id" numeric(78, 0) NOT NULL,
	"voter" text NOT NULL,
	"support" smallint NOT NULL,
	"weight" numeric(78, 0) NOT NULL,
	"reason" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	CONSTRAINT "votes_chain_id_tx_hash_log_index_pk" PRIMARY KEY("chain_id","tx_hash","log_index")
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "settled_tx_hash" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "settled_block_number" bigint;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "refunded_tx_hash" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "refunded_block_number" bigint;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "rewarded_tx_hash" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "rewarded_block_number" bigint;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "rewarded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "reward_skip_reason" text;--> statement-breakpoint
ALTER TABLE "keeper_jobs" ADD COLUMN "tx_hash" text;--> statement-breakpoint
ALTER TABLE "keeper_jobs" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "chain_events_block_idx" ON "chain_events" USING btree ("chain_id","block_number");--> statement-breakpoint
CREATE INDEX "chain_events_booking_idx" ON "chain_events" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "votes_proposal_idx" ON "votes" USING btree ("chain_id","proposal_id");--> statement-breakpoint
CREATE INDEX "votes_voter_idx" ON "votes" USING btree ("chain_id","voter");