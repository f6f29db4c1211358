/** What travellers viewed, liked and booked: the signals their recommendations learn from. */
import type { Address } from "viem";

import type { Catalog } from "../catalog/service.js";
import type { Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import type { InteractionKind } from "../db/schema.js";
import { ApiError } from "../http/errors.js";

/** Records one interaction with a catalog item; an unknown item is a 422 naming the field. */
export async function recordInteraction(
  deps: { db: Db; catalog: Catalog; now: Clock },
  address: Address,
  interaction: { itemId: string; kind: InteractionKind },
) {
  const item = await deps.catalog.getItem(interaction.itemId);
  if (!item)
    throw new ApiError(422, "item_not_found", "body.itemId: no such catalog item", {
      fields: [{ field: "body.itemId", message: "no such catalog item" }],
    });
  const [row] = await deps.db.transaction(async (tx) => {
    await tx.insert(schema.users).values({ address }).onConflictDoNothing();
    return tx
      .insert(schema.interactions)
      .values({ address, ...interaction, destinationId: item.destinationId, createdAt: deps.now() })
      .returning();
  });
  return {
    id: row.id.toString(),
    itemId: row.itemId,
    destinationId: row.destinationId,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
  };
}
