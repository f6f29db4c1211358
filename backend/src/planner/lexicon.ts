/**
 * The words of trip requests in Spanish, French, German, Portuguese and Italian, as the English words the offline
 * reader knows. Keys are lower case without accents (the reader folds them); phrases are matched before single words.
 */
import type { VoiceLanguage } from "../voice/languages.js";

export type OtherLanguage = Exclude<VoiceLanguage, "en">;

const MONTHS: Record<OtherLanguage, string[]> = {
  es: "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(" "),
  fr: "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split(" "),
  de: "januar februar marz april mai juni juli august september oktober november dezember".split(" "),
  pt: "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro".split(" "),
  it: "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(" "),
};
const ENGLISH_MONTHS = "january february march april may june july august september october november december".split(
  " ",
);

const WEEKDAYS: Record<OtherLanguage, string[]> = {
  es: "domingo lunes martes miercoles jueves viernes sabado".split(" "),
  fr: "dimanche lundi mardi mercredi jeudi vendredi samedi".split(" "),
  de: "sonntag montag dienstag mittwoch donnerstag freitag samstag".split(" "),
  pt: "domingo segunda terca quarta quinta sexta sabado".split(" "),
  it: "domenica lunedi martedi mercoledi giovedi venerdi sabato".split(" "),
};
const ENGLISH_WEEKDAYS = "sunday monday tuesday wednesday thursday friday saturday".split(" ");

/** 2 to 20, then 30 (one is the article, read per language below). */
const NUMBERS: Record<OtherLanguage, string[]> = {
  es: "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte".split(
    " ",
  ),
  fr: "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf vingt".split(
    " ",
  ),
  de: "zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn zwanzig".split(
    " ",
  ),
  pt: "dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis dezessete dezoito dezenove vinte".split(
    " ",
  ),
  it: "due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici diciassette diciotto diciannove venti".split(
    " ",
  ),
};

