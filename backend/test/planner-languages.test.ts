/**
 * The offline planner in six languages: the same twenty requests written in English, Spanish, French, German,
 * Portuguese and Italian give the same plans (destination, dates, days, party, budget, interests), and the answer
 * is in the language of the request.
 */
import { describe, expect, it } from "vitest";

import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { detectLanguage } from "../src/planner/translate.js";
import { EMPTY_TRAVELLER, type Answer } from "../src/planner/types.js";
import { LANGUAGE_ROWS } from "./fixtures/planner-languages.js";
import { TODAY } from "./fixtures/planner-requests.js";

const planner = new OfflinePlanner(new Catalog());
const ask = (text: string) => planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });

/** What a traveller compares between two plans. */
function essentials(answer: Answer) {
  if (answer.status !== "plan") return { status: answer.status, reply: answer.reply };
  const { destination, checkIn, checkOut, nights, guests, budget, interests, days } = answer.plan;
  return { destination: destination.id, checkIn, checkOut, nights, days: days.length, guests, budget, interests };
}

/** Words of the English summary that must not be left in another language's. */
const ENGLISH = /\b(?:days and|nights in|in total\b|Highlights:|booked\.|within your budget)/;
/** A word each language's summary uses for the length. */
const LENGTH_WORD = { es: /\bdías?\b/, fr: /\bjours?\b/, de: /\bTage?\b/, pt: /\bdias?\b/, it: /\bgiorn[oi]\b/ };

describe("the offline planner in six languages", () => {
  for (const [i, row] of LANGUAGE_ROWS.entries()) {
    it(`request ${i + 1}: ${row.en}`, async () => {
      const english = await ask(row.en);
      expect(english.status, english.reply).toBe("plan");
      const expected = essentials(english);
      for (const language of ["es", "fr", "de", "pt", "it"] as const) {
        const text = row[language];
        expect(detectLanguage(text), text).toBe(language);
        const answer = await ask(text);
        expect(essentials(answer), `${language}: ${text}`).toEqual(expected);
        expect(answer.reply, `${language}: ${text}`).toMatch(LENGTH_WORD[language]);
        expect(answer.reply, `${language}: ${text}`).not.toMatch(ENGLISH);
      }
    });
  }
});
