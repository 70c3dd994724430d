import { clearSession, setRandomSeed } from '../../lib';
import { createImageSet } from '../../lib/data/dataset';
import { predictClasses } from '../../lib/report/predictions';
import { buildRunReport, type RunReportInput } from '../../lib/report/run_report';
import { encodePng } from '../../lib/report/png';
import { lectureDense, lecturePool } from '../../models';

const count = 12;
const test = createImageSet(
  Float32Array.from({ length: count * 28 * 28 }, (_, i) => ((i * 7919) % 997) / 997),
  Int32Array.from({ length: count }, (_, i) => i % 3),
  [28, 28, 1],
);

function input(overrides: Partial<RunReportInput> = {}): RunReportInput {
  clearSession();
  setRandomSeed(1);
  return {
    title: 'lecture-pool on a handful',
    facts: [['backend', 'cpu']],
    model: lecturePool({ classes: 3 }),
    classNames: ['zero', 'one', 'two'],
    test,
    history: { loss: [1.1, 0.9], accuracy: [0.3, 0.5], val_loss: [1.0, 0.95], val_accuracy: [0.4, 0.45] },
    testMetrics: { loss: 0.97, accuracy: 0.42 },
    ...overrides,
  };
}

describe('predictClasses', () => {
  it('gives the argmax and its probability for every image, across batch boundaries', async () => {
    const model = input().model;
    const all = await predictClasses(model, test, 5);
    const one = await predictClasses(model, test, 256);
    expect(Array.from(all.predicted)).toEqual(Array.from(one.predicted));
    expect(all.predicted).toHaveLength(count);
    for (const p of all.confidence) expect(p).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
  });
});

describe('buildRunReport', () => {
  it('makes the page and the same figures as PNG files', async () => {
    const report = await buildRunReport(input());
    expect(report.figures.map((figure) => figure.fileName)).toEqual([
      'training_curves.png',
      'confusion_matrix_counts.png',
      'confusion_matrix_percent.png',
      ...(report.html.includes('Every test image was classified right') ? [] : ['misclassified.png']),
      'first_layer_filters.png',
      'feature_maps_conv2d.png',
      'feature_maps_conv2d_1.png',
    ]);
    for (const figure of report.figures) expect(Array.from(figure.png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const { html } = report;
    for (const id of ['training', 'confusion', 'mistakes', 'filters', 'feature-maps', 'model']) expect(html).toContain(`<section id="${id}">`);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('>zero</text>');
    expect(html).toContain('conv2d_1 (Conv2D): 6 maps of 8 x 8');
    expect(html).toContain('Total mult-adds: 82,515');
    expect(html).toMatch(/test accuracy \d+\.\d\d% on 12 images/);
  });

  it('says when there is no validation curve, and leaves out what a dense model lacks', async () => {
    const report = await buildRunReport(input({ model: lectureDense({ inputShape: [28, 28, 1], classes: 3 }), history: { loss: [1, 0.8], accuracy: [0.4, 0.5] } }));
    expect(report.html).toContain('This run kept no validation images: train with --validation-split 0.1');
    expect(report.html).not.toContain('<section id="filters">');
    expect(report.html).not.toContain('<section id="feature-maps">');
  });

  it('shows the figures of images visualised earlier at their drawn size', async () => {
    const png = encodePng({ width: 200, height: 100, data: new Uint8Array(200 * 100 * 4).fill(255) });
    const report = await buildRunReport(input({ visualized: [{ name: 'digit.png', description: 'predicted two (80%)', figures: [{ title: 'The image', png }] }] }));
    expect(report.html).toContain('<section id="visualized">');
    expect(report.html).toContain('<p>digit.png: predicted two (80%)</p>');
    expect(report.html).toMatch(/<img class="figure" src="data:image\/png;base64,[^"]+" width="100" alt="The image">/);
  });
});
