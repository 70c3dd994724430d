/**
 * `model.summary({ explain: true })`: after the Keras table, the arithmetic behind it in the
 * course's notation, so that a student can check each number by hand: output sizes as
 * `(28 + 2*0 - 5) / 1 + 1 = 24`, parameters as `3 * (5 * 5 * 1 + 1) = 78`, then the mult-adds of
 * every layer counted as torchinfo counts them, and the memory the parameters and one example's
 * activations take as float32.
 */
import { GraphError } from './errors';
import { withThousands, type Shape } from './format';
import type { Layer, LayerInput } from './layers/layer';
import type { FunctionalModel } from './model';
import { pythonTuple } from './summary';
import type { tf } from './tf';

/** Every number here is a float32. */
const BYTES_PER_VALUE = 4;

/** What the arithmetic of one layer needs to know, read from the model. */
export interface LayerFacts {
  /** `conv2d (Conv2D)`. */
  readonly label: string;
  /** Keras's class name, e.g. `Conv2D`. */
  readonly className: string;
  /** The shapes of the tensors the layer takes, batch as null (none for an InputLayer). */
  readonly inputShapes: readonly Shape[];
  /** The shape of what it makes, batch as null. */
  readonly outputShape: Shape;
  /** Its weights, trainable or not. */
  readonly params: number;
  /** The layer's tf.layers configuration (kernelSize, strides, padding, units, ...). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The arithmetic of one layer. */
export interface LayerArithmetic {
  /** `conv2d (Conv2D)`. */
  readonly label: string;
  /** Lines shown under the layer's label: output size, then parameters. */
  readonly lines: readonly string[];
  /** Mult-adds for one example, as torchinfo counts them. */
  readonly multAdds: number;
  /** How `multAdds` is made, e.g. `24 * 24 * 3 * (5 * 5 * 1 + 1) = 44,928`; `0` for layers without any. */
  readonly multAddsFormula: string;
  /** Values in the layer's output for one example (0 for the input layer, which is data, not activations). */
  readonly activationValues: number;
}

/** The facts of every layer of a model, in the summary's order. */
export function layerFacts(model: FunctionalModel): LayerFacts[] {
  const modelNodes = new Set(Object.values(model.tfModel.nodesByDepth).flat());
  return model.layers.map((layer: Layer<LayerInput>) => {
    const node = layer.tfLayer.inboundNodes.find((candidate) => modelNodes.has(candidate));
    const isInput = layer.className === 'InputLayer';
    return {
      label: layer.label,
      className: layer.className,
      inputShapes: isInput || node === undefined ? [] : node.inputTensors.map((tensor: tf.SymbolicTensor) => tensor.shape),
      outputShape: layer.outputShape,
      params: layer.countParams(),
      config: layer.tfLayer.getConfig(),
    };
  });
}

/** The lines `summary({ explain: true })` prints after the table. */
export function explainModel(model: FunctionalModel): string[] {
  return explainLayers(layerFacts(model));
}

/** The explanation for layers already described as facts: per-layer arithmetic, mult-adds, memory. */
export function explainLayers(layers: readonly LayerFacts[]): string[] {
  const arithmetic = layers.map(layerArithmetic);
  const lines = [
    '',
    'How each number is computed (per example; output size O = (I + 2*P - F) / S + 1, rounded down):',
  ];
  for (const layer of arithmetic) lines.push(layer.label, ...layer.lines.map((line) => `  ${line}`));

  lines.push('', 'Mult-adds per example (as torchinfo counts them: every weight and bias once per output position):');
  const width = Math.max(...arithmetic.map((layer) => layer.label.length));
  for (const layer of arithmetic) lines.push(`  ${layer.label.padEnd(width)}  ${layer.multAddsFormula}`);
  const totalMultAdds = arithmetic.reduce((sum, layer) => sum + layer.multAdds, 0);
  const params = layers.reduce((sum, layer) => sum + layer.params, 0);
  const activations = arithmetic.reduce((sum, layer) => sum + layer.activationValues, 0);
  lines.push(
    `Total mult-adds: ${withThousands(totalMultAdds)}`,
    `Parameter memory: ${withThousands(params)} params * ${BYTES_PER_VALUE} bytes = ${bytes(params * BYTES_PER_VALUE)}`,
    `Activation memory per example: ${withThousands(activations)} values * ${BYTES_PER_VALUE} bytes = ${bytes(activations * BYTES_PER_VALUE)}` +
      ' (the output of every layer after the input, forward pass only)',
  );
  return lines;
}

/** The arithmetic of one layer, by its class; layers without a rule here state their shape and count. */
export function layerArithmetic(layer: LayerFacts): LayerArithmetic {
  const activationValues = layer.className === 'InputLayer' ? 0 : valuesPerExample(layer.outputShape);
  const none = { multAdds: 0, multAddsFormula: '0', activationValues };
  const shape = pythonTuple(layer.outputShape);
  const input = layer.inputShapes[0] ?? [];
  switch (layer.className) {
    case 'InputLayer':
      return {
        label: layer.label,
        lines: [`input: ${shape}, ${productFormula(layer.outputShape.slice(1))} values per example`],
        ...none,
      };
    case 'Conv2D':
      return { label: layer.label, ...convolution(layer, input, shape), activationValues };
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const window = windowOf(layer, 'poolSize', 'strides');
      return { label: layer.label, lines: [`output size: ${windowSizes(input, window)}, so ${shape}`, 'params: no parameters'], ...none };
    }
    case 'Dense':
      return { label: layer.label, ...dense(layer, input), activationValues };
    case 'Flatten':
      return { label: layer.label, lines: [`output size: ${productFormula(input.slice(1))}, so ${shape}`, 'params: no parameters'], ...none };
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D':
      return { label: layer.label, lines: [`output size: one value per channel, so ${shape}`, 'params: no parameters'], ...none };
    case 'BatchNormalization':
      return { label: layer.label, ...batchNormalization(layer), activationValues };
    case 'Concatenate': {
      const channels = layer.inputShapes.map((inputShape) => dimText(inputShape[inputShape.length - 1]));
      return {
        label: layer.label,
        lines: [`output size: ${channels.join(' + ')} = ${dimText(layer.outputShape[layer.outputShape.length - 1])} along the last axis, so ${shape}`, 'params: no parameters'],
        ...none,
      };
    }
    case 'Dropout':
    case 'Activation':
    case 'Add':
      return { label: layer.label, lines: [`output size: the input's, ${shape}`, 'params: no parameters'], ...none };
    default:
      return {
        label: layer.label,
        lines: [`output size: ${shape}`, layer.params > 0 ? `params: ${withThousands(layer.params)}` : 'params: no parameters'],
        ...none,
      };
  }
}

