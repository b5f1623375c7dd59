// Demo traffic for the docker-compose stack: plays two model servers and a label source against
// the exporter's public HTTP API, the way a real deployment would (no dependencies, Node >= 20).
//   MODELWATCH_URL (default http://exporter:9400), MODELWATCH_TOKEN (ingest/operator/admin token),
//   DEMO_INTERVAL_MS (default 1000), DEMO_BATCH (events per version per tick, default 40).
const BASE = (process.env.MODELWATCH_URL ?? 'http://exporter:9400').replace(/\/$/, '');
const TOKEN = process.env.MODELWATCH_TOKEN ?? '';
const INTERVAL_MS = Number(process.env.DEMO_INTERVAL_MS ?? 1000);
const BATCH = Number(process.env.DEMO_BATCH ?? 40);
if (!TOKEN) {
  console.error('MODELWATCH_TOKEN is required');
  process.exit(2);
}

async function call(method, path, body, okStatuses = []) {
  const res = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // Re-running against an existing registry answers 409/422: that is fine for a demo.
  if (!res.ok && !okStatuses.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status;
}

const gaussian = (mean, sd) => mean + sd * Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const PLANS = ['basic', 'plus', 'pro'];

function churnFeatures(drift) {
  return {
    tenure_months: Math.max(0, gaussian(24, 10)),
    monthly_charges: gaussian(60 + drift, 15),
    plan: Math.random() < 0.02 ? null : pick(PLANS),
  };
}
function churnScore(f, skill) {
  const z = (f.monthly_charges ?? 60) / 20 - (f.tenure_months ?? 24) / 10 + (f.plan === 'basic' ? 0.8 : 0);
  return 1 / (1 + Math.exp(-skill * z));
}
const housePrice = (f) => 1500 * f.area_m2 + 10000 * f.rooms + (f.city === 'paris' ? 80000 : 0);
const houseFeatures = () => ({
  rooms: Math.round(gaussian(4, 1.5)),
  area_m2: Math.max(20, gaussian(95, 30)),
  city: pick(['paris', 'lyon', 'lille']),
});

const MODELS = [
  {
    name: 'churn_classifier',
    team: 'growth',
    task: 'classification',
    versions: [
      { v: 'v1', stage: 'production', skill: 1.2, latency: 18 },
      { v: 'v2', stage: 'staging', skill: 1.5, latency: 24 },
    ],
  },
  { name: 'house_price', team: 'pricing', task: 'regression', versions: [{ v: 'v1', stage: 'production', latency: 9 }] },
];

async function setUp() {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${BASE}/readyz`)).ok) break;
    } catch {}
    if (i > 120) throw new Error(`exporter at ${BASE} not ready`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const m of MODELS) {
    await call('POST', '/api/v1/models', { name: m.name, team: m.team, description: `demo ${m.task} model` }, [409]);
    for (const ver of m.versions) {
      const metrics = { accuracy: 0.9, latency_ms: ver.latency };
      await call(
        'POST',
        `/api/v1/models/${m.name}/versions`,
        { version: ver.v, metrics, lineage: { code_commit: 'demo', data_version: '2024-01' } },
        [409],
      );
      const sample = Array.from({ length: 500 }, () => (m.task === 'classification' ? churnFeatures(0) : houseFeatures()));
      const features = Object.fromEntries(Object.keys(sample[0]).map((k) => [k, sample.map((s) => s[k])]));
      // The reference also carries the model's outputs on that sample, for output (prediction) drift.
      const predictions = sample.map((f) => (m.task === 'classification' ? (churnScore(f, ver.skill) >= 0.5 ? '1' : '0') : housePrice(f)));
      const extra = m.task === 'classification' ? { positive_class: '1' } : {};
      await call('PUT', `/api/v1/models/${m.name}/versions/${ver.v}/reference`, { features, predictions, task: m.task, ...extra }, []);
      for (const to of ver.stage === 'production' ? ['staging', 'production'] : ['staging']) {
        await call('POST', `/api/v1/models/${m.name}/versions/${ver.v}/transitions`, { to, reason: 'demo setup' }, [409, 422]);
      }
    }
  }
}

let seq = 0;
let pendingLabels = [];
async function tick(t) {
  const ready = pendingLabels;
  pendingLabels = [];
  for (const m of MODELS) {
    for (const ver of m.versions) {
      const events = [];
      for (let i = 0; i < BATCH; i++) {
        const id = `${m.name}-${ver.v}-${++seq}`;
        const latency_ms = Math.max(1, gaussian(ver.latency, ver.latency / 3));
        if (Math.random() < 0.01) {
          events.push({ id, features: {}, latency_ms, error: 'timeout' });
          continue;
        }
        if (m.task === 'classification') {
          // v2's traffic drifts: monthly charges creep up over the first minutes.
          const f = churnFeatures(ver.v === 'v2' ? Math.min(30, t / 10) : 0);
          const score = churnScore(f, ver.skill);
          const truth = Math.random() < churnScore(f, 1.3) ? '1' : '0';
          events.push({ id, features: f, prediction: score >= 0.5 ? '1' : '0', score, latency_ms });
          if (Math.random() < 0.7) pendingLabels.push({ model: m.name, id, label: truth });
        } else {
          const f = houseFeatures();
          const price = housePrice(f);
          events.push({ id, features: f, prediction: price * gaussian(1, 0.05), latency_ms });
          if (Math.random() < 0.7) pendingLabels.push({ model: m.name, id, label: price * gaussian(1, 0.08) });
        }
      }
      await call('POST', '/api/v1/predictions', { model: m.name, version: ver.v, task: m.task, events });
    }
  }
  // Labels arrive one tick after their predictions, as from a delayed label source.
  for (const m of MODELS) {
    const own = ready.filter((l) => l.model === m.name).map(({ id, label }) => ({ id, label }));
    if (own.length) await call('POST', '/api/v1/feedback', { model: m.name, events: own });
  }
  await call('POST', '/api/v1/kpis', { model: 'churn_classifier', kpis: { retention_rate: 0.9 + gaussian(0, 0.01) } });
  await call('POST', '/api/v1/kpis', { model: 'house_price', kpis: { listings_priced: Math.round(gaussian(120, 10)) } });
}

await setUp();
console.log(`demo traffic: ${MODELS.length} models -> ${BASE} every ${INTERVAL_MS} ms`);
for (let t = 0; ; t++) {
  try {
    await tick(t);
  } catch (err) {
    console.error(String(err));
  }
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
