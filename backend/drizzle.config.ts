import { defineConfig } from "drizzle-kit";

// `npm run db:generate -w backend` writes a new SQL migration into drizzle/ after a schema change; commit it.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
