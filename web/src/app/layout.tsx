import "@fontsource-variable/inter";
import "./globals.css";

import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { Header } from "@/components/header";
import { Providers } from "@/components/providers";
import { ReferralCapture, ReferralConsent } from "@/features/referrals/referral-consent";

export const metadata: Metadata = {
  title: { default: "TRVL", template: "%s · TRVL" },
  description: "Plan a trip by voice or text, book it, pay on-chain, and earn TRVL back.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b6fdb" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <Providers>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <Header />
          <ReferralCapture />
          <main id="main" className="mx-auto max-w-5xl px-4 pb-16 pt-6">
            <ReferralConsent />
            {children}
          </main>
          <footer className="mx-auto max-w-5xl px-4 pb-8 text-sm text-slate-500">
            Hotels, flights and activities shown are demo inventory unless a real provider is configured.
          </footer>
        </Providers>
      </body>
    </html>
  );
}
