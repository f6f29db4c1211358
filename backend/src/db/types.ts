import { customType } from "drizzle-orm/pg-core";

/** A uint256 as numeric(78,0), read and written as bigint. */
export const uint256 = customType<{ data: bigint; driverData: string }>({
  dataType: () => "numeric(78, 0)",
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});