/** English word → its forms in es, fr, de, pt, it (space-separated alternatives; "" when none). */
const WORDS: [string, string, string, string, string, string][] = [
  // Time and length.
  ["days", "dias", "jours journees", "tage tagen", "dias", "giorni"],
  ["day", "dia", "jour journee", "tag", "dia", "giorno"],
  ["nights", "noches", "nuits", "nachte nachten", "noites", "notti"],
  ["night", "noche", "nuit", "nacht", "noite", "notte"],
  ["weeks", "semanas", "semaines", "wochen", "semanas", "settimane"],
  ["week", "semana", "semaine", "woche", "semana", "settimana"],
  ["weekend", "finde", "week-end", "wochenende", "", "weekend"],
  ["month", "mes", "mois", "monat", "mes", "mese"],
  ["tomorrow", "manana", "demain", "morgen", "amanha", "domani"],
  ["today", "hoy", "", "heute", "hoje", "oggi"],
  [
    "next",
    "proximo proxima proximos",
    "prochain prochaine",
    "nachste nachsten nachstes",
    "proximo proxima",
    "prossimo prossima",
  ],
  ["this", "este esta", "ce cet cette", "diese dieses diesen", "este esta esse essa", "questo questa quest"],
  ["warm", "calido caluroso", "chaud", "warm", "quente", "caldo"],
  ["summer", "verano", "ete", "sommer", "verao", "estate"],
  ["winter", "invierno", "hiver", "winter", "", "inverno"],
  ["spring", "primavera", "printemps", "fruhling", "primavera", "primavera"],
  ["autumn", "otono", "automne", "herbst", "outono", "autunno"],
  ["from", "desde", "depuis", "ab", "desde", "dal dalla"],
  ["to", "a hasta", "a jusqu jusquau", "nach bis", "a ate", "a ad fino"],
  ["between", "entre", "entre", "zwischen", "entre", "tra fra"],
  ["in", "en", "en dans", "in im", "em no na", "in nel nella"],
  ["and", "y e", "et", "und", "e", "e ed"],
  ["of", "de", "de d", "von", "de", "di d"],
  ["for", "para", "pour", "fur", "para", "per"],
  ["with", "con", "avec", "mit", "com", "con"],
  ["without", "sin", "sans", "ohne", "sem", "senza"],
  ["no", "no ni", "pas", "kein keine keinen nicht", "nao nem", "non niente"],
  ["the", "el la los las lo", "le la les l du des", "der die das den dem", "o os as", "il lo la i gli le l"],
  ["a", "un una uno", "un une", "ein eine einen einem", "um uma", "un una uno"],
  ["my", "mi", "mon ma", "mein meine meiner meinem", "meu minha", "mio mia"],
  ["we", "nosotros", "nous", "wir", "nos", "noi"],
  ["see", "ver conocer", "voir decouvrir", "sehen", "ver conhecer", "vedere"],
  ["visit", "visitar", "visiter", "besuchen", "visitar", "visitare"],
  ["go", "ir", "aller", "fahren", "ir", "andare"],
  ["trip", "viaje escapada", "voyage sejour", "reise urlaub", "viagem", "viaggio vacanza"],
  ["thousand", "mil", "mille", "tausend", "mil", "mila mille"],
  // Countries (their largest city is planned).
  ["japan", "japon", "japon", "", "japao", "giappone"],
  ["spain", "espana", "espagne", "spanien", "espanha", "spagna"],
  ["france", "francia", "", "frankreich", "franca", "francia"],
  ["italy", "italia", "italie", "italien", "italia", "italia"],
  ["germany", "alemania", "allemagne", "deutschland", "alemanha", "germania"],
  ["greece", "grecia", "grece", "griechenland", "grecia", "grecia"],
  ["mexico", "", "mexique", "mexiko", "", "messico"],
  ["morocco", "marruecos", "maroc", "marokko", "marrocos", "marocco"],
  ["thailand", "tailandia", "thailande", "", "tailandia", "thailandia"],
  ["netherlands", "holanda", "pays-bas", "niederlande", "holanda", "olanda"],
  // Party.
  ["people", "personas", "personnes", "personen leute", "pessoas", "persone"],
  ["person", "persona", "personne", "person", "pessoa", "persona"],
  ["adults", "adultos", "adultes", "erwachsene", "adultos", "adulti"],
  ["kids", "ninos hijos", "enfants", "kinder kindern", "criancas filhos", "bambini figli"],
  ["friends", "amigos amigas", "amis amies", "freunde freunden", "amigos amigas", "amici amiche"],
  ["family", "familia", "famille", "familie", "familia", "famiglia"],
  ["group", "grupo", "groupe", "gruppe", "grupo", "gruppo"],
  ["wife", "mujer esposa", "femme epouse", "frau", "esposa mulher", "moglie"],
  ["husband", "marido esposo", "mari", "mann", "marido", "marito"],
  ["partner", "pareja", "partenaire", "partner partnerin", "parceiro parceira", "compagno compagna"],
  ["girlfriend", "novia", "copine", "freundin", "namorada", "ragazza fidanzata"],
  ["boyfriend", "novio", "copain", "freund", "namorado", "ragazzo fidanzato"],
  ["alone", "sola", "seul seule", "allein alleine", "sozinho sozinha", "sola"],
  ["only", "solo solamente", "seulement", "nur", "so", "solo soltanto"],
  ["honeymoon", "", "", "flitterwochen", "", ""],
  // Money.
  ["budget", "presupuesto", "budget", "budget", "orcamento", "budget"],
  ["dollars", "dolares", "dollars", "dollar", "dolares", "dollari"],
  ["pounds", "libras", "livres", "pfund", "libras", "sterline"],
  ["yen", "yenes", "yens", "yen", "ienes", "yen"],
  ["max", "maximo", "maximum max", "maximal hochstens", "maximo", "massimo"],
  ["cheap", "barato economico", "economique", "billig gunstig", "barato economico", "economico"],
  ["luxury", "lujo", "luxe", "luxus", "luxo", "lusso"],
  [
    "relaxed",
    "relajado tranquilo",
    "detendu tranquille",
    "entspannt gemutlich ruhig",
    "relaxado tranquilo",
    "rilassato tranquillo",
  ],
  ["packed", "intenso", "charge intense", "voll intensiv", "intenso", "intenso"],
  // Interests.
  ["temples", "templos", "temples", "tempel", "templos", "templi"],
  ["temple", "templo", "temple", "", "templo", "tempio"],
  ["shrines", "santuarios", "sanctuaires", "schreine", "santuarios", "santuari"],
  ["gardens", "jardines", "jardins", "garten gaerten", "jardins", "giardini"],
  ["garden", "jardin", "jardin", "", "jardim", "giardino"],
  ["parks", "parques", "parcs", "parks", "parques", "parchi"],
  ["museums", "museos", "musees", "museen", "museus", "musei"],
  ["museum", "museo", "musee", "museum", "museu", "museo"],
  ["art", "arte", "art", "kunst", "arte", "arte"],
  ["history", "historia", "histoire", "geschichte", "historia", "storia"],
  ["ruins", "ruinas", "ruines", "ruinen", "ruinas", "rovine"],
  ["architecture", "arquitectura", "architecture", "architektur", "arquitetura", "architettura"],
  ["castles", "castillos palacios", "chateaux palais", "burgen schlosser", "castelos palacios", "castelli palazzi"],
  ["castle", "castillo", "chateau", "burg schloss", "castelo", "castello"],
  ["churches", "iglesias catedrales", "eglises cathedrales", "kirchen", "igrejas", "chiese"],
  ["mosques", "mezquitas", "mosquees", "moscheen", "mesquitas", "moschee"],
  ["wine", "vino vinos", "vin vins", "wein weine", "vinho vinhos", "vino vini"],
  ["beer", "cerveza cervezas", "biere bieres", "bier", "cerveja cervejas", "birra birre"],
  ["coffee", "cafe cafes", "cafe cafes", "kaffee", "cafe cafes", "caffe"],
  ["food", "comida gastronomia", "gastronomie nourriture", "", "comida gastronomia", "cibo gastronomia cucina"],
  ["music", "musica", "musique", "musik", "musica", "musica"],
  ["theatre", "teatro", "theatre", "theater", "teatro", "teatro"],
  ["opera", "opera", "opera", "oper", "opera", "opera"],
  ["beaches", "playas", "plages", "strande", "praias", "spiagge"],
  ["beach", "playa", "plage", "strand", "praia", "spiaggia"],
  ["hiking", "senderismo", "randonnee randonnees", "wandern wanderungen", "trilhas caminhadas", "escursioni"],
  ["markets", "mercados", "marches", "markte", "mercados", "mercati"],
  ["market", "mercado", "marche", "markt", "mercado", "mercato"],
  ["shopping", "compras", "", "einkaufen", "compras", ""],
  ["cycling", "bicicleta", "velo", "fahrrad radfahren", "bicicleta", "bicicletta"],
  ["boat", "barco", "bateau", "boot bootsfahrt", "barco", "barca battello"],
  ["lakes", "lagos", "lacs", "seen", "lagos", "laghi"],
  ["lake", "lago", "lac", "", "lago", "lago"],
  ["mountains", "montanas", "montagnes", "berge", "montanhas", "montagne"],
  ["chocolate", "chocolate", "chocolat", "schokolade", "chocolate", "cioccolato"],
  ["cheese", "queso quesos", "fromage fromages", "kase", "queijo queijos", "formaggio formaggi"],
  ["seafood", "marisco mariscos", "", "meeresfruchte", "mariscos", ""],
  ["views", "vistas miradores", "vues panoramas", "aussicht aussichten", "vistas miradouros", "panorami"],
  ["nightlife", "", "", "nachtleben", "", ""],
];

