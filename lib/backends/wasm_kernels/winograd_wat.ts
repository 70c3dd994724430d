/**
 * The WebAssembly text of a 3x3, stride 1 convolution by Winograd's F(2x2, 3x3): each 2x2 block
 * of output pixels ("tile") is computed from its 4x4 window of input with 16 multiplies per pair
 * of channels instead of 36. In matrix form, per tile and channel pair,
 *   Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A,
 * with g the 3x3 filter, d the 4x4 window, and
 *   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 -1 -1].
 * Summed over input channels, the elementwise product becomes 16 matrix products, one per place
 * ξ of the 4x4 transformed window: M_ξ[tiles, out] = V_ξ[tiles, in]·U_ξ[in, out].
 *
 * The filter's transform U (16 x in x out) is made once per call by the caller. `winogradConv`
 * then goes through the tiles a block at a time, in a share of the blocks per thread: it writes
 * the block's V into its thread's slot of scratch, runs our matrix product (mat_mul_wat) on it
 * 16 times into M, and turns M into output pixels with Aᵀ · A, adding the bias and applying ReLU.
 * A block of V and M stays in the core's caches between the three steps, so the transformed
 * data, 4 times the size of the input and of the output, need not go out to main memory.
 *
 * winogradConv(first, end, x, u, y, bias, zero, sink, scratch, inHeight, inWidth, inChannels,
 * outChannels, outHeight, outWidth, top, left, tiles, blockTiles, relu, shares): shares
 * [first, end) of `shares` of the blocks of `blockTiles` tiles, of the `tiles` tiles of the
 * batch (each image's tiles row by row). x is [batch, inHeight, inWidth, inChannels] and y
 * [batch, outHeight, outWidth, outChannels], channels last; the window of output pixel (r, c)
 * starts at input pixel (r - top, c - left), and input outside the image reads as 0. u is
 * [16, inChannels, outChannels]; bias is [outChannels] or `zero`; `zero` holds at least
 * max(inChannels, outChannels) zeros, and `sink` as many floats, which the kernel overwrites
 * with output that falls past the image's last row or column. Both channel counts are multiples
 * of 4; each share's slot of scratch is `winogradSlotFloats` floats, at scratch + first slots.
 * Pointers in bytes.
 */

import type { MatMulBlocks } from './mat_mul_wat';
import { i32Add as add, i32Const as constant, i32Mul as mul, localGet as get } from './wat';

const PARAMS = [
  'first',
  'end',
  'x',
  'u',
  'y',
  'bias',
  'zero',
  'sink',
  'scratch',
  'inHeight',
  'inWidth',
  'inChannels',
  'outChannels',
  'outHeight',
  'outWidth',
  'top',
  'left',
  'tiles',
  'blockTiles',
  'relu',
  'shares',
] as const;

/** Arguments after (first, end). */
export const WINOGRAD_ARG_COUNT = PARAMS.length - 2;

const FOUR = [0, 1, 2, 3] as const;

/** Floats of scratch for one share: a block's V and M, and the matrix product's slot. */
export function winogradSlotFloats(blockTiles: number, inChannels: number, outChannels: number, blocks: MatMulBlocks): number {
  return 16 * blockTiles * (inChannels + outChannels) + blocks.slotFloats;
}

/** `(local.set $name value)`. */
function set(name: string, value: string): string {
  return `(local.set $${name} ${value})`;
}

/** Whether `index` lies in [0, size): one unsigned compare, as a negative index wraps to a large one. */
function inside(index: string, size: string): string {
  return `(i32.lt_u ${index} ${size})`;
}

/**
 * A loop over the block's tiles: $q from 0 to $count, with $tile = $tile0 + $q and its image,
 * tile row and tile column in $n, $th and $tw.
 */
function forEachTileOfBlock(label: string, body: string[]): string[] {
  return [
    set('q', constant(0)),
    `(block $${label}Done (loop $${label}Loop`,
    `  (br_if $${label}Done (i32.ge_u ${get('q')} ${get('count')}))`,
    `  ${set('tile', add(get('tile0'), get('q')))}`,
    `  ${set('n', `(i32.div_u ${get('tile')} ${get('tilesPerImage')})`)}`,
    `  ${set('th', `(i32.rem_u ${get('tile')} ${get('tilesPerImage')})`)}`,
    `  ${set('tw', `(i32.rem_u ${get('th')} ${get('tilesWide')})`)}`,
    `  ${set('th', `(i32.div_u ${get('th')} ${get('tilesWide')})`)}`,
    ...body.map((line) => `  ${line}`),
    `  ${set('q', add(get('q'), constant(1)))}`,
    `  (br $${label}Loop)))`,
  ];
}

/** A loop over the byte offset $o within a pixel's channels, one vector at a time, to `limit`. */
function channelLoop(label: string, limit: string, body: string[]): string[] {
  return [
    set('o', constant(0)),
    `(block $${label}Done (loop $${label}Loop`,
    `  (br_if $${label}Done (i32.ge_u ${get('o')} ${limit}))`,
    ...body.map((line) => `  ${line}`),
    `  ${set('o', add(get('o'), constant(16)))}`,
    `  (br $${label}Loop)))`,
  ];
}

