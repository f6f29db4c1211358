"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type ReactNode } from "react";

import { Button } from "@/components/ui";

import { Bubble } from "./bubble";
import { HandsFree } from "./hands-free";
import { pickSuggestion, type Message } from "./messages";
import type { Recording } from "./recorder";
import { speakText } from "./speak";
import { TripPanel } from "./trip-panel";
import { useTrip } from "./use-trip";
import { VoiceButton } from "./voice-button";

// Day cards exist only once the planner has answered with a plan: their code is not part of the page's first load.
// It starts loading when a request is sent (see `send`), so it is there by the time the answer is.
const PlanCard = dynamic(() => import("./plan-card").then((m) => m.PlanCard));
const preloadPlanParts = () => {
  // A failed preload is retried when the part is shown.
  import("./plan-card").catch(() => undefined);
  import("./book-trip").catch(() => undefined);
};

const EXAMPLES = [
  "3 days in Lisbon for 2, food and museums, under €900",
  "A long weekend in Paris",
  "Five days in Tokyo for two, hiking and nature",
  "Rome for 4 days, art and history",
];

/** The conversation with the planner. `intro` is its opening message, rendered by the page on the server. */
export function PlanChat({ intro }: { intro: ReactNode }) {
  const trip = useTrip();
  const log = useRef<HTMLDivElement>(null);

  // New messages scroll into view from their start (a plan is long: its reply and first day come first).
  const shown = useRef(0);
  useEffect(() => {
    const container = log.current;
    if (!container) return;
    const added = trip.messages.slice(shown.current);
    shown.current = trip.messages.length;
    // Nothing new and nothing on its way (the page as it loads): no need to measure the layout.
    if (added.length === 0 && !trip.pending) return;
    // A restored conversation opens on its last exchange.
    const first = added.length > 2 ? added.findLast((m) => m.role === "user") : added[0];
    const target = first ? container.querySelector<HTMLElement>(`[data-message="${first.id}"]`) : null;
    if (container.scrollHeight > container.clientHeight)
      container.scrollTop = target && !trip.pending ? target.offsetTop - 16 : container.scrollHeight;
    // On small screens the page scrolls, not the conversation: bring a new answer into view (not a restored one).
    else if (target && added.length <= 2 && !trip.pending) target.scrollIntoView({ block: "start" });
  }, [trip.messages, trip.pending]);

  const busy = trip.pending !== null;
  const send = (request: string) => {
    preloadPlanParts();
    void trip.ask(request);
  };
  const sendRecording = (recording: Recording) => {
    preloadPlanParts();
    void trip.askByVoice(recording);
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
              disabled={busy}
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
          {intro}
          {trip.restoring && <Bubble role="assistant">Loading your last conversation…</Bubble>}
          {trip.messages.map((m) => (
            <div key={m.id} data-message={m.id}>
              <MessageView message={m} onPick={busy ? undefined : send} />
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
        <Composer
          busy={busy}
          examples={trip.messages.length === 0 && !trip.restoring}
          onSend={send}
          onRecording={sendRecording}
        />
        <div className="border-t border-slate-200 px-3 py-2">
          <HandsFree conversationId={trip.currentConversation} onTurn={trip.heardByVoice} disabled={busy} />
        </div>
      </section>
      <TripPanel plan={trip.plan} previous={trip.previousPlan} />
    </div>
  );
}

/** The request being typed (its own state: typing re-renders the field, not the conversation), Send, Speak, examples. */
function Composer({
  busy,
  examples,
  onSend,
  onRecording,
}: {
  busy: boolean;
  examples: boolean;
  onSend: (request: string) => void;
  onRecording: (recording: Recording) => void;
}) {
  const [text, setText] = useState("");
  const send = (value: string) => {
    const request = value.trim();
    if (!request || busy) return;
    setText("");
    onSend(request);
  };
  return (
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
      <Button type="submit" disabled={!text.trim() || busy}>
        Send
      </Button>
      <VoiceButton onRecording={onRecording} disabled={busy} />
      {examples && (
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
  );
}

function MessageView({ message, onPick }: { message: Message; onPick?: (request: string) => void }) {
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
      {message.suggestions && (
        <ol className="grid gap-2" aria-label="Suggested destinations" data-testid="suggestions">
          {message.suggestions.map((suggestion) => (
            <li key={suggestion.destination.id}>
              <button
                type="button"
                className="w-full rounded-lg border border-slate-200 bg-white px-3 py-2 text-left text-sm hover:border-brand-600 disabled:cursor-not-allowed"
                disabled={!onPick}
                onClick={() => onPick?.(pickSuggestion(suggestion))}
              >
                <span className="font-medium">Plan {pickSuggestion(suggestion)}</span>
                <span className="block text-xs text-slate-600">{suggestion.reason}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {message.plan && <PlanCard plan={message.plan} />}
    </div>
  );
}
