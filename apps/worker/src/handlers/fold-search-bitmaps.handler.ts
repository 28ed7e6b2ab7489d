import { foldSearchBitmaps } from "@dandi/core";
import type { THandler } from "./handler";

/** Folds changed dandisets into the search token bitmaps (every 30 s). */
export const handleFoldSearchBitmaps: THandler<"foldSearchBitmaps"> = async (_payload, deps) => {
  const folded = await foldSearchBitmaps(deps.prisma);
  return { status: "success", detail: { folded } };
};
