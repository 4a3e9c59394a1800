import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stringify } from "csv-stringify";
import type { Fido2Policy, GraphRead } from "../../graph/model.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { passkeyLabel } from "./find-insights.js";
import type { InventoryUser } from "./inventory-user.js";
import { judgePasskey } from "./judge-passkey.js";

export const INVENTORY_CSV_COLUMNS = [
  "UserPrincipalName",
  "DisplayName",
  "MethodDisplayName",
  "AAGUID",
  "AuthenticatorName",
  "Model",
  "PasskeyType",
  "CreatedDateTime",
  "AttestationLevel",
  "AcceptedByProfiles",
  "AccountEnabled",
  "Source",
] as const;

/**
 * One CSV row per passkey, people in user-id order (the snapshot's order, so an interrupted and an uninterrupted run
 * write the same file). csv-stringify quotes as needed and escapes cells that a spreadsheet would run as a formula
 * (a display name of `=HYPERLINK(…)` stays text). Streamed to the file: memory holds one row.
 */
export async function writeInventoryCsv(
  file: string,
  users: AsyncIterable<InventoryUser>,
  context: {
    fido2: GraphRead<Fido2Policy>;
    memberOf: (userId: string) => string[];
    catalog: Pick<AuthenticatorCatalog, "lookup">;
  },
): Promise<number> {
  const out = createWriteStream(file, { encoding: "utf8" });
  const csv = stringify({
    header: true,
    columns: [...INVENTORY_CSV_COLUMNS],
    escape_formulas: true,
    record_delimiter: "windows",
  });
  csv.pipe(out);
  let rows = 0;
  for await (const user of users) {
    for (const passkey of user.passkeys) {
      const judgement = judgePasskey(passkey, user.id, context.fido2, context.memberOf(user.id), context.catalog);
      const record = {
        UserPrincipalName: user.userPrincipalName,
        DisplayName: user.displayName,
        MethodDisplayName: passkey.displayName ?? "",
        AAGUID: passkey.aaGuid ?? "",
        AuthenticatorName: passkeyLabel(passkey, context.catalog),
        Model: passkey.model ?? "",
        PasskeyType: passkey.passkeyType ?? "",
        CreatedDateTime: passkey.createdDateTime ?? "",
        AttestationLevel: passkey.attestationLevel ?? "",
        AcceptedByProfiles: judgement.acceptedBy.join("; "),
        AccountEnabled: String(user.accountEnabled),
        Source: passkey.source,
      };
      if (!csv.write(record)) await once(csv, "drain");
      rows++;
    }
  }
  csv.end();
  await once(out, "finish");
  return rows;
}
