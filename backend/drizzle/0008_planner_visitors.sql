ALTER TABLE "planner_conversations" ALTER COLUMN "address" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "planner_conversations" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "planner_conversations_expires_idx" ON "planner_conversations" USING btree ("expires_at");