/**
 * The smallest AMD loader that loads a Grafana plugin's module.js: Grafana loads plugins with
 * SystemJS, which accepts AMD `define([deps], factory)`. Shared modules are registered by name;
 * the plugin's anonymous define is captured and resolved against them.
 */
type Factory = (...deps: unknown[]) => unknown;

const shared = new Map<string, unknown>();
let pending: { deps: string[]; factory: Factory } | null = null;

export function provide(name: string, value: unknown): void {
  shared.set(name, value);
}

export function installDefine(): void {
  const define = (deps: string[] | Factory, factory?: Factory) => {
    if (typeof deps === 'function') pending = { deps: [], factory: deps };
    else pending = { deps, factory: factory as Factory };
  };
  (define as unknown as { amd: object }).amd = {};
  (window as unknown as { define: unknown }).define = define;
}

/** Loads a script that calls define() and returns the module's exports. */
export function loadAmdModule(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.onload = () => {
      const mod = pending;
      pending = null;
      if (!mod) return reject(new Error(`${url} did not call define()`));
      const missing = mod.deps.filter((d) => !shared.has(d));
      if (missing.length) return reject(new Error(`${url} needs modules the host does not provide: ${missing.join(', ')}`));
      resolve(mod.factory(...mod.deps.map((d) => shared.get(d))) as Record<string, unknown>);
    };
    document.head.appendChild(script);
  });
}