/** Phrases first: "vida nocturna", "fin de semana", "somos 3" (each a regular expression over folded words). */
const PHRASES: Record<OtherLanguage, [string, string][]> = {
  es: [
    ["presupuesto de", "budget"],
    ["somos (\\d+)", "$1 people"],
    ["(?:viajo|voy|ir|yo) (?:solo|sola)", "alone"],
    ["en pareja", "as a couple"],
    ["luna de miel", "honeymoon"],
    ["fin(?:es)? de semana largo", "long weekend"],
    ["fin(?:es)? de semana", "weekend"],
    ["puente", "long weekend"],
    ["la semana que viene|la proxima semana|la semana proxima", "next week"],
    ["el mes que viene|el proximo mes|el mes proximo", "next month"],
    ["a partir del? (\\d+)|desde el (\\d+)", "from $1$2"],
    ["del (\\d+)", "from $1"],
    ["al (\\d+)", "to $1"],
    ["por persona|cada uno", "per person"],
    ["por (?:dia|noche)|al dia", "per day"],
    ["menos de|como mucho|como maximo", "under"],
    ["vida nocturna|salir de noche|ir de fiesta", "nightlife"],
    ["comida callejera", "street food"],
    ["musica clasica", "classical music"],
    ["arte urbano|arte callejero", "street art"],
    ["paseos? en barco", "boat trips"],
    ["puestas? de sol|atardeceres", "sunsets"],
    ["casco antiguo|ciudad vieja", "old town"],
    ["francos suizos", "swiss francs"],
  ],
  fr: [
    ["budget de", "budget"],
    ["nous sommes (\\d+)|on est (\\d+)", "$1$2 people"],
    ["(?:je voyage|je pars) (?:seul|seule)|tout seul|toute seule", "alone"],
    ["en couple", "as a couple"],
    ["lune de miel|voyage de noces", "honeymoon"],
    ["long week-end|long weekend|week-end prolonge", "long weekend"],
    ["fin de semaine", "weekend"],
    ["la semaine prochaine", "next week"],
    ["le mois prochain", "next month"],
    ["le week-end prochain|le weekend prochain", "next weekend"],
    ["ce week-end|ce weekend", "this weekend"],
    ["a partir du (\\d+)|a partir de (\\d+)", "from $1$2"],
    ["du (\\d+)", "from $1"],
    ["au (\\d+)", "to $1"],
    ["par personne|chacun", "per person"],
    ["par jour|par nuit", "per day"],
    ["moins de|au maximum|au plus", "under"],
    ["pas cher|bon marche", "cheap"],
    ["vie nocturne|sortir le soir|faire la fete", "nightlife"],
    ["cuisine de rue", "street food"],
    ["musique classique", "classical music"],
    ["art urbain|art de rue", "street art"],
    ["balades? en bateau|promenades? en bateau", "boat trips"],
    ["couchers? de soleil", "sunsets"],
    ["vieille ville", "old town"],
    ["fruits de mer", "seafood"],
    ["francs suisses", "swiss francs"],
  ],
  de: [
    ["budget von", "budget"],
    ["wir sind (\\d+)|zu (\\d+)t", "$1$2 people"],
    ["zu zweit", "2 people"],
    ["zu dritt", "3 people"],
    ["zu viert", "4 people"],
    ["langes wochenende|verlangertes wochenende", "long weekend"],
    ["nachste woche|nachsten woche", "next week"],
    ["nachsten monat|nachster monat", "next month"],
    ["vom (\\d+)", "from $1"],
    ["ab dem (\\d+)|ab (\\d+)", "from $1$2"],
    ["bis zum (\\d+)|bis (\\d+)", "to $1$2"],
    ["pro person|je person|pro kopf", "per person"],
    ["pro tag|pro nacht|am tag", "per day"],
    ["weniger als|hochstens|maximal|bis zu", "under"],
    ["klassische musik|klassischer musik", "classical music"],
    ["street-art|street art|strassenkunst", "street art"],
    ["streetfood|street food|strassenessen", "street food"],
    ["sonnenuntergang|sonnenuntergange", "sunsets"],
    ["altstadt", "old town"],
    ["schweizer franken|franken", "swiss francs"],
  ],
  pt: [
    ["orcamento de", "budget"],
    ["somos (\\d+)", "$1 people"],
    ["(?:viajo|vou) (?:sozinho|sozinha|so)", "alone"],
    ["em casal", "as a couple"],
    ["lua de mel", "honeymoon"],
    ["(?:fim|fins) de semana prolongado|feriadao", "long weekend"],
    ["(?:fim|fins) de semana", "weekend"],
    ["semana que vem|a proxima semana|proxima semana", "next week"],
    ["mes que vem|o proximo mes|proximo mes", "next month"],
    ["a partir de (\\d+)|a partir do (\\d+)", "from $1$2"],
    ["do (\\d+)", "from $1"],
    ["ao (\\d+)", "to $1"],
    ["por pessoa|cada um", "per person"],
    ["por dia|por noite", "per day"],
    ["menos de|no maximo", "under"],
    ["vida noturna|sair a noite", "nightlife"],
    ["comida de rua", "street food"],
    ["musica classica", "classical music"],
    ["arte de rua|arte urbana", "street art"],
    ["passeios? de barco", "boat trips"],
    ["por do sol|pores do sol", "sunsets"],
    ["centro historico|cidade velha", "old town"],
    ["frutos do mar", "seafood"],
    ["francos suicos", "swiss francs"],
  ],
  it: [
    ["budget di", "budget"],
    ["siamo (?:in )?(\\d+)", "$1 people"],
    ["in (\\d+) persone", "$1 people"],
    ["(?:viaggio|vado) (?:da solo|da sola)|da solo|da sola", "alone"],
    ["in coppia", "as a couple"],
    ["luna di miele|viaggio di nozze", "honeymoon"],
    ["ponte|weekend lungo|fine settimana lungo", "long weekend"],
    ["fine settimana|finesettimana", "weekend"],
    ["la settimana prossima|la prossima settimana", "next week"],
    ["il mese prossimo|il prossimo mese", "next month"],
    ["a partire dal (\\d+)|a partire da (\\d+)", "from $1$2"],
    ["dal (\\d+)", "from $1"],
    ["al (\\d+)", "to $1"],
    ["a persona|per persona|a testa", "per person"],
    ["al giorno|a notte|per notte", "per day"],
    ["meno di|al massimo", "under"],
    ["vita notturna|uscire la sera", "nightlife"],
    ["cibo di strada|street food", "street food"],
    ["musica classica", "classical music"],
    ["arte di strada|street art", "street art"],
    ["gite? in barca|giri? in barca", "boat trips"],
    ["tramonto|tramonti", "sunsets"],
    ["centro storico|citta vecchia", "old town"],
    ["frutti di mare", "seafood"],
    ["franchi svizzeri", "swiss francs"],
  ],
};

