import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/locales/detect-language.js";

describe("detectLanguage", () => {
  it.each([
    ["nemůžu přidat přístupový klíč", "cs"],
    ["muj yubikey nefunguje", "cs"],
    ["co je TAP?", "cs"],
    ["ztratil jsem telefon", "cs"],
    ["my yubikey doesn't work", "en"],
    ["I can't add a passkey", "en"],
    ["what is a passkey?", "en"],
  ])("%s → %s", (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it("leaves the decision to the client when the text says nothing", () => {
    expect(detectLanguage("?? 42")).toBeNull();
  });
});
