import { queryInstant, samplesOf } from './dsFrames';
import { versionNumberQueries, type VersionNumber } from './versionQueries';

export { versionNumberQueries, type VersionNumber };
export type VersionNumbers = Record<string, Partial<Record<VersionNumber, number>>>;

/** The numbers per version, from one instant `/api/ds/query` request; a version without series has none. */
export async function queryVersionNumbers(datasourceUid: string, model: string): Promise<VersionNumbers> {
  const exprs = versionNumberQueries(model);
  const data = await queryInstant(datasourceUid, exprs);
  const out: VersionNumbers = {};
  for (const key of Object.keys(exprs) as VersionNumber[]) {
    for (const s of samplesOf(data, key)) {
      const v = s.labels.version;
      if (v !== undefined) (out[v] ??= {})[key] = s.value;
    }
  }
  return out;
}
