/**
 * Reading places out of a request through the gazetteer: a name at a position (with "Valencia, Spain",
 * "Birmingham in the UK" or "Springfield, MO" choosing among places of one name, and IATA codes written in capitals), and what to say when
 * a name is ambiguous or unknown.
 */
import type { Destination } from "../catalog/geodata.js";
import type { Gazetteer } from "../catalog/gazetteer.js";

export interface NamedPlace {
  /** Most likely first. */
  destinations: Destination[];
  /** The traveller must say which (several of that name, none chosen by a country). */
  ambiguous: boolean;
  /** Words after the name that were its country ("spain" in "valencia spain"), consumed with it. */
  qualifierWords: number;
}

const NONE: NamedPlace = { destinations: [], ambiguous: false, qualifierWords: 0 };

/**
 * The destinations `phrase` names, looking at the words after it for a country that picks one of them. `capitals`
 * holds the words the traveller wrote in capitals, so that "LIS" is an airport and "lis" is not.
 */
export function placeAt(gazetteer: Gazetteer, phrase: string, after: string[], capitals: Set<string>): NamedPlace {
  let destinations = gazetteer.named(phrase);
  if (destinations.length === 0 && /^[a-z]{3}$/.test(phrase) && capitals.has(phrase)) {
    const served = gazetteer.airport(phrase);
    return served ? { destinations: [served], ambiguous: false, qualifierWords: 0 } : NONE;
  }
  if (destinations.length === 0) return NONE;
  // The country or US state after a name picks among places of that name, and after a single place's name
  // ("Marseille, France") is read with it rather than as a second destination.
  let qualifierWords = 0;
  const skip = after[0] === "in" ? (after[1] === "the" ? 2 : 1) : 0;
  for (let n = 3; n >= 1; n--) {
    const words = after.slice(skip, skip + n);
    if (words.length < n) continue;
    const country = gazetteer.country(words.join(" "));
    let there = country ? destinations.filter((destination) => destination.country === country) : [];
    // A state's code: "Springfield, MO".
    if (there.length === 0 && destinations.length > 1 && n === 1 && /^[a-z]{2}$/.test(words[0]))
      there = destinations.filter((destination) => destination.admin.toLowerCase() === words[0]);
    if (there.length > 0) {
      destinations = there;
      qualifierWords = skip + n;
      break;
    }
  }
  return { destinations, ambiguous: gazetteer.isAmbiguous(destinations), qualifierWords };
}

/** The words of the original text written in capitals (folded), for IATA codes. */
export function capitalWords(original: string): Set<string> {
  return new Set((original.match(/\b[A-Z]{3}\b/g) ?? []).map((word) => word.toLowerCase()));
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;

/** How a place is named when the traveller must choose: "Valencia, Spain". */
export const placeLabel = (destination: Destination) => `${destination.name}, ${destination.countryName}`;

/** "Which Valencia do you mean: the one in Venezuela, in Spain or in the United States?" */
export function whichPlace(choices: Destination[]): string {
  const shown = choices.slice(0, 4);
  const name = shown[0].name;
  // Several in one country are told apart by state where GeoNames has a letter code for it ("Springfield, MO").
  const where = (d: Destination) =>
    shown.some((other) => other !== d && other.country === d.country) && /^[A-Z]{2}$/.test(d.admin)
      ? `${d.admin}, ${d.countryName}`
      : d.countryName;
  if (shown.every((destination) => destination.name === name))
    return `Which ${name} do you mean: the one ${list(shown.map((d) => `in ${where(d)}`))}?`;
  return `Which do you mean: ${list(shown.map((d) => `${d.name}, ${where(d)}`))}?`;
}

/** A word as the traveller would write it: "san fransisco" → "San Fransisco". */
const capitalised = (word: string) =>
  word
    .split(" ")
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(" ");

/** "I don't know Wakanda — did you mean …?", or only the first part without near misses. */
export function unknownPlaceReply(word: string, suggestions: Destination[] = []): string {
  if (suggestions.length === 0)
    return `I don't know ${capitalised(word)} as a destination. Which city would you like to visit?`;
  return `I don't know ${capitalised(word)} — did you mean ${list(suggestions.map(placeLabel))}?`;
}

/** Said back when a misspelt name was read as a place. */
export function correctionNote(word: string, destination: Destination): string {
  return `I read "${capitalised(word)}" as ${placeLabel(destination)}.`;
}
