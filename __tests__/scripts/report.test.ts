/**
 * `npm run report` and `npm run visualize` as users run them (the built scripts, in a child
 * process) on a tiny real run, and the page they write opened in headless Chromium: no console
 * error, no request, every image decoded, the charts drawn.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import { launchChromium } from '../helpers/chromium';

const root = join(__dirname, '..', '..');

function run(script: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', `${script}.js`), ...args], { cwd: root, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const folder = mkdtempSync(join(tmpdir(), 'tfjs-keras-report-'));
const runDir = join(folder, 'run');

/** A 28 x 28 gray PNG of a vertical bar, something like a 1. */
function writeDigit(path: string): void {
  const png = new PNG({ width: 28, height: 28 });
  for (let i = 0; i < 28 * 28; i++) {
    const level = Math.abs((i % 28) - 14) < 2 && i > 28 * 4 && i < 28 * 24 ? 255 : 0;
    png.data.set([level, level, level, 255], i * 4);
  }
  writeFileSync(path, PNG.sync.write(png));
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'scripts', 'report.js'))) throw new Error('dist/ is missing: run `npm run build` before the script tests');
  const trained = run('train', ['lecture-pool', '--epochs', '2', '--train-limit', '200', '--test-limit', '60', '--validation-split', '0.2', '--backend', 'wasm', '--out', runDir]);
  if (trained.status !== 0) throw new Error(`training the test run failed: ${trained.stderr}`);
});

describe('npm run report', () => {
  it('writes report.html and the figures as PNG files, and says where', () => {
    const { stdout, stderr, status } = run('report', [runDir, '--backend', 'wasm']);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toBe(`report: ${join(runDir, 'report.html')} (open it in a browser; its figures are also in ${join(runDir, 'figures')})\n`);
    expect(readdirSync(join(runDir, 'figures')).sort()).toEqual(
      expect.arrayContaining([
        'confusion_matrix_counts.png',
        'confusion_matrix_percent.png',
        'feature_maps_conv2d.png',
        'feature_maps_conv2d_1.png',
        'first_layer_filters.png',
        'training_curves.png',
      ]),
    );
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<h1>lecture-pool on mnist</h1>');
    expect(html).toContain('<tr><th>data set</th><td>mnist: 200 training images (--train-limit 200), 20% of them held out for validation; 60 test images</td></tr>');
  });

  it.each<[string, string[], RegExp]>([
    ['a folder that is not a run', [folder], /^error: .*run\.json: not found: expected the run\.json of a training run \(is this a run folder\?\)\n$/],
    ['no folder', [], /^error: Not enough non-option arguments: got 0, need at least 1\n$/],
    ['an unknown backend', [runDir, '--backend', 'gpu2'], /^error: --backend must be 'auto', .*'wasm' or 'cpu', got 'gpu2'\n$/],
  ])('rejects %s in one line with exit code 1', (_, args, message) => {
    const { stdout, stderr, status } = run('report', args);
    expect([status, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(message);
  });
});

describe('npm run visualize', () => {
  it("writes each convolution layer's feature maps of the image as PNG files and adds them to the report", () => {
    const image = join(folder, 'my digit.png');
    writeDigit(image);
    const { stdout, stderr, status } = run('visualize', [runDir, image, '--backend', 'wasm']);
    expect([status, stderr]).toEqual([0, '']);
    const out = join(runDir, 'visualize', 'my_digit');
    expect(stdout.split('\n').slice(0, 3)).toEqual([join(out, 'input.png'), join(out, 'feature_maps_conv2d.png'), join(out, 'feature_maps_conv2d_1.png')]);
    expect(stdout).toContain(`report: ${join(runDir, 'report.html')}`);
    for (const file of ['input.png', 'feature_maps_conv2d.png', 'feature_maps_conv2d_1.png']) {
      const png = PNG.sync.read(readFileSync(join(out, file)));
      expect(png.width).toBeGreaterThan(100);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'visualize.json'), 'utf8')) as { image: string; description: string };
    expect(manifest.image).toBe(image);
    expect(manifest.description).toMatch(/^predicted \d \((\d+%|>99%|<1%)\)$/);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="visualized">');
    expect(html).toContain(`<p>${image}: ${manifest.description}</p>`);
  });

  it('rejects an image that is not there, naming it', () => {
    const { stdout, stderr, status } = run('visualize', [runDir, join(folder, 'missing.png'), '--backend', 'wasm']);
    expect([status, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(new RegExp(`^error: ${join(folder, 'missing.png')}: .*\\n$`));
  });
});

describe('report.html in headless Chromium', () => {
  it('loads with no console error and no request, every image decoded and the charts drawn', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      const url = `file://${join(runDir, 'report.html')}`;
      await page.goto(url, { waitUntil: 'load' });
      const found = await page.evaluate(() => ({
        images: Array.from(document.images, (image) => ({ alt: image.alt, complete: image.complete, width: image.naturalWidth, src: image.src.slice(0, 22) })),
        charts: document.querySelectorAll('figure.chart > svg').length,
        chartMarks: document.querySelectorAll('figure.chart svg path, figure.chart svg rect').length,
        chartTexts: Array.from(document.querySelectorAll('figure.chart svg text'), (text) => text.textContent ?? ''),
        sections: Array.from(document.querySelectorAll('section'), (section) => section.id),
      }));
      expect(errors).toEqual([]);
      expect(requests.filter((request) => request !== url && !request.startsWith('data:'))).toEqual([]);
      expect(found.sections).toEqual(['training', 'confusion', 'mistakes', 'filters', 'feature-maps', 'visualized', 'model']);
      expect(found.images.length).toBeGreaterThan(20);
      for (const image of found.images) expect(image).toEqual({ alt: image.alt, complete: true, width: expect.any(Number), src: 'data:image/png;base64,' });
      expect(found.images.filter((image) => image.width === 0)).toEqual([]);
      expect(found.charts).toBe(3);
      expect(found.chartMarks).toBeGreaterThan(100);
      expect(found.chartTexts).toEqual(expect.arrayContaining(['loss', 'accuracy', 'epoch', 'predicted class', 'true class', '0', '9']));
    } finally {
      await browser.close();
    }
  });
});
