import fs from 'node:fs';
import path from 'node:path';

const DIST = path.join(__dirname, '..', 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

describe('npm run build output (dist/)', () => {
  it.each(['module.js', 'plugin.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'img/logo.svg'])('contains %s', (file) => {
    expect(fs.statSync(path.join(DIST, file)).size).toBeGreaterThan(0);
  });

  it('module.js is an AMD module that leaves react, @grafana/* and rxjs to Grafana', () => {
    const js = fs.readFileSync(path.join(DIST, 'module.js'), 'utf8');
    const m = /define\((\[[^\]]*\])/.exec(js);
    expect(m).not.toBeNull();
    const deps = JSON.parse(m![1]) as string[];
    expect(deps).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui', '@grafana/runtime', 'rxjs', 'react-router-dom']));
    // A bundled copy of React, React DOM or @grafana/ui would bring their own error texts.
    expect(js).not.toContain('Minified React error');
    expect(js).not.toContain('useStyles2 must be');
    expect(js).not.toContain('grafana-ui.modal.close-tooltip');
    expect(fs.statSync(path.join(DIST, 'module.js')).size).toBeLessThan(300_000);
  });

  it('plugin.json has the package version and build date filled in', () => {
    const built = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
    expect(built.info.version).toBe(pkg.version);
    expect(built.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('package.json allows Node 20', () => {
    expect(pkg.engines.node).toBe('>=20');
  });
});
