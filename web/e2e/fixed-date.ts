/**
 * The date the end-to-end test runs at (under faketime, see at-fixed-date.ts): demo availability and prices are
 * generated per item and date, so a fixed date makes the plans, totals and screenshots the same every run. A Monday in
 * March, away from month, year and daylight-saving edges.
 */
export const E2E_DAY = "2030-03-04";
/** faketime's start: the clock runs on from here. */
export const E2E_NOW = `${E2E_DAY} 10:00:00 UTC`;
/** The trip typed on the plan page: a month after E2E_DAY, three nights. */
export const E2E_TRIP = { checkIn: "2030-04-03", checkOut: "2030-04-06" };
