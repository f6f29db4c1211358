ALTER TABLE "booking_items" ADD COLUMN "order_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "provider_order_id" text;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "provider_booking_reference" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "passengers" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "supplier_refusal" text;
