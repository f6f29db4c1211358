/**
 * The offline planner's answer said in the traveller's language: the plan's summary is written again from the plan
 * (dates, money and lists as that language writes them), questions and refusals by what they ask or refuse.
 * English answers are returned as they are.
 */
import { parseDay } from "../catalog/dates.js";
import type { VoiceLanguage } from "../voice/languages.js";
import type { OtherLanguage } from "./lexicon.js";
import { localiseIdeas, noIdeas } from "./localise-ideas.js";
import { interestIn, localiseDayNote, localiseWhy, thingsIn } from "./localise-why.js";
import { unsay } from "./reply.js";
import type { Answer, Plan, PlanEvent } from "./types.js";

interface Phrases {
  /** "3 días y 2 noches en Lisboa para 2 personas, del lunes 3 de mayo al …, en Hotel X." */
  stay(days: number, nights: number, city: string, guests: number, from: string, to: string, hotel: string): string;
  flight: string;
  highlights(names: string[], more: number): string;
  dinners(n: number): string;
  relaxed: string;
  packed: string;
  total(total: string, budget?: string): string;
  missing: string;
  /** Places from OpenStreetMap set between the bookings, the first three named. */
  visits(names: string[], more: number): string;
  whereTo: string;
  /** A place the catalog does not know, with the names it might be ("Lisboa o Lisbon, Portugal"). */
  unknown(word: string, options?: string): string;
  /** Places of the same name: which one. */
  which(options: string): string;
  or: string;
  when(city: string): string;
  oneCity(names: string[]): string;
  ideas: string;
  cannot: string;
  reasons: [RegExp, string][];
  /** What the planner is doing, streamed while it plans. */
  status: {
    reading: string;
    looking(city: string, nights: number): string;
    finding(city: string): string;
    staying(hotel: string): string;
    day(index: number, of: number): string;
  };
  /** The planner's usual assumptions (others stay in English). */
  notes: {
    length(days: number, nights: number): string;
    start(day: string): string;
    oneTraveller: string;
    dollars(amount: string): string;
    rate(currency: string): string;
    month(day: string, month: string): string;
    country(country: string, city: string): string;
    corrected(word: string, place: string): string;
    /** An interest the destination's catalog has nothing for. */
    nothing(city: string, interest: string): string;
    /** An interest with nothing free on the trip's days. */
    notFree(interest: string, city: string): string;
    /** A need no activity meets, and one every activity meets. */
    noneOffers(city: string, need: string): string;
    everyOffers(need: string): string;
    full(items: number): string;
    /** Places to visit could not be fetched: bookings only. */
    noPlaces: string;
    stars(stars: string): string;
    flightOver(from: string): string;
    noFlight(from: string, to: string, day: string): string;
    noDiet(city: string, diets: string): string;
    /** The length said does not match the dates said: the dates win. */
    saidLength(said: number, unit: "days" | "nights", from: string, to: string, is: number): string;
  };
}

const list = (language: OtherLanguage, items: string[]) =>
  new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(items);

