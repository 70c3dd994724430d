import { confusionMatrixSpec, trainingCurvesSpec } from '../../lib/report/charts';
import { confusionMatrix } from '../../lib/report/confusion_matrix';
import { renderSvg } from '../../lib/report/render';

/** The data rows a single-view or concatenated spec carries. */
function rows(spec: object): Record<string, unknown>[] {
  const views = 'hconcat' in spec ? (spec as { hconcat: object[] }).hconcat : [spec];
  return views.flatMap((view) => (view as { data: { values: Record<string, unknown>[] } }).data.values);
}

describe('trainingCurvesSpec', () => {
  const history = { loss: [0.9, 0.4, 0.3], accuracy: [0.7, 0.88, 0.91], val_loss: [0.5, 0.45, 0.5], val_accuracy: [0.85, 0.87, 0.86] };

  it('plots loss and accuracy per epoch, train and validation, with the test result at the last epoch', async () => {
    const spec = trainingCurvesSpec({ history, test: { loss: 0.47, accuracy: 0.86 } });
    const data = rows(spec);
    expect(data).toContainEqual({ epoch: 1, series: 'train', value: 0.9 });
    expect(data).toContainEqual({ epoch: 3, series: 'validation', value: 0.86 });
    expect(data).toContainEqual({ epoch: 3, series: 'test (final)', value: 0.47 });
    expect(data).toHaveLength(14);
    const svg = await renderSvg(spec);
    for (const text of ['>loss</text>', '>accuracy</text>', '>epoch</text>', '>validation</text>', '>90%</text>']) expect(svg).toContain(text);
  });

  it('draws what there is: no validation, no test, a metric missing', () => {
    const data = rows(trainingCurvesSpec({ history: { loss: [1, 0.5] } }));
    expect(data).toEqual([
      { epoch: 1, series: 'train', value: 1 },
      { epoch: 2, series: 'train', value: 0.5 },
    ]);
  });
});

describe('confusionMatrixSpec', () => {
  const matrix = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 0], ['airplane', 'automobile', 'bird']);

  it('labels the axes with the class names and writes the count in every cell', async () => {
    const svg = await renderSvg(confusionMatrixSpec(matrix, 'counts'));
    for (const name of ['airplane', 'automobile', 'bird', 'predicted class', 'true class']) expect(svg).toContain(`>${name}</text>`);
    expect(svg.match(/<text[^>]*>2<\/text>/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('the percent view divides each row by its true class; empty cells stay blank', () => {
    const cells = rows(confusionMatrixSpec(matrix, 'normalized'));
    expect(cells).toContainEqual({ truth: 'airplane', predicted: 'automobile', value: 1 / 3, label: '33' });
    expect(cells).toContainEqual({ truth: 'bird', predicted: 'airplane', value: 1, label: '100' });
    expect(cells).toContainEqual({ truth: 'bird', predicted: 'bird', value: 0, label: '' });
  });
});
