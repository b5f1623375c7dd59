import { CATALOG } from '../metrics/catalog.js';
import { BUILD_VERSION } from '../version.js';
import type { Collector } from './collector.js';

/** `modelwatch_build_info{version,node_version} 1`. */
export function buildInfoCollector(): Collector {
  return {
    name: 'build_info',
    collect(out) {
      out.family(CATALOG.buildInfo).sample({ version: BUILD_VERSION, node_version: process.version }, 1);
    },
  };
}
