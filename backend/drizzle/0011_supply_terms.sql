ALTER TABLE "booking_items" ADD COLUMN "provider_offer_id" text;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "free_cancel_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "cancel_fee_bps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "settle_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "provider_reference" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "settle_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "refund_amount" numeric(78, 0);