/** The block's V: the transformed 4x4 window of each tile $tile0 + $q, for every input channel. */
function inputTransform(): string[] {
  const pointers = FOUR.flatMap((i) =>
    FOUR.map((j) => {
      const pixel = add(get(`rowAt${i}`), mul(add(get('col0'), constant(j)), get('inPixel')));
      return set(`p${i}${j}`, `(select ${pixel} ${get('zero')} (i32.and ${get(`rowOk${i}`)} ${inside(add(get('col0'), constant(j)), get('inWidth'))}))`);
    }),
  );
  const d = (i: number, j: number): string => `(v128.load ${add(get(`p${i}${j}`), get('o'))})`;
  // Bᵀ d B: the columns of each row first (into $e), then the rows, stored straight to V.
  const columns = FOUR.flatMap((i) => [
    set(`e${i}0`, `(f32x4.sub ${d(i, 0)} ${d(i, 2)})`),
    set('t', d(i, 1)),
    set('s', d(i, 2)),
    set(`e${i}1`, `(f32x4.add ${get('t')} ${get('s')})`),
    set(`e${i}2`, `(f32x4.sub ${get('s')} ${get('t')})`),
    set(`e${i}3`, `(f32x4.sub ${get('t')} ${d(i, 3)})`),
  ]);
  const store = (a: number, b: number, value: string): string =>
    `(v128.store ${add(get('vTile'), add(mul(constant(4 * a + b), get('vStep')), get('o')))} ${value})`;
  const rows = FOUR.flatMap((b) => [
    store(0, b, `(f32x4.sub ${get(`e0${b}`)} ${get(`e2${b}`)})`),
    store(1, b, `(f32x4.add ${get(`e1${b}`)} ${get(`e2${b}`)})`),
    store(2, b, `(f32x4.sub ${get(`e2${b}`)} ${get(`e1${b}`)})`),
    store(3, b, `(f32x4.sub ${get(`e1${b}`)} ${get(`e3${b}`)})`),
  ]);
  return forEachTileOfBlock('inTiles', [
    set('row0', `(i32.sub (i32.shl ${get('th')} (i32.const 1)) ${get('top')})`),
    set('col0', `(i32.sub (i32.shl ${get('tw')} (i32.const 1)) ${get('left')})`),
    ...FOUR.flatMap((i) => [
      set(`rowOk${i}`, inside(add(get('row0'), constant(i)), get('inHeight'))),
      set(`rowAt${i}`, add(get('x'), mul(add(mul(get('n'), get('inHeight')), add(get('row0'), constant(i))), get('inRow')))),
    ]),
    ...pointers,
    set('vTile', add(get('v'), mul(get('q'), get('inPixel')))),
    ...channelLoop('inChannels', get('inPixel'), [...columns, ...rows]),
  ]);
}

/** The block's output pixels from M: Aᵀ m A per tile, plus the bias, then ReLU where asked. */
function outputTransform(): string[] {
  const m = (a: number, b: number): string => `(v128.load ${add(get('mTile'), add(mul(constant(4 * a + b), get('mStep')), get('o')))})`;
  // m A: each row's two sums (into $e), then Aᵀ over the rows.
  const columns = FOUR.flatMap((a) => [
    set('t', m(a, 1)),
    set('s', m(a, 2)),
    set(`e${a}0`, `(f32x4.add (f32x4.add ${m(a, 0)} ${get('t')}) ${get('s')})`),
    set(`e${a}1`, `(f32x4.sub (f32x4.sub ${get('t')} ${get('s')}) ${m(a, 3)})`),
  ]);
  const pixel = (a: number, b: number): string =>
    a === 0
      ? `(f32x4.add (f32x4.add ${get(`e0${b}`)} ${get(`e1${b}`)}) ${get(`e2${b}`)})`
      : `(f32x4.sub (f32x4.sub ${get(`e1${b}`)} ${get(`e2${b}`)}) ${get(`e3${b}`)})`;
  const stores = [0, 1].flatMap((a) =>
    [0, 1].flatMap((b) => [
      set('t', `(f32x4.add ${pixel(a, b)} ${get('s')})`),
      `(if ${get('relu')} (then ${set('t', `(f32x4.max ${get('t')} (v128.const i32x4 0 0 0 0))`)}))`,
      `(v128.store ${add(get(`out${a}${b}`), get('o'))} ${get('t')})`,
    ]),
  );
  const outPointers = [0, 1].flatMap((a) =>
    [0, 1].map((b) => {
      const row = add(`(i32.shl ${get('th')} (i32.const 1))`, constant(a));
      const column = add(`(i32.shl ${get('tw')} (i32.const 1))`, constant(b));
      const at = add(get('y'), mul(add(mul(add(mul(get('n'), get('outHeight')), row), get('outWidth')), column), get('outPixel')));
      const ok = `(i32.and ${inside(row, get('outHeight'))} ${inside(column, get('outWidth'))})`;
      return set(`out${a}${b}`, `(select ${at} ${get('sink')} ${ok})`);
    }),
  );
  return forEachTileOfBlock('outTiles', [
    ...outPointers,
    set('mTile', add(get('mBlock'), mul(get('q'), get('outPixel')))),
    ...channelLoop('outChannels', get('outPixel'), [...columns, set('s', `(v128.load ${add(get('bias'), get('o'))})`), ...stores]),
  ]);
}

