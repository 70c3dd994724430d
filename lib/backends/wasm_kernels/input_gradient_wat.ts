/**
 * The WebAssembly text of our own direct input gradient of a convolution, with 128-bit SIMD over
 * the output gradient's channels.
 *
 * dx[n, i, j, c] = sum over the output pixels (oh, ow) whose window covers (i, j), and over co,
 * of dy[n, oh, ow, co] * W[i + top - oh * strideHeight, j + left - ow * strideWidth, c, co].
 * Only covering pixels are visited, so no multiply is spent on padding: XNNPACK's convolution of
 * the padded dy multiplies zeros there, about half its work for LeNet-5's second layer (5x5,
 * 'valid', 14x14 input). Both dy[n, oh, ow, :] and W[kh, kw, c, :] are contiguous in co, so each
 * multiply-add takes 4 products from two plain vector loads; the accumulators hold partial sums
 * over co, added across lanes once per pixel. Channels of dx go 4 at a time (4 accumulators
 * sharing each dy load), then 2, then 1, so any count is computed exactly once.
 *
 * inputGradient(first, end, dy, w, outChannels, dx, inHeight, inWidth, channels, outHeight,
 * outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left): dx rows
 * [first, end) of the whole batch; pointers in bytes; outChannels a multiple of 4; top and left
 * >= 0.
 */
import { DX_GEOMETRY_PARAMS, DX_PIXEL_LOCALS, firstCoveringPixel, firstCoveringTap, forEachDxPixel } from './dx_pixels_wat';
import { float32Bytes as bytes, i32Add as add, i32Const as constant, i32Mul as mul, i32Sub as sub, localGet as get } from './wat';

const PARAMS = ['first', 'end', 'dy', 'w', 'outChannels', 'dx', ...DX_GEOMETRY_PARAMS] as const;

/** The output-gradient channel counts the kernel takes are multiples of this: one vector. */
export const INPUT_GRADIENT_CHANNEL_MULTIPLE = 4;

/** How many dx channels one pass over the covering pixels computes. */
type ChunkWidth = 4 | 2 | 1;

/** `i8x16.shuffle` of two f32x4 vectors by lane: lanes 0-3 pick from `a`, 4-7 from `b`. */
function shuffleLanes(a: string, b: string, lanes: readonly [number, number, number, number]): string {
  const byteIndices = lanes.flatMap((lane) => [0, 1, 2, 3].map((byte) => 4 * lane + byte));
  return `(i8x16.shuffle ${byteIndices.join(' ')} ${a} ${b})`;
}

/** (x0 + x1, y0 + y1, x2 + x3, y2 + y3) of vectors x and y. */
function pairSums(x: string, y: string): string {
  return `(f32x4.add ${shuffleLanes(x, y, [0, 4, 2, 6])} ${shuffleLanes(x, y, [1, 5, 3, 7])})`;
}

/** Adds the accumulators across lanes and stores `width` sums at $out + c. */
function storeSums(width: ChunkWidth): string[] {
  const at = add(get('out'), bytes(get('c')));
  if (width === 4) {
    return [
      `(local.set $pair01 ${pairSums(get('acc0'), get('acc1'))})`,
      `(local.set $pair23 ${pairSums(get('acc2'), get('acc3'))})`,
      `(v128.store ${at} (f32x4.add ${shuffleLanes(get('pair01'), get('pair23'), [0, 1, 4, 5])} ${shuffleLanes(get('pair01'), get('pair23'), [2, 3, 6, 7])}))`,
    ];
  }
  if (width === 2) {
    return [
      `(local.set $pair01 ${pairSums(get('acc0'), get('acc1'))})`,
      `(i64.store ${at} (i64x2.extract_lane 0 (f32x4.add ${get('pair01')} ${shuffleLanes(get('pair01'), get('pair01'), [2, 3, 0, 1])})))`,
    ];
  }
  return [
    `(local.set $pair01 (f32x4.add ${get('acc0')} ${shuffleLanes(get('acc0'), get('acc0'), [2, 3, 0, 1])}))`,
    `(f32.store ${at} (f32x4.extract_lane 0 (f32x4.add ${get('pair01')} ${shuffleLanes(get('pair01'), get('pair01'), [1, 0, 3, 2])})))`,
  ];
}

