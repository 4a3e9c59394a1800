/** Lower-case, without diacritics, typographic quotes and extra spaces: "Nepodařilo se přidat" ≡ "nepodarilo se pridat". */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u201B\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E]/g, '"')
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}
