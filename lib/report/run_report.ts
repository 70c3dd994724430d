/**
 * A training run's report, assembled from the model, its test set and its history: the page
 * (HTML, self-contained) and the same figures as PNG files. It only computes; the caller writes.
 */
import type { TopLevelSpec } from 'vega-lite';
import { imageSize, type ImageSet } from '../data/dataset';
import { withThousands } from '../format';
import type { FunctionalModel } from '../model';
import { explainModel } from '../summary_explain';
import { confusionMatrixSpec, trainingCurvesSpec } from './charts';
import { confusionMatrix, type ConfusionMatrix } from './confusion_matrix';
import { convolutionFeatureMaps, firstConvolutionFilters } from './feature_maps';
import { featureMapGrids, filtersGrid, misclassifiedGrid, percent, setImage, singleImageGrid } from './figures';
import { reportHtml, type ReportBlock, type ReportSection } from './html_page';
import { imageGridSpec, type ImageGrid } from './image_grid';
import { predictClasses, type Predictions } from './predictions';
import { pngSize } from './png';
import { PNG_SCALE, renderPng, renderSvg, svgToPng } from './render';

/** A figure made earlier as a PNG file, e.g. by `npm run visualize`. */
export interface SavedFigure {
  /** What it shows. */
  readonly title: string;
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
}

/** An image someone visualised with `npm run visualize`, with its figures. */
export interface VisualizedImage {
  /** The image file as given, e.g. `digit.png`. */
  readonly name: string;
  /** One line: the prediction for it. */
  readonly description: string;
  /** The image and its feature maps, one figure per layer. */
  readonly figures: readonly SavedFigure[];
}

/** What a run's report is made of. */
export interface RunReportInput {
  /** The page's title, e.g. `lenet5 on mnist`. */
  readonly title: string;
  /** Label and value pairs for the table at the top: data set, backend, epochs, time, ... */
  readonly facts: readonly (readonly [label: string, value: string])[];
  /** The trained model. */
  readonly model: FunctionalModel;
  /** Class names, label `i` being `classNames[i]`. */
  readonly classNames: readonly string[];
  /** The test images the confusion matrix, mistakes and feature maps come from. */
  readonly test: ImageSet;
  /** Per-epoch values by Keras's log names (`loss`, `val_accuracy`, ...). */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** The final test loss and accuracy, drawn at the last epoch; left out when unknown. */
  readonly testMetrics?: { readonly loss: number; readonly accuracy: number };
  /** Images visualised by `npm run visualize`, shown in their own section. Default none. */
  readonly visualized?: readonly VisualizedImage[];
  /** The test image whose feature maps are shown. Default 0, the first. */
  readonly featureMapImage?: number;
  /** At most this many misclassified images. Default 32. */
  readonly misclassifiedLimit?: number;
}

/** One figure as a PNG file. */
export interface ReportFigure {
  /** File name without folder, e.g. `training_curves.png`. */
  readonly fileName: string;
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
}

/** The report: the page and its figures. */
export interface RunReport {
  /** The self-contained page, for `report.html`. */
  readonly html: string;
  /** The same figures as PNG files, charts and image grids alike. */
  readonly figures: readonly ReportFigure[];
}

/** On-screen width of each kind of tile, in CSS pixels. */
export const TILE_WIDTH = { image: 56, featureMap: 80, filter: 64 } as const;

/** Renders figures for the page and keeps their PNG versions for the files. */
class FigureCollector {
  readonly figures: ReportFigure[] = [];

  /** A chart: inline SVG on the page, the same drawing as PNG. */
  async chart(spec: TopLevelSpec, fileName: string): Promise<ReportBlock> {
    const svg = await renderSvg(spec);
    this.figures.push({ fileName, png: svgToPng(svg) });
    return { kind: 'chart', svg };
  }

  /** An image grid: `<img>` tiles on the page, a captioned PNG figure for the file. */
  async grid(grid: ImageGrid, fileName: string): Promise<ReportBlock> {
    this.figures.push({ fileName, png: await renderPng(imageGridSpec(grid)) });
    return { kind: 'grid', grid };
  }
}

/** Builds the page and the PNG figures; runs the model over the whole test set once. */
export async function buildRunReport(input: RunReportInput): Promise<RunReport> {
  const collector = new FigureCollector();
  const predictions = await predictClasses(input.model, input.test);
  const matrix = confusionMatrix(input.test.labels, predictions.predicted, input.classNames);
  const sections = [
    await trainingSection(input, collector),
    await confusionSection(matrix, collector),
    await mistakesSection(input, predictions, collector),
    await filtersSection(input.model, collector),
    await featureMapsSection(input, predictions, collector),
    visualizedSection(input.visualized ?? []),
    modelSection(input.model),
  ].filter((section): section is ReportSection => section !== null);
  const subtitle =
    matrix.total === 0 ? 'no test images' : `test accuracy ${percentWithDecimals(matrix.correct / matrix.total)} on ${withThousands(matrix.total)} images`;
  return { html: reportHtml({ title: input.title, subtitle, facts: input.facts, sections }), figures: collector.figures };
}

