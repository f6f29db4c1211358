CREATE TYPE "public"."booking_status" AS ENUM('quoted', 'paid', 'confirmed', 'settled', 'rewarded', 'cancelled', 'refund_requested', 'refunded', 'expired');--> statement-breakpoint
CREATE TYPE "public"."keeper_job_kind" AS ENUM('settle', 'refund', 'distribute');--> statement-breakpoint
CREATE TYPE "public"."keeper_job_status" AS ENUM('pending', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."reward_role" AS ENUM('traveller', 'referrer_l1', 'referrer_l2', 'treasury');--> statement-breakpoint
CREATE TABLE "auth_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "booking_items" (
	"booking_id" text NOT NULL,
	"position" integer NOT NULL,
	"item_id" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"destination_id" text NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"total_cents" bigint NOT NULL,
	"commission_bps" integer NOT NULL,
	CONSTRAINT "booking_items_booking_id_position_pk" PRIMARY KEY("booking_id","position")
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"traveller" text NOT NULL,
	"status" "booking_status" DEFAULT 'quoted' NOT NULL,
	"chain_id" integer NOT NULL,
	"escrow" text NOT NULL,
	"token_address" text NOT NULL,
	"token_symbol" text NOT NULL,
	"token_decimals" integer NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"subtotal_cents" bigint NOT NULL,
	"discount_bps" integer DEFAULT 0 NOT NULL,
	"discount_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"commission_bps" integer NOT NULL,
	"supplier" text NOT NULL,
	"check_in" date NOT NULL,
	"check_out" date NOT NULL,
	"guests" integer NOT NULL,
	"quote_expires_at" timestamp with time zone NOT NULL,
	"signature" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"paid_tx_hash" text,
	"paid_block_number" bigint,
	"paid_at" timestamp with time zone,
	"receipt_cid" text,
	"cancelled_at" timestamp with time zone,
	"refund_requested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keeper_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "keeper_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "keeper_job_kind" NOT NULL,
	"booking_id" text NOT NULL,
	"status" "keeper_job_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"address" text PRIMARY KEY NOT NULL,
	"interests" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"travel_style" text,
	"budget_per_day_cents" bigint,
	"budget_per_trip_cents" bigint,
	"dietary" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"past_destinations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"chain_id" integer NOT NULL,
	"proposal_id" numeric(78, 0) NOT NULL,
	"proposer" text NOT NULL,
	"description" text NOT NULL,
	"state" text NOT NULL,
	"vote_start" bigint NOT NULL,
	"vote_end" bigint NOT NULL,
	"for_votes" numeric(78, 0) NOT NULL,
	"against_votes" numeric(78, 0) NOT NULL,
	"abstain_votes" numeric(78, 0) NOT NULL,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposals_chain_id_proposal_id_pk" PRIMARY KEY("chain_id","proposal_id")
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"chain_id" integer NOT NULL,
	"user" text NOT NULL,
	"referrer" text NOT NULL,
	"level2" text,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	CONSTRAINT "referrals_chain_id_user_pk" PRIMARY KEY("chain_id","user")
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"chain_id" integer NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"role" "reward_role" NOT NULL,
	"booking_id" text NOT NULL,
	"recipient" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"block_number" bigint NOT NULL,
	"block_time" timestamp with time zone NOT NULL,
	CONSTRAINT "rewards_chain_id_tx_hash_log_index_role_pk" PRIMARY KEY("chain_id","tx_hash","log_index","role")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"address" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "booking_items" ADD CONSTRAINT "booking_items_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_traveller_users_address_fk" FOREIGN KEY ("traveller") REFERENCES "public"."users"("address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keeper_jobs" ADD CONSTRAINT "keeper_jobs_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_address_users_address_fk" FOREIGN KEY ("address") REFERENCES "public"."users"("address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_address_users_address_fk" FOREIGN KEY ("address") REFERENCES "public"."users"("address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_traveller_idempotency_key_idx" ON "bookings" USING btree ("traveller","idempotency_key");--> statement-breakpoint
CREATE INDEX "bookings_traveller_created_idx" ON "bookings" USING btree ("traveller","created_at");--> statement-breakpoint
CREATE INDEX "bookings_status_idx" ON "bookings" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "keeper_jobs_kind_booking_idx" ON "keeper_jobs" USING btree ("kind","booking_id");--> statement-breakpoint
CREATE INDEX "keeper_jobs_pending_idx" ON "keeper_jobs" USING btree ("status","run_after");--> statement-breakpoint
CREATE INDEX "proposals_block_idx" ON "proposals" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("chain_id","referrer");--> statement-breakpoint
CREATE INDEX "referrals_level2_idx" ON "referrals" USING btree ("chain_id","level2");--> statement-breakpoint
CREATE INDEX "rewards_recipient_idx" ON "rewards" USING btree ("recipient","block_number");--> statement-breakpoint
CREATE INDEX "sessions_address_idx" ON "sessions" USING btree ("address");