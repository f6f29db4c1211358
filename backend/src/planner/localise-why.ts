/**
 * The lines of a plan that say why each booking was chosen, and the departure day's notes, in the traveller's
 * language. They are read back from the English the builder writes ("because you like food; has wifi and pool"),
 * reason by reason; the interests, amenities and diets they name are said in that language too.
 */
import type { OtherLanguage } from "./lexicon.js";

const LANGUAGES: OtherLanguage[] = ["es", "fr", "de", "pt", "it"];

/** English words → es|fr|de|pt|it. */
const table = (rows: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(rows).map(([english, said]) => {
      const words = said.split("|");
      return [english, Object.fromEntries(LANGUAGES.map((language, i) => [language, words[i]]))];
    }),
  ) as Record<string, Record<OtherLanguage, string>>;

/** The interests' labels (interests.ts), as the reasons name them (Portuguese's without the article: "gosta de"). */
const INTERESTS = table({
  food: "la gastronomía|la gastronomie|gutes Essen|a gastronomia|la gastronomia",
  culture: "la cultura|la culture|Kultur|a cultura|la cultura",
  "the outdoors": "la naturaleza|le plein air|die Natur|a natureza|la natura",
  nightlife: "la vida nocturna|la vie nocturne|das Nachtleben|a vida noturna|la vita notturna",
  sightseeing: "hacer turismo|le tourisme|Sehenswürdigkeiten|o turismo|il turismo",
  "guided tours": "las visitas guiadas|les visites guidées|Führungen|as visitas guiadas|le visite guidate",
  "day trips": "las excursiones|les excursions|Tagesausflüge|os passeios de um dia|le gite di un giorno",
  beaches: "las playas|les plages|Strände|as praias|le spiagge",
  shopping: "las compras|le shopping|Einkaufen|as compras|lo shopping",
  wellness: "el bienestar|le bien-être|Wellness|o bem-estar|il benessere",
  temples: "los templos|les temples|Tempel|os templos|i templi",
  shrines: "los santuarios|les sanctuaires|Schreine|os santuários|i santuari",
  churches: "las iglesias|les églises|Kirchen|as igrejas|le chiese",
  mosques: "las mezquitas|les mosquées|Moscheen|as mesquitas|le moschee",
  parks: "los parques|les parcs|Parks|os parques|i parchi",
  museums: "los museos|les musées|Museen|os museus|i musei",
  "street art": "el arte urbano|le street art|Street-Art|a arte urbana|la street art",
  history: "la historia|l’histoire|Geschichte|a história|la storia",
  castles: "los castillos|les châteaux|Burgen|os castelos|i castelli",
  science: "la ciencia|la science|Wissenschaft|a ciência|la scienza",
  film: "el cine|le cinéma|Film|o cinema|il cinema",
  photography: "la fotografía|la photographie|Fotografie|a fotografia|la fotografia",
  music: "la música|la musique|Musik|a música|la musica",
  "live music": "la música en directo|la musique live|Livemusik|a música ao vivo|la musica dal vivo",
  jazz: "el jazz|le jazz|Jazz|o jazz|il jazz",
  opera: "la ópera|l’opéra|Oper|a ópera|l’opera",
  flamenco: "el flamenco|le flamenco|Flamenco|o flamenco|il flamenco",
  fado: "el fado|le fado|Fado|o fado|il fado",
  tango: "el tango|le tango|Tango|o tango|il tango",
  theatre: "el teatro|le théâtre|Theater|o teatro|il teatro",
  dance: "la danza|la danse|Tanz|a dança|la danza",
  comedy: "la comedia|la comédie|Comedy|a comédia|la comicità",
  "traditional music":
    "la música tradicional|la musique traditionnelle|traditionelle Musik|a música tradicional|la musica tradizionale",
  festivals: "los festivales|les festivals|Festivals|os festivais|i festival",
  tapas: "las tapas|les tapas|Tapas|os petiscos|le tapas",
  "fine dining": "la alta cocina|la grande cuisine|gehobene Küche|a alta gastronomia|l’alta cucina",
  "cooking classes": "las clases de cocina|les cours de cuisine|Kochkurse|as aulas de culinária|i corsi di cucina",
  wine: "el vino|le vin|Wein|o vinho|il vino",
  beer: "la cerveza|la bière|Bier|a cerveja|la birra",
  cocktails: "los cócteles|les cocktails|Cocktails|os coquetéis|i cocktail",
  coffee: "el café|le café|Kaffee|o café|il caffè",
  tea: "el té|le thé|Tee|o chá|il tè",
  seafood: "el marisco|les fruits de mer|Meeresfrüchte|os frutos do mar|i frutti di mare",
  sushi: "el sushi|les sushis|Sushi|o sushi|il sushi",
  ramen: "el ramen|les ramens|Ramen|o ramen|il ramen",
  pizza: "la pizza|la pizza|Pizza|a pizza|la pizza",
  "vegetarian food":
    "la comida vegetariana|la cuisine végétarienne|vegetarisches Essen|a comida vegetariana|la cucina vegetariana",
  chocolate: "el chocolate|le chocolat|Schokolade|o chocolate|il cioccolato",
  cheese: "el queso|le fromage|Käse|o queijo|il formaggio",
  hiking: "el senderismo|la randonnée|Wandern|as caminhadas|l’escursionismo",
  cycling: "la bicicleta|le vélo|Radfahren|o ciclismo|il ciclismo",
  sunsets: "las puestas de sol|les couchers de soleil|Sonnenuntergänge|o pôr do sol|i tramonti",
  mountains: "la montaña|la montagne|Berge|as montanhas|la montagna",
  lakes: "los lagos|les lacs|Seen|os lagos|i laghi",
  rivers: "los ríos|les rivières|Flüsse|os rios|i fiumi",
  "boat trips": "los paseos en barco|les balades en bateau|Bootsfahrten|os passeios de barco|le gite in barca",
  swimming: "la natación|la baignade|Schwimmen|a natação|il nuoto",
  surfing: "el surf|le surf|Surfen|o surfe|il surf",
  skiing: "el esquí|le ski|Skifahren|o esqui|lo sci",
  wildlife: "la fauna|la faune|Tierbeobachtung|a vida selvagem|la fauna",
  sports: "el deporte|le sport|Sport|o esporte|lo sport",
  golf: "el golf|le golf|Golf|o golfe|il golf",
  yoga: "el yoga|le yoga|Yoga|a ioga|lo yoga",
  running: "correr|la course à pied|Laufen|a corrida|la corsa",
  romance: "el romanticismo|le romantisme|Romantik|o romantismo|il romanticismo",
  "LGBTQ+ life": "la vida LGBTQ+|la vie LGBTQ+|LGBTQ+-Leben|a vida LGBTQ+|la vita LGBTQ+",
  "free and cheap things":
    "los planes gratis o baratos|les sorties gratuites ou bon marché|Kostenloses und Günstiges|os programas grátis ou baratos|le cose gratis o economiche",
  "luxury experiences":
    "las experiencias de lujo|les expériences de luxe|Luxuserlebnisse|as experiências de luxo|le esperienze di lusso",
  "religious sites": "los lugares sagrados|les lieux de culte|religiöse Stätten|os locais religiosos|i luoghi sacri",
  gardens: "los jardines|les jardins|Gärten|os jardins|i giardini",
  art: "el arte|l’art|Kunst|a arte|l’arte",
  architecture: "la arquitectura|l’architecture|Architektur|a arquitetura|l’architettura",
  "old towns": "los cascos antiguos|les vieilles villes|Altstädte|os centros históricos|i centri storici",
  literature: "la literatura|la littérature|Literatur|a literatura|la letteratura",
  "local life": "la vida local|la vie locale|das Alltagsleben|a vida local|la vita locale",
  "classical music": "la música clásica|la musique classique|klassische Musik|a música clássica|la musica classica",
  "street food": "la comida callejera|la cuisine de rue|Streetfood|a comida de rua|il cibo di strada",
  markets: "los mercados|les marchés|Märkte|os mercados|i mercati",
  views: "las vistas|les points de vue|Aussichten|as vistas|i panorami",
  "hot springs": "las aguas termales|les sources chaudes|heiße Quellen|as águas termais|le terme",
  "travelling with children":
    "viajar con niños|voyager avec des enfants|Reisen mit Kindern|viajar com crianças|viaggiare con i bambini",
  "step-free access":
    "el acceso sin escalones|l’accès sans marches|stufenlosen Zugang|o acesso sem degraus|l’accesso senza gradini",
  adventure: "la aventura|l’aventure|Abenteuer|a aventura|l’avventura",
  "indoor things":
    "los planes bajo techo|les activités en intérieur|Aktivitäten drinnen|os programas em ambientes fechados|le attività al chiuso",
});

