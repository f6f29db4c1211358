/** The offline planner: the deterministic reader and builder, no key and no network. */
import type { Catalog } from "../catalog/service.js";
import type { PlacesSource } from "../places/types.js";
import { buildPlan, withProfile } from "./build.js";
import { foldConversation, type Settled } from "./conversation.js";
import { localise } from "./localise.js";
import { parseRequest } from "./parse.js";
import { detectLanguage, toEnglish } from "./translate.js";
import type { Answer, PlanEvent, PlanInput, Planner, Turn } from "./types.js";

export class OfflinePlanner implements Planner {
  readonly name = "offline" as const;

  constructor(
    private readonly catalog: Catalog,
    /** Places to visit between the bookings (OpenStreetMap), when configured. */
    private readonly places?: PlacesSource,
  ) {}

  async plan(input: PlanInput, emit?: (event: PlanEvent) => void): Promise<Answer> {
    emit?.({ type: "status", message: "Reading your request" });
    // Each turn read in the language it is written in; the answer in the latest one's (the voice turn's when the
    // words do not show it: "Madrid, 3 días").
    const detected = detectLanguage(input.text);
    const language = detected === "en" ? (input.language ?? "en") : detected;
    const read = (text: string, said = detectLanguage(text)) => {
      const english = toEnglish(text, said);
      return { text: english, request: parseRequest(this.catalog, english, input.today) };
    };
    // The whole conversation, oldest first: each follow-up changes only what it says.
    const turns = [
      ...input.history.map((turn) => ({ ...read(turn.request), settled: this.settled(turn) })),
      read(input.text, language),
    ];
    const interestsOf = (fragment: string) => read(fragment).request.interests;
    const request = withProfile(foldConversation(turns, interestsOf), input.traveller);
    const answer = await buildPlan(this.catalog, request, {
      today: input.today,
      affinity: input.affinity,
      emit,
      places: this.places,
    });
    return localise(answer, language);
  }

  /** What an earlier turn's plan settled, when it was a plan of a destination the catalog still has. */
  private settled(turn: Turn): Settled | undefined {
    if (turn.result.status !== "plan") return undefined;
    const { destination, checkIn, checkOut, nights, guests, interests, pace } = turn.result.plan;
    const known = this.catalog.destinationsById.get(destination.id);
    if (!known) return undefined;
    return { destination: known, checkIn, checkOut, nights, guests, interests, ...(pace ? { pace } : {}) };
  }
}
