"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui";

import { HOLD_MS, initialPress, press, type PressEvent } from "./press";
import type { Recording } from "./recorder";
import { useRecorder } from "./use-recorder";

/**
 * Record a trip request by voice: hold Speak to talk (released, it sends), or tap it to start and tap again to stop
 * (Enter and Space too); see ./press.ts. A level meter and a timer while it records; the WAV goes to `onRecording`.
 * One button throughout, so that a held pointer is released on the button it pressed and keyboard focus stays put.
 */
export function VoiceButton({ onRecording, disabled }: { onRecording: (r: Recording) => void; disabled?: boolean }) {
  const machine = useRef(initialPress);
  const [view, setView] = useState(initialPress);
  const sendRef = useRef<(event: PressEvent) => void>(() => undefined);
  const recorder = useRecorder({
    onRecording,
    maxSeconds: 30,
    onTimeLimit: () => sendRef.current({ type: "ended" }),
  });
  const { start, stop, cancel } = recorder;

  const send = useCallback(
    (event: PressEvent) => {
      const next = press(machine.current, event);
      machine.current = next.state;
      setView(next.state);
      if (next.effect === "start")
        void start().then((result) => {
          if (result === "recording") sendRef.current({ type: "live" });
          else if (result === "failed") sendRef.current({ type: "ended" });
        });
      else if (next.effect === "stop") void stop();
      else if (next.effect === "discard") cancel();
    },
    [start, stop, cancel],
  );
  sendRef.current = send;

  // Still held HOLD_MS after the press: say "Release to send".
  const { phase, downAt } = view;
  useEffect(() => {
    if (phase !== "pressing") return;
    const id = setTimeout(() => sendRef.current({ type: "holdtimer", at: performance.now() }), HOLD_MS);
    return () => clearTimeout(id);
  }, [phase, downAt]);

  const { state } = recorder;
  const recording = state.status === "recording";
  const active = phase !== "idle";
  const label = !active
    ? "Speak"
    : !recording
      ? "Starting…"
      : phase === "holding"
        ? "Release to send"
        : phase === "pressing"
          ? "Listening…"
          : "Stop";
  const status = !active
    ? ""
    : !recording
      ? "Starting the microphone…"
      : phase === "toggled"
        ? "Recording. Press Stop to send it, or Discard."
        : phase === "holding"
          ? "Recording. Release to send."
          : "Recording.";
  const seconds = recording ? Math.floor(state.seconds) : 0;

  return (
    <div className="flex items-center gap-2">
      {/* Always there, so that screen readers announce each change. */}
      <span className="sr-only" role="status">
        {status}
      </span>
      <Button
        variant={active ? "danger" : "secondary"}
        // Never disabled while recording: a held pointer must be able to release it.
        disabled={!active && disabled}
        aria-label={active ? undefined : "Speak your trip request"}
        title={active ? undefined : "Hold to talk, or tap to start and stop"}
        // A long press on a phone must not select text, open a menu or scroll the page.
        className="touch-none select-none [-webkit-touch-callout:none]"
        onContextMenu={(e) => e.preventDefault()}
        // The recorder's code loads on the way to a press.
        onPointerEnter={recorder.preload}
        onFocus={recorder.preload}
        onPointerDown={(e) => {
          recorder.preload();
          // Some browsers send pointer events to disabled buttons too.
          if (!e.isPrimary || e.button !== 0 || (!active && disabled)) return;
          // Its release comes here even if the pointer has slid off the button.
          e.currentTarget.setPointerCapture?.(e.pointerId);
          send({ type: "pointerdown", at: performance.now() });
        }}
        onPointerUp={(e) => e.isPrimary && send({ type: "pointerup", at: performance.now() })}
        onPointerCancel={(e) => e.isPrimary && send({ type: "pointercancel", at: performance.now() })}
        // Enter, Space and assistive technology; a pointer's own click is ignored by the machine.
        onClick={() => send({ type: "click", at: performance.now() })}
        onKeyDown={(e) => {
          // A held key repeats its click: one press, one toggle.
          if (e.repeat && (e.key === "Enter" || e.key === " ")) e.preventDefault();
        }}
      >
        <span className="flex items-center gap-1.5">
          {!active && (
            <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
              <rect x="9" y="3" width="6" height="11" rx="3" />
              <path d="M5 11a7 7 0 0 0 14 0M12 18v3" strokeLinecap="round" />
            </svg>
          )}
          {label}
        </span>
      </Button>
      {recording && (
        <>
          <meter aria-label="Microphone level" min={0} max={1} value={state.level} className="h-3 w-20" />
          <span className="w-12 text-sm tabular-nums text-slate-700" aria-label={`${seconds} seconds recorded`}>
            0:{String(seconds).padStart(2, "0")}
          </span>
        </>
      )}
      {recording && phase === "toggled" && (
        <Button
          variant="secondary"
          onClick={() => {
            cancel();
            send({ type: "ended" });
          }}
        >
          Discard
        </Button>
      )}
      {state.status === "error" && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
    </div>
  );
}
