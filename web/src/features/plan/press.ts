/**
 * The Speak button's press logic, without React or the DOM: hold to talk (record while the pointer is held, send on
 * release) and tap to start / tap to stop, on one button.
 *
 * A pointer press starts recording at once (the first words are not lost while deciding). Released after HOLD_MS or
 * more, it was hold-to-talk: the recording stops and is sent. Released sooner, it was a tap: recording goes on until
 * the next tap. A click that no pointer press explains (Enter or Space, a screen reader's activation) toggles the same
 * way; the click a browser fires after a pointer release is that release's, already handled, and ignored.
 */

/** How long a press must last to count as hold-to-talk rather than a tap. */
export const HOLD_MS = 300;
/** A click this soon after a handled pointer release is that release's own click. */
export const CLICK_AFTER_RELEASE_MS = 1000;

export type PressPhase =
  /** Not recording. */
  | "idle"
  /** Pointer down, recording; tap or hold not known yet. */
  | "pressing"
  /** Held past HOLD_MS: releasing sends. */
  | "holding"
  /** Recording after a tap or a key press: the next tap or key press stops it. */
  | "toggled";

export interface PressState {
  phase: PressPhase;
  /** The recorder is recording (not just starting the microphone). */
  live: boolean;
  /** When the pointer went down, in "pressing" and "holding". */
  downAt: number;
  /** A pointer press handled here has not been released yet. */
  pointerDown: boolean;
  /** Clicks up to this time belong to a pointer release already handled. */
  ignoreClicksUntil: number;
}

export type PressEvent =
  | { type: "pointerdown"; at: number }
  | { type: "pointerup"; at: number }
  /** The browser took the pointer away (a system gesture, an alert): nothing is sent. */
  | { type: "pointercancel"; at: number }
  /** The hold timer fired (set for HOLD_MS after a pointerdown). */
  | { type: "holdtimer"; at: number }
  | { type: "click"; at: number }
  /** The recorder started recording. */
  | { type: "live" }
  /** The recording ended without this machine: its time limit, an error, Discard. */
  | { type: "ended" };

/** What the recorder should do: start, stop and send, or stop and throw away. */
export type PressEffect = "start" | "stop" | "discard";

export const initialPress: PressState = {
  phase: "idle",
  live: false,
  downAt: 0,
  pointerDown: false,
  ignoreClicksUntil: -Infinity,
};

/** The next state and what to do with the recorder. */
export function press(state: PressState, event: PressEvent): { state: PressState; effect?: PressEffect } {
  const { phase } = state;
  switch (event.type) {
    case "pointerdown":
      if (phase === "idle")
        return {
          state: { ...state, phase: "pressing", live: false, downAt: event.at, pointerDown: true },
          effect: "start",
        };
      // Recording after a tap: this press is the tap that stops it, on release.
      if (phase === "toggled") return { state: { ...state, pointerDown: true } };
      // A second finger while one is held.
      return { state };

    case "pointerup": {
      if (!state.pointerDown) return { state };
      const released = { ...state, pointerDown: false, ignoreClicksUntil: event.at + CLICK_AFTER_RELEASE_MS };
      if (phase === "pressing" || phase === "holding") {
        const held = phase === "holding" || event.at - state.downAt >= HOLD_MS;
        // Released before the microphone was even on: a tap, whatever its length; recording goes on.
        if (held && state.live) return { state: { ...released, phase: "idle", live: false }, effect: "stop" };
        return { state: { ...released, phase: "toggled" } };
      }
      if (phase === "toggled") return stopped(released);
      // The recording ended while the pointer was down (its time limit): the release only ends the press.
      return { state: released };
    }

    case "pointercancel":
      if (!state.pointerDown) return { state };
      if (phase === "pressing" || phase === "holding")
        return { state: { ...state, phase: "idle", live: false, pointerDown: false }, effect: "discard" };
      return { state: { ...state, pointerDown: false } };

    case "holdtimer":
      // A timer left from an earlier press is too early for this one.
      if (phase === "pressing" && state.pointerDown && event.at - state.downAt >= HOLD_MS)
        return { state: { ...state, phase: "holding" } };
      return { state };

    case "click":
      if (event.at <= state.ignoreClicksUntil) return { state: { ...state, ignoreClicksUntil: -Infinity } };
      if (phase === "idle") return { state: { ...state, phase: "toggled", live: false }, effect: "start" };
      if (phase === "toggled") return stopped(state);
      // A key press while a pointer holds the button: the pointer decides.
      return { state };

    case "live":
      return phase === "idle" ? { state } : { state: { ...state, live: true } };

    case "ended":
      return { state: { ...state, phase: "idle", live: false } };
  }
}

/** Stops a tap-started recording: sent if the microphone was on, else there is nothing to send. */
function stopped(state: PressState): { state: PressState; effect: PressEffect } {
  return { state: { ...state, phase: "idle", live: false }, effect: state.live ? "stop" : "discard" };
}
