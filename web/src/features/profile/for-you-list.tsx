import type { Recommendation } from "@/lib/api";
import { formatMoney } from "@/lib/format";

const UNIT: Record<string, string> = { night: "a night", person: "a person", seat: "a seat", offer: "" };
const TYPE: Record<string, string> = {
  hotel: "Hotel",
  activity: "Activity",
  restaurant: "Restaurant",
  flight: "Flight",
};

/**
 * Recommended items, each with why it is there, its description behind "More" (opening it is what counts as a view)
 * and a Like button (pressed once liked).
 */
export function ForYouList({
  items,
  liked,
  liking,
  onLike,
  onView,
}: {
  items: Recommendation[];
  liked: ReadonlySet<string>;
  liking: string | null;
  onLike: (itemId: string) => void;
  onView: (itemId: string) => void;
}) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Recommended for you">
      {items.map(({ item, reason }) => {
        const isLiked = liked.has(item.id);
        return (
          <li
            key={item.id}
            className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
            data-testid="for-you-item"
          >
            <div className="min-w-0">
              <p className="text-xs font-medium uppercase tracking-wide text-slate-600">
                {TYPE[item.type] ?? item.type} · {item.destination.name}
              </p>
              <p className="font-semibold break-words">{item.name}</p>
              <p className="text-sm tabular-nums text-slate-700">
                {formatMoney(item.price.amount, item.price.currency)} {UNIT[item.priceUnit]}
              </p>
            </div>
            <p className="text-sm text-slate-700" data-testid="for-you-reason">
              {reason}
            </p>
            <details
              className="text-sm text-slate-700"
              onToggle={(event) => {
                if (event.currentTarget.open) onView(item.id);
              }}
            >
              <summary className="cursor-pointer font-medium text-brand-700">More about it</summary>
              <p className="mt-1">{item.description}</p>
            </details>
            <button
              type="button"
              aria-pressed={isLiked}
              disabled={isLiked || liking !== null}
              onClick={() => onLike(item.id)}
              className={`mt-auto self-start rounded-lg border px-3 py-1 text-sm font-medium ${
                isLiked
                  ? "border-brand-600 bg-brand-50 text-brand-700"
                  : "border-slate-300 text-slate-800 hover:bg-slate-50 disabled:text-slate-500"
              }`}
            >
              {isLiked ? "Liked" : liking === item.id ? "Liking…" : "Like"}
              {/* Which item, for screen readers; the visible word starts the name, as it should. */}
              <span className="sr-only"> {item.name}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