/** Short words that mark each language in a request, beside its vocabulary above. */
const MARKERS: Record<VoiceLanguage, string[]> = {
  en: "the and for with days nights week trip we i my of from people to in want".split(" "),
  es: "el los las del y para por una quiero viaje dias noches semana somos con al mi nos me que presupuesto en".split(
    " ",
  ),
  fr: "le les du des et pour une je voyage jours nuits semaine nous avec au aux mon ma sommes en".split(" "),
  de: "der die das und fur mit ein eine ich reise tage woche wir nach vom bis im nachte mochte".split(" "),
  pt: "o os do da em e para um uma quero viagem dias noites semana somos com no na meu minha que vem voce".split(" "),
  it: "il lo gli di del della e per un una voglio viaggio giorni notti settimana siamo con nel mio".split(" "),
};

export interface Lexicon {
  /** Phrases whose English is final (not read word by word again). */
  phrases: [RegExp, string][];
  /** "3 de mayo", "3. Mai", "3 di maggio" → "3 mayo": the month is then read as a word. */
  dayMonth: RegExp;
  words: Map<string, string>;
}

const lexicons = new Map<OtherLanguage, Lexicon>();

const LANGUAGE_COLUMN: Record<OtherLanguage, number> = { es: 1, fr: 2, de: 3, pt: 4, it: 5 };

