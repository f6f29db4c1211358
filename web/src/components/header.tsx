"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { SessionBadge } from "@/features/auth/session-badge";
import { BurnerButton } from "@/features/burner/burner-button";

import { ConnectButton } from "./connect-button";

const LINKS = [
  { href: "/plan", label: "Plan" },
  { href: "/trips", label: "Trips" },
  { href: "/bookings", label: "Bookings" },
  { href: "/rewards", label: "Rewards" },
  { href: "/stake", label: "Stake" },
  { href: "/referrals", label: "Referrals" },
  { href: "/dao", label: "DAO" },
  { href: "/ops", label: "Ops" },
  { href: "/profile", label: "Profile" },
] as const;

export function Header() {
  const pathname = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/plan" prefetch={false} className="text-xl font-bold tracking-tight text-brand-700">
          TRVL
        </Link>
        {/* Every section in view at any width: one row from a tablet up, a 3 × 3 grid under the logo on a phone. */}
        <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
          <ul className="grid grid-cols-3 gap-1 sm:flex sm:flex-wrap">
            {LINKS.map(({ href, label }) => {
              const active = pathname === href || pathname.startsWith(`${href}/`);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    // Not every page's JavaScript on every visit: a page's code loads when it is opened (the logo
                    // above too).
                    prefetch={false}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded-md px-1 py-2 text-center text-sm font-medium sm:px-3 ${
                      active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"
                    }`}
                  >
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <SessionBadge />
          {process.env.TRVL_LOCAL_CHAIN === "1" && <BurnerButton />}
          <ConnectButton />
        </div>
      </div>
    </header>
  );
}
