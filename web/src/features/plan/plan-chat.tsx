"use client";

import { useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui";
import type { CatalogItem } from "@/lib/api";

import type { Recording } from "./recorder";
import { TripPanel } from "./trip-panel";
import { useTrip, type Message } from "./use-trip";
import { VoiceButton } from "./voice-button";

const EXAMPLES = ["Lisbon hotel", "Tokyo activity", "Paris restaurant", "Barcelona"];

export function PlanChat() {
  const trip = useTrip();
  const [text, setText] = useState("");
  const log = useRef<HTMLDivElement>(null);
  const audioUrls = useRef<string[]>([]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight, behavior: "smooth" });
  }, [trip.messages]);
  useEffect(() => () => audioUrls.current.forEach((url) => URL.revokeObjectURL(url)), []);

  const send = (value: string) => {
    const request = value.trim();
    if (!request || trip.searching) return;
    setText("");
    void trip.ask(request);
  };

  // The voice planner (POST /voice/plan) takes this WAV once it is wired; until then the clip is played back.
  const onRecording = (recording: Recording) => {
    const url = URL.createObjectURL(recording.wav);
    audioUrls.current.push(url);
    trip.add({
      role: "assistant",
      text: `I recorded ${recording.seconds.toFixed(1)} seconds (16 kHz WAV). Voice planning is not connected on this server yet: type your request meanwhile.`,
      audioUrl: url,
    });
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <section
        aria-label="Trip planner conversation"
        className="flex min-h-[28rem] flex-col rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div
          ref={log}
          role="log"
          aria-live="polite"
          aria-label="Conversation"
          className="flex-1 space-y-4 overflow-y-auto p-4 lg:max-h-[70vh]"
        >
          <Bubble role="assistant">
            Where would you like to go? Tell me a city and what you are after — a hotel, a flight, activities or
            restaurants — and pick what you like for your trip.
          </Bubble>
          {trip.messages.map((m) => (
            <MessageView key={m.id} message={m} picked={trip.picked} onToggle={trip.toggle} />
          ))}
          {trip.searching && <Bubble role="assistant">Searching the catalog…</Bubble>}
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
            placeholder="e.g. Lisbon hotel"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
          />
          <Button type="submit" disabled={!text.trim() || trip.searching}>
            Send
          </Button>
          <VoiceButton onRecording={onRecording} disabled={trip.searching} />
          {trip.messages.length === 0 && (
            <div className="flex w-full flex-wrap gap-2 text-sm" aria-label="Examples">
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
      <TripPanel stay={trip.stay} onStay={trip.setStay} picked={trip.picked} onRemove={trip.toggle} />
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

function MessageView({
  message,
  picked,
  onToggle,
}: {
  message: Message;
  picked: CatalogItem[];
  onToggle: (item: CatalogItem) => void;
}) {
  if (message.role === "user") return <Bubble role="user">{message.text}</Bubble>;
  if (message.role === "assistant-error") return <Bubble role="error">{message.text}</Bubble>;
  return (
    <div className="grid gap-2">
      <Bubble role="assistant">{message.text}</Bubble>
      {message.audioUrl && <audio controls src={message.audioUrl} className="max-w-full" aria-label="Your recording" />}
      {message.items && message.items.length > 0 && (
        <ul className="grid gap-2 sm:grid-cols-2" aria-label="Results">
          {message.items.map((item) => {
            const added = picked.some((p) => p.id === item.id);
            return (
              <li key={item.id} className="rounded-xl border border-slate-200 p-3 text-sm" data-testid="catalog-item">
                <div className="flex items-start justify-between gap-2">
                  <p className="font-semibold">{item.name}</p>
                  <span className="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs">{item.type}</span>
                </div>
                <p className="text-xs text-slate-500">
                  {item.destination.name} ·{" "}
                  {item.rating !== null ? `★ ${item.rating} (${item.reviewCount})` : "no reviews yet"}
                  {item.demo && " · demo"}
                </p>
                <p className="mt-1 line-clamp-2 text-slate-700">{item.description}</p>
                <div className="mt-2 flex items-center justify-between">
                  <span className="font-semibold tabular-nums">
                    ${item.price.amount} <span className="font-normal text-slate-500">/ {item.priceUnit}</span>
                  </span>
                  <Button variant={added ? "secondary" : "primary"} onClick={() => onToggle(item)}>
                    {added ? "✓ In your trip" : "Add to trip"}
                    <span className="sr-only">
                      {added ? " (select to remove)" : ""}: {item.name}
                    </span>
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
