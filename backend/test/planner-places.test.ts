/**
 * Places by any common name: a traveller who writes Seville, Sevilla, SEVILLA or "sevilla" gets Seville; an airport's
 * code in capitals is its city; a misspelt name is read when it is clear and questioned when it is not; a name shared by
 * similarly known places gets a question; an unknown one gets an honest answer. The names come from GeoNames (see
 * docs/planner-places.md), so the gazetteer's own answers are checked too.
 */
import { describe, expect, it } from "vitest";

import { alternateNames, editDistance, foldName, gazetteerOf } from "../src/catalog/gazetteer.js";
import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { EMPTY_TRAVELLER, type Answer } from "../src/planner/types.js";

const catalog = new Catalog();
const planner = new OfflinePlanner(catalog);
const TODAY = "2031-03-03";

const plan = (text: string): Promise<Answer> =>
  planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });

async function plannedIn(text: string): Promise<string> {
  const answer = await plan(text);
  if (answer.status !== "plan") throw new Error(`${text}: ${answer.reply}`);
  return `${answer.plan.destination.name}, ${answer.plan.destination.country}`;
}

describe("places by any common name", () => {
  // [what the traveller writes, the destination planned]
  const names: [string, string][] = [
    ["3 nights in Seville in June", "Sevilla, ES"],
    ["3 nights in Sevilla in June", "Sevilla, ES"],
    ["Five days in Seville from June 3", "Sevilla, ES"],
    ["a weekend in Munich in May", "Munich, DE"],
    ["a weekend in München in May", "Munich, DE"],
    ["a weekend in muenchen in May", "Munich, DE"],
    ["4 nights in Cologne in May", "Köln, DE"],
    ["4 nights in Köln in May", "Köln, DE"],
    ["4 nights in koln in May", "Köln, DE"],
    ["Lisbon for 4 nights in July", "Lisbon, PT"],
    ["Lisboa for 4 nights in July", "Lisbon, PT"],
    ["a week in Florence in September", "Florence, IT"],
    ["a week in Firenze in September", "Florence, IT"],
    ["3 nights in Prague in June", "Prague, CZ"],
    ["3 nights in Praha in June", "Prague, CZ"],
    ["3 nights in PRAHA in June", "Prague, CZ"],
    ["3 nights in Napoli in June", "Naples, IT"],
    ["3 nights in Wien in June", "Vienna, AT"],
    ["3 nights in København in June", "Copenhagen, DK"],
    ["3 nights in Bruxelles in June", "Brussels, BE"],
    ["3 nights in Warszawa in June", "Warsaw, PL"],
    ["3 nights in Den Haag in June", "The Hague, NL"],
    ["3 nights in Bombay in June", "Mumbai, IN"],
    ["3 nights in Saigon in June", "Ho Chi Minh City, VN"],
    ["3 nights in Ciudad de México in June", "Mexico City, MX"],
    // IATA codes, written in capitals.
    ["fly to LIS for 3 nights in June", "Lisbon, PT"],
    ["3 nights at SVQ in June", "Sevilla, ES"],
    // A name shared by places known about as widely, with the country or state that picks one.
    ["3 nights in Valencia, Spain in June", "Valencia, ES"],
    ["3 nights in Cordoba, Argentina in June", "Córdoba, AR"],
    ["3 nights in Córdoba in Spain in June", "Córdoba, ES"],
    ["3 nights in Birmingham UK in June", "Birmingham, GB"],
    ["3 nights in Springfield MO in June", "Springfield, US"],
    // One of them far better known than the others: no question.
    ["3 nights in Athens in June", "Athens, GR"],
    ["3 nights in London in June", "London, GB"],
    ["3 nights in Barcelona in June", "Barcelona, ES"],
    // Typos that can only mean one place.
    ["4 nights in Barcelonna in June", "Barcelona, ES"],
    ["a trip to Amsterdm for 3 nights in June", "Amsterdam, NL"],
    ["Five days in Sevlle in June", "Sevilla, ES"],
    ["a trip to Edinburg for 3 nights in June", "Edinburgh, GB"],
  ];
  it.each(names)("%s → %s", async (text, where) => {
    expect(await plannedIn(text)).toBe(where);
  });

  it("says how it read a misspelt name", async () => {
    const answer = await plan("4 nights in Barcelonna in June");
    expect(answer.status).toBe("plan");
    if (answer.status === "plan") expect(answer.plan.assumptions).toContain('I read "Barcelonna" as Barcelona, Spain.');
  });

  it("asks which place when a name is shared by places known as widely, and plans the one named next", async () => {
    const cordoba = await plan("3 nights in Córdoba in June");
    expect(cordoba).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(cordoba.reply).toBe("Which Córdoba do you mean: the one in Spain, in Argentina or in Mexico?");
    const springfield = await plan("3 nights in Springfield in June");
    expect(springfield.reply).toMatch(/^Which Springfield do you mean: the one in IL, United States, in MA, /);
  });

  it("says it does not know a place, with the names close to it", async () => {
    const wakanda = await plan("a trip to Wakanda");
    expect(wakanda).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(wakanda.reply).toBe("I don't know Wakanda as a destination. Which city would you like to visit?");
    // Too short a word to be sure of: a question, not a guess.
    const mlan = await plan("a trip to Mlan");
    expect(mlan.status).toBe("clarification");
    expect(mlan.reply).toBe("I don't know Mlan — did you mean Milan, Italy or Man, Côte d’Ivoire?");
  });

  it("does not take common English words for places' other names", async () => {
    // GeoNames also calls Surakarta "Solo".
    expect(await plannedIn("solo trip to Berlin for 3 nights in June")).toBe("Berlin, DE");
  });

  it("finds destinations by any of their names in the catalog's destination search", () => {
    expect(catalog.searchDestinations({ text: "cologne", offset: 0, limit: 3 }).destinations[0].name).toBe("Köln");
    expect(catalog.searchDestinations({ text: "Lisboa", offset: 0, limit: 3 }).destinations[0].name).toBe("Lisbon");
  });
});

describe("the gazetteer", () => {
  const gazetteer = gazetteerOf(catalog);

  it("holds GeoNames' alternate names for every destination", () => {
    const names = alternateNames();
    expect(catalog.destinations.every((d) => names.has(d.geonameId))).toBe(true);
    const seville = catalog.destinations.find((d) => d.name === "Sevilla" && d.country === "ES")!;
    expect(names.get(seville.geonameId)!.names).toEqual(expect.arrayContaining(["Seville", "Siviglia", "Hispalis"]));
  });

  it("ignores accents, case and punctuation", () => {
    expect(foldName("  São-Paulo ")).toBe("sao paulo");
    expect(gazetteer.named("SAO PAULO")[0]).toBe(gazetteer.named("São Paulo")[0]);
    expect(gazetteer.named("st. petersburg").map((d) => d.country)).toContain("RU");
  });

  it("measures typos as edits, swaps of neighbours included", () => {
    expect(editDistance("madird", "madrid", 2)).toBe(1);
    expect(editDistance("lisbn", "lisbon", 2)).toBe(1);
    expect(editDistance("wakanda", "london", 2)).toBe(3);
  });
});
