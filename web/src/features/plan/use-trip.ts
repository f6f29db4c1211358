"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import { useSession } from "@/features/auth/session";
import { api, call, describeError, type PlanResult } from "@/lib/api";

import {
  latestPlan,
  previousPlan,
  replyOf,
  turnsToMessages,
  voiceMessages,
  type Message,
  type NewMessage,
} from "./messages";
import type { Recording } from "./recorder";
import { playReply, replyAudioUrl } from "./speak";

/**
 * The trip being planned: a conversation with the planner (typed through POST /planner/plan, spoken through POST
 * /voice/plan) and the latest plan, which "Book this trip" books. The API remembers the conversation and the page sends
 * its id back, so a follow-up like "make it 3 nights" builds on it. Signed in, the page shows the latest one again;
 * signed out, this browser keeps the visitor's conversation id (the API forgets it a day after its last turn) and
 * shows it again after a reload.
 */
const VISITOR_CONVERSATION = "trvl.planner.visitorConversation";

function visitorConversation(): string | null {
  try {
    return window.localStorage.getItem(VISITOR_CONVERSATION);
  } catch {
    return null;
  }
}

function keepVisitorConversation(id: string | null) {
  try {
    if (id) window.localStorage.setItem(VISITOR_CONVERSATION, id);
    else window.localStorage.removeItem(VISITOR_CONVERSATION);
  } catch {
    // Storage refused (private mode): the conversation still lasts as long as the page.
  }
}

