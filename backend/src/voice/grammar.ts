/**
 * The JSGF grammar the offline recogniser decodes against: trip-request phrases around the catalog's destinations.
 * A small, structured grammar is what makes pocketsphinx accurate on short requests (its general language model is
 * not); every word must be in the pronunciation dictionary, so names it cannot say are left out.
 */
import { readFileSync } from "node:fs";

import type { Catalog } from "../catalog/service.js";
import { INTEREST_VOCABULARY } from "../planner/interests.js";
import { fold } from "../planner/parse.js";
import { MONTHS } from "../planner/words.js";

/** Destinations of at least this population are in the grammar (the largest few hundred). */
const MIN_POPULATION = 400_000;

const NUMBERS =
  "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty".split(
    " ",
  );
const ORDINALS =
  "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(
    " ",
  );

/**
 * Each interest of the planner's vocabulary by its name ("street art", "jazz"), not every synonym: a grammar with
 * hundreds of near-homophones makes the recogniser hear an interest where "two days" was said.
 */
const INTERESTS = Object.values(INTEREST_VOCABULARY).map((interest) => interest.label);

export function loadDictionary(file: string): Set<string> {
  const words = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const word = line.slice(0, line.indexOf(" "));
    if (word && !word.includes("(")) words.add(word);
  }
  return words;
}

export function buildGrammar(catalog: Catalog, dictionary: Set<string>): { grammar: string; places: string[] } {
  const said = (phrase: string) => phrase.split(" ").every((word) => dictionary.has(word));
  const alternatives = (phrases: string[]) => [...new Set(phrases.filter(said))].join(" | ");
  const places = catalog.destinations
    .filter((d) => d.population >= MIN_POPULATION)
    .map((d) =>
      fold(d.name)
        .replace(/[^a-z ]+/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((name) => name.length > 1 && said(name));
  const countries = [
    ...new Set(
      catalog.destinations
        .filter((d) => d.population >= MIN_POPULATION)
        .map((d) =>
          fold(d.countryName)
            .replace(/[^a-z ]+/g, " ")
            .trim(),
        ),
    ),
  ].filter(said);
  const grammar = `#JSGF V1.0;
grammar trip;
public <request> = [<polite>] [<intro>] [<trip>] <detail>* | [<polite>] <change> (<length> | <detail>) <detail>*;
<polite> = please | hi | hello | okay;
<change> = make it | make that | actually | change it to | no;
<intro> = plan | book | find | find me | plan me | i want | i would like | we want | we would like | can you plan | i want to | we want to | i would like to;
<trip> = [a | an] [<kind>] (trip | holiday | vacation | break | getaway) (to | in) <place>
  | (go | travel | fly) to <place>
  | visit <place>
  | <length> in <place>
  | <place>;
<kind> = long weekend | weekend | city | romantic | family | food | beach | short | cheap | luxury | relaxed | packed;
<place> = ${alternatives([...places, ...countries])};
<detail> = for <number> (days | nights | weeks | people | adults | travellers)
  | for <length>
  | for two | for me | for us
  | in <month> | next (week | weekend | month) | this weekend | tomorrow
  | from the <ordinal> to the <ordinal> [of <month>]
  | on the <ordinal> [of <month>]
  | (with a budget of | under | for | with) <amount> (dollars | euros | pounds)
  | (with | and | we love | i love | i like | we like) <interest> (and <interest>)*
  | from <place>
  | with my (wife | husband | partner | family | friends);
<length> = <number> (days | nights | weeks) | a (week | weekend | long weekend | fortnight);
<number> = ${alternatives(NUMBERS)};
<ordinal> = ${alternatives(ORDINALS)} | twenty ${alternatives(ORDINALS.slice(0, 9))} | thirtieth | thirty first;
<amount> = <number> hundred | <number> thousand [[and] <number> hundred] | a thousand;
<interest> = ${alternatives(INTERESTS)};
<month> = ${alternatives([...MONTHS])};
`;
  return { grammar, places };
}
