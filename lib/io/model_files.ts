/**
 * Models on disk in TensorFlow.js's layers format: `model.json` (topology, weights manifest,
 * training config) beside one binary weights file, loadable by `tf.loadLayersModel` too.
 * The weights file gets a new name at each save and is complete before `model.json`, which names
 * it, replaces the old one: whatever moment a save is killed at, `model.json` describes files that
 * exist in full.
 */
import { randomBytes } from 'crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { DataError } from '../errors';
import { tf } from '../tf';
import { writeFileAtomic, writeJsonAtomic } from './atomic_file';
import { readJsonFile } from './json_file';

/** What tfjs-keras keeps in `model.json` beside TensorFlow.js's fields. */
export type ModelMetadata = Record<string, unknown>;

interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
  userDefinedMetadata?: ModelMetadata;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

const WEIGHTS_FILE = /^weights-[0-9a-f]{12}\.bin$/;

function concatenate(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
  return Buffer.concat(buffers.map((buffer) => new Uint8Array(buffer)));
}

/** Saves `tfModel` into `folder`; with the optimizer's state when asked (for resuming training). */
export async function saveModelFiles(
  tfModel: tf.LayersModel,
  folder: string,
  options: { includeOptimizer?: boolean; metadata?: ModelMetadata } = {},
): Promise<void> {
  await tfModel.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsName = `weights-${randomBytes(6).toString('hex')}.bin`;
      writeFileAtomic(join(folder, weightsName), concatenate(artifacts.weightData));
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(options.metadata ? { userDefinedMetadata: options.metadata } : {}),
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      writeJsonAtomic(join(folder, 'model.json'), json);
      for (const file of readdirSync(folder)) {
        if (WEIGHTS_FILE.test(file) && file !== weightsName) rmSync(join(folder, file), { force: true });
      }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
}

function readModelJson(folder: string): ModelJson {
  const path = join(folder, 'model.json');
  if (!existsSync(path)) throw new DataError(folder, 'no model.json here: expected a folder written by model.save() or a training run');
  const json = readJsonFile(path);
  const manifest = (json as Partial<ModelJson>).weightsManifest;
  if (typeof json !== 'object' || json === null || !('modelTopology' in json) || !Array.isArray(manifest)) {
    throw new DataError(path, 'is not a TensorFlow.js layers model (modelTopology or weightsManifest missing)');
  }
  return json as ModelJson;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Loads a model saved by {@link saveModelFiles} (or by TensorFlow.js), with its metadata. */
export async function loadModelFiles(folder: string): Promise<{ tfModel: tf.LayersModel; metadata: ModelMetadata }> {
  const json = readModelJson(folder);
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const parts = json.weightsManifest.flatMap((group) => group.paths).map((file) => {
    const path = join(folder, file);
    if (!existsSync(path)) throw new DataError(path, 'is missing: model.json lists it as a weights file');
    return readFileSync(path);
  });
  const weightData = Buffer.concat(parts);
  const expected = weightSpecs.reduce(
    (sum, spec) => sum + spec.shape.reduce((n, d) => n * d, 1) * (BYTES_PER_VALUE[spec.dtype] ?? 4),
    0,
  );
  if (weightData.length !== expected) {
    throw new DataError(join(folder, 'model.json'), `its weights files hold ${weightData.length} bytes, but the manifest needs ${expected}`);
  }
  const optimizerConfig = (json.trainingConfig as { optimizer_config?: { class_name?: unknown } } | undefined)?.optimizer_config;
  const optimizerClass = optimizerConfig?.class_name;
  if (typeof optimizerClass === 'string' && tf.serialization.SerializationMap.getMap().classNameMap[optimizerClass] === undefined) {
    throw new DataError(
      join(folder, 'model.json'),
      `its optimizer '${optimizerClass}' is not one TensorFlow.js knows (tfjs-keras wrote 'KerasRMSprop' before its RMSprop followed Keras's rule); start a new run`,
    );
  }
  const tfModel = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs,
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length),
      ...(json.trainingConfig ? { trainingConfig: json.trainingConfig as tf.io.TrainingConfig } : {}),
    }),
  );
  return { tfModel, metadata: json.userDefinedMetadata ?? {} };
}
