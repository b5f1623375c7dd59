import { NotFoundError } from '../../errors.js';

/** 404 for feedback or KPIs about a model the exporter has never heard of. */
export function unknownModel(model: string): never {
  throw new NotFoundError(`unknown model ${model}: no predictions or reference received for it`);
}
