/** What the generators of our WebAssembly text write most: reading a local, and i32 arithmetic. */

/** `(local.get $name)`. */
export function localGet(name: string): string {
  return `(local.get $${name})`;
}

/** `(i32.const value)`. */
export function i32Const(value: number): string {
  return `(i32.const ${value})`;
}

export function i32Add(a: string, b: string): string {
  return `(i32.add ${a} ${b})`;
}

export function i32Sub(a: string, b: string): string {
  return `(i32.sub ${a} ${b})`;
}

export function i32Mul(a: string, b: string): string {
  return `(i32.mul ${a} ${b})`;
}

/** The smaller of two signed i32 values. */
export function i32MinSigned(a: string, b: string): string {
  return `(select ${a} ${b} (i32.lt_s ${a} ${b}))`;
}

/** A count of float32 values as bytes: `values` times 4. */
export function float32Bytes(values: string): string {
  return `(i32.shl ${values} (i32.const 2))`;
}
