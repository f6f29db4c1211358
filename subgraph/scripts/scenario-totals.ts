/**
 * Runs the scripted scenario on a fresh in-process chain, indexes it with the built subgraph (run `npm run build`
 * first) and prints the totals its mappings computed as JSON: bookings by status, rewards per address and role,
 * referral counts, stakes. `npm run scenario -w subgraph`.
 */
import { indexScenario } from "../test/scenario/index-scenario.js";

const { connection, totals } = await indexScenario();
await connection.close();
console.log(JSON.stringify(totals, null, 2));
