/** BookingEscrow: a booking's payment, settlement and refund (all or part), and the settlements it passed over. */
import { onChain, rewindBookings } from "./bookings.js";
import { defineProjection } from "./projection.js";

export const escrow = defineProjection({
  contract: "BookingEscrow",
  open: () => null,
  on: {
    "BookingEscrow:BookingPaid": (e, _, { bookings }) => bookings.transition(e, { kind: "paid", ...onChain(e) }),
    "BookingEscrow:BookingSettled": (e, _, { bookings }) => bookings.transition(e, { kind: "settled", ...onChain(e) }),
    "BookingEscrow:SettlementSkipped": (e, _, { bookings }) =>
      bookings.transition(e, { kind: "settlementSkipped", escrowStatus: Number(e.args.status) }),
    "BookingEscrow:BookingRefunded": (e, _, { bookings }) =>
      bookings.transition(e, { kind: "refunded", ...onChain(e) }),
    "BookingEscrow:BookingPartiallyRefunded": (e, _, { bookings }) =>
      bookings.transition(e, { kind: "partiallyRefunded" }),
  },
  // The bookings are written before every contract's flush (see LockedBookings).
  flush: async () => {},
  // A booking's steps are forgotten together, the distributor's reward with the escrow's, as the lifecycle decides.
  rewind: rewindBookings,
});
