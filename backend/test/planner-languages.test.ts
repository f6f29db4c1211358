/**
 * The offline planner in six languages: the same twenty requests written in English, Spanish, French, German,
 * Portuguese and Italian give the same plans (destination, dates, days, party, budget, interests), and the answer
 * is in the language of the request.
 */
import { describe, expect, it } from "vitest";

import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { INTEREST_VOCABULARY } from "../src/planner/interests.js";
import { interestIn } from "../src/planner/localise-why.js";
import { detectLanguage } from "../src/planner/translate.js";
import { EMPTY_TRAVELLER, PlanResult, type Answer, type PlanEvent } from "../src/planner/types.js";
import { LANGUAGE_ROWS } from "./fixtures/planner-languages.js";
import { PLANNER_REQUESTS, TODAY } from "./fixtures/planner-requests.js";

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
/** Words of the English reasons, notes and day notes that must not be left in another language's plan. */
const ENGLISH_LINES =
  /\b(?:because|you like|rated|guests|flies from|as you asked|liked before|Check out|Travel home|has nothing|in the catalog|within the plan|your days|you need|two weeks from today|tell me)\b/;

/** Every line of a plan a traveller reads besides its summary: why each booking, the day notes, the assumptions. */
function lines(answer: Answer): string[] {
  if (answer.status !== "plan") return [];
  const { days, assumptions } = answer.plan;
  return [
    ...days.flatMap((day) => [...day.items.map((item) => item.why), ...(day.notes ?? []).map((note) => note.text)]),
    ...assumptions,
  ];
}

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
        const english = lines(answer).filter((line) => ENGLISH_LINES.test(line));
        expect(english, `${language}: ${text}`).toEqual([]);
      }
    });
  }
});

