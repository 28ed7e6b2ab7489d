import { ApiError } from "@dandi/core";
import { parseQueryBoolean } from "../../lib/validate";

const DAY_MS = 24 * 3600 * 1000;

function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * DANDI's CreateDandisetQueryParameterSerializer: embargo=true needs both or
 * neither of funding_source/award_number; the end date defaults to today + 730
 * days and may be at most 2 years away (5 with a funding source).
 */
export function parseEmbargoOptions(query: {
  embargo?: string;
  funding_source?: string;
  award_number?: string;
  embargo_end_date?: string;
}): { endDate: Date; fundingSource?: string; awardNumber?: string } | null {
  if (!parseQueryBoolean(query.embargo, "embargo")) return null;
  const today = todayUtc();
  let endDate = new Date(today.getTime() + 365 * 2 * DAY_MS);
  if (query.embargo_end_date !== undefined) {
    endDate = new Date(`${query.embargo_end_date}T00:00:00Z`);
    if (Number.isNaN(endDate.getTime())) {
      throw ApiError.fields({
        embargo_end_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
      });
    }
  }
  const { funding_source: fundingSource, award_number: awardNumber } = query;
  if (fundingSource !== undefined && awardNumber === undefined) {
    throw ApiError.fields({ non_field_errors: ["Award number is required when funding source is set"] });
  }
  if (fundingSource === undefined && awardNumber !== undefined) {
    throw ApiError.fields({ non_field_errors: ["Funding source is required when award number is set"] });
  }
  const maxYears = fundingSource === undefined ? 2 : 5;
  if (endDate.getTime() > today.getTime() + 365 * maxYears * DAY_MS) {
    throw ApiError.fields({ non_field_errors: ["Invalid embargo end date"] });
  }
  return { endDate, fundingSource, awardNumber };
}