/** A sliding window's hyper-parameters, per axis [height, width]. */
interface WindowSettings {
  /** Kernel or pool window. */
  readonly size: readonly [number, number];
  /** Step between windows. */
  readonly strides: readonly [number, number];
  /** Keras's two paddings. */
  readonly padding: 'valid' | 'same';
  /** Spacing of a kernel's taps; [1, 1] for pooling. */
  readonly dilation: readonly [number, number];
}

function convolution(layer: LayerFacts, input: Shape, shape: string): Pick<LayerArithmetic, 'lines' | 'multAdds' | 'multAddsFormula'> {
  const window = windowOf(layer, 'kernelSize', 'strides', 'dilationRate');
  const filters = numberIn(layer, 'filters');
  const useBias = layer.config['useBias'] !== false;
  const channels = input[3] ?? null;
  const perFilter = `${window.size[0]} * ${window.size[1]} * ${dimText(channels)}${useBias ? ' + 1' : ''}`;
  const paramsFormula = `${filters} * (${perFilter})`;
  const outputHeight = layer.outputShape[1] ?? null;
  const outputWidth = layer.outputShape[2] ?? null;
  const known = outputHeight !== null && outputWidth !== null;
  return {
    lines: [`output size: ${windowSizes(input, window)}, so ${shape}`, `params: ${paramsFormula} = ${withThousands(layer.params)}`],
    multAdds: known ? outputHeight * outputWidth * layer.params : 0,
    multAddsFormula: known
      ? `${outputHeight} * ${outputWidth} * ${paramsFormula} = ${withThousands(outputHeight * outputWidth * layer.params)}`
      : 'unknown until run time (the output size is not fixed)',
  };
}

function dense(layer: LayerFacts, input: Shape): Pick<LayerArithmetic, 'lines' | 'multAdds' | 'multAddsFormula'> {
  const units = numberIn(layer, 'units');
  const useBias = layer.config['useBias'] !== false;
  const inputs = dimText(input[input.length - 1] ?? null);
  const paramsFormula = useBias ? `${units} * (${inputs} + 1)` : `${units} * ${inputs}`;
  // Keras's Dense acts on the last axis only: every other axis repeats the same product.
  const repeats = layer.outputShape.slice(1, -1);
  const known = repeats.every((dim) => dim !== null);
  const times = (repeats as number[]).reduce((product, dim) => product * dim, 1);
  return {
    lines: [`output size: ${units} units, so ${pythonTuple(layer.outputShape)}`, `params: ${paramsFormula} = ${withThousands(layer.params)}`],
    multAdds: known ? times * layer.params : 0,
    multAddsFormula: known
      ? `${repeats.map((dim) => `${dim} * `).join('')}${paramsFormula} = ${withThousands(times * layer.params)}`
      : 'unknown until run time (the output size is not fixed)',
  };
}

