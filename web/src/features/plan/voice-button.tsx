"use client";

import { Button } from "@/components/ui";

import type { Recording } from "./recorder";
import { useRecorder } from "./use-recorder";

/** Record a trip request by voice: a level meter and a timer while it records; the WAV goes to `onRecording`. */
export function VoiceButton({ onRecording, disabled }: { onRecording: (r: Recording) => void; disabled?: boolean }) {
  const recorder = useRecorder({ onRecording, maxSeconds: 30 });
  const { state } = recorder;
  if (state.status === "recording") {
    const seconds = Math.floor(state.seconds);
    return (
      <div className="flex items-center gap-2">
        <span className="sr-only" role="status">
          Recording
        </span>
        <meter aria-label="Microphone level" min={0} max={1} value={state.level} className="h-3 w-20" />
        <span className="w-12 text-sm tabular-nums text-slate-700" aria-label={`${seconds} seconds recorded`}>
          0:{String(seconds).padStart(2, "0")}
        </span>
        <Button variant="danger" onClick={() => void recorder.stop()}>
          Stop
        </Button>
        <Button variant="secondary" onClick={recorder.cancel}>
          Discard
        </Button>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <Button
        variant="secondary"
        disabled={disabled || state.status === "starting"}
        onClick={() => void recorder.start()}
        // The recorder's code loads on the way to a click.
        onPointerEnter={recorder.preload}
        onPointerDown={recorder.preload}
        onFocus={recorder.preload}
        aria-label="Speak your trip request"
      >
        <span className="flex items-center gap-1.5">
          <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <rect x="9" y="3" width="6" height="11" rx="3" />
            <path d="M5 11a7 7 0 0 0 14 0M12 18v3" strokeLinecap="round" />
          </svg>
          {state.status === "starting" ? "Starting…" : "Speak"}
        </span>
      </Button>
      {state.status === "error" && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
    </div>
  );
}