/** The catalog's hotel amenities and restaurant diets. */
const THINGS = table({
  wifi: "wifi|wifi|WLAN|wi-fi|wifi",
  breakfast: "desayuno|petit-déjeuner|Frühstück|café da manhã|colazione",
  pool: "piscina|piscine|Pool|piscina|piscina",
  gym: "gimnasio|salle de sport|Fitnessraum|academia|palestra",
  spa: "spa|spa|Spa|spa|spa",
  parking: "aparcamiento|parking|Parkplatz|estacionamento|parcheggio",
  "airport shuttle":
    "traslado al aeropuerto|navette aéroport|Flughafentransfer|traslado para o aeroporto|navetta aeroporto",
  "rooftop bar": "bar en la azotea|bar sur le toit|Dachbar|bar no terraço|bar sul tetto",
  vegetarian: "vegetarianas|végétariennes|vegetarische|vegetarianas|vegetariane",
  vegan: "veganas|végétaliennes|vegane|veganas|vegane",
  "gluten-free": "sin gluten|sans gluten|glutenfreie|sem glúten|senza glutine",
  halal: "halal|halal|Halal-|halal|halal",
  kosher: "kosher|casher|koschere|kosher|kosher",
  "dairy-free": "sin lácteos|sans lactose|laktosefreie|sem lactose|senza lattosio",
});

