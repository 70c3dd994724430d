/** What every generator of our WebAssembly text writes most: reading a local. */

/** `(local.get $name)`. */
export function localGet(name: string): string {
  return `(local.get $${name})`;
}
