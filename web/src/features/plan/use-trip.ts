"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";

import { api, call, type CatalogItem } from "@/lib/api";

export interface Stay {
  checkIn: string;
  checkOut: string;
  guests: number;
}

export type Message =
  | { id: number; role: "user"; text: string }
  | { id: number; role: "assistant"; text: string; items?: CatalogItem[]; audioUrl?: string }
  | { id: number; role: "assistant-error"; text: string };

/** A message before it has an id (Omit distributed over the union). */
export type NewMessage = Message extends infer M ? (M extends Message ? Omit<M, "id"> : never) : never;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function defaultStay(): Stay {
  return { checkIn: day(14), checkOut: day(17), guests: 2 };
}

/**
 * The trip being planned: the conversation, the stay, and the items picked for it. Until the planner endpoints are
 * wired, a text request is a catalog search for the stay's dates (only bookable items come back).
 */
export function useTrip() {
  const [messages, setMessages] = useState<Message[]>([]);
  const [stay, setStay] = useState<Stay>(defaultStay);
  const [picked, setPicked] = useState<CatalogItem[]>([]);
  const nextId = useRef(1);

  const add = useCallback((message: NewMessage) => {
    const id = nextId.current++;
    setMessages((list) => [...list, { ...message, id } as Message]);
  }, []);

  const search = useMutation({
    mutationFn: (text: string) =>
      call(
        api.catalog.search.$get({
          query: { q: text, checkIn: stay.checkIn, checkOut: stay.checkOut, guests: String(stay.guests), limit: "12" },
        }),
      ),
  });

  const ask = useCallback(
    async (text: string) => {
      add({ role: "user", text });
      try {
        const result = await search.mutateAsync(text);
        add({
          role: "assistant",
          text:
            result.items.length === 0
              ? `Nothing in the catalog matches “${text}” for ${stay.checkIn} → ${stay.checkOut}. Try a city name, or a city and a kind of place, like “Lisbon hotel”.`
              : `Here ${result.total === 1 ? "is 1 option" : `are ${Math.min(result.total, result.items.length)} of ${result.total} options`} for ${stay.checkIn} → ${stay.checkOut}, ${stay.guests} guest${stay.guests === 1 ? "" : "s"}. Add what you like to your trip.`,
          items: result.items,
        });
      } catch (error) {
        add({
          role: "assistant-error",
          text: error instanceof Error ? error.message : "The search did not work. Please try again.",
        });
      }
    },
    [add, search, stay],
  );

  const toggle = useCallback((item: CatalogItem) => {
    setPicked((list) => (list.some((i) => i.id === item.id) ? list.filter((i) => i.id !== item.id) : [...list, item]));
  }, []);

  return { messages, add, ask, searching: search.isPending, stay, setStay, picked, toggle, setPicked };
}
