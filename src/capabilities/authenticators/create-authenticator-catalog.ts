import { foldText } from "../../text/fold-text.js";
import type { AuthenticatorFacts } from "./authenticator.js";
import knownAuthenticators from "./known-authenticators.json";
import type { FidoMetadataSource } from "./load-fido-metadata.js";
import { normalizeAaguid } from "./normalize-aaguid.js";

export interface AuthenticatorCatalog {
  /** The built-in facts (and whatever `resolve` has already fetched from FIDO MDS); null for an unknown AAGUID. */
  lookup(aaGuid: string): AuthenticatorFacts | null;
  /** `lookup`, then the FIDO Metadata Service when one was loaded; the answer is remembered for `lookup`. */
  resolve(aaGuid: string): Promise<AuthenticatorFacts | null>;
  /** Case- and diacritics-insensitive match on every word of `text` against name and AAGUID. */
  search(text: string, limit?: number): AuthenticatorFacts[];
  /** The authenticators people actually use first (Windows Hello, Authenticator, YubiKey…), then the rest by name. */
  listForPicker(): AuthenticatorFacts[];
  /**
   * Security-key models for a person to pick from: one entry per model name (FIDO metadata lists several AAGUIDs
   * under one name, e.g. firmware versions of a YubiKey 5), grouped by vendor, the vendors people meet most first.
   */
  listSecurityKeyModels(): SecurityKeyModel[];
}

export interface SecurityKeyModel {
  vendor: string;
  name: string;
  /** The first AAGUID of that name in picker order: any of them leads to the same verdict in practice. */
  aaGuid: string;
}

/** Vendor names as a person reads them on the key; matched on the model name. */
const VENDORS: ReadonlyArray<[RegExp, string]> = [
  [/yubi(key|co)/i, "Yubico"],
  [/feitian|epass|biopass|allinpass/i, "Feitian"],
  [/token2/i, "Token2"],
  [/titan|google/i, "Google"],
  [/thales|safenet|id-one|idemia/i, "Thales / IDEMIA"],
  [/nitrokey/i, "Nitrokey"],
  [/solo ?key|solo /i, "SoloKeys"],
  [/hid|crescendo/i, "HID"],
  [/excelsecu|esecu/i, "Excelsecu"],
  [/kensington/i, "Kensington"],
];
const VENDOR_ORDER = ["Yubico", "Feitian", "Token2", "Google", "Thales / IDEMIA", "HID", "Nitrokey", "SoloKeys"];

function vendorOf(name: string): string {
  return VENDORS.find(([pattern]) => pattern.test(name))?.[1] ?? name.split(/\s+/)[0] ?? name;
}

export interface AuthenticatorCatalogOptions {
  /** Live mode: names and status for AAGUIDs the built-in list does not know. */
  metadata?: FidoMetadataSource;
  /** Replaces the built-in list (tests). */
  entries?: AuthenticatorFacts[];
}

/** Picker order: the models a help desk meets daily. */
const WELL_KNOWN_ORDER: readonly string[] = [
  "08987058-cadc-4b81-b6e1-30de50dcbe96",
  "9ddd1817-af5a-4672-a2b9-3e3dd95000a9",
  "6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
  "90a3ccdf-635c-4729-a248-9b709135078f",
  "de1e552d-db1d-4423-a619-566b625cdc84",
  "cb69481e-8ff7-4039-93ec-0a2729a154a8",
  "ee882879-721c-4913-9775-3dfcce97072a",
  "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
  "2fc0579f-8113-47ea-b116-bb5a8db9202a",
  "a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa",
  "833b721a-ff5f-4d00-bb2e-bdda3ec01e29",
  "ee041bce-25e5-4cdb-8f86-897fd6418464",
  "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3",
  "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
  "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
  "dd4ec289-e01d-41c9-bb89-70fa845d4bf2",
  "bada5566-a7aa-401f-bd96-45619a55120d",
  "d548826e-79b4-db40-a3d8-11116f7e8349",
  "53414d53-554e-4700-0000-000000000000",
];

function builtInEntries(): AuthenticatorFacts[] {
  return Object.entries(knownAuthenticators.authenticators).map(([aaGuid, entry]) => ({
    aaGuid,
    name: entry.name,
    source: entry.source,
    kind: entry.kind as AuthenticatorFacts["kind"],
    platform: entry.platform as AuthenticatorFacts["platform"],
    passkeyType: entry.passkeyType as AuthenticatorFacts["passkeyType"],
    attestation: entry.attestation as AuthenticatorFacts["attestation"],
  }));
}

export function createAuthenticatorCatalog(options: AuthenticatorCatalogOptions = {}): AuthenticatorCatalog {
  const byAaguid = new Map<string, AuthenticatorFacts>();
  for (const entry of options.entries ?? builtInEntries()) {
    const aaGuid = normalizeAaguid(entry.aaGuid);
    if (aaGuid) byAaguid.set(aaGuid, { ...entry, aaGuid });
  }

  const lookup = (aaGuid: string): AuthenticatorFacts | null => {
    const key = normalizeAaguid(aaGuid);
    return key ? (byAaguid.get(key) ?? null) : null;
  };

  const listForPicker = (): AuthenticatorFacts[] => {
    const wellKnown = WELL_KNOWN_ORDER.map((id) => byAaguid.get(id)).filter((e): e is AuthenticatorFacts => !!e);
    const rest = [...byAaguid.values()]
      .filter((e) => !WELL_KNOWN_ORDER.includes(e.aaGuid))
      .sort((a, b) => a.name.localeCompare(b.name, "en"));
    return [...wellKnown, ...rest];
  };

  const listSecurityKeyModels = (): SecurityKeyModel[] => {
    const byName = new Map<string, SecurityKeyModel>();
    for (const entry of listForPicker()) {
      if (entry.kind !== "securityKey") continue;
      const key = entry.name.trim().toLowerCase();
      if (!byName.has(key))
        byName.set(key, { vendor: vendorOf(entry.name), name: entry.name.trim(), aaGuid: entry.aaGuid });
    }
    const rank = (vendor: string) => {
      const index = VENDOR_ORDER.indexOf(vendor);
      return index < 0 ? VENDOR_ORDER.length : index;
    };
    return [...byName.values()].sort(
      (a, b) =>
        rank(a.vendor) - rank(b.vendor) || a.vendor.localeCompare(b.vendor, "en") || a.name.localeCompare(b.name, "en"),
    );
  };

  return {
    lookup,
    listSecurityKeyModels,
    async resolve(aaGuid) {
      const known = lookup(aaGuid);
      const key = normalizeAaguid(aaGuid);
      if (known || !key || !options.metadata) return known;
      const described = await options.metadata.describe(key);
      if (described) byAaguid.set(key, described);
      return described;
    },
    search(text, limit = 20) {
      const words = foldText(text).split(/\s+/).filter(Boolean);
      if (words.length === 0) return [];
      return listForPicker()
        .filter((entry) => {
          const haystack = `${foldText(entry.name)} ${entry.aaGuid}`;
          return words.every((word) => haystack.includes(word));
        })
        .slice(0, limit);
    },
    listForPicker,
  };
}
