/**
 * The WebAssembly text of our own forward convolution for a single input channel (a first layer
 * fed grey images), stride 1, with 128-bit SIMD.
 *
 * XNNPACK computes 8 output channels at a time over an indirection buffer of one pointer per
 * output pixel and tap; with one input channel each tap is a single multiply, so that setup
 * outweighs the arithmetic (LeNet-5's first layer, [128, 28, 28, 1] * [5, 5, 1, 6], ran at 5 to 7
 * GFLOP/s). Here a vector holds one output channel of 4 neighbouring pixels: per tap, 4
 * consecutive input values times the tap's weight splatted. A pass keeps two such vectors (8
 * pixels) for each of 4, 2 or 1 channels in registers, so that each input load serves several
 * channels. The lanes are then stored channels last, the ones past the row's end not at all.
 *
 * singleChannelConv(first, end, x, w, bias, y, rowValues, imageValues, outHeight, outWidth,
 * filterHeight, filterWidth, channels): output rows [first, end) of the whole batch; x is the
 * input already padded (rows of rowValues, images of imageValues values), w is [filterHeight,
 * filterWidth, 1, channels], bias is [channels] added to every output pixel (0: no bias; no
 * tensor lives at heap offset 0), y is [batch, outHeight, outWidth, channels]; pointers in bytes.
 * A row's last block reads up to 7 values past the row: past the padded input, for its last row.
 *
 * padImages(first, end, x, padded, inHeight, inWidth, paddedHeight, paddedWidth, top, left):
 * images [first, end) of x [batch, inHeight, inWidth] into zeroed [paddedHeight, paddedWidth]
 * images at row `top`, column `left` (the padding must hold the whole image).
 */

import { float32Bytes as bytes, i32Add as add, i32Const as constant, i32Mul as mul, localGet as get } from './wat';

const PARAMS = [
  'first',
  'end',
  'x',
  'w',
  'bias',
  'y',
  'rowValues',
  'imageValues',
  'outHeight',
  'outWidth',
  'filterHeight',
  'filterWidth',
  'channels',
] as const;

/** Output pixels of a row per block: two vectors. */
const BLOCK_PIXELS = 8;

/** Values a row's last block may read past the end of the padded input. */
export const SINGLE_CHANNEL_CONV_OVERREAD_VALUES = BLOCK_PIXELS - 1;

/** Channels per pass, largest first: each pass keeps 2 accumulators per channel in registers. */
const CHANNEL_BLOCKS = [4, 2, 1] as const;

const sum = (channel: number, vector: number): string => `$sum${channel}_${vector}`;

/** Stores lane `lane` of vector `vector` of channel `channel`'s sums, unless `guarded` and past the row. */
function storeLane(channel: number, vector: number, lane: number, guarded: boolean): string {
  const pixel = add(get('column'), constant(vector * 4 + lane));
  const at = add(get('yRow'), bytes(add(mul(pixel, get('channels')), add(get('channel'), constant(channel)))));
  const store = `(f32.store ${at} (f32x4.extract_lane ${lane} (local.get ${sum(channel, vector)})))`;
  return guarded && vector * 4 + lane > 0 ? `(if (i32.lt_u ${pixel} ${get('outWidth')}) (then ${store}))` : store;
}

/** One pass over `block` channels from $channel for the block of pixels at $column. */
function channelPass(block: number): string[] {
  const channels = Array.from({ length: block }, (_, c) => c);
  const stores = (guarded: boolean): string =>
    channels.flatMap((c) => [0, 1].flatMap((vector) => [0, 1, 2, 3].map((lane) => storeLane(c, vector, lane, guarded)))).join(' ');
  return [
    `(block $channelsDone${block} (loop $channelLoop${block}`,
    `  (br_if $channelsDone${block} (i32.gt_u ${add(get('channel'), constant(block))} ${get('channels')}))`,
    ...channels.flatMap((c) => [
      `  (local.set $start (if (result v128) ${get('bias')} (then (v128.load32_splat offset=${4 * c} ${add(get('bias'), bytes(get('channel')))})) (else (v128.const i32x4 0 0 0 0))))`,
      ...[0, 1].map((vector) => `  (local.set ${sum(c, vector)} ${get('start')})`),
    ]),
    `  (local.set $wp ${add(get('w'), bytes(get('channel')))})`,
    `  (local.set $kh (i32.const 0))`,
    `  (loop $tapRowLoop${block}`,
    `    (local.set $xp ${add(get('xRow'), bytes(add(mul(get('kh'), get('rowValues')), get('column'))))})`,
    `    (local.set $kw ${get('filterWidth')})`,
    `    (loop $tapLoop${block}`,
    `      (local.set $x0 (v128.load ${get('xp')}))`,
    `      (local.set $x1 (v128.load offset=16 ${get('xp')}))`,
    ...channels.flatMap((c) => [
      `      (local.set $weight (v128.load32_splat offset=${4 * c} ${get('wp')}))`,
      ...[0, 1].map((vector) => `      (local.set ${sum(c, vector)} (f32x4.add (local.get ${sum(c, vector)}) (f32x4.mul ${get(`x${vector}`)} ${get('weight')})))`),
    ]),
    `      (local.set $xp (i32.add ${get('xp')} (i32.const 4)))`,
    `      (local.set $wp ${add(get('wp'), get('tapStep'))})`,
    `      (local.set $kw (i32.sub ${get('kw')} (i32.const 1)))`,
    `      (br_if $tapLoop${block} ${get('kw')}))`,
    `    (local.set $kh (i32.add ${get('kh')} (i32.const 1)))`,
    `    (br_if $tapRowLoop${block} (i32.lt_u ${get('kh')} ${get('filterHeight')})))`,
    `  (if (i32.le_u ${add(get('column'), constant(BLOCK_PIXELS))} ${get('outWidth')}) (then ${stores(false)}) (else ${stores(true)}))`,
    `  (local.set $channel ${add(get('channel'), constant(block))})`,
    `  (br $channelLoop${block}))`,
    `)`,
  ];
}