interface Reasons {
  like(what: string): string;
  likedBefore: string;
  cuisine: string;
  diet(options: string): string;
  has(amenities: string): string;
  rated(rating: string, guests: string): string;
  /** When none of the reasons can be said. */
  chosen: string;
  flies(from: string): string;
  /** A place to visit between the bookings: free, well known, near, a lunch paid there. */
  free: string;
  famous: string;
  nearby: string;
  lunch: string;
  payThere: string;
  checkOut(hotel: string): string;
  home(to?: string): string;
}

const REASONS: Record<OtherLanguage, Reasons> = {
  es: {
    like: (w) => `por tu interés en ${w}`,
    likedBefore: "parecido a lo que te gustó antes",
    cuisine: "la cocina que pediste",
    diet: (o) => `opciones ${o}`,
    has: (a) => `tiene ${a}`,
    rated: (r, g) => `valorado con ${r} por ${g} huéspedes`,
    chosen: "elegido para tu viaje",
    flies: (f) => `sale de ${f}`,
    free: "no hace falta reservar",
    famous: "uno de los lugares más conocidos de la zona",
    nearby: "cerca",
    lunch: "almuerzo",
    payThere: "se paga en el restaurante",
    checkOut: (h) => `Salida de ${h}`,
    home: (to) => (to ? `Vuelta a casa, a ${to}` : "Vuelta a casa"),
  },
  fr: {
    like: (w) => `parce que vous aimez ${w}`,
    likedBefore: "proche de ce que vous avez aimé avant",
    cuisine: "la cuisine que vous avez demandée",
    diet: (o) => `options ${o}`,
    has: (a) => `avec ${a}`,
    rated: (r, g) => `noté ${r} par ${g} clients`,
    chosen: "choisi pour votre voyage",
    flies: (f) => `part de ${f}`,
    free: "sans réservation",
    famous: "l’un des lieux les plus connus à proximité",
    nearby: "à proximité",
    lunch: "déjeuner",
    payThere: "à payer au restaurant",
    checkOut: (h) => `Départ de ${h}`,
    home: (to) => (to ? `Retour à ${to}` : "Retour à la maison"),
  },
  de: {
    like: (w) => `weil du ${w} magst`,
    likedBefore: "ähnlich wie das, was dir früher gefiel",
    cuisine: "die Küche, die du wolltest",
    diet: (o) => `${o} Gerichte`,
    has: (a) => `mit ${a}`,
    rated: (r, g) => `von ${g} Gästen mit ${r} bewertet`,
    chosen: "für deine Reise ausgewählt",
    flies: (f) => `fliegt ab ${f}`,
    free: "keine Buchung nötig",
    famous: "einer der bekanntesten Orte in der Nähe",
    nearby: "in der Nähe",
    lunch: "Mittagessen",
    payThere: "Bezahlung im Restaurant",
    checkOut: (h) => `Auschecken im ${h}`,
    home: (to) => (to ? `Heimreise nach ${to}` : "Heimreise"),
  },
  pt: {
    like: (w) => `porque gosta de ${w}`,
    likedBefore: "parecido com o que gostou antes",
    cuisine: "a cozinha que pediu",
    diet: (o) => `opções ${o}`,
    has: (a) => `tem ${a}`,
    rated: (r, g) => `avaliado com ${r} por ${g} hóspedes`,
    chosen: "escolhido para a sua viagem",
    flies: (f) => `parte de ${f}`,
    free: "não é preciso reservar",
    famous: "um dos lugares mais conhecidos da zona",
    nearby: "perto",
    lunch: "almoço",
    payThere: "paga-se no restaurante",
    checkOut: (h) => `Saída do ${h}`,
    home: (to) => (to ? `Volta para casa, para ${to}` : "Volta para casa"),
  },
  it: {
    like: (w) => `per il tuo interesse per ${w}`,
    likedBefore: "simile a ciò che ti è piaciuto prima",
    cuisine: "la cucina che hai chiesto",
    diet: (o) => `opzioni ${o}`,
    has: (a) => `con ${a}`,
    rated: (r, g) => `valutato ${r} da ${g} ospiti`,
    chosen: "scelto per il tuo viaggio",
    flies: (f) => `parte da ${f}`,
    free: "non serve prenotare",
    famous: "uno dei luoghi più noti nei dintorni",
    nearby: "nei dintorni",
    lunch: "pranzo",
    payThere: "si paga al ristorante",
    checkOut: (h) => `Check-out da ${h}`,
    home: (to) => (to ? `Ritorno a casa, a ${to}` : "Ritorno a casa"),
  },
};

