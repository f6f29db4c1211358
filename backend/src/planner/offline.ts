/** The offline planner: the deterministic reader and builder, no key and no network. */
import type { Catalog } from "../catalog/service.js";
import { buildPlan, withProfile } from "./build.js";
import { mergeFollowUp, parseRequest } from "./parse.js";
import type { Answer, PlanEvent, PlanInput, Planner } from "./types.js";

export class OfflinePlanner implements Planner {
  readonly name = "offline" as const;

  constructor(private readonly catalog: Catalog) {}

  async plan(input: PlanInput, emit?: (event: PlanEvent) => void): Promise<Answer> {
    emit?.({ type: "status", message: "Reading your request" });
    const current = parseRequest(this.catalog, input.text, input.today);
    // Later turns first: a follow-up takes what it leaves out from the most recent turn that said it.
    const earlier = [...input.history].reverse().map((turn) => parseRequest(this.catalog, turn.request, input.today));
    const request = withProfile(mergeFollowUp(current, earlier), input.traveller);
    return buildPlan(this.catalog, request, { today: input.today, affinity: input.affinity, emit });
  }
}
