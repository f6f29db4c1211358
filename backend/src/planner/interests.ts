/**
 * What travellers say they like, and where the catalog keeps it: each interest has the words that express it and
 * the catalog tags (activity categories, activity tags, restaurant cuisines) that satisfy it. The reader finds
 * interests in a request by these words; the builder picks an item carrying one of the tags for each interest, or
 * says the destination has none.
 */

export interface Interest {
  /** What the reply calls it: "because you like {label}". */
  label: string;
  /** Words and phrases (lower case, accents folded) that express it. */
  words: string[];
  /** Catalog tags that satisfy it; an item with any of them shapes the plan for this interest. */
  tags: string[];
  /** A need rather than a taste: every activity chosen must carry one of the tags. */
  need?: boolean;
}

const I = (label: string, words: string[], tags: string[], need?: boolean): Interest => ({ label, words, tags, need });

/** Keyed by the name a plan lists in `interests`. Broad interests keep the catalog's activity categories as keys. */
export const INTEREST_VOCABULARY: Record<string, Interest> = {
  // Broad categories (also the catalog's activity categories).
  food: I("food", ["food", "foodie", "eat", "eating", "cuisine", "culinary", "gastronomy", "restaurants"], ["food"]),
  culture: I("culture", ["culture", "cultural", "heritage"], ["culture"]),
  outdoors: I("the outdoors", ["outdoors", "outdoor", "nature", "active", "adventure", "fresh air"], ["outdoors"]),
  nightlife: I("nightlife", ["nightlife", "party", "partying", "nights out", "night out", "going out"], ["nightlife"]),
  sightseeing: I("sightseeing", ["sightseeing", "sights", "landmarks", "must see", "highlights"], ["sightseeing"]),
  tour: I("guided tours", ["walking tour", "walking tours", "guided", "guided tour", "guided tours"], ["tour"]),
  "day trip": I("day trips", ["day trip", "day trips", "excursion", "excursions", "countryside"], ["day trip"]),
  beach: I("beaches", ["beach", "beaches", "seaside", "sand", "sunbathing", "coast"], ["beach"]),
  shopping: I("shopping", ["shopping", "shops", "boutiques", "souvenirs", "shop"], ["shopping"]),
  wellness: I("wellness", ["spa", "wellness", "relax", "relaxing", "massage", "pamper"], ["wellness"]),
  // Places and heritage.
  temples: I("temples", ["temple", "temples", "pagoda", "pagodas", "buddhist"], ["temple"]),
  shrines: I("shrines", ["shrine", "shrines", "shinto", "torii"], ["shrine"]),
  churches: I("churches", ["church", "churches", "cathedral", "cathedrals", "basilica", "chapels"], ["church"]),
  mosques: I("mosques", ["mosque", "mosques", "islamic architecture"], ["mosque"]),
  "religious sites": I(
    "religious sites",
    ["religious sites", "sacred sites", "pilgrimage", "spiritual"],
    ["temple", "shrine", "church", "mosque"],
  ),
  gardens: I(
    "gardens",
    ["garden", "gardens", "botanical", "botanic", "zen garden", "zen gardens", "flowers"],
    ["garden"],
  ),
  parks: I("parks", ["park", "parks", "green spaces", "picnic"], ["park", "garden"]),
  museums: I("museums", ["museum", "museums"], ["museum"]),
  art: I(
    "art",
    ["art", "arts", "gallery", "galleries", "painting", "paintings", "modern art", "contemporary art"],
    ["art"],
  ),
  "street art": I("street art", ["street art", "graffiti", "murals"], ["street art"]),
  history: I("history", ["history", "historic", "historical", "ancient", "medieval", "ruins", "roman"], ["history"]),
  architecture: I(
    "architecture",
    ["architecture", "buildings", "architectural", "gaudi", "modernisme"],
    ["architecture"],
  ),
  castles: I("castles", ["castle", "castles", "palace", "palaces", "fortress", "fort"], ["castle"]),
  "old town": I(
    "old towns",
    ["old town", "old city", "old quarter", "medina", "historic centre", "historic center"],
    ["old town"],
  ),
  science: I("science", ["science", "planetarium", "technology", "tech"], ["science"]),
  literature: I(
    "literature",
    ["literature", "books", "bookshops", "bookstores", "library", "libraries", "poetry"],
    ["literature"],
  ),
  film: I("film", ["film", "films", "cinema", "movies", "movie"], ["film"]),
  photography: I("photography", ["photography", "photo", "photos", "instagram", "photogenic"], ["photography"]),
  "local life": I(
    "local life",
    ["locals", "local life", "like a local", "off the beaten path", "hidden gems"],
    ["local life"],
  ),
  // Music and shows.
  music: I("music", ["music", "concert", "concerts", "gig", "gigs"], ["music"]),
  "live music": I("live music", ["live music", "live bands", "live band"], ["live music"]),
  jazz: I("jazz", ["jazz", "blues", "swing"], ["jazz"]),
  "classical music": I(
    "classical music",
    ["classical music", "classical", "orchestra", "symphony", "chamber music"],
    ["classical music"],
  ),
  opera: I("opera", ["opera", "operas"], ["opera"]),
  flamenco: I("flamenco", ["flamenco", "tablao"], ["flamenco"]),
  fado: I("fado", ["fado"], ["fado"]),
  tango: I("tango", ["tango", "milonga"], ["tango"]),
  theatre: I("theatre", ["theatre", "theater", "musical", "musicals", "broadway", "west end", "shows"], ["theatre"]),
  dance: I("dance", ["dance", "dancing", "salsa", "ballet"], ["dance", "flamenco", "tango"]),
  comedy: I("comedy", ["comedy", "stand up", "standup"], ["comedy"]),
  "traditional music": I("traditional music", ["traditional music", "folk music", "folk"], ["traditional music"]),
  festivals: I("festivals", ["festival", "festivals", "carnival"], ["festival"]),
  // Eating and drinking.
  "street food": I(
    "street food",
    ["street food", "food stalls", "hawker", "hawkers", "food market", "night market"],
    ["street food"],
  ),
  tapas: I("tapas", ["tapas", "pintxos", "pinchos"], ["tapas"]),
  markets: I(
    "markets",
    ["market", "markets", "flea market", "flea markets", "bazaar", "bazaars", "souk", "souks"],
    ["market"],
  ),
  "fine dining": I("fine dining", ["fine dining", "michelin", "gourmet", "tasting menu"], ["fine dining"]),
  cooking: I("cooking classes", ["cooking", "cooking class", "cooking classes", "learn to cook"], ["cooking"]),
  wine: I("wine", ["wine", "wines", "wine tasting", "vineyard", "vineyards", "winery", "wineries"], ["wine"]),
  beer: I("beer", ["beer", "beers", "brewery", "breweries", "craft beer", "pub", "pubs"], ["beer"]),
  cocktails: I("cocktails", ["cocktail", "cocktails", "cocktail bars", "speakeasy"], ["cocktails"]),
  coffee: I("coffee", ["coffee", "cafe", "cafes", "espresso", "specialty coffee"], ["coffee"]),
  tea: I("tea", ["tea", "tea ceremony", "teahouse", "tea house", "matcha"], ["tea"]),
  seafood: I("seafood", ["seafood", "fish", "oysters"], ["seafood"]),
  sushi: I("sushi", ["sushi", "sashimi"], ["japanese"]),
  ramen: I("ramen", ["ramen", "noodles"], ["japanese", "street food"]),
  pizza: I("pizza", ["pizza", "pasta"], ["italian"]),
  vegetarian: I("vegetarian food", ["vegetarian food", "veggie food", "plant based food"], ["vegetarian"]),
  chocolate: I("chocolate", ["chocolate", "chocolates", "desserts", "pastries", "pastry", "cake"], ["sweets"]),
  cheese: I("cheese", ["cheese", "cheeses"], ["cheese"]),
  // Outdoors and sport.
  hiking: I("hiking", ["hiking", "hike", "hikes", "trekking", "trek", "walks", "walking trails", "trails"], ["hiking"]),
  cycling: I("cycling", ["cycling", "bike", "biking", "bicycle", "bikes"], ["cycling"]),
  viewpoints: I(
    "views",
    ["views", "view", "viewpoint", "viewpoints", "panorama", "skyline", "rooftop views"],
    ["viewpoint"],
  ),
  sunsets: I("sunsets", ["sunset", "sunsets", "golden hour", "sunrise"], ["sunset"]),
  mountains: I("mountains", ["mountain", "mountains", "alps", "peaks"], ["mountains"]),
  lakes: I("lakes", ["lake", "lakes"], ["lake"]),
  rivers: I("rivers", ["river", "rivers", "canal", "canals"], ["river"]),
  boats: I("boat trips", ["boat", "boats", "cruise", "cruises", "boat trip", "sailing", "ferry"], ["boat"]),
  swimming: I("swimming", ["swimming", "swim", "snorkelling", "snorkeling", "diving", "scuba"], ["swimming"]),
  surfing: I("surfing", ["surfing", "surf", "surfers", "kitesurfing"], ["surfing"]),
  skiing: I("skiing", ["skiing", "ski", "snowboarding", "snowboard"], ["skiing"]),
  wildlife: I("wildlife", ["wildlife", "animals", "birdwatching", "safari", "zoo", "aquarium"], ["wildlife"]),
  sports: I("sports", ["sport", "sports", "football", "soccer", "stadium"], ["sports"]),
  golf: I("golf", ["golf", "golfing"], ["golf"]),
  yoga: I("yoga", ["yoga", "meditation", "mindfulness"], ["yoga"]),
  "hot springs": I(
    "hot springs",
    ["hot spring", "hot springs", "onsen", "thermal baths", "hammam", "bathhouse"],
    ["hot springs"],
  ),
  running: I("running", ["running", "jogging"], ["running"]),
  // Who is coming and what they need.
  kids: I(
    "travelling with children",
    ["kids", "children", "child", "family friendly", "family", "toddler"],
    ["family"],
  ),
  romance: I("romance", ["romantic", "romance", "honeymoon", "anniversary"], ["romantic"]),
  lgbtq: I("LGBTQ+ life", ["lgbt", "lgbtq", "gay", "queer", "pride"], ["lgbtq"]),
  accessibility: I(
    "step-free access",
    ["wheelchair", "accessible", "accessibility", "step free", "reduced mobility", "mobility"],
    ["step-free"],
    true,
  ),
  budget: I("free and cheap things", ["free things", "free activities", "cheap eats"], ["free"]),
  luxury: I("luxury experiences", ["luxury experiences", "vip", "exclusive"], ["luxury"]),
  // Style of trip.
  adventure: I(
    "adventure",
    ["adrenaline", "extreme", "zipline", "paragliding", "rafting", "kayak", "kayaking"],
    ["adventure"],
  ),
  "rainy day": I("indoor things", ["indoor", "indoors", "rainy day"], ["indoor"]),
};