/** "a, b and c" (joinAnd's English) as the words it joins. */
const splitAnd = (text: string) => text.split(/, (?:and )?| and /);

const list = (language: OtherLanguage, items: string[]) =>
  new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(items);

/** Each English word said in `language` by `words`; undefined when one is not known. */
function say(
  words: Record<string, Record<OtherLanguage, string>>,
  text: string,
  language: OtherLanguage,
  article?: RegExp,
) {
  const said = splitAnd(text).map((word) =>
    article ? words[word]?.[language].replace(article, "") : words[word]?.[language],
  );
  return said.every((word) => word !== undefined) ? list(language, said as string[]) : undefined;
}

function reason(english: string, language: OtherLanguage): string | undefined {
  const r = REASONS[language];
  let m: RegExpExecArray | null;
  if ((m = /^because you like (.+)$/.exec(english))) {
    const what = say(INTERESTS, m[1], language, language === "pt" ? /^(?:o|a|os|as) / : undefined);
    return what && r.like(what);
  }
  if (/^close to what you liked before/.test(english)) return r.likedBefore;
  if (english === "no booking needed") return r.free;
  if (english === "one of the best-known places nearby") return r.famous;
  if (english === "nearby") return r.nearby;
  if (english === "pay at the restaurant") return r.payThere;
  if (/^lunch\b/.test(english)) return /cuisine, as you asked\)$/.test(english) ? `${r.lunch} (${r.cuisine})` : r.lunch;
  if (/ cuisine, as you asked$/.test(english)) return r.cuisine;
  if ((m = /^(.+) options$/.exec(english))) {
    const diets = say(THINGS, m[1], language);
    return diets && r.diet(diets);
  }
  if ((m = /^has (.+)$/.exec(english))) {
    const amenities = say(THINGS, m[1], language);
    return amenities && r.has(amenities);
  }
  if ((m = /^rated (\d+(?:\.\d+)?) by ([\d,]+) guests$/.exec(english))) {
    const number = (value: number, digits: number) =>
      value.toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return r.rated(number(Number(m[1]), 1), number(Number(m[2].replace(/,/g, "")), 0));
  }
  if ((m = /^flies from (.+)$/.exec(english))) return r.flies(m[1]);
  return undefined;
}

/** Why a booking was chosen, in `language`; a reason it cannot say is left out rather than left in English. */
export function localiseWhy(why: string, language: OtherLanguage): string {
  const said = why
    .split("; ")
    .map((part) => reason(part, language))
    .filter((part): part is string => part !== undefined);
  return said.length > 0 ? said.join("; ") : REASONS[language].chosen;
}

/** Diets or amenities as the English lists them ("vegan and gluten-free") in `language`, if all are known. */
export function thingsIn(text: string, language: OtherLanguage): string | undefined {
  return say(THINGS, text, language);
}

/** An interest's label (as interests.ts names it) in `language`, if known. */
export function interestIn(label: string, language: OtherLanguage): string | undefined {
  return INTERESTS[label]?.[language];
}

/** A departure day's note ("Check out of Hotel X", "Travel home to Madrid") in `language`. */
export function localiseDayNote(text: string, language: OtherLanguage): string {
  const r = REASONS[language];
  const out = /^Check out of (.+)$/.exec(text);
  if (out) return r.checkOut(out[1]);
  const home = /^Travel home(?: to (.+))?$/.exec(text);
  if (home) return r.home(home[1]);
  return text;
}