/** The exported function; `matMul` must be defined in the same module (mat_mul_wat). */
export function winogradFunction(blocks: MatMulBlocks): string {
  const i32Locals = [
    'tilesWide',
    'tilesPerImage',
    'blocks',
    'block',
    'blockEnd',
    'tile0',
    'count',
    'tile',
    'q',
    'n',
    'th',
    'tw',
    'row0',
    'col0',
    'o',
    'inPixel',
    'inRow',
    'outPixel',
    'v',
    'vStep',
    'vTile',
    'mBlock',
    'mStep',
    'mTile',
    'matMulSlot',
    'xi',
    ...FOUR.flatMap((i) => [`rowAt${i}`, `rowOk${i}`, ...FOUR.map((j) => `p${i}${j}`)]),
    'out00',
    'out01',
    'out10',
    'out11',
  ];
  const v128Locals = ['s', 't', ...FOUR.flatMap((i) => FOUR.map((j) => `e${i}${j}`))];
  const products = [
    set('xi', constant(0)),
    `(block $productsDone (loop $productsLoop`,
    `  (br_if $productsDone (i32.ge_u ${get('xi')} (i32.const 16)))`,
    `  (call $matMul (i32.const 0) (i32.const 1) ${add(get('v'), mul(get('xi'), get('vStep')))}` +
      ` ${add(get('u'), mul(get('xi'), mul(get('inChannels'), get('outPixel'))))}` +
      ` ${add(get('mBlock'), mul(get('xi'), get('mStep')))} ${get('count')} ${get('inChannels')} ${get('outChannels')}` +
      ` ${get('inPixel')} (i32.const 4) (i32.const ${blocks.depth}) (i32.const ${blocks.rows}) ${get('matMulSlot')} (i32.const 0) (i32.const 1))`,
    `  ${set('xi', add(get('xi'), constant(1)))}`,
    `  (br $productsLoop)))`,
  ];
  return [
    `(func (export "winogradConv") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  ${i32Locals.map((name) => `(local $${name} i32)`).join(' ')}`,
    `  ${v128Locals.map((name) => `(local $${name} v128)`).join(' ')}`,
    `  ${set('tilesWide', `(i32.shr_u (i32.add ${get('outWidth')} (i32.const 1)) (i32.const 1))`)}`,
    `  ${set('tilesPerImage', mul(`(i32.shr_u (i32.add ${get('outHeight')} (i32.const 1)) (i32.const 1))`, get('tilesWide')))}`,
    `  ${set('inPixel', `(i32.shl ${get('inChannels')} (i32.const 2))`)}`,
    `  ${set('inRow', mul(get('inWidth'), get('inPixel')))}`,
    `  ${set('outPixel', `(i32.shl ${get('outChannels')} (i32.const 2))`)}`,
    `  ${set('vStep', mul(get('blockTiles'), get('inPixel')))}`,
    `  ${set('mStep', mul(get('blockTiles'), get('outPixel')))}`,
    `  ${set('v', add(get('scratch'), mul(get('first'), add(`(i32.shl (i32.add ${get('vStep')} ${get('mStep')}) (i32.const 4))`, constant(4 * blocks.slotFloats)))))}`,
    `  ${set('mBlock', add(get('v'), `(i32.shl ${get('vStep')} (i32.const 4))`))}`,
    `  ${set('matMulSlot', add(get('mBlock'), `(i32.shl ${get('mStep')} (i32.const 4))`))}`,
    `  ${set('blocks', `(i32.div_u (i32.add ${get('tiles')} (i32.sub ${get('blockTiles')} (i32.const 1))) ${get('blockTiles')})`)}`,
    `  ${set('block', `(i32.div_u ${mul(get('blocks'), get('first'))} ${get('shares')})`)}`,
    `  ${set('blockEnd', `(i32.div_u ${mul(get('blocks'), get('end'))} ${get('shares')})`)}`,
    `  (block $blocksDone (loop $blocksLoop`,
    `    (br_if $blocksDone (i32.ge_u ${get('block')} ${get('blockEnd')}))`,
    `    ${set('tile0', mul(get('block'), get('blockTiles')))}`,
    `    ${set('count', `(select ${get('blockTiles')} (i32.sub ${get('tiles')} ${get('tile0')}) (i32.le_u ${add(get('tile0'), get('blockTiles'))} ${get('tiles')}))`)}`,
    ...inputTransform().map((line) => `    ${line}`),
    ...products.map((line) => `    ${line}`),
    ...outputTransform().map((line) => `    ${line}`),
    `    ${set('block', add(get('block'), constant(1)))}`,
    `    (br $blocksLoop)))`,
    `)`,
  ].join('\n');
}
