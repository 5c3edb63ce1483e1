/**
 * Every named asset call in each fixture's pipeline.py gets a hover with the
 * facts of that fixture's store. The expected type, latest label and version
 * count come from the sqlite3 command line, for example
 *   sqlite3 -readonly .flowyml/metadata.db "select name, type, count(*) from artifacts group by name, type"
 * and, for stored version strings, the `version` column of catalog.db.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES, sharedFixture } from '../helpers/paths';
import { positionOf, startServer } from './harness';

/** Asset name in source → [heading, latest-version line]; `undefined` latest means not in the store. */
type Expected = Record<string, [string, string | undefined]>;

const BIG = sharedFixture('flowyml-1.7-big');

const derived = (n: number, of = n) => `Latest version: **#${n}** (derived: no stored version) of ${of}`;

const FIXTURES: { name: string; root: string; skip: string | false; expected: Expected }[] = [
  {
    name: 'flowyml-1.7-basic',
    root: path.join(SMALL_FIXTURES, 'flowyml-1.7-basic'),
    skip: false,
    expected: {
      iris_raw: ['**Dataset** `iris_raw`', derived(3)],
      iris_train: ['**Dataset** `iris_train`', derived(3)],
      iris_test: ['**Dataset** `iris_test`', derived(3)],
      iris_logreg: ['**Model** `iris_logreg`', derived(3)],
      iris_eval: ['**Metrics** `iris_eval`', derived(3)],
    },
  },
  {
    name: 'flowyml-1.7-featureset-report',
    root: path.join(SMALL_FIXTURES, 'flowyml-1.7-featureset-report'),
    skip: false,
    expected: {
      customers: ['**Dataset** `customers`', derived(2)],
      // The split step returns a dict, so FlowyML 1.7 stores one `split_output` row instead of these two.
      customers_train: ['**Dataset** `customers_train`', undefined],
      customers_holdout: ['**Dataset** `customers_holdout`', undefined],
      churn_features_v1: ['**FeatureSet** `churn_features_v1`', derived(2)],
      feature_spec: ['**Artifact** `feature_spec`', derived(2)],
      churn_tree: ['**Model** `churn_tree`', derived(2)],
      training_run_config: ['**Artifact** `training_run_config`', derived(2)],
      churn_model_card: ['**Report** `churn_model_card`', derived(2)],
    },
  },
  {
    name: 'flowyml-1.7-local-stack',
    root: path.join(SMALL_FIXTURES, 'flowyml-1.7-local-stack'),
    skip: false,
    expected: {
      ridge_model: ['**Model** `ridge_model`', derived(2)],
      frame_sample: ['**Dataset** `frame_sample`', derived(2)],
      ridge_fit: ['**Metrics** `ridge_fit`', derived(2)],
    },
  },
  {
    name: 'flowyml-1.7-projects',
    root: path.join(SMALL_FIXTURES, 'flowyml-1.7-projects'),
    skip: false,
    expected: {
      interactions: ['**Dataset** `interactions`', derived(2)],
      recsys_als: ['**Model** `recsys_als`', derived(2)],
      recsys_eval: ['**Metrics** `recsys_eval`', derived(2)],
      transactions: ['**Dataset** `transactions`', derived(2)],
      fraud_eval: ['**Metrics** `fraud_eval`', derived(2)],
    },
  },
  {
    name: 'sample workspace (flowyml-2.1-catalog-lineage)',
    root: SAMPLE_WORKSPACE,
    skip: false,
    expected: {
      // Run 2 of churn_data_prep came from the step cache, so its versions have no catalog row and no version string.
      customers_raw: ['**Dataset** `customers_raw`', derived(2)],
      customers_clean: ['**Dataset** `customers_clean`', derived(2)],
      churn_features: ['**FeatureSet** `churn_features`', derived(6)],
      feature_config: ['**Artifact** `feature_config`', derived(2)],
      churn_model: ['**Model** `churn_model`', 'Latest version: **v4.0.0 (#4)** of 4'],
      churn_eval: ['**Metrics** `churn_eval`', 'Latest version: **v3.0.0 (#3)** of 3'],
      churn_model_card: ['**Report** `churn_model_card`', 'Latest version: **v3.0.0 (#3)** of 3'],
      ticket_summarizer: ['**Prompt** `ticket_summarizer`', 'Latest version: **v2.0.0 (#5)** of 5'],
      support_agent: ['**Prompt** `support_agent`', 'Latest version: **v1.0.0 (#3)** of 3'],
      scored_customers: ['**Dataset** `scored_customers`', derived(1)],
      churn_threshold_model: ['**Model** `churn_threshold_model`', derived(1)],
    },
  },
  {
    name: 'flowyml-1.7-big',
    root: BIG.dir,
    skip: BIG.skip,
    expected: {
      sales_raw: ['**Dataset** `sales_raw`', derived(2040)],
      data_quality: ['**Metrics** `data_quality`', derived(2040)],
      sales_features: ['**FeatureSet** `sales_features`', derived(2040)],
      feature_config: ['**Artifact** `feature_config`', derived(2040)],
      sales_ridge: ['**Model** `sales_ridge`', derived(2040)],
      // Every 20th run fails in evaluate: 2,040 − 102.
      eval_metrics: ['**Metrics** `eval_metrics`', derived(1938)],
      eval_report: ['**Report** `eval_report`', derived(1938)],
    },
  },
];

for (const fixture of FIXTURES) {
  describe(fixture.name, { skip: fixture.skip }, () => {
    test('hover on every named asset call matches the store', async () => {
      const client = await startServer({ roots: [fixture.root] });
      try {
        const document = await client.open(path.join(fixture.root, 'pipeline.py'));
        const text = fs.readFileSync(path.join(fixture.root, 'pipeline.py'), 'utf8');
        const seen = new Set<string>();

        for (const [name, [heading, latest]] of Object.entries(fixture.expected)) {
          const needle = new RegExp(`name="${name}"`).exec(text) ? `name="${name}"` : `"${name}"`;
          const hover = await client.hoverText(document, positionOf(text, needle, { delta: needle.indexOf('"') + 1 }));
          const paragraphs = hover?.split('\n\n') ?? [];

          assert.equal(paragraphs[0], heading, name);
          if (latest) assert.equal(paragraphs[1], latest, name);
          else assert.equal(paragraphs[1], `Not in the store yet: no version named \`${name}\` was recorded.`, name);
          seen.add(name);
        }

        assert.equal(seen.size, Object.keys(fixture.expected).length);
      } finally {
        await client.close();
      }
    });
  });
}