const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const PHRASES: Record<OtherLanguage, Phrases> = {
  es: {
    stay: (d, ni, city, g, from, to, hotel) =>
      `${n(d, "día", "días")} y ${n(ni, "noche", "noches")} en ${city}${g > 1 ? ` para ${g} personas` : ""}, del ${from} al ${to}, en ${hotel}.`,
    flight: "Tu vuelo es el primer día.",
    highlights: (names, more) =>
      `Lo más destacado: ${list("es", [...names, ...(more > 0 ? [n(more, "actividad más", "actividades más")] : [])])}.`,
    dinners: (c) => `${n(c, "cena reservada", "cenas reservadas")}.`,
    relaxed: "Un ritmo tranquilo: una actividad al día.",
    packed: "Un ritmo intenso: hasta tres actividades en los días completos.",
    total: (t, b) => `Unos ${t} en total${b ? `, dentro de tu presupuesto de ${b}` : ""}.`,
    missing: "Algunos de tus intereses no están en el catálogo para esos días; mira las notas.",
    visits: (names, more) =>
      `Para visitar gratis entre las reservas: ${list("es", [...names, ...(more > 0 ? [n(more, "lugar más", "lugares más")] : [])])} (de OpenStreetMap).`,
    whereTo: "¿Adónde te gustaría ir? Dime una ciudad y por cuánto tiempo.",
    unknown: (w, o) =>
      o ? `No conozco ${w}. ¿Quieres decir ${o}?` : `No conozco ${w} como destino. ¿Qué ciudad te gustaría visitar?`,
    which: (o) => `¿Cuál quieres decir: ${o}?`,
    or: "o",
    when: (city) => `¿Cuándo te gustaría ir a ${city} y por cuánto tiempo? Por ejemplo: «3 días desde el 4 de junio».`,
    oneCity: (names) =>
      `Planifico una ciudad cada vez. ¿Cuál primero: ${list("es", names).replace(/ y ([^ ]+)$/, " o $1")}?`,
    ideas: "Dime una ciudad y la planifico.",
    cannot: "No puedo planificar ese viaje",
    reasons: [
      [/in the past/, "esas fechas ya han pasado"],
      [/does not exist|is not a date/, "esa fecha no existe"],
      [/at least one traveller/, "un viaje necesita al menos un viajero"],
      [/at most 9 travellers/, "una reserva admite como máximo 9 viajeros"],
      [/budget must be more than zero/, "el presupuesto debe ser mayor que cero"],
      [/over the budget/, "el hotel más barato supera tu presupuesto; súbelo o acorta el viaje"],
      [/limited to (\d+) nights/, "los viajes tienen como máximo $1 noches"],
      [/end after it starts|at least one night/, "el viaje debe terminar después de empezar"],
      [/months ahead/, "solo se puede reservar con unos meses de antelación; elige fechas más cercanas"],
      [/no hotel/, "no hay ningún hotel libre todas esas noches; prueba otras fechas"],
      [/not somewhere we can book/, "solo reservo hoteles, vuelos, actividades y restaurantes reales en la Tierra"],
    ],
    status: {
      reading: "Leyendo tu petición",
      looking: (c, ni) => `Buscando en ${c} para ${n(ni, "noche", "noches")}`,
      finding: (c) => `Buscando lugares que visitar en ${c}`,
      staying: (h) => `Alojamiento: ${h}`,
      day: (i, of) => `Día ${i} de ${of} planificado`,
    },
    notes: {
      length: (d, ni) => `${n(d, "día", "días")} y ${n(ni, "noche", "noches")}, porque no dijiste cuánto tiempo.`,
      start: (day) => `Empieza el ${day}, dentro de dos semanas; dime tus fechas para cambiarlo.`,
      oneTraveller: "Para un viajero; dime si viene alguien más.",
      dollars: (amount) => `Entendí tu presupuesto de ${amount} en dólares estadounidenses.`,
      rate: (currency) => `Los importes en ${currency} usan un tipo de cambio aproximado; pagas en USD.`,
      month: (day, month) => `Fechas: desde el ${day}, el primer día disponible en ${month}.`,
      country: (country, city) => `${country} es un país: planifiqué ${city}, su ciudad más grande.`,
      corrected: (w, p) => `Entendí «${w}» como ${p}.`,
      nothing: (city, what) => `${city} no tiene nada de ${what} en el catálogo.`,
      notFree: (what, city) => `Nada de ${what} está libre en tus días en ${city} dentro del plan.`,
      noneOffers: (city, need) => `Ninguna actividad en ${city} ofrece ${need}; dejé fuera las actividades.`,
      everyOffers: (need) => `Todas las actividades ofrecen ${need}, como necesitas.`,
      full: (items) =>
        `Una reserva admite ${items} elementos, así que los últimos días tienen menos actividades y cenas.`,
      noPlaces: "Los lugares para visitar de OpenStreetMap no están disponibles ahora; el plan solo tiene reservas.",
      stars: (s) => `No hay ningún hotel de ${s} estrellas libre en esas fechas; elegí el mejor disponible.`,
      flightOver: (from) => `El vuelo desde ${from} no cabe en el presupuesto; lo dejé fuera.`,
      noFlight: (from, to, d) => `No hay ningún vuelo de ${from} a ${to} el ${d} en el catálogo.`,
      noDiet: (city, diets) => `Ningún restaurante de ${city} tiene opciones ${diets}; dejé fuera las cenas.`,
      saidLength: (said, unit, from, to, is) =>
        `Fechas: dijiste ${n(said, unit === "days" ? "día" : "noche", unit === "days" ? "días" : "noches")}, y del ${from} al ${to} son ${is}; planifiqué las fechas.`,
    },
  },
  fr: {
    stay: (d, ni, city, g, from, to, hotel) =>
      `${n(d, "jour", "jours")} et ${n(ni, "nuit", "nuits")} à ${city}${g > 1 ? ` pour ${g} personnes` : ""}, du ${from} au ${to}, hébergement : ${hotel}.`,
    flight: "Votre vol est le premier jour.",
    highlights: (names, more) =>
      `Points forts : ${list("fr", [...names, ...(more > 0 ? [n(more, "autre activité", "autres activités")] : [])])}.`,
    dinners: (c) => `${n(c, "dîner réservé", "dîners réservés")}.`,
    relaxed: "Un rythme tranquille : une activité par jour.",
    packed: "Un rythme soutenu : jusqu’à trois activités les jours complets.",
    total: (t, b) => `Environ ${t} au total${b ? `, dans votre budget de ${b}` : ""}.`,
    missing: "Certains de vos centres d’intérêt ne sont pas au catalogue ces jours-là ; voir les notes.",
    visits: (names, more) =>
      `À visiter librement entre les réservations : ${list("fr", [...names, ...(more > 0 ? [n(more, "autre lieu", "autres lieux")] : [])])} (d’OpenStreetMap).`,
    whereTo: "Où aimeriez-vous aller ? Dites-moi une ville, et pour combien de temps.",
    unknown: (w, o) =>
      o
        ? `Je ne connais pas ${w}. Voulez-vous dire ${o} ?`
        : `Je ne connais pas ${w} comme destination. Quelle ville aimeriez-vous visiter ?`,
    which: (o) => `Laquelle voulez-vous dire : ${o} ?`,
    or: "ou",
    when: (city) =>
      `Quand aimeriez-vous aller à ${city}, et pour combien de temps ? Par exemple « 3 jours à partir du 4 juin ».`,
    oneCity: (names) =>
      `Je planifie une ville à la fois. Laquelle d’abord : ${list("fr", names).replace(/ et ([^ ]+)$/, " ou $1")} ?`,
    ideas: "Dites-m’en une et je la planifie.",
    cannot: "Je ne peux pas planifier ce voyage",
    reasons: [
      [/in the past/, "ces dates sont passées"],
      [/does not exist|is not a date/, "cette date n’existe pas"],
      [/at least one traveller/, "un voyage demande au moins un voyageur"],
      [/at most 9 travellers/, "une réservation accepte au plus 9 voyageurs"],
      [/budget must be more than zero/, "le budget doit être supérieur à zéro"],
      [/over the budget/, "l’hôtel le moins cher dépasse votre budget ; augmentez-le ou raccourcissez le voyage"],
      [/limited to (\d+) nights/, "les voyages sont limités à $1 nuits"],
      [/end after it starts|at least one night/, "le voyage doit finir après avoir commencé"],
      [/months ahead/, "on ne réserve que quelques mois à l’avance ; choisissez des dates plus proches"],
      [/no hotel/, "aucun hôtel n’est libre toutes ces nuits ; essayez d’autres dates"],
      [/not somewhere we can book/, "je ne réserve que de vrais hôtels, vols, activités et restaurants sur Terre"],
    ],
    status: {
      reading: "Lecture de votre demande",
      looking: (c, ni) => `Recherche à ${c} pour ${n(ni, "nuit", "nuits")}`,
      finding: (c) => `Recherche de lieux à visiter à ${c}`,
      staying: (h) => `Hébergement : ${h}`,
      day: (i, of) => `Jour ${i} sur ${of} planifié`,
    },
    notes: {
      length: (d, ni) =>
        `${n(d, "jour", "jours")} et ${n(ni, "nuit", "nuits")}, car vous n’avez pas dit combien de temps.`,
      start: (day) => `Départ le ${day}, dans deux semaines ; donnez-moi vos dates pour le changer.`,
      oneTraveller: "Pour un voyageur ; dites-moi si d’autres viennent.",
      dollars: (amount) => `J’ai lu votre budget de ${amount} en dollars américains.`,
      rate: (currency) =>
        `Les montants en ${currency} utilisent un taux de référence approximatif ; vous payez en USD.`,
      month: (day, month) => `Dates : à partir du ${day}, le premier jour possible en ${month}.`,
      country: (country, city) => `${country} est un pays : j’ai planifié ${city}, sa plus grande ville.`,
      corrected: (w, p) => `J’ai lu « ${w} » comme ${p}.`,
      nothing: (city, what) => `${city} n’a rien pour ${what} au catalogue.`,
      notFree: (what, city) => `Rien pour ${what} n’est libre vos jours à ${city} dans le programme.`,
      noneOffers: (city, need) => `Aucune activité à ${city} n’offre ${need} ; j’ai laissé les activités de côté.`,
      everyOffers: (need) => `Chaque activité offre ${need}, comme il vous le faut.`,
      full: (items) =>
        `Une réservation contient ${items} éléments, donc les derniers jours ont moins d’activités et de dîners.`,
      noPlaces:
        "Les lieux à visiter d’OpenStreetMap sont indisponibles pour le moment ; le programme n’a que des réservations.",
      stars: (s) => `Aucun hôtel ${s} étoiles n’est libre à ces dates ; j’ai choisi le meilleur disponible.`,
      flightOver: (from) => `Le vol depuis ${from} ne tient pas dans le budget ; je l’ai laissé de côté.`,
      noFlight: (from, to, d) => `Aucun vol de ${from} à ${to} le ${d} au catalogue.`,
      noDiet: (city, diets) =>
        `Aucun restaurant de ${city} ne propose d’options ${diets} ; les dîners sont laissés de côté.`,
      saidLength: (said, unit, from, to, is) =>
        `Dates : vous avez dit ${n(said, unit === "days" ? "jour" : "nuit", unit === "days" ? "jours" : "nuits")}, et du ${from} au ${to} cela fait ${is} ; j’ai suivi les dates.`,
    },
  },
  de: {
    stay: (d, ni, city, g, from, to, hotel) =>
      `${n(d, "Tag", "Tage")} und ${n(ni, "Nacht", "Nächte")} in ${city}${g > 1 ? ` für ${g} Personen` : ""}, von ${from} bis ${to}, im ${hotel}.`,
    flight: "Dein Flug ist am ersten Tag.",
    highlights: (names, more) =>
      `Höhepunkte: ${list("de", [...names, ...(more > 0 ? [n(more, "weitere Aktivität", "weitere Aktivitäten")] : [])])}.`,
    dinners: (c) => `${n(c, "Abendessen", "Abendessen")} reserviert.`,
    relaxed: "Ein entspanntes Tempo: eine Aktivität pro Tag.",
    packed: "Ein volles Programm: bis zu drei Aktivitäten an ganzen Tagen.",
    total: (t, b) => `Etwa ${t} insgesamt${b ? `, innerhalb deines Budgets von ${b}` : ""}.`,
    missing: "Für einige deiner Interessen gibt es an diesen Tagen nichts im Katalog; siehe die Hinweise.",
    visits: (names, more) =>
      `Kostenlos zu besuchen zwischen den Buchungen: ${list("de", [...names, ...(more > 0 ? [n(more, "weiterer Ort", "weitere Orte")] : [])])} (aus OpenStreetMap).`,
    whereTo: "Wohin möchtest du reisen? Nenne mir eine Stadt und wie lange.",
    unknown: (w, o) =>
      o
        ? `${w} kenne ich nicht. Meinst du ${o}?`
        : `${w} kenne ich nicht als Reiseziel. Welche Stadt möchtest du besuchen?`,
    which: (o) => `Welches meinst du: ${o}?`,
    or: "oder",
    when: (city) => `Wann möchtest du nach ${city} und wie lange? Zum Beispiel „3 Tage ab dem 4. Juni“.`,
    oneCity: (names) =>
      `Ich plane eine Stadt nach der anderen. Welche zuerst: ${list("de", names).replace(/ und ([^ ]+)$/, " oder $1")}?`,
    ideas: "Nenne mir eine, und ich plane sie.",
    cannot: "Diese Reise kann ich nicht planen",
    reasons: [
      [/in the past/, "diese Daten liegen in der Vergangenheit"],
      [/does not exist|is not a date/, "dieses Datum gibt es nicht"],
      [/at least one traveller/, "eine Reise braucht mindestens einen Reisenden"],
      [/at most 9 travellers/, "eine Buchung nimmt höchstens 9 Reisende"],
      [/budget must be more than zero/, "das Budget muss größer als null sein"],
      [/over the budget/, "das günstigste Hotel übersteigt dein Budget; erhöhe es oder verkürze die Reise"],
      [/limited to (\d+) nights/, "Reisen dauern höchstens $1 Nächte"],
      [/end after it starts|at least one night/, "die Reise muss nach ihrem Beginn enden"],
      [/months ahead/, "Buchungen gehen nur wenige Monate im Voraus; wähle frühere Daten"],
      [/no hotel/, "kein Hotel ist in all diesen Nächten frei; versuche andere Daten"],
      [/not somewhere we can book/, "ich buche nur echte Hotels, Flüge, Aktivitäten und Restaurants auf der Erde"],
    ],
    status: {
      reading: "Ich lese deine Anfrage",
      looking: (c, ni) => `Suche in ${c} für ${n(ni, "Nacht", "Nächte")}`,
      finding: (c) => `Suche nach Orten zum Besuchen in ${c}`,
      staying: (h) => `Unterkunft: ${h}`,
      day: (i, of) => `Tag ${i} von ${of} geplant`,
    },
    notes: {
      length: (d, ni) => `${n(d, "Tag", "Tage")} und ${n(ni, "Nacht", "Nächte")}, da du nicht gesagt hast, wie lange.`,
      start: (day) => `Beginn am ${day}, in zwei Wochen; nenne mir deine Daten, um es zu ändern.`,
      oneTraveller: "Für eine Person; sag mir, wenn mehr mitkommen.",
      dollars: (amount) => `Ich habe dein Budget von ${amount} als US-Dollar gelesen.`,
      rate: (currency) => `Beträge in ${currency} nutzen einen ungefähren Referenzkurs; du zahlst in USD.`,
      month: (day, month) => `Daten: ab ${day}, dem ersten möglichen Tag im ${month}.`,
      country: (country, city) => `${country} ist ein Land: Ich habe ${city} geplant, seine größte Stadt.`,
      corrected: (w, p) => `Ich habe „${w}“ als ${p} gelesen.`,
      nothing: (city, what) => `${city} hat im Katalog nichts für ${what}.`,
      notFree: (what, city) => `Für ${what} ist an deinen Tagen in ${city} im Plan nichts frei.`,
      noneOffers: (city, need) => `Keine Aktivität in ${city} bietet ${need}; ich habe Aktivitäten weggelassen.`,
      everyOffers: (need) => `Jede Aktivität bietet ${need}, wie du es brauchst.`,
      full: (items) =>
        `Eine Buchung fasst ${items} Posten, daher haben die letzten Tage weniger Aktivitäten und Abendessen.`,
      noPlaces: "Orte zum Besuchen aus OpenStreetMap sind gerade nicht verfügbar; der Plan enthält nur Buchungen.",
      stars: (s) => `Kein ${s}-Sterne-Hotel ist an diesen Daten frei; ich habe das beste verfügbare gewählt.`,
      flightOver: (from) => `Der Flug ab ${from} passt nicht ins Budget; ich habe ihn weggelassen.`,
      noFlight: (from, to, d) => `Kein Flug von ${from} nach ${to} am ${d} im Katalog.`,
      noDiet: (city, diets) => `Kein Restaurant in ${city} bietet ${diets} Gerichte; Abendessen sind nicht dabei.`,
      saidLength: (said, unit, from, to, is) =>
        `Daten: Du hast ${n(said, unit === "days" ? "Tag" : "Nacht", unit === "days" ? "Tage" : "Nächte")} gesagt, und ${from} bis ${to} sind ${is}; ich habe die Daten geplant.`,
    },
  },
  pt: {
    stay: (d, ni, city, g, from, to, hotel) =>
      `${n(d, "dia", "dias")} e ${n(ni, "noite", "noites")} em ${city}${g > 1 ? ` para ${g} pessoas` : ""}, de ${from} a ${to}, no ${hotel}.`,
    flight: "O seu voo é no primeiro dia.",
    highlights: (names, more) =>
      `Destaques: ${list("pt", [...names, ...(more > 0 ? [n(more, "atividade a mais", "atividades a mais")] : [])])}.`,
    dinners: (c) => `${n(c, "jantar reservado", "jantares reservados")}.`,
    relaxed: "Um ritmo tranquilo: uma atividade por dia.",
    packed: "Um ritmo intenso: até três atividades nos dias completos.",
    total: (t, b) => `Cerca de ${t} no total${b ? `, dentro do seu orçamento de ${b}` : ""}.`,
    missing: "Alguns dos seus interesses não estão no catálogo nesses dias; veja as notas.",
    visits: (names, more) =>
      `Para visitar de graça entre as reservas: ${list("pt", [...names, ...(more > 0 ? [n(more, "lugar a mais", "lugares a mais")] : [])])} (do OpenStreetMap).`,
    whereTo: "Para onde gostaria de ir? Diga-me uma cidade e por quanto tempo.",
    unknown: (w, o) =>
      o ? `Não conheço ${w}. Quer dizer ${o}?` : `Não conheço ${w} como destino. Que cidade gostaria de visitar?`,
    which: (o) => `Qual quer dizer: ${o}?`,
    or: "ou",
    when: (city) =>
      `Quando gostaria de ir a ${city}, e por quanto tempo? Por exemplo: "3 dias a partir de 4 de junho".`,
    oneCity: (names) =>
      `Planejo uma cidade de cada vez. Qual primeiro: ${list("pt", names).replace(/ e ([^ ]+)$/, " ou $1")}?`,
    ideas: "Diga-me uma e eu planejo.",
    cannot: "Não consigo planejar essa viagem",
    reasons: [
      [/in the past/, "essas datas já passaram"],
      [/does not exist|is not a date/, "essa data não existe"],
      [/at least one traveller/, "uma viagem precisa de pelo menos um viajante"],
      [/at most 9 travellers/, "uma reserva aceita no máximo 9 viajantes"],
      [/budget must be more than zero/, "o orçamento deve ser maior que zero"],
      [/over the budget/, "o hotel mais barato ultrapassa o seu orçamento; aumente-o ou encurte a viagem"],
      [/limited to (\d+) nights/, "as viagens têm no máximo $1 noites"],
      [/end after it starts|at least one night/, "a viagem deve terminar depois de começar"],
      [/months ahead/, "só se reserva com alguns meses de antecedência; escolha datas mais próximas"],
      [/no hotel/, "nenhum hotel está livre em todas essas noites; tente outras datas"],
      [/not somewhere we can book/, "só reservo hotéis, voos, atividades e restaurantes reais na Terra"],
    ],
    status: {
      reading: "Lendo o seu pedido",
      looking: (c, ni) => `Procurando em ${c} para ${n(ni, "noite", "noites")}`,
      finding: (c) => `Procurando lugares para visitar em ${c}`,
      staying: (h) => `Hospedagem: ${h}`,
      day: (i, of) => `Dia ${i} de ${of} planejado`,
    },
    notes: {
      length: (d, ni) => `${n(d, "dia", "dias")} e ${n(ni, "noite", "noites")}, porque não disse por quanto tempo.`,
      start: (day) => `Começa ${day}, daqui a duas semanas; diga-me as suas datas para mudar.`,
      oneTraveller: "Para um viajante; diga-me se vem mais alguém.",
      dollars: (amount) => `Li o seu orçamento de ${amount} em dólares americanos.`,
      rate: (currency) => `Os valores em ${currency} usam uma taxa de referência aproximada; paga em USD.`,
      month: (day, month) => `Datas: a partir de ${day}, o primeiro dia possível em ${month}.`,
      country: (country, city) => `${country} é um país: planejei ${city}, a sua maior cidade.`,
      corrected: (w, p) => `Li "${w}" como ${p}.`,
      nothing: (city, what) => `${city} não tem nada de ${what} no catálogo.`,
      notFree: (what, city) => `Nada de ${what} está livre nos seus dias em ${city} dentro do plano.`,
      noneOffers: (city, need) => `Nenhuma atividade em ${city} oferece ${need}; deixei as atividades de fora.`,
      everyOffers: (need) => `Todas as atividades oferecem ${need}, como precisa.`,
      full: (items) =>
        `Uma reserva tem no máximo ${items} itens, por isso os últimos dias têm menos atividades e jantares.`,
      noPlaces: "Os lugares para visitar do OpenStreetMap não estão disponíveis agora; o plano só tem reservas.",
      stars: (s) => `Nenhum hotel de ${s} estrelas está livre nessas datas; escolhi o melhor disponível.`,
      flightOver: (from) => `O voo de ${from} não cabe no orçamento; ficou de fora.`,
      noFlight: (from, to, d) => `Nenhum voo de ${from} para ${to} em ${d} no catálogo.`,
      noDiet: (city, diets) => `Nenhum restaurante em ${city} tem opções ${diets}; os jantares ficaram de fora.`,
      saidLength: (said, unit, from, to, is) =>
        `Datas: disse ${n(said, unit === "days" ? "dia" : "noite", unit === "days" ? "dias" : "noites")}, e de ${from} a ${to} são ${is}; planejei as datas.`,
    },
  },
  it: {
    stay: (d, ni, city, g, from, to, hotel) =>
      `${n(d, "giorno", "giorni")} e ${n(ni, "notte", "notti")} a ${city}${g > 1 ? ` per ${g} persone` : ""}, da ${from} a ${to}, alloggio: ${hotel}.`,
    flight: "Il tuo volo è il primo giorno.",
    highlights: (names, more) =>
      `Da non perdere: ${list("it", [...names, ...(more > 0 ? [n(more, "altra attività", "altre attività")] : [])])}.`,
    dinners: (c) => `${n(c, "cena prenotata", "cene prenotate")}.`,
    relaxed: "Un ritmo rilassato: un’attività al giorno.",
    packed: "Un ritmo intenso: fino a tre attività nei giorni pieni.",
    total: (t, b) => `Circa ${t} in totale${b ? `, entro il tuo budget di ${b}` : ""}.`,
    missing: "Alcuni dei tuoi interessi non sono nel catalogo in quei giorni; vedi le note.",
    visits: (names, more) =>
      `Da visitare gratis tra le prenotazioni: ${list("it", [...names, ...(more > 0 ? [n(more, "altro luogo", "altri luoghi")] : [])])} (da OpenStreetMap).`,
    whereTo: "Dove vorresti andare? Dimmi una città e per quanto tempo.",
    unknown: (w, o) =>
      o ? `Non conosco ${w}. Intendi ${o}?` : `Non conosco ${w} come destinazione. Quale città vorresti visitare?`,
    which: (o) => `Quale intendi: ${o}?`,
    or: "o",
    when: (city) => `Quando vorresti andare a ${city}, e per quanto tempo? Per esempio «3 giorni dal 4 giugno».`,
    oneCity: (names) =>
      `Pianifico una città alla volta. Quale prima: ${list("it", names).replace(/ e ([^ ]+)$/, " o $1")}?`,
    ideas: "Dimmene una e la pianifico.",
    cannot: "Non posso pianificare questo viaggio",
    reasons: [
      [/in the past/, "quelle date sono passate"],
      [/does not exist|is not a date/, "quella data non esiste"],
      [/at least one traveller/, "un viaggio richiede almeno un viaggiatore"],
      [/at most 9 travellers/, "una prenotazione accetta al massimo 9 viaggiatori"],
      [/budget must be more than zero/, "il budget deve essere maggiore di zero"],
      [/over the budget/, "l’hotel più economico supera il tuo budget; aumentalo o accorcia il viaggio"],
      [/limited to (\d+) nights/, "i viaggi durano al massimo $1 notti"],
      [/end after it starts|at least one night/, "il viaggio deve finire dopo essere iniziato"],
      [/months ahead/, "si prenota solo con pochi mesi di anticipo; scegli date più vicine"],
      [/no hotel/, "nessun hotel è libero per tutte quelle notti; prova altre date"],
      [/not somewhere we can book/, "prenoto solo hotel, voli, attività e ristoranti veri sulla Terra"],
    ],
    status: {
      reading: "Leggo la tua richiesta",
      looking: (c, ni) => `Cerco a ${c} per ${n(ni, "notte", "notti")}`,
      finding: (c) => `Cerco luoghi da visitare a ${c}`,
      staying: (h) => `Alloggio: ${h}`,
      day: (i, of) => `Giorno ${i} di ${of} pianificato`,
    },
    notes: {
      length: (d, ni) =>
        `${n(d, "giorno", "giorni")} e ${n(ni, "notte", "notti")}, perché non hai detto per quanto tempo.`,
      start: (day) => `Si parte ${day}, tra due settimane; dimmi le tue date per cambiarlo.`,
      oneTraveller: "Per un viaggiatore; dimmi se viene qualcun altro.",
      dollars: (amount) => `Ho letto il tuo budget di ${amount} in dollari statunitensi.`,
      rate: (currency) => `Gli importi in ${currency} usano un tasso di riferimento approssimativo; paghi in USD.`,
      month: (day, month) => `Date: da ${day}, il primo giorno possibile a ${month}.`,
      country: (country, city) => `${country} è un paese: ho pianificato ${city}, la sua città più grande.`,
      corrected: (w, p) => `Ho letto «${w}» come ${p}.`,
      nothing: (city, what) => `${city} non ha nulla per ${what} nel catalogo.`,
      notFree: (what, city) => `Niente per ${what} è libero nei tuoi giorni a ${city} nel piano.`,
      noneOffers: (city, need) => `Nessuna attività a ${city} offre ${need}; ho lasciato fuori le attività.`,
      everyOffers: (need) => `Ogni attività offre ${need}, come ti serve.`,
      full: (items) =>
        `Una prenotazione contiene ${items} elementi, quindi gli ultimi giorni hanno meno attività e cene.`,
      noPlaces: "I luoghi da visitare di OpenStreetMap non sono disponibili ora; il piano ha solo prenotazioni.",
      stars: (s) => `Nessun hotel a ${s} stelle è libero in quelle date; ho scelto il migliore disponibile.`,
      flightOver: (from) => `Il volo da ${from} non rientra nel budget; l’ho lasciato fuori.`,
      noFlight: (from, to, d) => `Nessun volo da ${from} a ${to} ${d} nel catalogo.`,
      noDiet: (city, diets) => `Nessun ristorante a ${city} ha opzioni ${diets}; ho lasciato fuori le cene.`,
      saidLength: (said, unit, from, to, is) =>
        `Date: hai detto ${n(said, unit === "days" ? "giorno" : "notte", unit === "days" ? "giorni" : "notti")}, e da ${from} a ${to} sono ${is}; ho seguito le date.`,
    },
  },
};

