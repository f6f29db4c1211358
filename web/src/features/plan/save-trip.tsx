"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { Button } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { api, call, describeError, type Plan } from "@/lib/api";

/**
 * "Save and edit": a signed-in traveller keeps the plan as a draft trip (POST /trips, checked and priced again) and
 * goes on editing it on its own page, where it reopens as it was left. Signed out, nothing to show: booking asks to
 * sign in.
 */
export function SaveTrip({ plan }: { plan: Plan }) {
  const { address } = useSession();
  const router = useRouter();
  const save = useMutation({
    mutationFn: (trip: Plan) => call(api.trips.$post({ json: { plan: trip } })),
    onSuccess: (trip) => router.push(`/trips/${trip.id}`),
  });
  if (!address) return null;
  return (
    <div className="mt-4">
      <Button variant="secondary" className="w-full" disabled={save.isPending} onClick={() => save.mutate(plan)}>
        {save.isPending ? "Saving…" : "Save and edit this trip"}
      </Button>
      {save.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(save.error)}
        </p>
      )}
    </div>
  );
}