/** The phrase rules and word table of one language (built once). */
export function lexiconOf(language: OtherLanguage): Lexicon {
  let lexicon = lexicons.get(language);
  if (lexicon) return lexicon;
  const words = new Map<string, string>();
  const column = LANGUAGE_COLUMN[language];
  for (const row of WORDS) {
    for (const form of row[column].split(" ").filter(Boolean)) if (!words.has(form)) words.set(form, row[0]);
  }
  MONTHS[language].forEach((month, i) => words.set(month, ENGLISH_MONTHS[i]));
  WEEKDAYS[language].forEach((day, i) => words.set(day, ENGLISH_WEEKDAYS[i]));
  NUMBERS[language].forEach((number, i) => words.set(number, String(i + 2)));
  if (language === "pt") words.set("duas", "2");
  words.set({ es: "treinta", fr: "trente", de: "dreissig", pt: "trinta", it: "trenta" }[language], "30");
  const boundary = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, "giu");
  const phrases: [RegExp, string][] = PHRASES[language].map(([pattern, english]) => [boundary(pattern), english]);
  const months = MONTHS[language].join("|");
  const dayMonth = boundary(`(\\d{1,2})\\s+(?:de\\s+|di\\s+|d\\s+)?(${months})`);
  lexicon = { phrases, dayMonth, words };
  lexicons.set(language, lexicon);
  return lexicon;
}

/** English words, which mark no other language even where it writes them too ("art", "budget", "in"). */
const ENGLISH_WORDS = new Set([
  ...MARKERS.en,
  ...WORDS.map((row) => row[0]),
  ...ENGLISH_MONTHS,
  ...ENGLISH_WEEKDAYS,
  ..."a an do no so is it as on at by art die see tapas weekend".split(" "),
]);
const markers = new Map<VoiceLanguage, Set<string>>();

/** The words (lower case, no accents) that show a request is in this language. */
export function markersOf(language: VoiceLanguage): Set<string> {
  let set = markers.get(language);
  if (set) return set;
  if (language === "en") set = ENGLISH_WORDS;
  else {
    const own = [...MARKERS[language], ...lexiconOf(language).words.keys()];
    set = new Set(own.filter((word) => !ENGLISH_WORDS.has(word) && !/^\d/.test(word)));
  }
  markers.set(language, set);
  return set;
}
