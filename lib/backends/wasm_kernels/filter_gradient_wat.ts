/**
 * The WebAssembly text of our own filter-gradient kernel, generated rather than written out: its
 * eight tile functions differ only in how many accumulators they keep in registers.
 *
 * A tile accumulates dW[tap][ci0 .. ci0+R)[co0 .. co0+4V) over a rectangle of output pixels of a
 * run of images: per pixel it splats R input channels, loads 4V output-gradient channels and adds
 * R x V products of 4 floats. It reads x and dy where they lie (NHWC), so nothing is transposed
 * or packed first: that copying is what made the XNNPACK route slow (see Conv2DBackpropFilter).
 *
 * `filterGradient` walks a table of tiles (6 int32 each: tile kind, x offset, dy offset, dW
 * offset, rows, columns), one contiguous share of it per thread, a block of images at a time so
 * that the block's x and dy stay in the core's cache while every tile of the share reads them.
 */

import { localGet as get } from './wat';

/** Input channels per tile: 1 to this many. */
export const MAX_TILE_ROWS = 4;
/** 4-float vectors of output channels per tile: 1 to this many. */
export const MAX_TILE_VECTORS = 2;
/** Int32 fields per entry of the tile table. */
export const TILE_FIELDS = 6;

/** The index of the tile function with `rows` input channels and `vectors` 4-float vectors. */
export function tileKind(rows: number, vectors: number): number {
  return (rows - 1) * MAX_TILE_VECTORS + (vectors - 1);
}

const TILE_PARAMS = [
  'x',
  'dy',
  'dw',
  'rows',
  'cols',
  'images',
  'xImage',
  'dyImage',
  'xRow',
  'xCol',
  'dyRow',
  'dyCol',
  'dwRow',
] as const;

function tileFunction(rows: number, vectors: number): string {
  const acc = (r: number, v: number): string => `$acc${r}_${v}`;
  const pairs: [number, number][] = [];
  for (let r = 0; r < rows; r++) for (let v = 0; v < vectors; v++) pairs.push([r, v]);
  const dwAddress = (r: number): string => `(i32.add ${get('dw')} (i32.mul ${get('dwRow')} (i32.const ${r})))`;
  return [
    `(func $tile${rows}x${vectors} (type $tile) ${TILE_PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  (local $n i32) (local $i i32) (local $j i32) (local $xImg i32) (local $dyImg i32) (local $xp i32) (local $dp i32)`,
    ...pairs.map(([r, v]) => `  (local ${acc(r, v)} v128)`),
    ...Array.from({ length: rows }, (_, r) => `  (local $s${r} v128)`),
    ...Array.from({ length: vectors }, (_, v) => `  (local $d${v} v128)`),
    ...pairs.map(([r, v]) => `  (local.set ${acc(r, v)} (v128.load offset=${16 * v} ${dwAddress(r)}))`),
    `  (local.set $xImg ${get('x')}) (local.set $dyImg ${get('dy')})`,
    `  (block $imagesDone (loop $imageLoop`,
    `    (br_if $imagesDone (i32.ge_u ${get('n')} ${get('images')}))`,
    `    (local.set $i (i32.const 0))`,
    `    (block $rowsDone (loop $rowLoop`,
    `      (br_if $rowsDone (i32.ge_u ${get('i')} ${get('rows')}))`,
    `      (local.set $xp (i32.add ${get('xImg')} (i32.mul ${get('i')} ${get('xRow')})))`,
    `      (local.set $dp (i32.add ${get('dyImg')} (i32.mul ${get('i')} ${get('dyRow')})))`,
    `      (local.set $j ${get('cols')})`,
    `      (block $colsDone (loop $colLoop`,
    `        (br_if $colsDone (i32.eqz ${get('j')}))`,
    ...Array.from({ length: vectors }, (_, v) => `        (local.set $d${v} (v128.load offset=${16 * v} ${get('dp')}))`),
    ...Array.from({ length: rows }, (_, r) => `        (local.set $s${r} (v128.load32_splat offset=${4 * r} ${get('xp')}))`),
    ...pairs.map(
      ([r, v]) => `        (local.set ${acc(r, v)} (f32x4.add ${get(acc(r, v).slice(1))} (f32x4.mul ${get(`s${r}`)} ${get(`d${v}`)})))`,
    ),
    `        (local.set $xp (i32.add ${get('xp')} ${get('xCol')}))`,
    `        (local.set $dp (i32.add ${get('dp')} ${get('dyCol')}))`,
    `        (local.set $j (i32.sub ${get('j')} (i32.const 1)))`,
    `        (br $colLoop)))`,
    `      (local.set $i (i32.add ${get('i')} (i32.const 1)))`,
    `      (br $rowLoop)))`,
    `    (local.set $xImg (i32.add ${get('xImg')} ${get('xImage')}))`,
    `    (local.set $dyImg (i32.add ${get('dyImg')} ${get('dyImage')}))`,
    `    (local.set $n (i32.add ${get('n')} (i32.const 1)))`,
    `    (br $imageLoop)))`,
    ...pairs.map(([r, v]) => `  (v128.store offset=${16 * v} ${dwAddress(r)} ${get(acc(r, v).slice(1))})`),
    `)`,
  ].join('\n');
}

