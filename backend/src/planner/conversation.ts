/**
 * A conversation as one request: each turn changes only what it says (length, dates, party, budget, destination,
 * style, pace, interests) and keeps everything else from the turns before it. "Make it 2 nights" then "actually we are 3
 * people" is 2 nights for 3 people. What went wrong in an earlier turn (an unknown place, impossible dates) is not
 * carried on: only the latest turn's problems are answered.
 */
import { addDays } from "../catalog/dates.js";
import type { Destination } from "../catalog/geodata.js";
import type { TripRequest } from "./parse.js";
import type { Pace } from "./types.js";

/** What a plan given in answer to a turn settled, dates and party it assumed included (the trip panel showed them). */
export interface Settled {
  destination: Destination;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  interests: string[];
  pace?: Pace;
}

export interface ReadTurn {
  text: string;
  request: TripRequest;
  /** The plan this turn was answered with, if it was: later turns start from it (so older turns may be dropped). */
  settled?: Settled;
}

/** What a turn says about interests, read by the same reader as whole requests ("no museums" → ["culture"]). */
export type InterestsOf = (fragment: string) => string[];

/** The latest turn's own problems and questions, never inherited. */
const THIS_TURN_ONLY = [
  "unknownPlace",
  "placeSuggestions",
  "placeCorrection",
  "placeChoices",
  "impossiblePlace",
  "otherDestinations",
  "dateProblem",
  "guestProblem",
  "budgetProblem",
  "lengthConflict",
] as const;

/** Words that take something away: "no museums", "without the hiking", "drop nightlife", "instead of beaches". */
const REMOVING =
  /\b(?:no(?: more)?|not|without|drop|remove|skip|forget(?: about)?|less|fewer|instead of|rather than|not into|not interested in|don'?t (?:want|like|care for)|hate)\s+(?:the\s+|any\s+)?([a-z' -]+?)(?=[,.;!?]|\s+(?:and|but|please|instead|anymore|any more|then)\b|$)/gi;
/** "Only beaches", "just food": the turn's interests replace the earlier ones. */
const ONLY = /\b(?:only|just)\s+(?!\d)[a-z]/i;
/** "No budget", "forget the budget": the earlier budget no longer applies. */
const NO_BUDGET = /\b(?:no|without a|forget the|drop the|remove the|ignore the|any) budget\b|\bmoney is no object\b/i;

/** The request a conversation amounts to, oldest turn first; the last turn is the one being answered. */
export function foldConversation(turns: ReadTurn[], interestsOf: InterestsOf): TripRequest {
  let state: TripRequest | undefined;
  for (const turn of turns) {
    state = followUp(state, turn, interestsOf);
    if (turn.settled) state = { ...state, ...turn.settled, startsFriday: undefined, dateAssumption: undefined };
  }
  if (!state) throw new Error("a conversation has at least one turn");
  const last = turns.at(-1)!.request;
  const answer: TripRequest = { ...state };
  for (const key of THIS_TURN_ONLY) (answer as unknown as Record<string, unknown>)[key] = last[key];
  answer.otherDestinations = last.otherDestinations;
  // A place that is unknown or impossible now is what to answer, not the earlier destination.
  if (last.unknownPlace || last.impossiblePlace) answer.destination = undefined;
  return answer;
}

/** The state after one more turn: what the turn says, over what was said before. */
export function followUp(state: TripRequest | undefined, turn: ReadTurn, interestsOf: InterestsOf): TripRequest {
  const current = turn.request;
  if (!state) return current;
  const next: TripRequest = { ...state };

  // Destination: a new one replaces the old; a country naming one of the places just asked about picks it.
  const pending = state.placeChoices;
  const picked =
    pending && current.destination
      ? (pending.find((d) => d.id === current.destination!.id) ??
        (current.destinationFromCountry
          ? pending.find((d) => d.countryName === current.destinationFromCountry)
          : undefined))
      : undefined;
  if (picked) {
    next.destination = picked;
    next.destinationFromCountry = undefined;
    next.placeChoices = undefined;
  } else if (current.destination) {
    next.destination = current.destination;
    next.destinationFromCountry = current.destinationFromCountry;
    next.placeChoices = current.placeChoices;
    next.placeCorrection = current.placeCorrection;
  } else next.placeChoices = undefined;

  // Dates and length: a range replaces both; a start keeps the length; a length keeps the start.
  if (current.checkIn && current.checkOut && current.nights !== undefined && !current.dateProblem) {
    next.checkIn = current.checkIn;
    next.checkOut = current.checkOut;
    next.nights = current.nights;
    next.startsFriday = current.startsFriday;
    next.dateAssumption = current.dateAssumption;
  } else if (current.checkIn && !current.dateProblem) {
    next.checkIn = current.checkIn;
    next.nights = current.nights ?? state.nights;
    next.checkOut = next.nights !== undefined ? addDays(current.checkIn, next.nights) : undefined;
    next.startsFriday = current.startsFriday;
    next.dateAssumption = current.dateAssumption;
  } else if (current.nights !== undefined && !current.dateProblem) {
    next.nights = current.nights;
    next.checkOut = state.checkIn ? addDays(state.checkIn, current.nights) : undefined;
    next.startsFriday = current.startsFriday ?? state.startsFriday;
  }

  next.guests = current.guests ?? state.guests;
  next.budget = current.budget ?? (NO_BUDGET.test(turn.text) ? undefined : state.budget);
  next.style = current.style ?? state.style;
  next.pace = current.pace ?? state.pace;
  next.climate = current.climate ?? state.climate;
  next.region = current.region ?? state.region;
  next.surprise = current.surprise ?? state.surprise;
  next.minStars = current.minStars ?? state.minStars;
  next.origin = current.origin ?? state.origin;

  // Interests and tastes accumulate, less what the turn takes away; "only X" starts them over.
  const removed = new Set([...turn.text.matchAll(REMOVING)].flatMap((match) => interestsOf(match[1])));
  const kept = (earlier: string[], now: string[]) =>
    [...new Set([...(ONLY.test(turn.text) && now.length > 0 ? [] : earlier), ...now])].filter(
      (key) => !removed.has(key),
    );
  next.interests = kept(state.interests, current.interests);
  next.dietary = kept(state.dietary, current.dietary);
  next.cuisines = kept(state.cuisines, current.cuisines);
  next.amenities = kept(state.amenities, current.amenities);
  return next;
}
