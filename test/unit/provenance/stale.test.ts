// Stale marks on the sample workspace (a copy of the catalog-lineage
// fixture), and after registering a newer parent through the real register
// path on a temporary copy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace, provenance } from '../../../src/core/index';
import { findWriteEngine, planRegistration, writeRegistration } from '../../../src/core/register/index';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { copySampleWorkspace, pythonAvailable } from '../../helpers/register-files';

const MODEL_V2 = '.flowyml/metadata.db:artifacts:3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model_model%2Fchurn';
const PROMPT_CHECK_3 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_prompt_check_eval%2Fprompt_check';
const SUMMARIZER_V2 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt%2Fsummarizer';
const AGENT_3 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_agent_prompt%2Fagent';

describe('stale marks on the sample workspace', () => {
  test('production model lists its outdated inputs', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const mark = new provenance.StaleChecker(index).check(MODEL_V2);
      assert.ok(mark, 'churn_model v2.0.0 is stale');
      const reasons = mark.reasons.map((reason) => [reason.distance, reason.ancestor.name, reason.ancestor.label, reason.newer.label]);
      // The second churn_data_prep run (1573ec2a, all steps cached) recorded
      // #2 of its three outputs, and the failed v4 training run loaded
      // churn_features again as #6.
      assert.deepEqual(reasons, [
        [1, 'churn_features', '#4', '#6'],
        [2, 'customers_clean', 'v1.0.0 (#1)', '#2'],
        [2, 'feature_config', 'v1.0.0 (#1)', '#2'],
        [3, 'customers_raw', 'v1.0.0 (#1)', '#2'],
      ]);
    } finally {
      index.dispose();
    }
  });

  test('a version built from the latest inputs is not stale', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const checker = new provenance.StaleChecker(index);
      assert.equal(checker.check(PROMPT_CHECK_3), undefined);
      assert.equal(checker.check(SUMMARIZER_V2), undefined);
    } finally {
      index.dispose();
    }
  });

  test('staleIds agrees with check on every version', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const checker = new provenance.StaleChecker(index);
      const all = checker.staleIds();
      const oneByOne = index.versions.filter((version) => checker.check(version.id) !== undefined).map((version) => version.id);
      assert.equal(all.size, 35);
      assert.equal(index.versions.length, 58);
      assert.deepEqual([...all].sort(), oneByOne.sort());
    } finally {
      index.dispose();
    }
  });
});

describe('stale marks after registering a newer parent', { skip: pythonAvailable() }, () => {
  test('registering ticket_summarizer v2.1.0 makes prompt_check #3 stale', async () => {
    const root = copySampleWorkspace();
    const template = path.join(root, 'summarizer.txt');
    fs.writeFileSync(template, 'Summarize this support ticket in two sentences:\n\n{ticket}\n');

    const before = await loadWorkspace(root);
    try {
      const plan = await planRegistration({
        workspace: before, source: { kind: 'file', path: template }, type: 'Prompt', name: 'ticket_summarizer', bump: 'minor', parents: [SUMMARIZER_V2],
      });
      const written = await writeRegistration(plan, findWriteEngine());
      assert.equal(written.version, 'v2.1.0');
    } finally {
      before.dispose();
    }

    const after = await loadWorkspace(root);
    try {
      const checker = new provenance.StaleChecker(after);
      const mark = checker.check(PROMPT_CHECK_3);
      assert.ok(mark, 'prompt_check #3 is stale once a newer ticket_summarizer exists');
      assert.equal(mark.reasons.length, 1);
      assert.equal(mark.reasons[0].ancestor.id, SUMMARIZER_V2);
      assert.equal(mark.reasons[0].newer.label, 'v2.1.0 (#6)');
      assert.equal(mark.reasons[0].distance, 1);
      // The new version was built from v2.0.0, so v2.0.0 is not stale by it,
      // and support_agent had no newer version registered.
      assert.equal(checker.check(SUMMARIZER_V2), undefined);
      assert.equal(checker.check(AGENT_3), undefined);
      assert.ok(checker.staleIds().has(PROMPT_CHECK_3));
    } finally {
      after.dispose();
    }
  });
});
