"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui";
import type { PlanResult } from "@/lib/api";

import { ReplyPlayer, VOICE_LANGUAGES, VoiceConnection, type ServerEvent, type VoiceLanguage } from "./voice-stream";

/** Where the app serves the voice detector's model, worklet and WebAssembly runtime (see app/vad/[file]). */
const VAD_ASSETS = "/vad/";
/** Audio kept from before the detector is sure speech has started, so the first syllable is not lost. */
const LEAD_IN_FRAMES = 10;

type Phase = "off" | "starting" | "waiting" | "hearing" | "thinking" | "speaking";

const ANNOUNCEMENTS: Record<Phase, string> = {
  off: "",
  starting: "Starting the microphone…",
  waiting: "Listening. Say your trip request.",
  hearing: "Hearing you…",
  thinking: "Thinking…",
  speaking: "Speaking. Talk to interrupt.",
};

interface Vad {
  start(): Promise<void> | void;
  pause(): Promise<void> | void;
  destroy(): Promise<void> | void;
}

/**
 * Talk to the planner without holding a button: the voice detector (Silero, in the browser) starts a turn when the
 * traveller speaks and ends it when they stop; their words appear while they speak; the reply plays sentence by
 * sentence, and speaking over it stops it and starts a follow-up. The state is announced to screen readers.
 */
export function HandsFree({
  conversationId,
  onTurn,
  disabled,
}: {
  conversationId: () => string | null;
  onTurn: (transcript: string, result: PlanResult) => void;
  disabled?: boolean;
}) {
  const [phase, setPhase] = useState<Phase>("off");
  const [language, setLanguage] = useState<VoiceLanguage>("en");
  const [heard, setHeard] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [level, setLevel] = useState(0);

  const connection = useRef<VoiceConnection | null>(null);
  const vad = useRef<Vad | null>(null);
  const streaming = useRef(false);
  const leadIn = useRef<Float32Array[]>([]);
  const turnText = useRef("");
  const languageRef = useRef(language);
  languageRef.current = language;
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const onTurnRef = useRef(onTurn);
  onTurnRef.current = onTurn;
  const player = useRef<ReplyPlayer | null>(null);
  /** The server could not speak this reply: the browser speaks its sentences. */
  const textOnly = useRef(false);
  const lastSentence = useRef(-1);

  const onEvent = useCallback((event: ServerEvent) => {
    const reply = player.current!;
    switch (event.type) {
      case "partial":
        setHeard(event.text);
        break;
      case "final":
        turnText.current = event.text;
        setHeard(event.text);
        if (event.text) setPhase("thinking");
        break;
      case "result":
        onTurnRef.current(turnText.current, event.result);
        break;
      case "listening":
        textOnly.current = false;
        break;
      case "sentence":
        reply.sentence(event.index, event.text);
        lastSentence.current = event.index;
        if (textOnly.current) reply.speakText(event.index);
        break;
      case "audio":
        reply.audio(event.index, event.mimeType, event.base64);
        break;
      case "audio-end":
        reply.audioEnd(event.index);
        break;
      case "speech-unavailable":
        textOnly.current = true;
        reply.speakText(lastSentence.current);
        break;
      case "done":
        if (phaseRef.current === "thinking") setPhase("waiting");
        break;
      case "error":
        setProblem(event.error.message);
        if (!streaming.current && phaseRef.current !== "speaking") setPhase("waiting");
        break;
      default:
        break;
    }
  }, []);

  const stopAll = useCallback(async () => {
    streaming.current = false;
    player.current?.stop();
    connection.current?.close();
    connection.current = null;
    const detector = vad.current;
    vad.current = null;
    await detector?.destroy();
    setPhase("off");
    setLevel(0);
  }, []);

  useEffect(
    () => () => {
      void stopAll();
    },
    [stopAll],
  );

  const begin = useCallback(async () => {
    setProblem(null);
    setHeard("");
    setPhase("starting");
    player.current = new ReplyPlayer(
      (playing) => setPhase((p) => (playing ? "speaking" : p === "speaking" ? "waiting" : p)),
      () => languageRef.current,
    );
    try {
      connection.current = await VoiceConnection.open(onEvent, () => {
        if (connection.current) {
          setProblem("The voice connection closed. Turn hands-free on again to continue.");
          void stopAll();
        }
      });
      const { MicVAD } = await import("@ricky0123/vad-web");
      vad.current = await MicVAD.new({
        model: "v5",
        baseAssetPath: VAD_ASSETS,
        onnxWASMBasePath: VAD_ASSETS,
        startOnLoad: false,
        // A turn ends 0.9 s after the last word: soon enough for a conversation, late enough for a pause between
        // phrases (whose first phrase the offline recogniser has transcribed by then).
        redemptionMs: 900,
        onSpeechStart: () => {
          const link = connection.current;
          if (!link) return;
          // Barge-in: the traveller talks over the reply; it stops, and this turn follows up on it.
          player.current?.stop();
          setHeard("");
          turnText.current = "";
          link.start({ language: languageRef.current, conversationId: conversationId() });
          for (const frame of leadIn.current.splice(0)) link.audio(frame);
          streaming.current = true;
          setPhase("hearing");
        },
        onFrameProcessed: (probabilities, frame) => {
          setLevel(probabilities.isSpeech);
          if (streaming.current) connection.current?.audio(frame);
          else {
            leadIn.current.push(frame);
            if (leadIn.current.length > LEAD_IN_FRAMES) leadIn.current.shift();
          }
        },
        onSpeechEnd: () => {
          streaming.current = false;
          connection.current?.stop();
          setPhase("thinking");
        },
        onVADMisfire: () => {
          // Too short to be speech (a cough, a click): the turn is dropped.
          streaming.current = false;
          connection.current?.cancel();
          setPhase("waiting");
        },
      });
      await vad.current.start();
      setPhase("waiting");
    } catch (error) {
      setProblem(
        error instanceof DOMException && error.name === "NotAllowedError"
          ? "Microphone access was refused. Allow it in your browser's site settings, or type your request instead."
          : "Hands-free talking could not start here. Hold Speak to talk, or type your request.",
      );
      await stopAll();
    }
  }, [conversationId, onEvent, stopAll]);

  const on = phase !== "off";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="sr-only" role="status" aria-live="polite">
        {ANNOUNCEMENTS[phase]}
      </span>
      <Button
        variant={on ? "danger" : "secondary"}
        disabled={!on && disabled}
        aria-pressed={on}
        onClick={() => void (on ? stopAll() : begin())}
        data-testid="hands-free"
      >
        {on ? "Stop talking" : "Talk hands-free"}
      </Button>
      <label className="flex items-center gap-1 text-sm text-slate-700">
        <span className="sr-only">Language</span>
        <select
          className="rounded-md border border-slate-300 px-1 py-1 text-sm"
          value={language}
          disabled={on}
          onChange={(e) => setLanguage(e.target.value as VoiceLanguage)}
        >
          {VOICE_LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      {on && (
        <>
          <meter aria-label="Speech detected" min={0} max={1} value={level} className="h-3 w-16" />
          <span className="text-sm text-slate-700" data-testid="voice-phase">
            {ANNOUNCEMENTS[phase]}
          </span>
        </>
      )}
      {heard && (
        <p className="w-full text-sm italic text-slate-700" data-testid="live-transcript">
          “{heard}”
        </p>
      )}
      {problem && (
        <p role="alert" className="w-full text-sm text-red-700">
          {problem}
        </p>
      )}
    </div>
  );
}
