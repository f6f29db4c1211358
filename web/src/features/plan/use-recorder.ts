"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import type { Recorder, Recording } from "./recorder";

/**
 * The recorder (getUserMedia, the audio worklet, the WAV encoder) is loaded when someone is about to speak, not with
 * the page: `preload` starts it early (pointer over or on the button, keyboard focus), `start` waits for it.
 */
let recorderModule: Promise<typeof import("./recorder")> | undefined;
const loadRecorder = () => (recorderModule ??= import("./recorder"));
const preloadRecorder = () => {
  loadRecorder().catch(() => {
    // Tried again on start, which says what went wrong.
    recorderModule = undefined;
  });
};

export type RecorderState =
  | { status: "idle" }
  | { status: "starting" }
  | { status: "recording"; level: number; seconds: number }
  | { status: "error"; message: string };

/** The recorder as React state: start, stop (→ the WAV) or cancel, a level for a meter and a running timer. */
export function useRecorder(options: {
  maxSeconds?: number;
  onRecording: (recording: Recording) => void;
  /** Recording stopped at `maxSeconds` (before `onRecording` gets it). */
  onTimeLimit?: () => void;
}) {
  const [state, setState] = useState<RecorderState>({ status: "idle" });
  const recorder = useRef<Recorder | null>(null);
  const { maxSeconds = 60, onRecording, onTimeLimit } = options;
  const onRecordingRef = useRef(onRecording);
  onRecordingRef.current = onRecording;
  const onTimeLimitRef = useRef(onTimeLimit);
  onTimeLimitRef.current = onTimeLimit;

  useEffect(() => {
    if (state.status !== "recording") return;
    const started = Date.now() - state.seconds * 1000;
    const id = setInterval(
      () => setState((s) => (s.status === "recording" ? { ...s, seconds: (Date.now() - started) / 1000 } : s)),
      200,
    );
    return () => clearInterval(id);
    // Restart the timer only when recording starts.
  }, [state.status]);

  // Each start, stop or cancel is a new attempt: a start still waiting for the microphone when it is stopped or
  // cancelled (Discard, the page left) must not begin recording afterwards.
  const attempt = useRef(0);
  useEffect(
    () => () => {
      attempt.current++;
      recorder.current?.cancel();
    },
    [],
  );

  /** "recording"; or "failed" (the state says why); or "superseded" when stopped or cancelled before it started. */
  const start = useCallback(async (): Promise<"recording" | "failed" | "superseded"> => {
    const current = ++attempt.current;
    setState({ status: "starting" });
    let module: typeof import("./recorder");
    try {
      module = await loadRecorder();
    } catch {
      recorderModule = undefined;
      if (current !== attempt.current) return "superseded";
      setState({ status: "error", message: "The recorder could not be loaded. Check your connection and try again." });
      return "failed";
    }
    try {
      const started = await module.startRecording({
        maxSeconds,
        onLevel: (level) => setState((s) => (s.status === "recording" ? { ...s, level } : s)),
        onAutoStop: (recording) => {
          recorder.current = null;
          setState({ status: "idle" });
          onTimeLimitRef.current?.();
          onRecordingRef.current(recording);
        },
      });
      if (current !== attempt.current) {
        started.cancel();
        return "superseded";
      }
      recorder.current = started;
      setState({ status: "recording", level: 0, seconds: 0 });
      return "recording";
    } catch (error) {
      if (current !== attempt.current) return "superseded";
      setState({
        status: "error",
        message: error instanceof module.MicrophoneError ? error.message : "The microphone could not be started.",
      });
      return "failed";
    }
  }, [maxSeconds]);

  const stop = useCallback(async () => {
    attempt.current++;
    const current = recorder.current;
    recorder.current = null;
    setState({ status: "idle" });
    if (current) onRecordingRef.current(await current.stop());
  }, []);

  const cancel = useCallback(() => {
    attempt.current++;
    recorder.current?.cancel();
    recorder.current = null;
    setState({ status: "idle" });
  }, []);

  return { state, start, stop, cancel, maxSeconds, preload: preloadRecorder };
}
