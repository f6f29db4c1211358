import type { ReactNode } from "react";

/** One message of the conversation. No hooks: the page's opening message renders on the server with it. */
export function Bubble({ role, children }: { role: "user" | "assistant" | "error"; children: ReactNode }) {
  const style = {
    user: "ml-auto bg-brand-600 text-white",
    assistant: "bg-slate-100 text-slate-900",
    error: "bg-red-50 text-red-800 border border-red-200",
  }[role];
  return (
    <div className={`w-fit max-w-[90%] rounded-2xl px-4 py-2 text-sm ${style}`}>
      <span className="sr-only">{role === "user" ? "You: " : "TRVL: "}</span>
      {children}
    </div>
  );
}
