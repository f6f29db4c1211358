import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { ProfileEditor } from "@/features/profile/profile-editor";

export const metadata: Metadata = { title: "Profile" };

export default function ProfilePage() {
  return (
    <>
      <PageTitle lead="What you enjoy, eat, need and spend: the planner and your recommendations start from these.">
        Profile
      </PageTitle>
      <SessionGate purpose="save your travel preferences">
        <ProfileEditor />
      </SessionGate>
    </>
  );
}