describe("the language of a conversation", () => {
  it("names every interest in each language when saying why a booking was chosen", () => {
    const labels = Object.values(INTEREST_VOCABULARY).map((interest) => interest.label);
    for (const language of ["es", "fr", "de", "pt", "it"] as const)
      expect(
        labels.filter((label) => interestIn(label, language) === undefined),
        language,
      ).toEqual([]);
  });

  it("gives destination ideas with their figures in the request's language", async () => {
    const english = await ask("Somewhere warm in February for 4 nights");
    const answer = await ask("Um lugar quente em fevereiro por 4 noites");
    expect(answer.status).toBe("clarification");
    if (answer.status !== "clarification" || english.status !== "clarification") return;
    expect(answer.suggestions?.map((idea) => idea.destination.id)).toEqual(
      english.suggestions?.map((idea) => idea.destination.id),
    );
    expect(answer.reply).toMatch(/^Ideias, a melhor primeiro .*: 1\. /);
    expect(answer.reply).toMatch(/Diga-me uma e eu planejo\.$/);
    for (const idea of answer.suggestions ?? []) {
      expect(idea.reason).toMatch(
        /°C em média em fevereiro; hotéis a partir de .+ por 4 noites; \d+ atividades? livres? nas suas datas\.$/,
      );
      expect(idea.reason).not.toMatch(/\b(?:on average|hotels from|free on your dates|nights)\b/);
    }
    expect((await ask("Irgendwo warm im Februar für 4 Nächte ab Berlin")).reply).toMatch(
      /^Ich habe keine Stadt gefunden/,
    );
  });

  it("says why each booking was chosen, and the way home, in the request's language", async () => {
    const answer = await ask("Un viaje a Lisboa del 3 al 9 de mayo para 2 personas, me gustan los museos");
    expect(answer.status).toBe("plan");
    if (answer.status !== "plan") return;
    const items = answer.plan.days.flatMap((day) => day.items);
    expect(items.some((item) => item.why === "por tu interés en los museos")).toBe(true);
    expect(items.find((item) => item.type === "hotel")?.why).toMatch(/^valorado con \d,\d por [\d.]+ huéspedes$/);
    expect(answer.plan.days.at(-1)?.notes?.map((note) => note.text)).toEqual([
      expect.stringMatching(/^Salida de /),
      "Vuelta a casa",
    ]);
  });

  it("reads every English request of the planner's own table as English", () => {
    const misread = PLANNER_REQUESTS.map(([text]) => [text, detectLanguage(text)]).filter(([, l]) => l !== "en");
    expect(misread).toEqual([]);
  });

  it("answers a voice turn in its language when the words alone do not show it", async () => {
    const answer = await planner.plan({
      text: "Lisboa, 3 dias",
      traveller: EMPTY_TRAVELLER,
      history: [],
      today: TODAY,
      language: "pt",
    });
    expect(answer.status).toBe("plan");
    expect(answer.reply).toMatch(/^3 dias e 2 noites em Lisbon/);
  });

  it("reads a follow-up in Spanish as a change to the plan ('que sean dos días')", async () => {
    const first = "Un viaje a Lisboa del 3 al 9 de mayo para 2 personas";
    const answer = await ask(first);
    const history = [{ request: first, result: PlanResult.parse({ ...answer, source: "offline", fallback: null }) }];
    const next = await planner.plan({
      text: "Mejor que sean dos días",
      traveller: EMPTY_TRAVELLER,
      history,
      today: TODAY,
    });
    expect(essentials(next)).toMatchObject({ destination: essentials(answer).destination, nights: 1, guests: 2 });
    expect(next.reply).toMatch(/^2 días y 1 noche en Lisbon para 2 personas/);

    // Words that show no language ("mejor 3 noches") are read in the conversation's.
    const third = await planner.plan({ text: "mejor 3 noches", traveller: EMPTY_TRAVELLER, history, today: TODAY });
    expect(essentials(third)).toMatchObject({ nights: 3, guests: 2 });
    expect(third.reply).toMatch(/^4 días y 3 noches en Lisbon/);
  });

  it("notes what it assumed in the request's language", async () => {
    const week = await ask("Un viaje a Lisboa de 4 noches con un presupuesto de 2000");
    expect(week.status === "plan" && week.plan.assumptions).toEqual([
      "Empieza el lunes, 18 de marzo, dentro de dos semanas; dime tus fechas para cambiarlo.",
      "Para un viajero; dime si viene alguien más.",
      "Entendí tu presupuesto de 2000\u00a0US$ en dólares estadounidenses.",
    ]);
    const day = await ask("Lisboa el 10 de junio, somos dos");
    expect(day.status === "plan" && day.plan.assumptions).toEqual([
      "4 días y 3 noches, porque no dijiste cuánto tiempo.",
    ]);
  });

  it("streams what it is doing, and each planned day, in the request's language", async () => {
    const events: PlanEvent[] = [];
    await planner.plan(
      {
        text: "Un viaje a Lisboa del 3 al 5 de mayo, me gustan los museos",
        traveller: EMPTY_TRAVELLER,
        history: [],
        today: TODAY,
      },
      (event) => events.push(event),
    );
    const status = events.flatMap((event) => (event.type === "status" ? [event.message] : []));
    expect(status).toEqual([
      "Leyendo tu petición",
      "Buscando en Lisbon para 2 noches",
      "Alojamiento: Old Town Lantern Hotel",
      "Día 1 de 3 planificado",
      "Día 2 de 3 planificado",
      "Día 3 de 3 planificado",
    ]);
    const days = events.flatMap((event) => (event.type === "day" ? [event.day] : []));
    expect(days).toHaveLength(3);
    const whys = days.flatMap((day) => day.items.map((item) => item.why));
    expect(whys.filter((why) => ENGLISH_LINES.test(why))).toEqual([]);
  });

  it("notes the rarer assumptions in the request's language too", async () => {
    const length = await ask("Un viaje a Lisboa de 5 días del 3 al 5 de mayo");
    expect(length.status === "plan" && length.plan.assumptions[0]).toBe(
      "Fechas: dijiste 5 días, y del viernes, 3 de mayo al domingo, 5 de mayo son 3; planifiqué las fechas.",
    );
    const flight = await ask("Un viaje a Lisboa de 3 días desde Tokio con un presupuesto de 800 dólares");
    expect(flight.status === "plan" && flight.plan.assumptions.at(-1)).toBe(
      "No hay ningún vuelo de Tokyo a Lisbon el lunes, 18 de marzo en el catálogo.",
    );
  });

  it("asks in Spanish what is missing and refuses in Spanish what cannot be planned", async () => {
    expect((await ask("Quiero un viaje de 5 días con mi pareja")).reply).toBe(
      "¿Adónde te gustaría ir? Dime una ciudad y por cuánto tiempo.",
    );
    expect((await ask("Un viaje a Wakanda de 3 días")).reply).toBe(
      "No conozco Wakanda como destino. ¿Qué ciudad te gustaría visitar?",
    );
    expect((await ask("3 días en Córdoba")).reply).toBe(
      "¿Cuál quieres decir: Córdoba (Spain), Córdoba (Argentina) o Córdoba (Mexico)?",
    );
    expect((await ask("Un viaje a Lisboa y Oporto en mayo")).reply).toBe(
      "Planifico una ciudad cada vez. ¿Cuál primero: Lisbon o Porto?",
    );
    const past = await ask("Un viaje a Lisboa del 3 al 9 de mayo de 2020");
    expect(past.status).toBe("cannot");
    expect(past.reply).toBe("No puedo planificar ese viaje: esas fechas ya han pasado.");
  });
});
