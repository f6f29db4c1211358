import { describe, expect, it } from "vitest";

import { CLICK_AFTER_RELEASE_MS, HOLD_MS, initialPress, press, type PressEffect, type PressEvent } from "./press";

/** Runs events from idle; returns the phases and effects along the way. */
function run(...events: PressEvent[]) {
  let state = initialPress;
  const effects: (PressEffect | undefined)[] = [];
  for (const event of events) {
    const next = press(state, event);
    state = next.state;
    effects.push(next.effect);
  }
  return { state, effects: effects.filter(Boolean) };
}

const down = (at: number): PressEvent => ({ type: "pointerdown", at });
const up = (at: number): PressEvent => ({ type: "pointerup", at });
const click = (at: number): PressEvent => ({ type: "click", at });
const live: PressEvent = { type: "live" };

describe("the Speak button: hold to talk, or tap to start and stop", () => {
  it("a press starts recording at once", () => {
    const { state, effects } = run(down(0));
    expect(effects).toEqual(["start"]);
    expect(state.phase).toBe("pressing");
  });

  it("held past the threshold, it records until release, then sends", () => {
    const { state, effects } = run(down(0), live, { type: "holdtimer", at: HOLD_MS }, up(2500), click(2501));
    expect(effects).toEqual(["start", "stop"]);
    expect(state.phase).toBe("idle");
  });

  it("the release decides even if the hold timer is late", () => {
    expect(run(down(0), live, up(HOLD_MS + 50)).effects).toEqual(["start", "stop"]);
  });

  it("a short tap keeps recording until the next tap (and the taps' own clicks do nothing more)", () => {
    const tapped = run(down(0), live, up(120), click(121));
    expect(tapped.effects).toEqual(["start"]);
    expect(tapped.state.phase).toBe("toggled");
    const stopped = run(down(0), live, up(120), click(121), down(4000), up(4080), click(4081));
    expect(stopped.effects).toEqual(["start", "stop"]);
    expect(stopped.state.phase).toBe("idle");
  });

  it("a long press on a tap-started recording stops it on release, like a tap", () => {
    const { effects, state } = run(down(0), live, up(100), down(3000), { type: "holdtimer", at: 3300 }, up(4000));
    expect(effects).toEqual(["start", "stop"]);
    expect(state.phase).toBe("idle");
  });

  it("Enter or Space (a click with no pointer press) starts, and again stops", () => {
    const started = run(click(0));
    expect(started.effects).toEqual(["start"]);
    expect(started.state.phase).toBe("toggled");
    expect(run(click(0), live, click(3000)).effects).toEqual(["start", "stop"]);
  });

  it("a key press long after a pointer release is not mistaken for the release's click", () => {
    const { effects } = run(down(0), live, up(100), click(100 + CLICK_AFTER_RELEASE_MS + 1));
    expect(effects).toEqual(["start", "stop"]);
  });

  it("a hold released before the microphone is on counts as a tap: recording goes on once it starts", () => {
    const { state, effects } = run(down(0), { type: "holdtimer", at: HOLD_MS }, up(900), live);
    expect(effects).toEqual(["start"]);
    expect(state).toMatchObject({ phase: "toggled", live: true });
  });

  it("stopping before the microphone is on throws the nothing away instead of sending it", () => {
    expect(run(click(0), click(2000)).effects).toEqual(["start", "discard"]);
  });

  it("a cancelled pointer (the system took it) sends nothing", () => {
    const { state, effects } = run(
      down(0),
      live,
      { type: "holdtimer", at: HOLD_MS },
      { type: "pointercancel", at: 900 },
    );
    expect(effects).toEqual(["start", "discard"]);
    expect(state.phase).toBe("idle");
  });

  it("a hold timer left from an earlier press does not turn a new press into a hold", () => {
    const { state } = run(down(0), up(100), down(1000), up(1100), click(1101), down(5000), {
      type: "holdtimer",
      at: HOLD_MS,
    });
    expect(state.phase).toBe("pressing");
  });

  it("a recording that ends by itself while held: the release and its click start nothing", () => {
    const { state, effects } = run(down(0), live, { type: "holdtimer", at: HOLD_MS }, { type: "ended" }, up(31_000));
    expect(effects).toEqual(["start"]);
    expect(state.phase).toBe("idle");
    expect(press(state, click(31_001)).effect).toBeUndefined();
  });

  it("a second finger or a key press during a hold changes nothing", () => {
    const { state, effects } = run(down(0), live, down(50), click(60));
    expect(effects).toEqual(["start"]);
    expect(state.phase).toBe("pressing");
  });

  it("a release that is not ours (pressed elsewhere) does nothing", () => {
    expect(run(up(10), click(11)).effects).toEqual(["start"]);
    expect(run(up(10)).state).toEqual(initialPress);
  });
});
