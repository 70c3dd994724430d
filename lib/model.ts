/**
 * The functional model: `Model(X, Y)` as in Keras. It checks the graph (inputs made by `Input()`,
 * everything connected, unique layer names), builds the tf.LayersModel underneath and answers
 * for its layers, parameter counts and summary. Training methods live in `lib/training/`.
 */
import { ConfigError, GraphError, KerasError } from './errors';
import { formatShape, type Shape } from './format';
import { loadModelFiles, saveModelFiles, type ModelMetadata } from './io/model_files';
import { isKerasTensor, type KerasTensor } from './keras_tensor';
import { AdoptedLayer } from './layers/adopted';
import { wrapperOf, type Layer, type LayerInput } from './layers/layer';
import { uniqueName } from './session';
import { formatSummary, pythonTuple, type SummaryOptions, type SummaryRow, type SummaryTable } from './summary';
import { explainModel } from './summary_explain';
import { tf } from './tf';
import { resolveCompile, type CompiledSettings, type CompileOptions } from './training/compile';
import { tensorData, type TrainingData } from './training/data_source';
import { evaluateData, fitData, type FitOptions, type History, type Logs } from './training/fit';

/** Options of `Model()`. */
export interface ModelOptions {
  /** The model's name. Default: `model`, `model_1`, ... */
  name?: string;
}

type TensorOrList = KerasTensor | readonly KerasTensor[];
type TfNode = tf.layers.Layer['inboundNodes'][number];

export class FunctionalModel {
  readonly name: string;
  readonly inputs: readonly KerasTensor[];
  readonly outputs: readonly KerasTensor[];
  /** The layers in Keras's order (inputs first), each the callable tfjs-keras layer. */
  readonly layers: readonly Layer<LayerInput>[];
  /** The TensorFlow.js model underneath, for interop (`tf.io`, `tf.LayersModel` methods). */
  readonly tfModel: tf.LayersModel;
  /** Set it to true (from a callback or a signal handler) to stop `fit` after the current batch. */
  stopTraining = false;
  private compiled: CompiledSettings | null = null;
  private compileOptions: CompileOptions | null = null;

  /** `tfModel` is given only when adopting a model loaded from disk. */
  constructor(inputs: TensorOrList, outputs: TensorOrList, options: ModelOptions = {}, tfModel?: tf.LayersModel) {
    this.name = options.name ?? uniqueName('model', { zeroBased: true });
    const subject = `Model '${this.name}'`;
    this.inputs = asTensorList(subject, 'inputs', inputs);
    this.outputs = asTensorList(subject, 'outputs', outputs);
    for (const input of this.inputs) {
      if (input.source.className !== 'InputLayer') {
        throw new GraphError(subject, `inputs must be tensors made by Input(), got the output of ${input.source.name} (${input.source.className})`);
      }
    }
    checkConnected(subject, this.inputs, this.outputs);
    this.tfModel =
      tfModel ??
      tf.model({
        inputs: this.inputs.map((t) => t.symbolic),
        outputs: this.outputs.map((t) => t.symbolic),
        name: this.name,
      });
    this.layers = this.tfModel.layers.map((tfLayer) => {
      const layer = wrapperOf(tfLayer);
      if (layer === undefined) throw new GraphError(subject, `layer ${tfLayer.name} was not made by tfjs-keras`);
      return layer;
    });
  }

