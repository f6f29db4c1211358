/**
 * Destination ideas (a request without a destination) in the traveller's language: each idea's line is read back
 * from the figures in the English one ("21 °C on average in May; hotels from $240 for 3 nights; …") and said again,
 * the country by its name in that language.
 */
import type { OtherLanguage } from "./lexicon.js";
import { interestIn } from "./localise-why.js";
import { unsay } from "./reply.js";
import type { Suggestion } from "./types.js";

interface IdeaPhrases {
  warmth(degrees: string, month: string): string;
  offered(interests: string): string;
  hotels(from: string, nights: number): string;
  away(km: string, from: string): string;
  free(activities: number): string;
  /** Before the numbered ideas, naming where the temperatures come from. */
  intro: string;
  /** No city fits what was asked. */
  none: string;
}

const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const IDEAS: Record<OtherLanguage, IdeaPhrases> = {
  es: {
    warmth: (t, m) => `${t} °C de media en ${m}`,
    offered: (i) => `${i} en el catálogo`,
    hotels: (p, ni) => `hoteles desde ${p} por ${n(ni, "noche", "noches")}`,
    away: (km, from) => `a ${km} km de ${from}`,
    free: (a) => `${n(a, "actividad libre", "actividades libres")} en tus fechas`,
    none: "No encontré ninguna ciudad que cumpla todo lo que pides con un hotel libre en tus fechas. Dime una ciudad o pide con menos condiciones.",
    intro: "Ideas, la mejor primero (temperaturas medias de Wikipedia):",
  },
  fr: {
    warmth: (t, m) => `${t} °C en moyenne en ${m}`,
    offered: (i) => `${i} au catalogue`,
    hotels: (p, ni) => `hôtels dès ${p} pour ${n(ni, "nuit", "nuits")}`,
    away: (km, from) => `à ${km} km de ${from}`,
    free: (a) => `${n(a, "activité libre", "activités libres")} à vos dates`,
    none: "Je n’ai trouvé aucune ville qui réponde à tout ce que vous demandez avec un hôtel libre à vos dates. Dites-moi une ville, ou demandez avec moins de conditions.",
    intro: "Des idées, la meilleure d’abord (températures moyennes de Wikipédia) :",
  },
  de: {
    warmth: (t, m) => `durchschnittlich ${t} °C im ${m}`,
    offered: (i) => `${i} im Katalog`,
    hotels: (p, ni) => `Hotels ab ${p} für ${n(ni, "Nacht", "Nächte")}`,
    away: (km, from) => `${km} km von ${from}`,
    free: (a) => `${n(a, "freie Aktivität", "freie Aktivitäten")} an deinen Daten`,
    none: "Ich habe keine Stadt gefunden, die alles Gewünschte erfüllt und an deinen Daten ein freies Hotel hat. Nenne mir eine Stadt oder frag mit weniger Bedingungen.",
    intro: "Ideen, die beste zuerst (Durchschnittstemperaturen aus Wikipedia):",
  },
  pt: {
    warmth: (t, m) => `${t} °C em média em ${m}`,
    offered: (i) => `${i} no catálogo`,
    hotels: (p, ni) => `hotéis a partir de ${p} por ${n(ni, "noite", "noites")}`,
    away: (km, from) => `a ${km} km de ${from}`,
    free: (a) => `${n(a, "atividade livre", "atividades livres")} nas suas datas`,
    none: "Não encontrei nenhuma cidade que cumpra tudo o que pede com um hotel livre nas suas datas. Diga-me uma cidade ou peça com menos condições.",
    intro: "Ideias, a melhor primeiro (temperaturas médias da Wikipédia):",
  },
  it: {
    warmth: (t, m) => `${t} °C in media a ${m}`,
    offered: (i) => `${i} nel catalogo`,
    hotels: (p, ni) => `hotel da ${p} per ${n(ni, "notte", "notti")}`,
    away: (km, from) => `a ${km} km da ${from}`,
    free: (a) => `${n(a, "attività libera", "attività libere")} nelle tue date`,
    none: "Non ho trovato nessuna città che soddisfi tutto ciò che chiedi con un hotel libero nelle tue date. Dimmi una città o chiedi con meno condizioni.",
    intro: "Idee, la migliore prima (temperature medie da Wikipedia):",
  },
};

const list = (language: OtherLanguage, items: string[]) =>
  new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(items);

/** One part of an English idea line in `language`; undefined when it is not one the ideas write. */
function part(english: string, language: OtherLanguage, month: string): string | undefined {
  const say = IDEAS[language];
  let m: RegExpExecArray | null;
  if ((m = /^(-?[\d.]+) °C on average in /.exec(english)))
    return say.warmth(Number(m[1]).toLocaleString(language), month);
  if ((m = /^hotels from \$([\d,]+) for ([\w,]+) nights?$/.exec(english))) {
    const price = new Intl.NumberFormat(language, { style: "currency", currency: "USD", maximumFractionDigits: 0 });
    return say.hotels(price.format(unsay(m[1])), unsay(m[2]));
  }
  if ((m = /^([\d,]+) km from (.+)$/.exec(english))) return say.away(unsay(m[1]).toLocaleString(language), m[2]);
  if ((m = /^([\w,]+) activit(?:y|ies) free on your dates$/.exec(english))) return say.free(unsay(m[1]));
  if ((m = /^(.+) in the catalog$/.exec(english))) {
    const interests = m[1].split(/, (?:and )?| and /).map((label) => interestIn(label, language));
    if (interests.every((i) => i !== undefined)) return say.offered(list(language, interests as string[]));
  }
  return undefined;
}

/** No idea fits the request, said in `language`. */
export const noIdeas = (language: OtherLanguage) => IDEAS[language].none;

/** The ideas with their lines in `language`, and the reply that lists them. */
export function localiseIdeas(
  suggestions: Suggestion[],
  language: OtherLanguage,
  ask: string,
): { suggestions: Suggestion[]; reply: string } {
  const countries = new Intl.DisplayNames(language, { type: "region" });
  const localised = suggestions.map((idea) => {
    const { name, country, countryName } = idea.destination;
    const month = new Date(Date.UTC(2000, idea.climate.month - 1, 1)).toLocaleDateString(language, {
      month: "long",
      timeZone: "UTC",
    });
    const figures = idea.reason
      .replace(`${name}, ${countryName}: `, "")
      .replace(/\.$/, "")
      .split("; ")
      .map((english) => part(english, language, month))
      .filter((said): said is string => said !== undefined);
    return { ...idea, reason: `${name}, ${countries.of(country) ?? countryName}: ${figures.join("; ")}.` };
  });
  const lines = localised.map((idea, i) => `${i + 1}. ${idea.reason}`).join(" ");
  return { suggestions: localised, reply: `${IDEAS[language].intro} ${lines} ${ask}` };
}
