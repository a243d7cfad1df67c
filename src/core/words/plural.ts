/** Counts in words, shared by the page and the CLI: "1 image", "2 images", "1 class", "3 classes". */

/** `count` and the noun, singular for exactly one; `many` for nouns that do not just add an s. */
export function plural(count: number, one: string, many = `${one}${/(s|x|z|ch|sh)$/.test(one) ? 'es' : 's'}`): string {
  return `${count} ${count === 1 ? one : many}`;
}
