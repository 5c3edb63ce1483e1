// Generates a lineage-shaped DAG for the layout benchmark: steps consume one
// to three recent asset versions and produce one or two new ones, so edges
// run between alternating asset and step layers as in a FlowyML store.
// A seeded generator makes every run lay out the same graph.

export function generateLineageGraph(nodeCount, seed = 1) {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };

  const nodes = [];
  const edges = [];
  const assets = [];
  for (let i = 0; i < 3 && nodes.length < nodeCount; i++) {
    const id = `a${nodes.length}`;
    nodes.push({ id, kind: 'asset' });
    assets.push(id);
  }
  while (nodes.length < nodeCount) {
    const step = `s${nodes.length}`;
    nodes.push({ id: step, kind: 'step' });
    const inputs = new Set();
    const inputCount = 1 + Math.floor(random() * 3);
    const window = Math.min(assets.length, 60);
    for (let k = 0; k < inputCount; k++) inputs.add(assets[assets.length - 1 - Math.floor(random() * window)]);
    for (const input of inputs) edges.push({ from: input, to: step });
    const outputCount = 1 + Math.floor(random() * 2);
    for (let k = 0; k < outputCount && nodes.length < nodeCount; k++) {
      const id = `a${nodes.length}`;
      nodes.push({ id, kind: 'asset' });
      edges.push({ from: step, to: id });
      assets.push(id);
    }
  }

  return { nodes, edges };
}