export function useTrip() {
  const { address } = useSession();
  const [messages, setMessages] = useState<Message[]>([]);
  const nextId = useRef(1);
  // The API's conversation this page continues; none means the next request starts a new one.
  const conversationId = useRef<string | null>(null);
  const restoredFor = useRef<string | undefined>(undefined);
  const audioUrls = useRef<string[]>([]);

  const add = useCallback((...list: NewMessage[]) => {
    setMessages((current) => [...current, ...list.map((m) => ({ ...m, id: nextId.current++ }) as Message)]);
  }, []);

  // A different account (or none) must not continue the previous account's conversation.
  const previousAddress = useRef(address);
  useEffect(() => {
    if (previousAddress.current === address) return;
    if (previousAddress.current && address) setMessages([]);
    // A visitor who signs in goes on with their conversation, which becomes theirs with the next turn.
    if (previousAddress.current !== undefined || address === undefined) conversationId.current = null;
    else keepVisitorConversation(null);
    previousAddress.current = address;
  }, [address]);

  const history = useQuery({
    queryKey: ["planner", "conversations", address],
    enabled: address !== undefined,
    // Read afresh each time the page opens: the conversation grew since the last visit.
    gcTime: 0,
    queryFn: () => call(api.planner.conversations.$get()),
  });
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  useEffect(() => {
    if (!address || restoredFor.current === address || !history.isSuccess) return;
    restoredFor.current = address;
    const latest = history.data.conversations[0];
    // Only into an empty page: never over what was asked before signing in.
    if (!latest || latest.turns.length === 0 || messages.length > 0) return;
    conversationId.current = latest.id;
    setRestoredAt(latest.updatedAt);
    setMessages(turnsToMessages(latest.turns).map((m) => ({ ...m, id: nextId.current++ }) as Message));
  }, [address, history.data, history.isSuccess, messages.length]);

  // Signed out: the visitor's conversation from before a reload, while the API still has it.
  const [visitorId, setVisitorId] = useState<string | null>(null);
  useEffect(() => setVisitorId(visitorConversation()), []);
  const visitor = useQuery({
    queryKey: ["planner", "conversation", visitorId],
    enabled: address === undefined && visitorId !== null,
    gcTime: 0,
    retry: false,
    queryFn: () => call(api.planner.conversations[":id"].$get({ param: { id: visitorId! } })),
  });
  const restoredVisitor = useRef(false);
  useEffect(() => {
    if (restoredVisitor.current || address !== undefined || visitorId === null) return;
    if (visitor.isError) {
      restoredVisitor.current = true;
      keepVisitorConversation(null);
      return;
    }
    if (!visitor.isSuccess) return;
    restoredVisitor.current = true;
    if (visitor.data.turns.length === 0 || messages.length > 0) return;
    conversationId.current = visitor.data.id;
    setRestoredAt(visitor.data.updatedAt);
    setMessages(turnsToMessages(visitor.data.turns).map((m) => ({ ...m, id: nextId.current++ }) as Message));
  }, [address, visitorId, visitor.data, visitor.isSuccess, visitor.isError, messages.length]);

  useEffect(() => () => audioUrls.current.forEach((url) => URL.revokeObjectURL(url)), []);

  /** Remembers the conversation an answer was recorded in (for a visitor, across reloads too). */
  const continueIn = useCallback(
    (id: string | null) => {
      conversationId.current = id;
      if (address === undefined) keepVisitorConversation(id);
    },
    [address],
  );

  const conversation = () =>
    conversationId.current ? { conversationId: conversationId.current } : { newConversation: true };

  const typed = useMutation({
    mutationFn: (text: string) => call(api.planner.plan.$post({ json: { text, ...conversation() } })),
  });
  const spoken = useMutation({
    mutationFn: (recording: Recording) =>
      call(
        api.voice.plan.$post({
          form: {
            audio: new File([recording.wav], "request.wav", { type: "audio/wav" }),
            speak: "true",
            ...(conversationId.current
              ? { conversationId: conversationId.current }
              : { newConversation: "true" as const }),
          },
        }),
      ),
  });

  const ask = useCallback(
    async (text: string) => {
      add({ role: "user", text, via: "text" });
      try {
        const result = await typed.mutateAsync(text);
        continueIn(result.conversationId);
        add(replyOf(result));
      } catch (error) {
        add({ role: "assistant-error", text: `I could not plan that: ${lower(describeError(error))}` });
      }
    },
    [add, continueIn, typed],
  );

  const askByVoice = useCallback(
    async (recording: Recording) => {
      try {
        const voice = await spoken.mutateAsync(recording);
        continueIn(voice.result.conversationId);
        const audioUrl = replyAudioUrl(voice.reply);
        if (audioUrl) audioUrls.current.push(audioUrl);
        const [request, reply] = voiceMessages(voice);
        add(request, { ...reply, spoken: true, ...(audioUrl ? { audioUrl } : {}) } as NewMessage);
        playReply(voice.reply.text, audioUrl);
      } catch (error) {
        add({ role: "assistant-error", text: `I could not use that recording: ${lower(describeError(error))}` });
      }
    },
    [add, continueIn, spoken],
  );

  /** A turn of the hands-free conversation (GET /voice/stream), which speaks its reply itself. */
  const heardByVoice = useCallback(
    (transcript: string, result: PlanResult) => {
      continueIn(result.conversationId);
      add({ role: "user", text: transcript, via: "voice" }, { ...replyOf(result), spoken: true } as NewMessage);
    },
    [add, continueIn],
  );
  const currentConversation = useCallback(() => conversationId.current, []);

  /** Forgets the conversation on this page: the next request starts a new one. */
  const startOver = useCallback(() => {
    conversationId.current = null;
    keepVisitorConversation(null);
    setRestoredAt(null);
    setMessages([]);
  }, []);

  return {
    messages,
    ask,
    askByVoice,
    heardByVoice,
    currentConversation,
    startOver,
    plan: latestPlan(messages),
    previousPlan: previousPlan(messages),
    restoredAt,
    restoring: address !== undefined && history.isPending,
    pending: typed.isPending ? ("text" as const) : spoken.isPending ? ("voice" as const) : null,
  };
}

/** "Sign in first." → "sign in first." so it reads after a colon; acronyms stay. */
const lower = (sentence: string) =>
  /^[A-Z][a-z]/.test(sentence) ? sentence[0].toLowerCase() + sentence.slice(1) : sentence;
