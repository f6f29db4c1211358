/** The offline planner: the deterministic reader and builder, no key and no network. */
import type { Catalog } from "../catalog/service.js";
import type { VoiceLanguage } from "../voice/languages.js";
import type { PlacesSource } from "../places/types.js";
import { buildPlan, withProfile } from "./build.js";
import { foldConversation, type ReadTurn, type Settled } from "./conversation.js";
import { localise, localiseEvent } from "./localise.js";
import { parseRequest } from "./parse.js";
import { recogniseLanguage, toEnglish } from "./translate.js";
import type { Answer, PlanEvent, PlanInput, Planner, Turn } from "./types.js";

export class OfflinePlanner implements Planner {
  readonly name = "offline" as const;

  constructor(
    private readonly catalog: Catalog,
    /** Places to visit between the bookings (OpenStreetMap), when configured. */
    private readonly places?: PlacesSource,
  ) {}

  async plan(input: PlanInput, emit?: (event: PlanEvent) => void): Promise<Answer> {
    // Each turn read in the language it is written in; when its words do not show one ("Madrid, 3 días", "mejor 3
    // noches"), in the voice turn's, else the conversation's so far. The answer is in the latest turn's.
    let spoken: VoiceLanguage | undefined;
    const languageOf = (text: string, chosen?: VoiceLanguage) =>
      (spoken = recogniseLanguage(text) ?? chosen ?? spoken ?? "en");
    const read = (text: string, language: VoiceLanguage) => {
      const english = toEnglish(text, language);
      return { text: english, request: parseRequest(this.catalog, english, input.today) };
    };
    // The whole conversation, oldest first: each follow-up changes only what it says.
    const turns: ReadTurn[] = input.history.map((turn) => ({
      ...read(turn.request, languageOf(turn.request)),
      settled: this.settled(turn),
    }));
    const language = languageOf(input.text, input.language);
    // What is streamed while planning is said in the answer's language too.
    const say = emit && ((event: PlanEvent) => emit(localiseEvent(event, language)));
    say?.({ type: "status", message: "Reading your request" });
    turns.push(read(input.text, language));
    const interestsOf = (fragment: string) => parseRequest(this.catalog, fragment, input.today).interests;
    const request = withProfile(foldConversation(turns, interestsOf), input.traveller);
    const answer = await buildPlan(this.catalog, request, {
      today: input.today,
      affinity: input.affinity,
      emit: say,
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