/** `91.75%`. */
function percentWithDecimals(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

async function trainingSection(input: RunReportInput, collector: FigureCollector): Promise<ReportSection> {
  const hasValidation = Object.keys(input.history).some((name) => name.startsWith('val_'));
  const text = hasValidation
    ? 'Loss and accuracy after each epoch on the training images and on the validation images held out from them; the green point is the test set after training. A validation curve that turns up while the training curve goes on down is overfitting.'
    : 'Loss and accuracy after each epoch on the training images; the green point is the test set after training. This run kept no validation images: train with --validation-split 0.1 to see whether it overfits.';
  const spec = trainingCurvesSpec({ history: input.history, ...(input.testMetrics ? { test: input.testMetrics } : {}) });
  return { id: 'training', title: 'Training', blocks: [{ kind: 'text', text }, await collector.chart(spec, 'training_curves.png')] };
}

async function confusionSection(matrix: ConfusionMatrix, collector: FigureCollector): Promise<ReportSection> {
  const right = matrix.total === 0 ? '' : ` (${percentWithDecimals(matrix.correct / matrix.total)})`;
  const text =
    `Rows are the true classes, columns what the model predicted, over the ${withThousands(matrix.total)} test images: ` +
    `${withThousands(matrix.correct)} right${right}. Off the diagonal are the mistakes; the percent view divides each row by ` +
    "its class's images, so that each diagonal cell is that class's recall.";
  return {
    id: 'confusion',
    title: 'Confusion matrix',
    blocks: [
      { kind: 'text', text },
      await collector.chart(confusionMatrixSpec(matrix, 'counts'), 'confusion_matrix_counts.png'),
      await collector.chart(confusionMatrixSpec(matrix, 'normalized'), 'confusion_matrix_percent.png'),
    ],
  };
}

async function mistakesSection(input: RunReportInput, predictions: Predictions, collector: FigureCollector): Promise<ReportSection> {
  const options = { limit: input.misclassifiedLimit ?? 32, columns: 8, tileWidth: TILE_WIDTH.image };
  const grid = misclassifiedGrid(input.test, predictions, input.classNames, options);
  const text =
    grid === null
      ? 'Every test image was classified right.'
      : 'Each with its true class and the predicted one, with the probability the model gave it. Confident mistakes are often ambiguous or mislabelled images.';
  const blocks: ReportBlock[] = [{ kind: 'text', text }];
  if (grid !== null) blocks.push(await collector.grid(grid, 'misclassified.png'));
  return { id: 'mistakes', title: 'Misclassified test images', blocks };
}

async function filtersSection(model: FunctionalModel, collector: FigureCollector): Promise<ReportSection | null> {
  const filters = await firstConvolutionFilters(model);
  if (filters === null) return null;
  const text =
    filters.inputChannels === 3
      ? 'The weights of each filter of the first convolution, as colours, each scaled from its lowest to its highest weight. Filter #i makes feature map #i below.'
      : 'The weights of each filter of the first convolution: orange above zero, blue below, white at zero, on one scale for all. A filter responds most where the image looks like it. Filter #i makes feature map #i below.';
  return {
    id: 'filters',
    title: 'First-layer filters',
    blocks: [{ kind: 'text', text }, await collector.grid(filtersGrid(filters, TILE_WIDTH.filter), 'first_layer_filters.png')],
  };
}

async function featureMapsSection(input: RunReportInput, predictions: Predictions, collector: FigureCollector): Promise<ReportSection | null> {
  const { model, test, classNames } = input;
  if (test.count === 0 || !model.layers.some((layer) => layer.className === 'Conv2D')) return null;
  const index = Math.min(input.featureMapImage ?? 0, test.count - 1);
  const size = imageSize(test.imageShape);
  const maps = await convolutionFeatureMaps(model, test.images.slice(index * size, (index + 1) * size));
  const name = (label: number): string => classNames[label] ?? String(label);
  const predicted = predictions.predicted[index] as number;
  const description = `test image #${index}: true ${name(test.labels[index] as number)}, predicted ${name(predicted)} (${percent(predictions.confidence[index] as number)})`;
  const blocks: ReportBlock[] = [
    {
      kind: 'text',
      text: `What every convolution layer makes of ${description}. Each map is drawn from its own lowest value (dark purple) to its highest (yellow); a map that stays dark everywhere did not respond to this image.`,
    },
    { kind: 'grid', grid: singleImageGrid('The image', setImage(test, index), description.replace(': ', '\n'), TILE_WIDTH.featureMap * 2) },
  ];
  const grids = featureMapGrids(maps, TILE_WIDTH.featureMap);
  for (const [i, grid] of grids.entries()) blocks.push(await collector.grid(grid, `feature_maps_${maps[i]?.name ?? i}.png`));
  return { id: 'feature-maps', title: 'Feature maps', blocks };
}

function visualizedSection(images: readonly VisualizedImage[]): ReportSection | null {
  if (images.length === 0) return null;
  const blocks = images.flatMap((image): ReportBlock[] => [
    { kind: 'text', text: `${image.name}: ${image.description}` },
    // Figures are drawn at PNG_SCALE device pixels per CSS pixel: shown at the size they were laid out.
    ...image.figures.map((figure): ReportBlock => ({ kind: 'image', png: figure.png, alt: figure.title, width: pngSize(figure.png, figure.title).width / PNG_SCALE })),
  ]);
  return { id: 'visualized', title: 'Visualised images', blocks };
}

function modelSection(model: FunctionalModel): ReportSection {
  const summary: string[] = [];
  model.summary({ printFn: (line) => summary.push(line) });
  return {
    id: 'model',
    title: 'Model',
    blocks: [
      { kind: 'preformatted', text: summary.join('\n') },
      { kind: 'preformatted', text: explainModel(model).join('\n').trim(), summary: 'How each number is computed: output sizes, parameters, mult-adds, memory' },
    ],
  };
}
