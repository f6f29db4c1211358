import "./globals.css";

import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import type { ReactNode } from "react";

import { Header } from "@/components/header";
import { Providers } from "@/components/providers";
import { ReferralCapture, ReferralConsent } from "@/features/referrals/referral-consent";

// Inter from npm (@fontsource-variable/inter) through next/font: preloaded, with a metrics-matched fallback. Importing
// the package's CSS found the font late and repainted every text when it arrived; "optional" never repaints (a font
// that misses the first paint waits for the next page), which keeps the largest paint at the first one.
const inter = localFont({
  src: "../../../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  weight: "100 900",
  variable: "--font-inter",
  display: "optional",
});

export const metadata: Metadata = {
  title: { default: "TRVL", template: "%s · TRVL" },
  description: "Plan a trip by voice or text, book it, pay on-chain, and earn TRVL back.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b6fdb" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
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
