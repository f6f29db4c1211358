ALTER TABLE "bookings" ADD COLUMN "quote_deadline" bigint;--> statement-breakpoint
UPDATE "bookings" SET "quote_deadline" = floor(extract(epoch from "quote_expires_at"))::bigint;--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "quote_deadline" SET NOT NULL;
