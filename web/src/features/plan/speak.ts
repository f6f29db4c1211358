/** Saying the planner's reply out loud: the API's audio when it made some, else the browser's own speech synthesis. */
import type { VoicePlan } from "@/lib/api";

/** The reply's audio as an object URL (revoke it when done), or undefined when the API sent text only. */
export function replyAudioUrl(reply: VoicePlan["reply"]): string | undefined {
  if (!reply.audio) return undefined;
  const bytes = Uint8Array.from(atob(reply.audio.base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: reply.audio.mimeType }));
}

export function speakText(text: string) {
  if (typeof window === "undefined" || !("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

/** Plays the reply: its audio if any (falling back to synthesis if the browser refuses to play it), else synthesis. */
export function playReply(text: string, audioUrl: string | undefined) {
  if (!audioUrl) {
    speakText(text);
    return;
  }
  new Audio(audioUrl).play().catch(() => speakText(text));
}
