import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import { Booking, BookingStatusChange, DailyTokenVolume, PaymentToken, Protocol } from "../generated/schema";
import { ONE, ZERO, dayIndex, eventId, getDailyStat } from "./common";

export const PAID = "PAID";
export const SETTLED = "SETTLED";
export const REFUNDED = "REFUNDED";
export const REWARDED = "REWARDED";

function adjustCount(protocol: Protocol, status: string, delta: BigInt): void {
  if (status == PAID) protocol.paidCount = protocol.paidCount.plus(delta);
  else if (status == SETTLED) protocol.settledCount = protocol.settledCount.plus(delta);
  else if (status == REFUNDED) protocol.refundedCount = protocol.refundedCount.plus(delta);
  else if (status == REWARDED) protocol.rewardedCount = protocol.rewardedCount.plus(delta);
}

/** Moves a booking to `status`, keeps the protocol's per-status counts and records the change. */
export function setBookingStatus(booking: Booking, status: string, protocol: Protocol, event: ethereum.Event): void {
  if (booking.status != "") adjustCount(protocol, booking.status, ONE.neg());
  adjustCount(protocol, status, ONE);
  booking.status = status;

  const change = new BookingStatusChange(eventId(event));
  change.booking = booking.id;
  change.status = status;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}

export function getPaymentToken(address: Address): PaymentToken {
  let token = PaymentToken.load(address);
  if (token == null) {
    token = new PaymentToken(address);
    token.isNative = address.equals(Address.zero());
    token.allowed = false;
    token.bookingCount = ZERO;
    token.paidVolume = ZERO;
    token.settledVolume = ZERO;
    token.refundedVolume = ZERO;
    token.commissionVolume = ZERO;
  }
  return token;
}

export function getDailyTokenVolume(timestamp: BigInt, token: Bytes): DailyTokenVolume {
  const day = getDailyStat(timestamp);
  day.save();
  const id = Bytes.fromI32(dayIndex(timestamp)).concat(token);
  let volume = DailyTokenVolume.load(id);
  if (volume == null) {
    volume = new DailyTokenVolume(id);
    volume.day = day.id;
    volume.token = token;
    volume.bookingsPaid = 0;
    volume.paidVolume = ZERO;
    volume.settledVolume = ZERO;
    volume.refundedVolume = ZERO;
    volume.commission = ZERO;
  }
  return volume;
}
