"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, describeError } from "@/lib/api";

import type { ProfileBody } from "./profile-draft";
import { ProfileForm } from "./profile-form";

/** The signed-in traveller's profile (`GET /me/profile`), saved with `PUT /me/profile`. */
export function ProfileEditor() {
  const client = useQueryClient();
  const choices = useQuery({
    queryKey: ["profile-choices"],
    queryFn: () => call(api.me.profile.choices.$get()),
    staleTime: Infinity,
  });
  const profile = useQuery({ queryKey: ["profile"], queryFn: () => call(api.me.profile.$get()) });
  const save = useMutation({
    mutationFn: (body: ProfileBody) => call(api.me.profile.$put({ json: body })),
    onSuccess: (saved) => {
      client.setQueryData(["profile"], saved);
      // What is recommended follows the saved preferences.
      return client.invalidateQueries({ queryKey: ["recommendations"] });
    },
  });

  if (choices.isPending || profile.isPending) return <p className="text-sm text-slate-600">Loading your profile…</p>;
  if (choices.isError || profile.isError)
    return (
      <p className="text-sm text-red-700">
        Your profile could not be read: {describeError(choices.error ?? profile.error)}
      </p>
    );
  return (
    <ProfileForm
      choices={choices.data}
      profile={profile.data}
      saving={save.isPending}
      saved={save.isSuccess}
      error={save.isError ? describeError(save.error) : null}
      onSave={(body) => save.mutate(body)}
    />
  );
}
