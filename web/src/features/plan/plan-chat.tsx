"use client";

import { useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui";

import type { Message } from "./messages";
import { PlanCard } from "./plan-card";
import { speakText } from "./speak";
import { TripPanel } from "./trip-panel";
import { useTrip } from "./use-trip";
import { VoiceButton } from "./voice-button";

const EXAMPLES = [
  "3 days in Lisbon for 2, food and museums, under €900",
  "A long weekend in Paris",
  "Five days in Tokyo for two, hiking and nature",
  "Rome for 4 days, art and history",
];

export function PlanChat() {
  const trip = useTrip();
  const [text, setText] = useState("");
  const log = useRef<HTMLDivElement>(null);

  // New messages scroll into view from their start (a plan is long: its reply and first day come first).
  const shown = useRef(0);
  useEffect(() => {
    const container = log.current;
    if (!container) return;
    const added = trip.messages.slice(shown.current);
    shown.current = trip.messages.length;
    // A restored conversation opens on its last exchange.
    const first = added.length > 2 ? added.findLast((m) => m.role === "user") : added[0];
    const target = first ? container.querySelector<HTMLElement>(`[data-message="${first.id}"]`) : null;
    if (container.scrollHeight > container.clientHeight)
      container.scrollTop = target && !trip.pending ? target.offsetTop - 16 : container.scrollHeight;
    // On small screens the page scrolls, not the conversation: bring a new answer into view (not a restored one).
    else if (target && added.length <= 2 && !trip.pending) target.scrollIntoView({ block: "start" });
  }, [trip.messages, trip.pending]);

  const send = (value: string) => {
    const request = value.trim();
    if (!request || trip.pending) return;
    setText("");
    void trip.ask(request);
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <section
        aria-label="Trip planner conversation"
        className="flex min-h-[28rem] min-w-0 flex-col rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        {trip.messages.length > 0 && (
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2 text-sm text-slate-600">
            <span>
              {trip.restoredAt
                ? `Your conversation from ${new Date(trip.restoredAt).toLocaleDateString("en-GB", { day: "numeric", month: "short" })}: follow-ups build on it.`
                : "Follow-ups build on this conversation."}
            </span>
            <button
              type="button"
              className="shrink-0 rounded-md px-2 py-1 font-medium text-brand-700 underline-offset-2 hover:underline disabled:text-slate-400"
              onClick={trip.startOver}
              disabled={trip.pending !== null}
            >
              Start a new trip
            </button>
          </div>
        )}
        <div
          ref={log}
          role="log"
          aria-live="polite"
          aria-label="Conversation"
          // Focusable so that keyboard users can scroll it.
          tabIndex={0}
          className="relative flex-1 space-y-4 overflow-y-auto p-4 focus-visible:outline-2 focus-visible:outline-brand-600 lg:max-h-[calc(100vh-19rem)]"
        >
          <Bubble role="assistant">
            Where would you like to go? Tell me the city, when and for how long, who is coming, what you enjoy and your
            budget — by typing or with <span className="font-medium">Speak</span> — and I will plan each day from
            bookable hotels, activities and restaurants.
          </Bubble>
          {trip.restoring && <Bubble role="assistant">Loading your last conversation…</Bubble>}
          {trip.messages.map((m) => (
            <div key={m.id} data-message={m.id}>
              <MessageView message={m} />
            </div>
          ))}
          {trip.pending && (
            <Bubble role="assistant">
              <span className="inline-flex items-center gap-2">
                <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-brand-600" />
                {trip.pending === "voice" ? "Listening to your request and planning…" : "Planning your trip…"}
              </span>
            </Bubble>
          )}
        </div>
        <form
          className="flex flex-wrap items-center gap-2 border-t border-slate-200 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            send(text);
          }}
        >
          <label htmlFor="trip-request" className="sr-only">
            Your trip request
          </label>
          <input
            id="trip-request"
            className="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2"
            placeholder="e.g. 3 days in Lisbon for 2, food and museums"
            value={text}
            maxLength={2000}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
          />
          <Button type="submit" disabled={!text.trim() || trip.pending !== null}>
            Send
          </Button>
          <VoiceButton onRecording={(recording) => void trip.askByVoice(recording)} disabled={trip.pending !== null} />
          {trip.messages.length === 0 && !trip.restoring && (
            <div className="flex w-full flex-wrap gap-2 text-sm" role="group" aria-label="Examples">
              {EXAMPLES.map((example) => (
                <button
                  key={example}
                  type="button"
                  className="rounded-full border border-slate-300 px-3 py-1 text-slate-700 hover:bg-slate-50"
                  onClick={() => send(example)}
                >
                  {example}
                </button>
              ))}
            </div>
          )}
        </form>
      </section>
      <TripPanel plan={trip.plan} />
    </div>
  );
}

function Bubble({ role, children }: { role: "user" | "assistant" | "error"; children: React.ReactNode }) {
  const style = {
    user: "ml-auto bg-brand-600 text-white",
    assistant: "bg-slate-100 text-slate-900",
    error: "bg-red-50 text-red-800 border border-red-200",
  }[role];
  return (
    <div className={`w-fit max-w-[90%] rounded-2xl px-4 py-2 text-sm ${style}`}>
      <span className="sr-only">{role === "user" ? "You: " : "TRVL: "}</span>
      {children}
    </div>
  );
}

function MessageView({ message }: { message: Message }) {
  if (message.role === "user")
    return (
      <Bubble role="user">
        {message.via === "voice" && <span className="sr-only">(said) </span>}
        {message.via === "voice" && (
          <svg aria-hidden viewBox="0 0 24 24" className="mr-1.5 inline h-3.5 w-3.5" fill="none" stroke="currentColor">
            <rect x="9" y="3" width="6" height="11" rx="3" strokeWidth="2" />
            <path d="M5 11a7 7 0 0 0 14 0M12 18v3" strokeWidth="2" strokeLinecap="round" />
          </svg>
        )}
        <span data-testid={message.via === "voice" ? "transcript" : undefined}>{message.text}</span>
      </Bubble>
    );
  if (message.role === "assistant-error")
    return (
      <div role="alert">
        <Bubble role="error">{message.text}</Bubble>
      </div>
    );
  return (
    <div className="grid gap-2">
      <Bubble role="assistant">
        {message.text}
        {message.note && <span className="mt-1 block text-xs text-slate-600">{message.note}</span>}
      </Bubble>
      {message.audioUrl ? (
        <audio controls src={message.audioUrl} className="h-8 max-w-full" aria-label="The reply, spoken" />
      ) : (
        message.spoken && (
          <button
            type="button"
            className="w-fit text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
            onClick={() => speakText(message.text)}
          >
            Say it again
          </button>
        )
      )}
      {message.plan && <PlanCard plan={message.plan} />}
    </div>
  );
}
