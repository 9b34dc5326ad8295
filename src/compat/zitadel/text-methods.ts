// ZITADEL numbers its text comparisons alike in v1 (zitadel.v1.TextQueryMethod)
// and v2beta (zitadel.filter.v2beta.TextFilterMethod): equals, starts with,
// contains and ends with, each exact and then ignoring case. One table serves
// both; test/zitadel/v2-contract.test.ts checks that the two enums agree.
import { TextFilterMethod } from "../../../gen/zitadel/filter/v2beta/filter_pb.js";
import type { TextCondition } from "../../kernel/text-match.ts";

export const TEXT_METHODS: Readonly<Record<number, Omit<TextCondition, "value">>> = {
  [TextFilterMethod.EQUALS]: { match: "equals", ignoreCase: false },
  [TextFilterMethod.EQUALS_IGNORE_CASE]: { match: "equals", ignoreCase: true },
  [TextFilterMethod.STARTS_WITH]: { match: "starts_with", ignoreCase: false },
  [TextFilterMethod.STARTS_WITH_IGNORE_CASE]: { match: "starts_with", ignoreCase: true },
  [TextFilterMethod.CONTAINS]: { match: "contains", ignoreCase: false },
  [TextFilterMethod.CONTAINS_IGNORE_CASE]: { match: "contains", ignoreCase: true },
  [TextFilterMethod.ENDS_WITH]: { match: "ends_with", ignoreCase: false },
  [TextFilterMethod.ENDS_WITH_IGNORE_CASE]: { match: "ends_with", ignoreCase: true },
};
