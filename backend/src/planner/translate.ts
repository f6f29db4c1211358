/**
 * Requests in Spanish, French, German, Portuguese or Italian read by the English reader: the language is told (a
 * voice turn's) or recognised by its words, and the request is rewritten word by word into the English words
 * the reader knows ("del 3 al 9 de mayo" → "from 3 to 9 may", "somos 3" → "3 people", "10.000 €" → "10000 €").
 * Words it does not know (place names in local spellings, which the gazetteer knows) are kept as written.
 */
import { VOICE_LANGUAGES, type VoiceLanguage } from "../voice/languages.js";
import { lexiconOf, markersOf } from "./lexicon.js";

const stripAccents = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss");

/** Words that join the parts of a place's name ("Rio de Janeiro", "Los Angeles"), kept as written there. */
const CONNECTORS = new Set([
  "de",
  "di",
  "da",
  "do",
  "dos",
  "das",
  "del",
  "des",
  "du",
  "la",
  "le",
  "les",
  "los",
  "las",
  "el",
  "lo",
]);
const capitalised = (word?: string) => word !== undefined && /^\p{Lu}/u.test(word);

const wordsOf = (text: string) =>
  stripAccents(text)
    .toLowerCase()
    .match(/[\p{L}-]+/gu) ?? [];

/**
 * The language a request is clearly written in: another language's when it uses at least two of its words and more
 * than English ones; English when it uses at least two English words; else none ("Madrid, 3 días", "mejor 3 noches").
 */
export function recogniseLanguage(text: string): VoiceLanguage | undefined {
  const words = wordsOf(text);
  const score = (language: VoiceLanguage) => {
    const markers = markersOf(language);
    return words.filter((w) => markers.has(w)).length;
  };
  let best: VoiceLanguage | undefined;
  let bestScore = 0;
  for (const language of VOICE_LANGUAGES) {
    const n = score(language);
    if (language !== "en" && n > bestScore) [best, bestScore] = [language, n];
  }
  const english = score("en");
  if (best && bestScore >= 2 && bestScore > english) return best;
  return english >= 2 ? "en" : undefined;
}

/** The language a request is written in: English unless the words clearly show another. */
export function detectLanguage(text: string): VoiceLanguage {
  return recogniseLanguage(text) ?? "en";
}

/** The request in the English reader's words (English text is returned as it is). */
export function toEnglish(text: string, language: VoiceLanguage): string {
  if (language === "en") return text;
  const { phrases, dayMonth, words } = lexiconOf(language);
  let out = stripAccents(text)
    .replace(/[’']/g, " ")
    // Numbers in words first, so that phrases and dates see digits ("somos cuatro", "tres de mayo").
    .replace(/[\p{L}-]+/gu, (word) => {
      const english = words.get(word.toLowerCase());
      return english && /^\d+$/.test(english) ? english : word;
    })
    // Numbers as written there: "10.000" and "10 000" are ten thousand, "2,5" is two and a half, "3." is the 3rd.
    .replace(/(\d)[.\u00a0\u202f ](?=\d{3}(?!\d))/g, "$1")
    .replace(/(\d)[.\u00a0\u202f ](?=\d{3}(?!\d))/g, "$1")
    .replace(/(\d),(\d{1,2})(?!\d)/g, "$1.$2")
    .replace(/(\d{1,2})\.(?=\s|-|$)/g, "$1")
    .replace(/(\d{1,2})(?:er|re|eme|º|ª)(?!\p{L})/gu, "$1")
    .replace(dayMonth, "$1 $2");
  // A phrase's English is final: marked off so the word pass leaves it alone ("per person" is not Italian "per").
  for (const [pattern, english] of phrases) out = out.replace(pattern, `\u0001${english}\u0001`);
  const english = out
    .split("\u0001")
    .map((part, i) => (i % 2 === 1 ? part : translateWords(part, words, language)))
    .join("");
  // "a giugno", "à partir de mai" read as "to june": a month is "in" it.
  return english.replace(
    /\bto (?=(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)/g,
    "in ",
  );
}

function translateWords(part: string, words: Map<string, string>, language: VoiceLanguage): string {
  const tokens = part.split(/([\p{L}-]+)/u);
  const spaced = (i: number) => /^ +$/.test(tokens[i] ?? "");
  return tokens
    .map((token, i) => {
      if (i % 2 === 0) return token;
      // German writes every noun with a capital, so only the Romance languages' place names are told apart.
      if (language !== "de" && CONNECTORS.has(token.toLowerCase()) && capitalised(tokens[i + 2]) && spaced(i + 1)) {
        if (capitalised(token) || (capitalised(tokens[i - 2]) && spaced(i - 1))) return token;
      }
      return words.get(token.toLowerCase()) ?? token;
    })
    .join("");
}
