/** The languages a voice conversation may be held in, and what each needs offline. */

export const VOICE_LANGUAGES = ["en", "es", "fr", "de", "pt", "it"] as const;
export type VoiceLanguage = (typeof VOICE_LANGUAGES)[number];

/** Each language's name in itself, as the language menu shows it. */
export const LANGUAGE_NAMES: Record<VoiceLanguage, string> = {
  en: "English",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
  pt: "Português",
  it: "Italiano",
};

/** espeak-ng's voice for each language. */
export const ESPEAK_VOICES: Record<VoiceLanguage, string> = {
  en: "en-us",
  es: "es",
  fr: "fr-fr",
  de: "de",
  pt: "pt-br",
  it: "it",
};

/** Said (and spoken) when nothing can hear the language offline: typing in it works. */
export const NO_SPEECH_RECOGNITION: Record<VoiceLanguage, string> = {
  en: "Speech recognition is not available right now. Typing your request works.",
  es: "El reconocimiento de voz en español necesita un proveedor configurado. Puedes escribir tu petición.",
  fr: "La reconnaissance vocale en français nécessite un fournisseur configuré. Vous pouvez écrire votre demande.",
  de: "Spracherkennung auf Deutsch braucht einen konfigurierten Anbieter. Du kannst deine Anfrage eintippen.",
  pt: "O reconhecimento de voz em português precisa de um provedor configurado. Você pode digitar seu pedido.",
  it: "Il riconoscimento vocale in italiano richiede un fornitore configurato. Puoi scrivere la tua richiesta.",
};

export function isVoiceLanguage(value: string): value is VoiceLanguage {
  return (VOICE_LANGUAGES as readonly string[]).includes(value);
}

/** Splits a reply into sentences (Intl's segmenter for its language), so each can be spoken as soon as it exists. */
export function sentences(text: string, language: VoiceLanguage): string[] {
  const segmenter = new Intl.Segmenter(language, { granularity: "sentence" });
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}
