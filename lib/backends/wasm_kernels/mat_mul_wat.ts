/**
 * The WebAssembly text of our matrix product C = A·B, the dense layers' three products.
 *
 * The wasm backend hands a product to XNNPACK's fully-connected operator, on one thread, after
 * packing B into its own layout; B is a weight that changes every training step, so it is packed
 * again every step, and that packing reads B a column at a time. Here B is taken a panel of 8
 * columns for a block of its rows at a time, copied row by row into scratch, small enough to
 * stay in the core's cache while every 4-row tile of A passes over it. A is addressed through
 * two byte steps (to the next row, to the next element of a row), so Aᵀ needs no transpose; its
 * blocks are copied too, a tile at a time (see matMulFunction for why both copies pay).
 *
 * `matMul` splits the panels among threads; each tile keeps 4 x 2 vectors of C in registers (the
 * shape whose loads V8 keeps in registers: see filter_gradient_wat), with smaller tiles at the
 * edges.
 */

import { i32Add, i32Mul, i32MinSigned, localGet as get } from './wat';

/** Rows of C per tile: 1 to this many. */
export const MAT_MUL_TILE_ROWS = 4;
/** 4-float vectors of C per tile and panel: 1 to this many. */
export const MAT_MUL_TILE_VECTORS = 2;
/** Columns of C per panel, the unit the threads share. */
export const MAT_MUL_PANEL_COLUMNS = 4 * MAT_MUL_TILE_VECTORS;
/** C's columns must be a multiple of this: every panel is whole vectors. */
export const MAT_MUL_COLUMN_MULTIPLE = 4;

const TILE_PARAMS = ['a', 'b', 'c', 'depth', 'aRow', 'aDepth', 'bRow', 'cRow', 'load', 'bias'] as const;

function tileName(rows: number, vectors: number): string {
  return `$matMulTile${rows}x${vectors}`;
}

/**
 * C[rows, 4 vectors] (+)= A[rows, depth]·B[depth, 4 vectors]: `a` at A's first element of the
 * tile, `b` at B's first, `c` at C's; `bRow` and `cRow` are B's and C's rows in bytes; with
 * `load`, the sums start from C (a later block of depth), else from the bias's 4 vectors at
 * `bias`, or from 0 where `bias` is 0.
 */