/**
 * filterGradient(first, end, table, x, dy, dw, images, blockImages, xImage, dyImage, xRow, xCol,
 * dyRow, dyCol, dwRow): tiles [first, end) of the table over all images; every pointer and step
 * in bytes.
 */
function filterGradientFunction(): string {
  const field = (k: number): string => `(i32.load offset=${4 * k} ${get('entry')})`;
  return [
    `(func (export "filterGradient") (param $first i32) (param $end i32) (param $table i32)`,
    `  (param $x i32) (param $dy i32) (param $dw i32) (param $images i32) (param $blockImages i32)`,
    `  (param $xImage i32) (param $dyImage i32) (param $xRow i32) (param $xCol i32) (param $dyRow i32) (param $dyCol i32) (param $dwRow i32)`,
    `  (local $start i32) (local $count i32) (local $e i32) (local $entry i32)`,
    `  (block $blocksDone (loop $blockLoop`,
    `    (br_if $blocksDone (i32.ge_u ${get('start')} ${get('images')}))`,
    `    (local.set $count (i32.sub ${get('images')} ${get('start')}))`,
    `    (if (i32.gt_u ${get('count')} ${get('blockImages')}) (then (local.set $count ${get('blockImages')})))`,
    `    (local.set $e ${get('first')})`,
    `    (block $tilesDone (loop $tileLoop`,
    `      (br_if $tilesDone (i32.ge_u ${get('e')} ${get('end')}))`,
    `      (local.set $entry (i32.add ${get('table')} (i32.mul ${get('e')} (i32.const ${4 * TILE_FIELDS}))))`,
    `      (call_indirect (type $tile)`,
    `        (i32.add (i32.add ${get('x')} (i32.mul ${get('start')} ${get('xImage')})) ${field(1)})`,
    `        (i32.add (i32.add ${get('dy')} (i32.mul ${get('start')} ${get('dyImage')})) ${field(2)})`,
    `        (i32.add ${get('dw')} ${field(3)})`,
    `        ${field(4)} ${field(5)} ${get('count')}`,
    `        ${get('xImage')} ${get('dyImage')} ${get('xRow')} ${get('xCol')} ${get('dyRow')} ${get('dyCol')} ${get('dwRow')}`,
    `        ${field(0)})`,
    `      (local.set $e (i32.add ${get('e')} (i32.const 1)))`,
    `      (br $tileLoop)))`,
    `    (local.set $start (i32.add ${get('start')} ${get('count')}))`,
    `    (br $blockLoop)))`,
    `)`,
  ].join('\n');
}

/** The kernel's part of a module's text: its types, table, tile functions and the export. */
export function filterGradientDefinitions(): string {
  const names: string[] = [];
  const tiles: string[] = [];
  for (let rows = 1; rows <= MAX_TILE_ROWS; rows++) {
    for (let vectors = 1; vectors <= MAX_TILE_VECTORS; vectors++) {
      names[tileKind(rows, vectors)] = `$tile${rows}x${vectors}`;
      tiles.push(tileFunction(rows, vectors));
    }
  }
  return [
    `(type $tile (func ${TILE_PARAMS.map((name) => `(param $${name} i32)`).join(' ')}))`,
    `(table ${names.length} funcref)`,
    `(elem (i32.const 0) ${names.join(' ')})`,
    ...tiles,
    filterGradientFunction(),
  ].join('\n');
}
