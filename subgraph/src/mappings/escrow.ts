import { Bytes, log } from "@graphprotocol/graph-ts";

import {
  BookingPaid,
  BookingPartiallyRefunded,
  BookingRefunded,
  BookingSettled,
  PaymentTokenSet,
  SettlementSkipped,
} from "../../generated/BookingEscrow/BookingEscrow";
import { Booking, DailyTraveller, SettlementSkip } from "../../generated/schema";
import { PAID, REFUNDED, SETTLED, getDailyTokenVolume, getPaymentToken, setBookingStatus } from "../bookings";
import { ONE, dayIndex, eventId, getAccount, getDailyStat, getProtocol } from "../common";

export function handleBookingPaid(event: BookingPaid): void {
  const params = event.params;
  const protocol = getProtocol();
  const traveller = getAccount(params.traveller);
  if (traveller.bookingCount == 0) protocol.travellerCount = protocol.travellerCount.plus(ONE);
  traveller.bookingCount = traveller.bookingCount + 1;
  traveller.save();

  const token = getPaymentToken(params.token);
  token.bookingCount = token.bookingCount.plus(ONE);
  token.paidVolume = token.paidVolume.plus(params.amount);
  token.save();

  const booking = new Booking(params.bookingId);
  booking.traveller = traveller.id;
  booking.token = token.id;
  booking.amount = params.amount;
  booking.commission = params.commission;
  booking.supplier = params.supplier;
  booking.refundableAt = params.refundableAt;
  booking.status = "";
  booking.paidAt = event.block.timestamp;
  booking.paidBlock = event.block.number;
  booking.paidTransaction = event.transaction.hash;
  setBookingStatus(booking, PAID, protocol, event);
  booking.save();

  protocol.bookingCount = protocol.bookingCount.plus(ONE);
  protocol.save();

  const day = getDailyStat(event.block.timestamp);
  day.bookingsPaid = day.bookingsPaid + 1;
  const activityId = Bytes.fromI32(dayIndex(event.block.timestamp)).concat(traveller.id);
  if (DailyTraveller.load(activityId) == null) {
    const activity = new DailyTraveller(activityId);
    activity.day = day.id;
    activity.traveller = traveller.id;
    activity.save();
    day.activeTravellers = day.activeTravellers + 1;
  }
  day.save();

  const volume = getDailyTokenVolume(event.block.timestamp, token.id);
  volume.bookingsPaid = volume.bookingsPaid + 1;
  volume.paidVolume = volume.paidVolume.plus(params.amount);
  volume.save();
}

function loadBooking(id: Bytes, eventName: string): Booking | null {
  const booking = Booking.load(id);
  // The escrow emits settlement and refund only for bookings it recorded as paid, so this means the subgraph
  // started after the payment: nothing to update.
  if (booking == null) log.warning("{} for unknown booking {}", [eventName, id.toHexString()]);
  return booking;
}

export function handleBookingSettled(event: BookingSettled): void {
  const params = event.params;
  const booking = loadBooking(params.bookingId, "BookingSettled");
  if (booking == null) return;
  const protocol = getProtocol();
  booking.supplierAmount = params.supplierAmount;
  booking.commission = params.commission;
  booking.settledAt = event.block.timestamp;
  booking.settledTransaction = event.transaction.hash;
  setBookingStatus(booking, SETTLED, protocol, event);
  booking.save();
  protocol.save();

  const settled = params.supplierAmount.plus(params.commission);
  const token = getPaymentToken(params.token);
  token.settledVolume = token.settledVolume.plus(settled);
  token.commissionVolume = token.commissionVolume.plus(params.commission);
  token.save();

  const day = getDailyStat(event.block.timestamp);
  day.bookingsSettled = day.bookingsSettled + 1;
  day.save();
  const volume = getDailyTokenVolume(event.block.timestamp, token.id);
  volume.settledVolume = volume.settledVolume.plus(settled);
  volume.commission = volume.commission.plus(params.commission);
  volume.save();
}

/** A cancellation on the supplier's terms: the part given back; its BookingSettled (the kept part) follows. */
export function handleBookingPartiallyRefunded(event: BookingPartiallyRefunded): void {
  const params = event.params;
  const booking = loadBooking(params.bookingId, "BookingPartiallyRefunded");
  if (booking == null) return;
  booking.partiallyRefunded = params.refunded;
  booking.refundedAt = event.block.timestamp;
  booking.refundedTransaction = event.transaction.hash;
  booking.save();

  const token = getPaymentToken(params.token);
  token.refundedVolume = token.refundedVolume.plus(params.refunded);
  token.save();
  const volume = getDailyTokenVolume(event.block.timestamp, token.id);
  volume.refundedVolume = volume.refundedVolume.plus(params.refunded);
  volume.save();
}

export function handleBookingRefunded(event: BookingRefunded): void {
  const params = event.params;
  const booking = loadBooking(params.bookingId, "BookingRefunded");
  if (booking == null) return;
  const protocol = getProtocol();
  booking.refundedAt = event.block.timestamp;
  booking.refundedBy = params.by;
  booking.refundedTransaction = event.transaction.hash;
  setBookingStatus(booking, REFUNDED, protocol, event);
  booking.save();
  protocol.save();

  const token = getPaymentToken(params.token);
  token.refundedVolume = token.refundedVolume.plus(params.amount);
  token.save();

  const day = getDailyStat(event.block.timestamp);
  day.bookingsRefunded = day.bookingsRefunded + 1;
  day.save();
  const volume = getDailyTokenVolume(event.block.timestamp, token.id);
  volume.refundedVolume = volume.refundedVolume.plus(params.amount);
  volume.save();
}

export function handleSettlementSkipped(event: SettlementSkipped): void {
  const skip = new SettlementSkip(eventId(event));
  skip.bookingId = event.params.bookingId;
  skip.status = event.params.status;
  skip.timestamp = event.block.timestamp;
  skip.transactionHash = event.transaction.hash;
  skip.save();
}

export function handlePaymentTokenSet(event: PaymentTokenSet): void {
  const token = getPaymentToken(event.params.token);
  token.allowed = event.params.allowed;
  token.save();
}