function padImagesFunction(): string {
  const params = ['first', 'end', 'x', 'padded', 'inHeight', 'inWidth', 'paddedHeight', 'paddedWidth', 'top', 'left'];
  return [
    `(func (export "padImages") ${params.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  (local $image i32) (local $row i32) (local $from i32) (local $to i32) (local $imageBytes i32) (local $rowBytes i32)`,
    `  (local.set $imageBytes ${bytes(mul(get('paddedHeight'), get('paddedWidth')))})`,
    `  (local.set $rowBytes ${bytes(get('inWidth'))})`,
    `  (local.set $image ${get('first')})`,
    `  (block $imagesDone (loop $imageLoop`,
    `    (br_if $imagesDone (i32.ge_u ${get('image')} ${get('end')}))`,
    `    (local.set $to ${add(get('padded'), mul(get('image'), get('imageBytes')))})`,
    `    (memory.fill ${get('to')} (i32.const 0) ${get('imageBytes')})`,
    `    (local.set $to ${add(get('to'), bytes(add(mul(get('top'), get('paddedWidth')), get('left'))))})`,
    `    (local.set $from ${add(get('x'), mul(mul(get('image'), get('inHeight')), get('rowBytes')))})`,
    `    (local.set $row ${get('inHeight')})`,
    `    (block $rowsDone (loop $rowLoop`,
    `      (br_if $rowsDone (i32.eqz ${get('row')}))`,
    `      (memory.copy ${get('to')} ${get('from')} ${get('rowBytes')})`,
    `      (local.set $to ${add(get('to'), bytes(get('paddedWidth')))})`,
    `      (local.set $from ${add(get('from'), get('rowBytes'))})`,
    `      (local.set $row (i32.sub ${get('row')} (i32.const 1)))`,
    `      (br $rowLoop)))`,
    `    (local.set $image (i32.add ${get('image')} (i32.const 1)))`,
    `    (br $imageLoop)))`,
    `)`,
  ].join('\n');
}

export function singleChannelConvFunctions(): string {
  return [padImagesFunction(), singleChannelConvFunction()].join('\n');
}

function singleChannelConvFunction(): string {
  const sums = CHANNEL_BLOCKS[0];
  const sumLocals = Array.from({ length: sums }, (_, c) => `(local ${sum(c, 0)} v128) (local ${sum(c, 1)} v128)`).join(' ');
  return [
    `(func (export "singleChannelConv") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  (local $row i32) (local $image i32) (local $xRow i32) (local $yRow i32) (local $column i32) (local $channel i32)`,
    `  (local $kh i32) (local $kw i32) (local $xp i32) (local $wp i32) (local $tapStep i32)`,
    `  (local $x0 v128) (local $x1 v128) (local $weight v128) (local $start v128) ${sumLocals}`,
    `  (local.set $tapStep ${bytes(get('channels'))})`,
    `  (local.set $row ${get('first')})`,
    `  (block $rowsDone (loop $rowLoop`,
    `    (br_if $rowsDone (i32.ge_u ${get('row')} ${get('end')}))`,
    `    (local.set $image (i32.div_u ${get('row')} ${get('outHeight')}))`,
    `    (local.set $xRow ${add(get('x'), bytes(add(mul(get('image'), get('imageValues')), mul(`(i32.sub ${get('row')} ${mul(get('image'), get('outHeight'))})`, get('rowValues')))))})`,
    `    (local.set $yRow ${add(get('y'), bytes(mul(mul(get('row'), get('outWidth')), get('channels'))))})`,
    `    (local.set $column (i32.const 0))`,
    `    (block $columnsDone (loop $columnLoop`,
    `      (br_if $columnsDone (i32.ge_u ${get('column')} ${get('outWidth')}))`,
    `      (local.set $channel (i32.const 0))`,
    ...CHANNEL_BLOCKS.flatMap((block) => channelPass(block).map((line) => `      ${line}`)),
    `      (local.set $column ${add(get('column'), constant(BLOCK_PIXELS))})`,
    `      (br $columnLoop)))`,
    `    (local.set $row (i32.add ${get('row')} (i32.const 1)))`,
    `    (br $rowLoop)))`,
    `)`,
  ].join('\n');
}
