import { describe, expect, it } from "vitest";
import { WINDOWS_HELLO_AAGUIDS } from "../../../src/capabilities/authenticators/authenticator.js";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";

const catalog = createAuthenticatorCatalog();

describe("createAuthenticatorCatalog", () => {
  it.each([
    ["08987058-CADC-4B81-B6E1-30DE50DCBE96", "Windows Hello Hardware Authenticator", "platform", "none", "deviceBound"],
    ["{90a3ccdf-635c-4729-a248-9b709135078f}", "Microsoft Authenticator (iOS)", "phone", "inAppOnly", "deviceBound"],
    ["de1e552d-db1d-4423-a619-566b625cdc84", "Microsoft Authenticator (Android)", "phone", "inAppOnly", "deviceBound"],
    ["cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series", "securityKey", "attested", "deviceBound"],
    [
      "833b721a-ff5f-4d00-bb2e-bdda3ec01e29",
      "Feitian ePass FIDO2 Authenticator",
      "securityKey",
      "attested",
      "deviceBound",
    ],
    ["ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager", "syncedProvider", "none", "synced"],
    ["fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "Apple Passwords", "syncedProvider", "none", "synced"],
    ["bada5566-a7aa-401f-bd96-45619a55120d", "1Password", "syncedProvider", "none", "synced"],
  ])("knows %s as %s (%s, attestation %s, %s)", (aaGuid, name, kind, attestation, passkeyType) => {
    expect(catalog.lookup(aaGuid)).toMatchObject({ name, kind, attestation, passkeyType });
  });

  it("answers null for an unknown or malformed AAGUID", () => {
    expect(catalog.lookup("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(catalog.lookup("not-an-aaguid")).toBeNull();
  });

  it("holds every Windows Hello AAGUID Entra's picker inserts", () => {
    for (const aaGuid of WINDOWS_HELLO_AAGUIDS) expect(catalog.lookup(aaGuid)?.platform).toBe("windows");
  });

  it("finds models by every word of a search, ignoring case and diacritics", () => {
    const names = catalog.search("yubikey 5 nfc").map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /yubikey 5/i.test(n) && /nfc/i.test(n))).toBe(true);
    expect(catalog.search("SESAME").map((e) => e.name)).toContain("Sésame");
    expect(catalog.search("   ")).toEqual([]);
  });

  it("lists the everyday authenticators first in the picker, then the rest by name", () => {
    const list = catalog.listForPicker();
    expect(list.slice(0, 3).map((e) => e.aaGuid)).toEqual(WINDOWS_HELLO_AAGUIDS);
    expect(list.length).toBeGreaterThan(250);
    expect(new Set(list.map((e) => e.aaGuid)).size).toBe(list.length);
  });

  it("resolves without a metadata source from the built-in list only", async () => {
    expect((await catalog.resolve("cb69481e-8ff7-4039-93ec-0a2729a154a8"))?.name).toBe("YubiKey 5 Series");
    expect(await catalog.resolve("00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});

describe("listSecurityKeyModels", () => {
  const models = createAuthenticatorCatalog().listSecurityKeyModels();

  it("names each security-key model once, though FIDO metadata lists several AAGUIDs under one name", () => {
    const names = models.map((m) => m.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(models.filter((m) => m.name === "YubiKey 5 Series with NFC")).toHaveLength(1);
  });

  it("holds only security keys, grouped by vendor with Yubico first", () => {
    const catalog = createAuthenticatorCatalog();
    expect(models.every((m) => catalog.lookup(m.aaGuid)?.kind === "securityKey")).toBe(true);
    expect(models[0]?.vendor).toBe("Yubico");
    const vendors = models.map((m) => m.vendor);
    const firstSeen = [...new Set(vendors)];
    for (const vendor of firstSeen) {
      const first = vendors.indexOf(vendor);
      const last = vendors.lastIndexOf(vendor);
      expect(
        vendors.slice(first, last + 1).every((v) => v === vendor),
        vendor,
      ).toBe(true);
    }
  });
});