/**
 * Accumulators per dx channel. Two for a pair of channels, so that consecutive dy vectors add
 * into different ones; more than that (or a deeper unroll) makes V8 hoist the loop's loads and
 * spill them to the stack: LeNet-5's second-layer dx took 5.4 ms on one thread with 8
 * accumulators and 4 vectors a step, 3.6 ms with these.
 */
function chainsOf(width: ChunkWidth): number {
  return width === 2 ? 2 : 1;
}

/** dy vectors per step of the channel loop where the channel count allows. */
const UNROLLED_VECTORS = 2;

/** The accumulator of channel k in the chunk, chain `chain`; storeSums reads chain 0's. */
function accumulator(k: number, chain: number): string {
  return chain === 0 ? `acc${k}` : `acc${k}_${chain}`;
}

/**
 * acc += dy[$dyAt + $o + 16u] * W[$wAt + k * outChannels + $o + 16u] for u < `vectors`, then
 * $o moves on by as many vectors, until it reaches the channel row's end.
 */
function channelLoop(width: ChunkWidth, vectors: number, label: string): string[] {
  const body: string[] = [];
  for (let u = 0; u < vectors; u++) {
    body.push(`(local.set $d (v128.load offset=${16 * u} ${add(get('dyAt'), get('o'))}))`);
    for (let k = 0; k < width; k++) {
      const row = k === 0 ? add(get('wAt'), get('o')) : add(add(get('wAt'), get('o')), get(`filterRow${k}`));
      const weights = `(v128.load offset=${16 * u} ${row})`;
      const acc = accumulator(k, u % chainsOf(width));
      body.push(`(local.set $${acc} (f32x4.add ${get(acc)} (f32x4.mul ${get('d')} ${weights})))`);
    }
  }
  return [
    `(local.set $o (i32.const 0))`,
    `(loop $${label}`,
    ...body.map((line) => `  ${line}`),
    `  (local.set $o (i32.add ${get('o')} ${constant(16 * vectors)}))`,
    `  (br_if $${label} (i32.lt_u ${get('o')} ${get('channelRowBytes')})))`,
  ];
}

/** Computes dx channels [$c, $c + width) of the pixel at $out from its covering output pixels. */
function channelChunk(width: ChunkWidth): string[] {
  const chains = Array.from({ length: chainsOf(width) }, (_, chain) => chain);
  const channels = Array.from({ length: width }, (_, k) => k);
  const zeros = channels.flatMap((k) => chains.map((chain) => `(local.set $${accumulator(k, chain)} (v128.const i32x4 0 0 0 0))`));
  const merged = channels.flatMap((k) =>
    chains.slice(1).map((chain) => `(local.set $${accumulator(k, 0)} (f32x4.add ${get(accumulator(k, 0))} ${get(accumulator(k, chain))}))`),
  );
  return [
    ...zeros,
    `(local.set $dyRowAt ${get('dyStart')})`,
    `(local.set $wRowAt ${add(get('wStart'), mul(get('c'), get('channelRowBytes')))})`,
    `(local.set $oh ${get('ohLow')})`,
    `(block $rowsDone${width} (loop $rows${width}`,
    `  (br_if $rowsDone${width} (i32.gt_s ${get('oh')} ${get('ohHigh')}))`,
    `  (local.set $dyAt ${get('dyRowAt')})`,
    `  (local.set $wAt ${get('wRowAt')})`,
    `  (local.set $ow ${get('owLow')})`,
    `  (block $columnsDone${width} (loop $columns${width}`,
    `    (br_if $columnsDone${width} (i32.gt_s ${get('ow')} ${get('owHigh')}))`,
    `    (if ${get('unrolled')}`,
    `      (then ${channelLoop(width, UNROLLED_VECTORS, `vectorsUnrolled${width}`).join(' ')})`,
    `      (else ${channelLoop(width, 1, `vectorsSingly${width}`).join(' ')}))`,
    `    (local.set $dyAt ${add(get('dyAt'), get('channelRowBytes'))})`,
    `    (local.set $wAt ${sub(get('wAt'), get('wColumnStep'))})`,
    `    (local.set $ow (i32.add ${get('ow')} (i32.const 1)))`,
    `    (br $columns${width})))`,
    `  (local.set $dyRowAt ${add(get('dyRowAt'), get('dyRowStep'))})`,
    `  (local.set $wRowAt ${sub(get('wRowAt'), get('wRowStep'))})`,
    `  (local.set $oh (i32.add ${get('oh')} (i32.const 1)))`,
    `  (br $rows${width})))`,
    ...merged,
    ...storeSums(width),
  ];
}

