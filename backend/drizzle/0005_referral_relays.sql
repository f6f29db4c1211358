CREATE TABLE "referral_relays" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral_relays_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"chain_id" integer NOT NULL,
	"user" text NOT NULL,
	"referrer" text NOT NULL,
	"tx_hash" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "referral_relays_user_idx" ON "referral_relays" USING btree ("chain_id","user","created_at");--> statement-breakpoint
CREATE INDEX "referral_relays_created_idx" ON "referral_relays" USING btree ("chain_id","created_at");