/** Every interest word and phrase, for recognising a request's known words. */
export const INTEREST_WORDS: string[] = Object.values(INTEREST_VOCABULARY).flatMap((interest) => interest.words);

/** Phrase (space-separated words) → the interests it expresses. */
const BY_PHRASE = new Map<string, string[]>();
let LONGEST = 1;
for (const [key, interest] of Object.entries(INTEREST_VOCABULARY)) {
  for (const phrase of interest.words) {
    BY_PHRASE.set(phrase, [...(BY_PHRASE.get(phrase) ?? []), key]);
    LONGEST = Math.max(LONGEST, phrase.split(" ").length);
  }
}

/** Words that turn what follows into a dislike: "no museums", "not into nightlife", "without kids". */
const NEGATIONS = new Set(["no", "not", "without", "avoid", "hate", "dislike", "skip", "except"]);

/**
 * The interests a normalised request names, in the order it names them, and those it rules out. A longer phrase
 * wins over the words in it ("live music" is live music, not also music).
 */
export function findInterests(text: string): { interests: string[]; avoided: string[] } {
  const words = text.split(" ");
  const interests: string[] = [];
  const avoided: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(LONGEST, words.length - i); n >= 1; n--) {
      const keys = BY_PHRASE.get(words.slice(i, i + n).join(" "));
      if (!keys) continue;
      const negated = words.slice(Math.max(0, i - 3), i).some((w) => NEGATIONS.has(w));
      for (const key of keys) {
        const list = negated ? avoided : interests;
        if (!list.includes(key)) list.push(key);
      }
      i += n - 1;
      break;
    }
  }
  return { interests: interests.filter((key) => !avoided.includes(key)), avoided };
}

/** The catalog tags that satisfy an interest (an unknown one, e.g. from a saved profile, is its own tag). */
export function tagsOf(interest: string): string[] {
  return INTEREST_VOCABULARY[interest]?.tags ?? [interest];
}

/** How the reply names an interest. */
export function labelOf(interest: string): string {
  return INTEREST_VOCABULARY[interest]?.label ?? interest;
}