export function inputGradientFunction(): string {
  const locals: string[] = [...DX_PIXEL_LOCALS, 'oh', 'ow', 'c', 'o', 'unrolled'];
  locals.push('channelRowBytes', 'dyRowStep', 'wColumnStep', 'wRowStep', 'dyImage', 'dyStart', 'wStart');
  locals.push('dyRowAt', 'wRowAt', 'dyAt', 'wAt', 'filterRow1', 'filterRow2', 'filterRow3');
  const accumulators = ([4, 2, 1] as const).flatMap((width) =>
    Array.from({ length: width * chainsOf(width) }, (_, index) => accumulator(index % width, Math.floor(index / width))),
  );
  const vectors = [...new Set(accumulators), 'd', 'pair01', 'pair23'];
  const indent = (lines: string[], depth: number): string[] => lines.map((line) => `${'  '.repeat(depth)}${line}`);
  return [
    `(func (export "inputGradient") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  ${locals.map((name) => `(local $${name} i32)`).join(' ')}`,
    `  ${vectors.map((name) => `(local $${name} v128)`).join(' ')}`,
    `  (local.set $channelRowBytes ${bytes(get('outChannels'))})`,
    `  (local.set $unrolled (i32.eqz (i32.and ${get('outChannels')} ${constant(4 * UNROLLED_VECTORS - 1)})))`,
    // Bytes from one covering output pixel to the next along a row of dy, and down a column; the
    // filter tap moves back by a stride as the output pixel moves on.
    `  (local.set $dyRowStep ${mul(get('outWidth'), get('channelRowBytes'))})`,
    `  (local.set $wColumnStep ${mul(mul(get('strideWidth'), get('channels')), get('channelRowBytes'))})`,
    `  (local.set $wRowStep ${mul(mul(mul(get('strideHeight'), get('filterWidth')), get('channels')), get('channelRowBytes'))})`,
    ...[1, 2, 3].map((k) => `  (local.set $filterRow${k} ${mul(constant(k), get('channelRowBytes'))})`),
    ...indent(
      forEachDxPixel(
        [`(local.set $dyImage ${add(get('dy'), mul(mul(mul(get('image'), get('outHeight')), get('outWidth')), get('channelRowBytes')))})`],
        [
          `(local.set $dyStart ${add(get('dyImage'), mul(firstCoveringPixel(), get('channelRowBytes')))})`,
          // W at the tap that lands on (i, j) from the first covering pixel, channel 0.
          `(local.set $wStart ${add(get('w'), mul(mul(firstCoveringTap(), get('channels')), get('channelRowBytes')))})`,
          `(local.set $c (i32.const 0))`,
          `(block $wideDone (loop $wideLoop`,
          `  (br_if $wideDone (i32.gt_s ${add(get('c'), constant(4))} ${get('channels')}))`,
          ...indent(channelChunk(4), 1),
          `  (local.set $c ${add(get('c'), constant(4))})`,
          `  (br $wideLoop)))`,
          `(if (i32.ge_s ${sub(get('channels'), get('c'))} (i32.const 2)) (then`,
          ...indent(channelChunk(2), 1),
          `  (local.set $c ${add(get('c'), constant(2))})))`,
          `(if (i32.lt_s ${get('c')} ${get('channels')}) (then`,
          ...indent(channelChunk(1), 1),
          `))`,
        ],
      ),
      1,
    ),
    `)`,
  ].join('\n');
}
