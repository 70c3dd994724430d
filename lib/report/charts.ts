/**
 * The report's charts as Vega-Lite specifications: training curves (train, validation and the
 * final test value per metric) and the confusion matrix as a heat map, in counts or per true class.
 */
import type { TopLevelSpec } from 'vega-lite';
import { normalizedByTrueClass, type ConfusionMatrix } from './confusion_matrix';

/** The metrics drawn, in order, and how their axis reads. */
const CURVE_METRICS = [
  { name: 'loss', title: 'loss', format: '.2f', zero: true },
  { name: 'accuracy', title: 'accuracy', format: '.0%', zero: false },
] as const;

/** Series names and their colours (Vega's default palette, so the legend matches other Vega charts). */
const SERIES = [
  { name: 'train', color: '#4c78a8' },
  { name: 'validation', color: '#f58518' },
  { name: 'test (final)', color: '#54a24b' },
] as const;

/** Up to this many epochs, every epoch gets its tick. */
const MAX_EPOCH_TICKS = 20;

function epochTicks(epochs: number): number[] {
  return Array.from({ length: Math.max(epochs, 2) }, (_, i) => i + 1);
}

/** What the training curves show. */
export interface TrainingCurvesInput {
  /** Per-epoch values by Keras's log names: `loss`, `accuracy`, `val_loss`, `val_accuracy`. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** The final evaluation on the test set, drawn at the last epoch; omitted when unknown. */
  readonly test?: { readonly loss: number; readonly accuracy: number };
}

/** One row of the curves' data. */
interface CurvePoint {
  epoch: number;
  series: string;
  value: number;
}

/** Loss and accuracy per epoch, side by side, train against validation (when there is one). */
export function trainingCurvesSpec(input: TrainingCurvesInput): TopLevelSpec {
  const charts = CURVE_METRICS.filter((metric) => (input.history[metric.name]?.length ?? 0) > 0).map((metric) => {
    const points: CurvePoint[] = [];
    const add = (series: string, values: readonly number[] | undefined): void =>
      values?.forEach((value, epoch) => {
        if (Number.isFinite(value)) points.push({ epoch: epoch + 1, series, value });
      });
    add('train', input.history[metric.name]);
    add('validation', input.history[`val_${metric.name}`]);
    const epochs = input.history[metric.name]?.length ?? 0;
    const testValue = input.test?.[metric.name];
    if (testValue !== undefined && Number.isFinite(testValue)) points.push({ epoch: epochs, series: 'test (final)', value: testValue });
    // The legend lists only the series drawn, in a fixed order and colour.
    const present = SERIES.filter((series) => points.some((point) => point.series === series.name));
    return {
      title: metric.title,
      width: 360,
      height: 240,
      data: { values: points },
      mark: { type: 'line' as const, point: { size: 60 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: 'epoch',
          type: 'quantitative' as const,
          title: 'epoch',
          // Padding keeps the first and last points clear of the chart's edges.
          scale: { domain: [1, Math.max(epochs, 2)], nice: false, padding: 14 },
          // Few epochs: one tick per epoch; Vega would otherwise add half epochs.
          axis: epochs <= MAX_EPOCH_TICKS ? { values: epochTicks(epochs), format: 'd' } : { tickMinStep: 1, format: 'd' },
        },
        y: { field: 'value', type: 'quantitative' as const, title: metric.title, scale: { zero: metric.zero }, axis: { format: metric.format } },
        color: {
          field: 'series',
          type: 'nominal' as const,
          title: null,
          scale: { domain: present.map((series) => series.name), range: present.map((series) => series.color) },
          legend: { orient: 'bottom' as const, labelLimit: 200 },
        },
        tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'value', format: metric.format }],
      },
    };
  });
  return { hconcat: charts, spacing: 40 } as TopLevelSpec;
}

/** Which numbers the heat map shows. */
export type ConfusionView = 'counts' | 'normalized';

/** One cell of the heat map. */
interface ConfusionCell {
  truth: string;
  predicted: string;
  value: number;
  label: string;
}

/** A share as a cell shows it: `37`, `<1` for a few images, nothing for none. */
function percentLabel(share: number): string {
  if (share === 0) return '';
  return share < 0.005 ? '<1' : String(Math.round(share * 100));
}

/** Side of one cell in pixels; long class names still get room from the axis labels' angle. */
const CELL_SIZE = 36;
/** Widest class name label in pixels before Vega cuts it with an ellipsis. */
const LABEL_LIMIT = 240;

/** The confusion matrix as a heat map with the number in each cell; rows true, columns predicted. */
export function confusionMatrixSpec(matrix: ConfusionMatrix, view: ConfusionView): TopLevelSpec {
  const values = view === 'counts' ? matrix.counts : normalizedByTrueClass(matrix);
  const cells: ConfusionCell[] = [];
  values.forEach((row, truth) =>
    row.forEach((value, predicted) =>
      cells.push({
        truth: matrix.classNames[truth] as string,
        predicted: matrix.classNames[predicted] as string,
        value,
        label: view === 'counts' ? String(value) : percentLabel(value),
      }),
    ),
  );
  const largest = Math.max(...cells.map((cell) => cell.value), 0);
  const classes = [...matrix.classNames];
  const size = Math.max(classes.length * CELL_SIZE, 120);
  const longestName = Math.max(...classes.map((name) => name.length));
  return {
    title: view === 'counts' ? 'Counts' : 'Percent of each true class',
    width: size,
    height: size,
    data: { values: cells },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort: classes,
        title: 'predicted class',
        axis: { orient: 'top', labelAngle: longestName > 2 ? -45 : 0, labelAlign: longestName > 2 ? 'left' : 'center', domain: false, ticks: false, labelLimit: LABEL_LIMIT },
      },
      y: { field: 'truth', type: 'nominal', sort: classes, title: 'true class', axis: { domain: false, ticks: false, labelLimit: LABEL_LIMIT } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#e3e8ee', strokeWidth: 1 },
        encoding: {
          color: {
            // Empty cells stay white, so that the few mistakes stand out from them.
            condition: { test: 'datum.value === 0', value: 'white' },
            field: 'value',
            type: 'quantitative',
            title: view === 'counts' ? 'images' : 'share',
            scale: { scheme: 'blues', domain: [0, largest > 0 ? largest : 1] },
            legend: view === 'counts' ? { format: 'd' } : { format: '.0%' },
          },
          tooltip: [
            { field: 'truth', title: 'true' },
            { field: 'predicted', title: 'predicted' },
            { field: 'value', title: view === 'counts' ? 'images' : 'share', format: view === 'counts' ? 'd' : '.1%' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: classes.length > 12 ? 8 : 11 },
        encoding: {
          text: { field: 'label' },
          // Dark cells get white text: the half-way point of the blues scheme is dark enough.
          color: { condition: { test: `datum.value > ${largest / 2}`, value: 'white' }, value: '#222' },
        },
      },
    ],
  } as TopLevelSpec;
}
