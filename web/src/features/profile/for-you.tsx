"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState } from "react";

import { useSession } from "@/features/auth/session";
import { api, call, describeError } from "@/lib/api";

import { ForYouList } from "./for-you-list";

const SHOWN = 6;

/**
 * "For you" on the plan page: `GET /recommendations` for the signed-in traveller, each with its reason. Opening an
 * item's details records a view and Like a like (`POST /interactions`); a like re-ranks the list at once, a view
 * counts from the next visit. Merely being shown is not a view: that would narrow the list to whatever it showed.
 */
export function ForYou() {
  const { address } = useSession();
  return (
    <section aria-labelledby="for-you-title" className="mt-8" data-testid="for-you">
      <h2 id="for-you-title" className="mb-3 text-lg font-semibold">
        For you
      </h2>
      {address ? (
        <Recommended address={address} />
      ) : (
        <p className="text-sm text-slate-600">
          Sign in to see places picked for you from what you like, and tell us what that is on your{" "}
          <Link href="/profile" prefetch={false} className="font-medium text-brand-700 underline">
            profile
          </Link>
          .
        </p>
      )}
    </section>
  );
}

function Recommended({ address }: { address: string }) {
  const client = useQueryClient();
  const recommendations = useQuery({
    queryKey: ["recommendations", address],
    queryFn: () => call(api.recommendations.$get({ query: { limit: String(SHOWN) } })),
  });
  const [liked, setLiked] = useState<ReadonlySet<string>>(new Set());
  const like = useMutation({
    mutationFn: (itemId: string) => call(api.interactions.$post({ json: { itemId, kind: "like" } })),
    onSuccess: (_recorded, itemId) => {
      setLiked((current) => new Set([...current, itemId]));
      return client.invalidateQueries({ queryKey: ["recommendations"] });
    },
  });

  // One view per item while the page is open; a view that fails to record is not worth interrupting anyone for.
  const viewed = useRef(new Set<string>());
  const view = (itemId: string) => {
    if (viewed.current.has(itemId)) return;
    viewed.current.add(itemId);
    call(api.interactions.$post({ json: { itemId, kind: "view" } })).catch(() => undefined);
  };

  if (recommendations.isPending) return <p className="text-sm text-slate-600">Finding places for you…</p>;
  if (recommendations.isError)
    return (
      <p className="text-sm text-red-700">Recommendations could not be read: {describeError(recommendations.error)}</p>
    );
  const { items, personalised } = recommendations.data;
  return (
    <>
      {!personalised && (
        <p className="mb-3 text-sm text-slate-600">
          Popular places for now. Add your interests on your{" "}
          <Link href="/profile" prefetch={false} className="font-medium text-brand-700 underline">
            profile
          </Link>{" "}
          or like what you see, and this list follows.
        </p>
      )}
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing to recommend yet.</p>
      ) : (
        <ForYouList
          items={items}
          liked={liked}
          liking={like.isPending ? (like.variables ?? null) : null}
          onLike={(itemId) => like.mutate(itemId)}
          onView={view}
        />
      )}
      {like.isError && (
        <p className="mt-2 text-sm text-red-700">That like was not saved: {describeError(like.error)}</p>
      )}
    </>
  );
}