function tileFunction(rows: number, vectors: number): string {
  const acc = (r: number, v: number): string => `acc${r}_${v}`;
  const aPointer = (r: number): string => (r === 0 ? 'a' : `a${r}`);
  const cAddress = (r: number): string => (r === 0 ? get('c') : i32Add(get('c'), i32Mul(get('cRow'), `(i32.const ${r})`)));
  const pairs: [number, number][] = [];
  for (let r = 0; r < rows; r++) for (let v = 0; v < vectors; v++) pairs.push([r, v]);
  return [
    `(func ${tileName(rows, vectors)} ${TILE_PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    ...Array.from({ length: rows - 1 }, (_, r) => `  (local $${aPointer(r + 1)} i32)`),
    `  (local $s v128)`,
    ...Array.from({ length: vectors }, (_, v) => `  (local $b${v} v128)`),
    ...pairs.map(([r, v]) => `  (local $${acc(r, v)} v128)`),
    `  (if ${get('load')} (then`,
    ...pairs.map(([r, v]) => `    (local.set $${acc(r, v)} (v128.load offset=${16 * v} ${cAddress(r)}))`),
    `  ) (else (if ${get('bias')} (then`,
    ...pairs.map(([r, v]) => `    (local.set $${acc(r, v)} (v128.load offset=${16 * v} ${get('bias')}))`),
    `  ))))`,
    ...Array.from({ length: rows - 1 }, (_, r) => `  (local.set $${aPointer(r + 1)} ${i32Add(get(aPointer(r)), get('aRow'))})`),
    `  (block $done (loop $next`,
    `    (br_if $done (i32.eqz ${get('depth')}))`,
    ...Array.from({ length: vectors }, (_, v) => `    (local.set $b${v} (v128.load offset=${16 * v} ${get('b')}))`),
    ...Array.from({ length: rows }, (_, r) => [
      `    (local.set $s (v128.load32_splat ${get(aPointer(r))}))`,
      ...Array.from(
        { length: vectors },
        (_, v) => `    (local.set $${acc(r, v)} (f32x4.add ${get(acc(r, v))} (f32x4.mul ${get('s')} ${get(`b${v}`)})))`,
      ),
    ]).flat(),
    ...Array.from({ length: rows }, (_, r) => `    ${advance(aPointer(r), get('aDepth'))}`),
    `    ${advance('b', get('bRow'))}`,
    `    (local.set $depth (i32.sub ${get('depth')} (i32.const 1)))`,
    `    (br $next)))`,
    ...pairs.map(([r, v]) => `  (v128.store offset=${16 * v} ${cAddress(r)} ${get(acc(r, v))})`),
    `)`,
  ].join('\n');
}

/** Calls the tile function for `$rows` and `$vectors` (locals of the caller) with `args`. */
function tileDispatch(args: string): string {
  const shapes: [number, number][] = [];
  for (let rows = MAT_MUL_TILE_ROWS; rows >= 1; rows--) {
    for (let vectors = MAT_MUL_TILE_VECTORS; vectors >= 1; vectors--) shapes.push([rows, vectors]);
  }
  const [last, ...rest] = shapes.reverse();
  if (last === undefined) throw new Error('no tile shapes');
  return rest.reduce(
    (otherwise, [rows, vectors]) =>
      `(if (i32.and (i32.eq ${get('rows')} (i32.const ${rows})) (i32.eq ${get('vectors')} (i32.const ${vectors})))` +
      ` (then (call ${tileName(rows, vectors)} ${args})) (else ${otherwise}))`,
    `(call ${tileName(last[0], last[1])} ${args})`,
  );
}

/** Floats of scratch that each share of a product uses: a block of A and a block of a panel of B. */
export function matMulSlotFloats(blockDepth: number, blockRows: number): number {
  return blockDepth * (blockRows + MAT_MUL_PANEL_COLUMNS);
}

/** How products are blocked (`matMul`'s blockDepth and blockRows), and the slot of scratch that gives each share. */
export interface MatMulBlocks {
  depth: number;
  rows: number;
  slotFloats: number;
}

/** `(local.set $name (i32.add $name step))`. */
function advance(name: string, step: string): string {
  return `(local.set $${name} ${i32Add(get(name), step)})`;
}

/** A loop over `counter` from `from` while below `limit`, by `step`. */
function forLoop(label: string, counter: string, from: string, limit: string, step: string, body: string[]): string[] {
  return [
    `(local.set $${counter} ${from})`,
    `(block $${label}Done (loop $${label}Loop`,
    `  (br_if $${label}Done (i32.ge_u ${get(counter)} ${limit}))`,
    ...body.map((line) => `  ${line}`),
    `  ${advance(counter, step)}`,
    `  (br $${label}Loop)))`,
  ];
}

const MAT_MUL_PARAMS = ['first', 'end', 'a', 'b', 'c', 'm', 'k', 'n', 'aRow', 'aDepth', 'blockDepth', 'blockRows', 'scratch', 'bias', 'shares'];
const MAT_MUL_LOCALS = ['row', 'panels', 'pEnd', 'slotA', 'slotB', 'slotRow', 'k0', 'depth', 'r0', 'rowsEnd', 'p', 'col', 'vectors'];
MAT_MUL_LOCALS.push('i', 'rows', 'ta', 'tb', 'tc', 'from', 'to', 'kk', 'r', 'packA', 'tileRow', 'tileDepth');

/**
 * matMul(first, end, a, b, c, m, k, n, aRow, aDepth, blockDepth, blockRows, scratch, bias,
 * shares): C[m, n] = A[m, k]·B[k, n] (+ bias[n] on every row, unless `bias` is 0) for shares
 * [first, end) of `shares` of C's panels of MAT_MUL_PANEL_COLUMNS columns; n a multiple of 4.
 * B and C are row-major; A's element (i, j) is at a + i aRow + j aDepth (bytes).
 *
 * Depth goes in blocks of `blockDepth` and rows in blocks of `blockRows` (a multiple of
 * MAT_MUL_TILE_ROWS). Each panel's block of B, and each block of A whose rows are not
 * contiguous (aDepth is not 4: a transposed A), is first copied to the share's slot of scratch
 * (matMulSlotFloats floats at scratch + first slots), A a tile after another: rows of B, and the
 * columns of a transposed A, are often a multiple of 4 KiB apart (a dense layer of 1,024
 * units), and lines that far apart compete for the same few places in every level of cache.
 */
function matMulFunction(): string {
  const tileArgs = [get('ta'), get('slotB'), get('tc'), get('depth'), get('tileRow'), get('tileDepth'), get('slotRow'), get('row')];
  tileArgs.push(`(i32.ne ${get('k0')} (i32.const 0))`, `(select (i32.add ${get('bias')} (i32.shl ${get('col')} (i32.const 2))) (i32.const 0) ${get('bias')})`);
  const rowsOfTile = `(local.set $rows ${i32MinSigned(`(i32.const ${MAT_MUL_TILE_ROWS})`, `(i32.sub ${get('rowsEnd')} ${get('i')})`)})`;
  /** Sets `target` to where the tile at row $i starts in the share's slot (its copy of A). */
  const tileInSlot = (target: string): string =>
    `(local.set $${target} ${i32Add(get('slotA'), i32Mul(`(i32.shl (i32.sub ${get('i')} ${get('r0')}) (i32.const 2))`, get('depth')))})`;
  /** Sets `target` to where the tile at row $i starts in A, at the depth block's first column. */
  const tileOfA = (target: string): string =>
    `(local.set $${target} ${i32Add(get('a'), i32Add(i32Mul(get('i'), get('aRow')), i32Mul(get('k0'), get('aDepth'))))})`;
  const copyA = [
    rowsOfTile,
    tileInSlot('to'),
    tileOfA('tb'),
    ...forLoop('copyDepth', 'kk', '(i32.const 0)', get('depth'), '(i32.const 1)', [
      `(local.set $from ${get('tb')})`,
      ...forLoop('copyRow', 'r', '(i32.const 0)', get('rows'), '(i32.const 1)', [
        `(f32.store ${get('to')} (f32.load ${get('from')}))`,
        advance('to', '(i32.const 4)'),
        advance('from', get('aRow')),
      ]),
      advance('tb', get('aDepth')),
    ]),
  ];
  const copyVector = (v: number): string => `(v128.store offset=${16 * v} ${get('to')} (v128.load offset=${16 * v} ${get('from')}))`;
  const copyB = [
    `(local.set $slotRow (i32.shl ${get('vectors')} (i32.const 4)))`,
    `(local.set $from ${i32Add(get('b'), i32Add(i32Mul(get('k0'), get('row')), `(i32.shl ${get('col')} (i32.const 2))`))})`,
    ...forLoop('copyPanel', 'to', get('slotB'), i32Add(get('slotB'), i32Mul(get('depth'), get('slotRow'))), get('slotRow'), [
      copyVector(0),
      `(if (i32.eq ${get('vectors')} (i32.const 2)) (then ${copyVector(1)}))`,
      advance('from', get('row')),
    ]),
  ];
  const tiles = forLoop('tiles', 'i', get('r0'), get('rowsEnd'), `(i32.const ${MAT_MUL_TILE_ROWS})`, [
    rowsOfTile,
    `(if ${get('packA')} (then ${tileInSlot('ta')} (local.set $tileDepth (i32.shl ${get('rows')} (i32.const 2)))) (else ${tileOfA('ta')}))`,
    `(local.set $tc ${i32Add(get('c'), i32Add(i32Mul(get('i'), get('row')), `(i32.shl ${get('col')} (i32.const 2))`))})`,
    tileDispatch(tileArgs.join(' ')),
  ]);
  const panels = forLoop('panels', 'p', `(i32.div_u ${i32Mul(get('panels'), get('first'))} ${get('shares')})`, get('pEnd'), '(i32.const 1)', [
    `(local.set $col (i32.mul ${get('p')} (i32.const ${MAT_MUL_PANEL_COLUMNS})))`,
    `(local.set $vectors ${i32MinSigned(`(i32.const ${MAT_MUL_TILE_VECTORS})`, `(i32.shr_u (i32.sub ${get('n')} ${get('col')}) (i32.const 2))`)})`,
    ...copyB,
    ...tiles,
  ]);
  const rowBlocks = forLoop('rowBlocks', 'r0', '(i32.const 0)', get('m'), get('blockRows'), [
    `(local.set $rowsEnd ${i32MinSigned(i32Add(get('r0'), get('blockRows')), get('m'))})`,
    `(if ${get('packA')} (then`,
    ...forLoop('copyTiles', 'i', get('r0'), get('rowsEnd'), `(i32.const ${MAT_MUL_TILE_ROWS})`, copyA).map((line) => `  ${line}`),
    `))`,
    ...panels,
  ]);
  const depthBlocks = forLoop('depthBlocks', 'k0', '(i32.const 0)', get('k'), get('depth'), [
    `(local.set $depth ${i32MinSigned(get('blockDepth'), `(i32.sub ${get('k')} ${get('k0')})`)})`,
    ...rowBlocks,
  ]);
  return [
    `(func $matMul (export "matMul") ${MAT_MUL_PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  ${MAT_MUL_LOCALS.map((name) => `(local $${name} i32)`).join(' ')}`,
    `  (local.set $row (i32.shl ${get('n')} (i32.const 2)))`,
    `  (local.set $packA (i32.ne ${get('aDepth')} (i32.const 4)))`,
    `  (local.set $tileRow (select (i32.const 4) ${get('aRow')} ${get('packA')}))`,
    `  (local.set $tileDepth ${get('aDepth')})`,
    `  (local.set $panels (i32.shr_u (i32.add ${get('n')} (i32.const ${MAT_MUL_PANEL_COLUMNS - 1})) (i32.const ${Math.log2(MAT_MUL_PANEL_COLUMNS)})))`,
    `  (local.set $pEnd (i32.div_u ${i32Mul(get('panels'), get('end'))} ${get('shares')}))`,
    `  (local.set $slotA ${i32Add(get('scratch'), i32Mul(get('first'), `(i32.shl (i32.mul ${get('blockDepth')} (i32.add ${get('blockRows')} (i32.const ${MAT_MUL_PANEL_COLUMNS}))) (i32.const 2))`))})`,
    `  (local.set $slotB ${i32Add(get('slotA'), `(i32.shl (i32.mul ${get('blockDepth')} ${get('blockRows')}) (i32.const 2))`)})`,
    ...depthBlocks.map((line) => `  ${line}`),
    `)`,
  ].join('\n');
}

/** The kernel's part of a module's text: its tile functions and the export. */
export function matMulDefinitions(): string {
  const tiles: string[] = [];
  for (let rows = 1; rows <= MAT_MUL_TILE_ROWS; rows++) {
    for (let vectors = 1; vectors <= MAT_MUL_TILE_VECTORS; vectors++) tiles.push(tileFunction(rows, vectors));
  }
  return [...tiles, matMulFunction()].join('\n');
}
