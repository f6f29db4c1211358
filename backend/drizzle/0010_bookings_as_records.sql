ALTER TABLE "booking_items" ADD COLUMN "date" date;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "starts_at" timestamp;--> statement-breakpoint
ALTER TABLE "booking_items" ADD COLUMN "ends_at" timestamp;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "destination_id" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "destination_name" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "destination_country" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "destination_timezone" text;--> statement-breakpoint
-- Bookings made before these columns: a hotel's day is the check-in day; other items' days were not kept.
UPDATE "booking_items" SET "date" = "bookings"."check_in" FROM "bookings" WHERE "booking_items"."booking_id" = "bookings"."id" AND "booking_items"."type" = 'hotel';