function batchNormalization(layer: LayerFacts): Pick<LayerArithmetic, 'lines' | 'multAdds' | 'multAddsFormula'> {
  const channels = layer.outputShape[layer.outputShape.length - 1] ?? null;
  const learned = [layer.config['scale'] !== false ? 'gamma' : null, layer.config['center'] !== false ? 'beta' : null].filter(
    (name): name is string => name !== null,
  );
  const perChannel = [...learned, 'moving mean', 'moving variance'];
  const learnedCount = channels === null ? 0 : learned.length * channels;
  return {
    lines: [
      `output size: the input's, ${pythonTuple(layer.outputShape)}`,
      `params: ${perChannel.length} * ${dimText(channels)} = ${withThousands(layer.params)} (${perChannel.join(', ')} per channel; ` +
        `${withThousands(learnedCount)} trainable, the moving statistics are not)`,
    ],
    // torchinfo counts a BatchNorm's weight and bias (gamma and beta) once each per example.
    multAdds: learnedCount,
    multAddsFormula: learned.length === 0 ? '0' : `${learned.length} * ${dimText(channels)} = ${withThousands(learnedCount)}`,
  };
}

/** One axis of a window: `(28 + 2*0 - 5) / 1 + 1 = 24`, as Keras computes it for 'valid' and 'same'. */
export function windowAxisFormula(inputLength: number, size: number, stride: number, padding: 'valid' | 'same', dilation = 1): string {
  const span = (size - 1) * dilation + 1;
  const output = padding === 'same' ? Math.ceil(inputLength / stride) : Math.floor((inputLength - span) / stride) + 1;
  // Keras's 'same' pads as little as gives ceil(I / S), the odd pixel after (below, right).
  const totalPadding = padding === 'same' ? Math.max((output - 1) * stride + span - inputLength, 0) : 0;
  const before = Math.floor(totalPadding / 2);
  const after = totalPadding - before;
  const padded = before === after ? `${inputLength} + 2*${before}` : `${inputLength} + ${before} + ${after}`;
  const numerator = `${padded} - ${span}`;
  const exact = (inputLength + totalPadding - span) % stride === 0;
  const formula = exact ? `(${numerator}) / ${stride} + 1` : `floor((${numerator}) / ${stride}) + 1`;
  const dilated = dilation === 1 ? '' : `kernel ${size} dilated by ${dilation} spans (${size} - 1) * ${dilation} + 1 = ${span}; `;
  return `${dilated}${formula} = ${output}`;
}

/** Both spatial axes; one formula when they agree. */
function windowSizes(input: Shape, window: WindowSettings): string {
  const height = input[1] ?? null;
  const width = input[2] ?? null;
  if (height === null || width === null) return 'known only at run time';
  const formulas = [0, 1].map((axis) =>
    windowAxisFormula(axis === 0 ? height : width, window.size[axis] as number, window.strides[axis] as number, window.padding, window.dilation[axis]),
  );
  const paddingNote = window.padding === 'same' ? " (padding 'same')" : '';
  if (formulas[0] === formulas[1]) return `${formulas[0]}${paddingNote}`;
  return `height ${formulas[0]}, width ${formulas[1]}${paddingNote}`;
}

function windowOf(layer: LayerFacts, sizeKey: string, stridesKey: string, dilationKey?: string): WindowSettings {
  const size = pairIn(layer, sizeKey);
  const strides = layer.config[stridesKey];
  return {
    size,
    // tf.layers leaves a pooling layer's strides null when they default to the pool size.
    strides: strides === null || strides === undefined ? size : pairIn(layer, stridesKey),
    padding: layer.config['padding'] === 'same' ? 'same' : 'valid',
    dilation: dilationKey === undefined || layer.config[dilationKey] === undefined ? [1, 1] : pairIn(layer, dilationKey),
  };
}

function pairIn(layer: LayerFacts, key: string): [number, number] {
  const value = layer.config[key];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.every((n) => typeof n === 'number')) {
    if (value.length === 2) return [value[0] as number, value[1] as number];
    if (value.length === 1) return [value[0] as number, value[0] as number];
  }
  throw new GraphError(layer.label, `config ${key} must be a number or a pair of numbers, got ${JSON.stringify(value)}`);
}

function numberIn(layer: LayerFacts, key: string): number {
  const value = layer.config[key];
  if (typeof value !== 'number') throw new GraphError(layer.label, `config ${key} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function dimText(dim: number | null | undefined): string {
  return dim === null || dim === undefined ? 'None' : String(dim);
}

/** `5 * 5 * 16 = 400`; a single dimension is just itself. */
function productFormula(dims: Shape): string {
  if (dims.some((dim) => dim === null)) return `${dims.map(dimText).join(' * ')} (known only at run time)`;
  const product = (dims as number[]).reduce((total, dim) => total * dim, 1);
  return dims.length === 1 ? withThousands(product) : `${dims.join(' * ')} = ${withThousands(product)}`;
}

/** Values in one example of this shape; 0 when a dimension is known only at run time. */
function valuesPerExample(shape: Shape): number {
  const dims = shape.slice(1);
  return dims.some((dim) => dim === null) ? 0 : (dims as number[]).reduce((total, dim) => total * dim, 1);
}

/** `246,824 bytes (241.0 KiB)`. */
function bytes(count: number): string {
  if (count < 1024) return `${withThousands(count)} bytes`;
  const [unit, size] = count < 1024 * 1024 ? ['KiB', count / 1024] : ['MiB', count / (1024 * 1024)];
  return `${withThousands(count)} bytes (${size.toFixed(1)} ${unit})`;
}
