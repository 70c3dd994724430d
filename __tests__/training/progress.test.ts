import { formatBar, formatLogValue, Progbar } from '../../lib/training/progress';

describe("Keras's progress bar", () => {
  it.each<[number, number, string]>([
    [0, 469, '  0/469 [..............................]'],
    // Keras truncates: int(30 * 123 / 469) = 7 cells, the last of them the arrow.
    [123, 469, '123/469 [======>.......................]'],
    [468, 469, '468/469 [============================>.]'],
    [469, 469, '469/469 [==============================]'],
    [1, 10, ' 1/10 [==>...........................]'],
  ])('%i of %i draws %s', (current, target, bar) => {
    expect(formatBar(current, target)).toBe(bar);
  });

  it.each<[number, string]>([
    [0.4131999, '0.4132'],
    [1.5, '1.5000'],
    [0, '0.0000'],
    [0.00012345, '1.2345e-04'],
  ])('formats %d as %s', (value, text) => {
    expect(formatLogValue(value)).toBe(text);
  });

  it('redraws in place on a terminal and ends with the epoch line', () => {
    const out: string[] = [];
    let now = 0;
    const bar = new Progbar(4, { write: (text) => out.push(text), isTTY: true }, () => now);
    now = 1000;
    bar.update(1, { loss: 2, accuracy: 0.25 });
    now = 4000;
    bar.finish({ loss: 1, accuracy: 0.5, val_loss: 0.9, val_accuracy: 0.6 });
    expect(out).toEqual([
      '\r 1/4 [======>.......................] - ETA: 3s - loss: 2.0000 - accuracy: 0.2500',
      '\r 4/4 [==============================] - 4s 1s/step - loss: 1.0000 - accuracy: 0.5000 - val_loss: 0.9000 - val_accuracy: 0.6000\n',
    ]);
  });

  it('prints only the epoch line when not a terminal', () => {
    const out: string[] = [];
    let now = 0;
    const bar = new Progbar(2, { write: (text) => out.push(text), isTTY: false }, () => now);
    bar.update(1, { loss: 3 });
    now = 50;
    bar.finish({ loss: 2 });
    expect(out).toEqual([' 2/2 [==============================] - 0s 25ms/step - loss: 2.0000\n']);
  });
});
