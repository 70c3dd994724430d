import { confusionMatrix, normalizedByTrueClass } from '../../lib/report/confusion_matrix';

describe('confusionMatrix', () => {
  it('counts (true, predicted) pairs, rows true and columns predicted', () => {
    const matrix = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], ['cat', 'dog', 'bird']);
    expect(matrix.counts).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    expect([matrix.correct, matrix.total]).toEqual([4, 6]);
    expect(matrix.classNames).toEqual(['cat', 'dog', 'bird']);
  });

  it('normalises each row by its true class, a class without images giving zeros', () => {
    const matrix = confusionMatrix([0, 0, 0, 0, 2], [0, 0, 0, 2, 2], ['a', 'b', 'c']);
    expect(normalizedByTrueClass(matrix)).toEqual([
      [0.75, 0, 0.25],
      [0, 0, 0],
      [0, 0, 1],
    ]);
  });

  it('names the bad label, its position and the allowed range', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], ['a', 'b'])).toThrow('confusionMatrix: trueLabels[1] must be a class index in [0, 2), got 3');
    expect(() => confusionMatrix([0], [-1], ['a', 'b'])).toThrow('confusionMatrix: predictedLabels[0] must be a class index in [0, 2), got -1');
    expect(() => confusionMatrix([0, 1], [0], ['a', 'b'])).toThrow("confusionMatrix: predictedLabels must be one per true label (2), got '1 labels'");
  });
});
