/** A supplier's failure to cancel an order, as the keeper takes it: a rate limit, a refusal for good, or an outage. */
import { ApiError } from "../http/errors.js";
import type { SupplierCancelFailure } from "./lifecycle.js";

/** Statuses after which asking the supplier again gives the same answer (the order is flown, or not cancellable). */
const FINAL_STATUSES = new Set([400, 404, 409, 410, 422]);
/** When a rate limit names no reset. */
const DEFAULT_WAIT_MS = 60_000;

interface UpstreamDetails {
  reason?: string;
  status?: number;
  code?: string;
  retryAfterMs?: number;
}

export function supplierCancelFailure(error: unknown): SupplierCancelFailure {
  const details = error instanceof ApiError ? (error.details as UpstreamDetails | null) : null;
  const reason = details?.reason ?? (error instanceof Error ? error.message : String(error));
  const status = details?.status;
  if (status === 429) {
    return {
      kind: "later",
      reason: "The supplier's rate limit was reached: the cancellation is asked again once it resets",
      retryAfterMs: details?.retryAfterMs ?? DEFAULT_WAIT_MS,
    };
  }
  if (status !== undefined && FINAL_STATUSES.has(status)) {
    return { kind: "refused", reason: `The supplier refused to cancel it (${details?.code ?? status}): ${reason}` };
  }
  return { kind: "error", reason };
}
