/** Options every zoo builder takes. */
export interface ZooOptions {
  /** One example's shape, channels last, without the batch. Default: the model's data set. */
  inputShape?: readonly number[];
  /** The number of classes of the last Dense layer. Default 10. */
  classes?: number;
}