function day(date: string, language: OtherLanguage): string {
  return new Date(parseDay(date)).toLocaleDateString(language, {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

function usd(amount: string, language: OtherLanguage, currency = "USD"): string {
  return new Intl.NumberFormat(language, { style: "currency", currency, maximumFractionDigits: 0 }).format(
    Math.round(Number(amount)),
  );
}

function summary(plan: Plan, english: string, language: OtherLanguage): string {
  const say = PHRASES[language];
  const items = plan.days.flatMap((d) => d.items);
  const hotel = items.find((i) => i.type === "hotel")?.name ?? "";
  const activities = items.filter((i) => i.type === "activity").map((i) => i.name);
  const dinners = items.filter((i) => i.type === "restaurant").length;
  const parts = [
    say.stay(
      plan.nights + 1,
      plan.nights,
      plan.destination.name,
      plan.guests,
      day(plan.checkIn, language),
      day(plan.checkOut, language),
      hotel,
    ),
  ];
  if (items.some((i) => i.type === "flight")) parts.push(say.flight);
  if (activities.length > 0) parts.push(say.highlights(activities.slice(0, 3), activities.length - 3));
  if (dinners > 0) parts.push(say.dinners(dinners));
  if (plan.pace === "relaxed") parts.push(say.relaxed);
  if (plan.pace === "packed") parts.push(say.packed);
  const budget = plan.budget ? usd(plan.budget.usd, language) : undefined;
  parts.push(say.total(usd(plan.totals.total.amount, language), budget));
  if (/I found nothing for/.test(english)) parts.push(say.missing);
  const sights = plan.days.flatMap((d) => (d.visits ?? []).filter((v) => v.kind !== "restaurant").map((v) => v.name));
  if (sights.length > 0) parts.push(say.visits(sights.slice(0, 3), sights.length - 3));
  return parts.join(" ");
}

/** The plan's assumptions said in `language`, those the planner usually makes (the rest as they are). */
function notes(plan: Plan, language: OtherLanguage): string[] {
  const say = PHRASES[language].notes;
  const month = new Date(parseDay(plan.checkIn)).toLocaleDateString(language, { month: "long", timeZone: "UTC" });
  return plan.assumptions.map((note) => {
    if (/, as you didn't say how long\.$/.test(note)) return say.length(plan.nights + 1, plan.nights);
    if (/^Starting .* two weeks from today;/.test(note)) return say.start(day(plan.checkIn, language));
    if (note.startsWith("For one traveller;")) return say.oneTraveller;
    if (/^I read your budget of .+ as US dollars\.$/.test(note) && plan.budget)
      return say.dollars(usd(plan.budget.amount, language));
    const rate = /^([A-Z]{3}) amounts use an approximate reference rate/.exec(note);
    if (rate) return say.rate(rate[1]);
    if (/^Dates: starting .*, the first (?:day|Friday) I could take in /.test(note))
      return say.month(day(plan.checkIn, language), month);
    const corrected = /^I read "(.+)" as (.+)\.$/.exec(note);
    if (corrected) return say.corrected(corrected[1], corrected[2]);
    const country = /^(.+) is a country: I planned (.+), its largest city\.$/.exec(note);
    if (country) return say.country(country[1], country[2]);
    const what = (label: string) => interestIn(label, language) ?? label;
    const nothing = /^(.+) has nothing for (.+) in the catalog\.$/.exec(note);
    if (nothing) return say.nothing(nothing[1], what(nothing[2]));
    const notFree = /^No (.+) is free on your days in (.+) within the plan\.$/.exec(note);
    if (notFree) return say.notFree(what(notFree[1]), notFree[2]);
    const none = /^No activity in (.+) offers (.+); I left activities out\.$/.exec(note);
    if (none) return say.noneOffers(none[1], what(none[2]));
    const every = /^Every activity offers (.+), as you need\.$/.exec(note);
    if (every) return say.everyOffers(what(every[1]));
    const full = /^A booking holds (\d+) items,/.exec(note);
    if (full) return say.full(Number(full[1]));
    if (/^Places to visit from OpenStreetMap are unavailable just now/.test(note)) return say.noPlaces;
    const stars = /^No (\d)-star hotel is free on those dates;/.exec(note);
    if (stars) return say.stars(stars[1]);
    const over = /^The flight from (.+) doesn't fit the budget;/.exec(note);
    if (over) return say.flightOver(over[1]);
    const noFlight = /^No flight from (.+) to (.+) on .+ in the catalog\.$/.exec(note);
    if (noFlight) return say.noFlight(noFlight[1], noFlight[2], day(plan.checkIn, language));
    const noDiet = /^No restaurant in (.+) lists (.+) options; dinners are left out\.$/.exec(note);
    const diets = noDiet && thingsIn(noDiet[2], language);
    if (noDiet && diets) return say.noDiet(noDiet[1], diets);
    const said = /^Dates: you said (\d+) (days|nights), and .+ is (\d+); I planned the dates\.$/.exec(note);
    if (said)
      return say.saidLength(
        Number(said[1]),
        said[2] as "days" | "nights",
        day(plan.checkIn, language),
        day(plan.checkOut, language),
        Number(said[3]),
      );
    return note;
  });
}

/** The plan's days with each booking's reason and the departure notes in `language`. */
function days(plan: Plan, language: OtherLanguage): Plan["days"] {
  return plan.days.map((d) => localiseDay(d, language));
}

/** A streamed event in `language`: what the planner is doing, or a planned day. */
export function localiseEvent(event: PlanEvent, language: VoiceLanguage): PlanEvent {
  if (language === "en" || event.type === "delta") return event;
  if (event.type === "day") return { ...event, day: localiseDay(event.day, language) };
  const say = PHRASES[language].status;
  const m = event.message;
  let found: RegExpExecArray | null;
  if (m === "Reading your request") return { ...event, message: say.reading };
  if ((found = /^Looking at (.+) for (\w+) nights?$/.exec(m)))
    return { ...event, message: say.looking(found[1], unsay(found[2])) };
  if ((found = /^Finding places to visit in (.+)$/.exec(m))) return { ...event, message: say.finding(found[1]) };
  if ((found = /^Staying at (.+)$/.exec(m))) return { ...event, message: say.staying(found[1]) };
  if ((found = /^Day (\d+) of (\d+) planned$/.exec(m)))
    return { ...event, message: say.day(Number(found[1]), Number(found[2])) };
  return event;
}

function localiseDay(d: Plan["days"][number], language: OtherLanguage): Plan["days"][number] {
  return {
    ...d,
    items: d.items.map((item) => ({ ...item, why: localiseWhy(item.why, language) })),
    ...(d.visits ? { visits: d.visits.map((visit) => ({ ...visit, why: localiseWhy(visit.why, language) })) } : {}),
    ...(d.notes ? { notes: d.notes.map((note) => ({ ...note, text: localiseDayNote(note.text, language) })) } : {}),
  };
}

/** The answer with its reply (and a plan's summary) in `language`. */
export function localise(answer: Answer, language: VoiceLanguage): Answer {
  if (language === "en") return answer;
  const say = PHRASES[language];
  if (answer.status === "plan") {
    const text = summary(answer.plan, answer.reply, language);
    return {
      ...answer,
      plan: {
        ...answer.plan,
        summary: text,
        assumptions: notes(answer.plan, language),
        days: days(answer.plan, language),
      },
      reply: text,
    };
  }
  if (answer.status === "cannot") {
    const found = say.reasons.map(([pattern, text]) => [pattern.exec(answer.reason), text] as const).find(([m]) => m);
    const reason = found && found[1].replace("$1", found[0]![1] ?? "");
    return { ...answer, reply: reason ? `${say.cannot}: ${reason}.` : `${say.cannot}.` };
  }
  if (answer.suggestions?.length === 0) return { ...answer, reply: noIdeas(language) };
  if (answer.suggestions && answer.suggestions.length > 0) {
    return { ...answer, ...localiseIdeas(answer.suggestions, language, say.ideas) };
  }
  if (answer.missing.includes("destination")) {
    const cities = /^I plan one city at a time\. Which first: (.+) or (.+)\?$/.exec(answer.reply);
    if (cities) return { ...answer, reply: say.oneCity([...cities[1].split(", "), cities[2]]) };
    const options = (names: string) => {
      const at = names.lastIndexOf(" or ");
      return at < 0 ? names : `${names.slice(0, at)} ${say.or} ${names.slice(at + 4)}`;
    };
    const unknown =
      /^I don't know (.+?)(?: as a destination\. Which city would you like to visit\?| — did you mean (.+)\?)$/.exec(
        answer.reply,
      );
    if (unknown) return { ...answer, reply: say.unknown(unknown[1], unknown[2] && options(unknown[2])) };
    // "Which Córdoba do you mean: the one in Spain, in Argentina or in Mexico?" names each: "Córdoba, Spain".
    const same = /^Which (.+) do you mean: the one in (.+)\?$/.exec(answer.reply);
    if (same) {
      const places = same[2].split(/, in | or in /).map((where) => `${same[1]} (${where})`);
      const either = new Intl.ListFormat(language, { style: "long", type: "disjunction" }).format(places);
      return { ...answer, reply: say.which(either) };
    }
    const which = /^Which do you mean: (.+)\?$/.exec(answer.reply);
    if (which) return { ...answer, reply: say.which(options(which[1])) };
    return { ...answer, reply: say.whereTo };
  }
  const city = /^When would you like to go to (.+), and for how long\?/.exec(answer.reply);
  if (city) return { ...answer, reply: say.when(city[1]) };
  return answer;
}
