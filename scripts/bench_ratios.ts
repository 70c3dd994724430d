/**
 * The benchmark's ratios to the PyTorch peer. On a shared machine one run's ratio moves by
 * +-15% from run to run (LeNet-5's training ratio read 0.76 to 1.17 for the same code), because
 * the machine's speed drifts between our run and the peer's. `--rounds` alternates the two
 * several times and reports the median of the per-round ratios, which one slow or fast moment
 * cannot move.
 */

/** Images per second, as both benchmarks print them. */
export interface Throughput {
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
}

/** Our throughput over the peer's: above 1 means faster than PyTorch. */
export interface Ratios {
  trainRatio: number;
  inferRatio: number;
}

function toThousandths(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function ratiosOf(ours: Throughput, peer: Throughput): Ratios {
  return {
    trainRatio: toThousandths(ours.trainImagesPerSecond / peer.trainImagesPerSecond),
    inferRatio: toThousandths(ours.inferImagesPerSecond / peer.inferImagesPerSecond),
  };
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: expected at least one value, got none');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Each round's ratios, and their medians as `trainRatio` and `inferRatio`. */
export interface MedianRatios extends Ratios {
  rounds: number;
  trainRatios: number[];
  inferRatios: number[];
}

export function medianRatios(rounds: readonly Ratios[]): MedianRatios {
  const trainRatios = rounds.map((round) => round.trainRatio);
  const inferRatios = rounds.map((round) => round.inferRatio);
  return {
    rounds: rounds.length,
    trainRatios,
    inferRatios,
    trainRatio: toThousandths(median(trainRatios)),
    inferRatio: toThousandths(median(inferRatios)),
  };
}