  /** The layer with this name; throws, listing the names, if there is none. */
  getLayer(name: string): Layer<LayerInput> {
    const layer = this.layers.find((candidate) => candidate.name === name);
    if (layer === undefined) {
      throw new ConfigError(`Model '${this.name}'`, 'layer name', name, `one of ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /** All weights, trainable and not (BatchNormalization's moving statistics are not). */
  countParams(): number {
    const { trainable, nonTrainable } = this.paramCounts();
    return trainable + nonTrainable;
  }

  paramCounts(): { trainable: number; nonTrainable: number } {
    const size = (weights: readonly { shape: Shape }[]): number =>
      weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 0), 1), 0);
    return { trainable: size(this.tfModel.trainableWeights), nonTrainable: size(this.tfModel.nonTrainableWeights) };
  }

  /** The data the summary prints. */
  summaryTable(): SummaryTable {
    const nodesByDepth = Object.values(this.tfModel.nodesByDepth);
    const modelNodes = new Set(nodesByDepth.flat());
    const { trainable, nonTrainable } = this.paramCounts();
    return {
      modelName: this.name,
      rows: this.layers.map((layer) => summaryRow(layer, modelNodes)),
      sequentialLike: isSequentialLike(nodesByDepth, this.layers, modelNodes),
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
    };
  }

  /** Prints the Keras table; `{ printFn }` to capture it, `{ lineLength, positions }` as in Keras. */
  summary(options: SummaryOptions = {}): void {
    const print = options.printFn ?? ((line: string) => console.log(line));
    for (const line of formatSummary(this.summaryTable(), options)) print(line);
    if (options.explain === true) for (const line of explainModel(this)) print(line);
  }

  /** Runs the model on data (inference mode: no dropout, BatchNormalization's moving statistics). */
  predict(x: tf.Tensor | tf.Tensor[], options: { batchSize?: number } = {}): tf.Tensor | tf.Tensor[] {
    const xs = Array.isArray(x) ? x : [x];
    this.checkInputData(xs);
    const batchSize = options.batchSize ?? 32;
    // tf.layers's predict copies its input in slices of batchSize first, even a single batch: 0.65
    // ms of LeNet-5's 10 ms at batch 128 on wasm. A single batch goes straight through the graph.
    if (Number.isInteger(batchSize) && batchSize > 0 && xs.every((input) => (input.shape[0] ?? 0) <= batchSize)) {
      return tf.tidy(() => this.tfModel.apply(x, { training: false }) as tf.Tensor | tf.Tensor[]);
    }
    return this.tfModel.predict(x, { batchSize });
  }

  /** Throws, naming the input and both shapes, when data cannot go through the model. */
  checkInputData(xs: readonly tf.Tensor[]): void {
    const subject = `Model '${this.name}'`;
    if (xs.length !== this.inputs.length) {
      throw new GraphError(subject, `expected ${this.inputs.length} input tensor(s), got ${xs.length}`);
    }
    xs.forEach((x, i) => {
      const expected = (this.inputs[i] as KerasTensor).shape;
      const fits = x.shape.length === expected.length && expected.every((dim, axis) => dim === null || dim === x.shape[axis]);
      if (!fits) {
        throw new GraphError(subject, `input ${i} (${(this.inputs[i] as KerasTensor).source.name}) expects data of shape ${formatShape(expected)}, got ${formatShape(x.shape)}`);
      }
    });
  }

  /** Keras's `compile`: the loss (required), the optimiser (default 'rmsprop') and metrics ('accuracy'). */
  compile(options: CompileOptions): void {
    const settings = resolveCompile(options);
    this.tfModel.compile({
      optimizer: settings.optimizer,
      loss: settings.tfLoss,
      metrics: settings.logNames.includes('accuracy') || settings.logNames.includes('acc') ? ['accuracy'] : [],
    });
    this.compiled = settings;
    this.compileOptions = { ...options, optimizer: settings.optimizer };
  }

  /** Whether `compile` was called (or the model was loaded with its training config). */
  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The compiled settings; throws if `compile` was not called. */
  get compiledSettings(): CompiledSettings {
    if (this.compiled === null) {
      throw new KerasError(`Model '${this.name}': call model.compile({ loss, optimizer, metrics }) before fit or evaluate`);
    }
    return this.compiled;
  }

  /**
   * Keras's `fit`: `await model.fit(x, y, { epochs, batchSize, validationSplit })`, or a
   * TrainingData (a data set's images, batched on demand) in place of x and y.
   */
  async fit(x: tf.Tensor | TrainingData, y?: tf.Tensor | FitOptions, options?: FitOptions): Promise<History> {
    const settings = this.compiledSettings;
    if (x instanceof tf.Tensor) {
      if (!(y instanceof tf.Tensor)) throw new GraphError(`Model '${this.name}'`, 'fit(x, y): y must be a tf.Tensor of labels');
      this.checkInputData([x]);
      return fitData(this, settings, tensorData(x, y), options ?? {});
    }
    return fitData(this, settings, x, (y as FitOptions | undefined) ?? {});
  }

  /** Keras's `evaluate` (with `return_dict=True`): `{ loss, accuracy }` over all examples. */
  async evaluate(x: tf.Tensor | TrainingData, y?: tf.Tensor, options: { batchSize?: number } = {}): Promise<Logs> {
    const settings = this.compiledSettings;
    let data: TrainingData;
    if (x instanceof tf.Tensor) {
      if (!(y instanceof tf.Tensor)) throw new GraphError(`Model '${this.name}'`, 'evaluate(x, y): y must be a tf.Tensor of labels');
      this.checkInputData([x]);
      data = tensorData(x, y);
    } else {
      data = x;
    }
    return evaluateData(this, settings, data, options.batchSize ?? 32);
  }

  /**
   * Saves `model.json` and the weights into a folder, in TensorFlow.js's layers format (so
   * `tf.loadLayersModel` reads it too); `includeOptimizer` keeps what resuming training needs.
   */
  async save(folder: string, options: { includeOptimizer?: boolean; metadata?: ModelMetadata } = {}): Promise<void> {
    const compile = this.compileOptions === null ? null : serializableCompile(this.compileOptions);
    await saveModelFiles(this.tfModel, folder, {
      includeOptimizer: options.includeOptimizer ?? false,
      metadata: { ...(options.metadata ?? {}), ...(compile ? { tfjsKerasCompile: compile } : {}) },
    });
  }

  /** Adopts a tf.LayersModel made elsewhere (by loading, say), wrapping each of its layers. */
  static fromTfModel(tfModel: tf.LayersModel): FunctionalModel {
    for (const tfLayer of tfModel.layers) if (wrapperOf(tfLayer) === undefined) new AdoptedLayer(tfLayer);
    const find = (tensor: tf.SymbolicTensor): KerasTensor => {
      const layer = wrapperOf(tensor.sourceLayer);
      const found = layer?.outputs.find((candidate) => candidate.symbolic === tensor);
      if (found === undefined) throw new GraphError(`Model '${tfModel.name}'`, `tensor ${tensor.name} has no layer`);
      return found;
    };
    const model = new FunctionalModel(tfModel.inputs.map(find), tfModel.outputs.map(find), { name: tfModel.name }, tfModel);
    if (tfModel.optimizer !== undefined && tfModel.optimizer !== null) model.adoptCompiled(tfModel);
    return model;
  }

  /** After loading a model saved with its training config: the same settings, the restored optimiser. */
  private adoptCompiled(tfModel: tf.LayersModel): void {
    const loss = tfModel.loss as CompileOptions['loss'];
    const metrics = tfModel.metricsNames.length > 1 ? 'accuracy' : undefined;
    const settings = resolveCompile({ loss, optimizer: tfModel.optimizer, ...(metrics ? { metrics } : {}) });
    this.compiled = settings;
    this.compileOptions = { loss, optimizer: tfModel.optimizer, ...(metrics ? { metrics } : {}) };
  }

  toString(): string {
    return `<Model '${this.name}': ${this.layers.length} layers, ${this.countParams()} params>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The compile options as plain JSON, for model.json. */
function serializableCompile(options: CompileOptions): Record<string, unknown> {
  const optimizer = options.optimizer instanceof tf.Optimizer ? options.optimizer.getClassName() : options.optimizer;
  return { loss: options.loss, optimizer, metrics: options.metrics ?? [] };
}

/**
 * Loads a model saved by `model.save(folder)`, a training run's folder or a TensorFlow.js layers
 * model: its layers, weights and, when saved with it, its compile settings and optimiser state.
 */
export async function loadModel(folder: string): Promise<FunctionalModel> {
  const { tfModel, metadata } = await loadModelFiles(folder);
  const model = FunctionalModel.fromTfModel(tfModel);
  const saved = metadata['tfjsKerasCompile'] as { loss?: CompileOptions['loss']; metrics?: CompileOptions['metrics'] } | undefined;
  // Saved without its optimiser: the loss and metrics still let evaluate() work; fit() starts a fresh optimiser.
  if (!model.isCompiled && saved?.loss !== undefined) model.compile({ loss: saved.loss, ...(saved.metrics ? { metrics: saved.metrics } : {}) });
  return model;
}

function asTensorList(subject: string, what: string, value: unknown): KerasTensor[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isKerasTensor)) {
    throw new ConfigError(subject, what, value, 'a tensor from Input() or a layer call, or a non-empty list of them');
  }
  return list;
}

/** The tensors consumed by the node that produced this one; none for an input (whose node lists itself). */
function producerInputs(tensor: tf.SymbolicTensor): tf.SymbolicTensor[] {
  const node = tensor.sourceLayer.inboundNodes[tensor.nodeIndex];
  return node === undefined || node.inboundLayers.length === 0 ? [] : node.inputTensors;
}

/** Walks back from the outputs: every input reached must be a model input, and names unique. */
function checkConnected(subject: string, inputs: readonly KerasTensor[], outputs: readonly KerasTensor[]): void {
  const declared = new Set(inputs.map((t) => t.symbolic.sourceLayer));
  const seen = new Set<tf.SymbolicTensor>();
  const layersByName = new Map<string, object>();
  const visit = (tensor: tf.SymbolicTensor, output: KerasTensor): void => {
    if (seen.has(tensor)) return;
    seen.add(tensor);
    const layer = tensor.sourceLayer;
    const other = layersByName.get(layer.name);
    if (other !== undefined && other !== layer) {
      throw new GraphError(subject, `two different layers are named '${layer.name}'; layer names must be unique in a model`);
    }
    layersByName.set(layer.name, layer);
    const upstream = producerInputs(tensor);
    if (upstream.length === 0 && !declared.has(layer)) {
      const names = inputs.map((t) => t.source.name).join(', ');
      throw new GraphError(
        subject,
        `graph disconnected: output ${output.source.name} depends on input ${layer.name}, which is not among the model's inputs (${names})`,
      );
    }
    for (const parent of upstream) visit(parent, output);
  };
  for (const output of outputs) visit(output.symbolic, output);
}

/** Keras's rule: one node per depth, no node with several inputs, no layer used twice. */
function isSequentialLike(nodesByDepth: TfNode[][], layers: readonly Layer<LayerInput>[], modelNodes: Set<TfNode>): boolean {
  if (nodesByDepth.some((nodes) => nodes.length > 1 || (nodes.length === 1 && (nodes[0] as TfNode).inputTensors.length > 1))) {
    return false;
  }
  return layers.every((layer) => layer.tfLayer.inboundNodes.filter((node) => modelNodes.has(node)).length <= 1);
}

function summaryRow(layer: Layer<LayerInput>, modelNodes: Set<TfNode>): SummaryRow {
  const shapes = new Set(layer.outputs.map((t) => pythonTuple(t.shape)));
  const [single] = shapes;
  let outputShape = shapes.size === 1 && single !== undefined ? single : 'multiple';
  if (layer.className === 'InputLayer') outputShape = `[${outputShape}]`;
  const connections = layer.tfLayer.inboundNodes
    .filter((node) => modelNodes.has(node))
    .flatMap((node) => node.inboundLayers.map((inbound, i) => `${inbound.name}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`));
  return { layer: layer.label, outputShape, params: layer.countParams(), connections };
}

/** `Model(X, Y)` or `Model([a, b], Y, { name })`: a model from its input and output tensors. */
export function Model(inputs: TensorOrList, outputs: TensorOrList, options: ModelOptions = {}): FunctionalModel {
  return new FunctionalModel(inputs, outputs, options);
}
