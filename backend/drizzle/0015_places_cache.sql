CREATE TABLE "places_cache" (
	"destination_id" text PRIMARY KEY NOT NULL,
	"places" jsonb,
	"fetched_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"claimed_until" timestamp with time zone
);
