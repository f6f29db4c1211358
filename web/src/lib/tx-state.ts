/**
 * The life of a transaction as the person sending it sees it: waiting for their wallet, pending on chain, then
 * confirmed or failed with a reason. A plain reducer, so it is easy to test and to show.
 */
export type TxState =
  | { status: "idle" }
  | { status: "signing"; step: string }
  | { status: "pending"; hash: `0x${string}` }
  | { status: "confirmed"; hash: `0x${string}` }
  | { status: "failed"; reason: string; hash?: `0x${string}` };

export type TxEvent =
  | { type: "start"; step: string }
  | { type: "step"; step: string }
  | { type: "submitted"; hash: `0x${string}` }
  | { type: "confirmed" }
  | { type: "failed"; reason: string }
  | { type: "reset" };

export const idle: TxState = { status: "idle" };

export function txReducer(state: TxState, event: TxEvent): TxState {
  switch (event.type) {
    case "start":
      // A new attempt may start from anything but an attempt already under way.
      return state.status === "signing" || state.status === "pending" ? state : { status: "signing", step: event.step };
    case "step":
      return state.status === "signing" ? { status: "signing", step: event.step } : state;
    case "submitted":
      return state.status === "signing" ? { status: "pending", hash: event.hash } : state;
    case "confirmed":
      return state.status === "pending" ? { status: "confirmed", hash: state.hash } : state;
    case "failed":
      if (state.status === "signing") return { status: "failed", reason: event.reason };
      if (state.status === "pending") return { status: "failed", reason: event.reason, hash: state.hash };
      return state;
    case "reset":
      return state.status === "signing" || state.status === "pending" ? state : idle;
  }
}

export const isBusy = (state: TxState) => state.status === "signing" || state.status === "pending";
