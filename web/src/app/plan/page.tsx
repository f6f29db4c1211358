import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { Bubble } from "@/features/plan/bubble";
import { PlanChat } from "@/features/plan/plan-chat";
import { ForYou } from "@/features/profile/for-you";

export const metadata: Metadata = { title: "Plan a trip" };

export default function PlanPage() {
  return (
    <>
      <PageTitle lead="Say or type where you want to go, get a day-by-day plan of bookable places, book it and pay on-chain.">
        Plan a trip
      </PageTitle>
      <PlanChat
        // Rendered here, on the server: the page's largest text is in the HTML and never waits for, or changes with,
        // the conversation's state.
        intro={
          <Bubble role="assistant">
            Where would you like to go? Tell me the city, when and for how long, who is coming, what you enjoy and your
            budget — by typing or with <span className="font-medium">Speak</span> — and I will plan each day from
            bookable hotels, activities and restaurants.
          </Bubble>
        }
      />
      <ForYou />
    </>
  );
}
