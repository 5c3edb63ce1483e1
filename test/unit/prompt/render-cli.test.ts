// The render command run in-process on the sample workspace and on a copy
// whose prompt rows were rewritten the way FlowyML writes them
// (`str(template)[:1000]`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { pythonUnavailable, runPython } from '../../helpers/python-writer';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const PROJECT = '.flowyml/projects/support-genai/metadata.db';
const AGENT = `${PROJECT}:artifacts:65a6059f-4688-43f0-b4f4-764f97df1c3f_define_agent_prompt%2Fagent`;
const SUMMARIZER = `${PROJECT}:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt%2Fsummarizer`;
const AGENT_VARS = ['--var', 'customer_name=Ada', '--var', 'plan=pro', '--var', 'message=Bill {x} wrong', '--var', 'language=French'];

test('render chat prints role blocks', async () => {
  const { code, out, err } = await cli('render', AGENT, SAMPLE_WORKSPACE, ...AGENT_VARS);
  assert.equal(code, 0, err);
  assert.equal(out, [
    '[system]',
    "You are Acme's support agent. Answer in at most three sentences.",
    '',
    '[user]',
    'Customer Ada (plan: pro) wrote:',
    'Bill {x} wrong',
    'Reply in French.',
  ].join('\n'));
  assert.equal(err, '');
});

test('render text prints the text', async () => {
  const { code, out, err } = await cli('render', SUMMARIZER, SAMPLE_WORKSPACE, '--var', 'product=Acme', '--var', 'ticket=Printer on fire');
  assert.equal(code, 0, err);
  assert.equal(out, 'You triage Acme tickets. Summarize the ticket below for an on-call engineer, then give a severity from 1-4.\n\nTicket:\nPrinter on fire');
});

test('render --json prints the contract', async () => {
  const varsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'render-vars-')), 'vars.json');
  fs.writeFileSync(varsFile, JSON.stringify({ customer_name: 'Ada', plan: 'pro', message: 'hi', language: 'de', extra: 1.5 }));
  const { code, out, err } = await cli('render', AGENT, SAMPLE_WORKSPACE, '--vars-file', varsFile, '--var', 'language=French', '--json');
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(out), {
    id: AGENT,
    kind: 'chat',
    messages: [
      { role: 'system', content: "You are Acme's support agent. Answer in at most three sentences." },
      { role: 'user', content: 'Customer Ada (plan: pro) wrote:\nhi\nReply in French.' },
    ],
    variables: { used: ['customer_name', 'plan', 'message', 'language'], missing: [], unused: ['extra'], stored: null },
    complete: true,
    completeness: 'complete',
    source: 'value-repr',
  });
  assert.equal(err, 'warning: unused variable: extra.');
});

test('vars-file numbers keep Python types', async () => {
  const varsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'render-vars-')), 'vars.json');
  fs.writeFileSync(varsFile, '{"product": 1.0, "ticket": [1, NaN, {"b": 2, "a": 1}]}');
  const { code, out } = await cli('render', SUMMARIZER, SAMPLE_WORKSPACE, '--vars-file', varsFile);
  assert.equal(code, 0);
  assert.match(out, /^You triage 1\.0 tickets\./);
  assert.match(out, /Ticket:\n\[1, nan, \{'b': 2, 'a': 1\}\]$/);
});

test('missing variables exit 1', async () => {
  const { code, out, err } = await cli('render', AGENT, SAMPLE_WORKSPACE, '--var', 'customer_name=Ada');
  assert.equal(code, 1);
  assert.equal(out, '');
  assert.equal(err, "flowyml-assets: missing variables plan, message, language; Python raises KeyError: 'plan' at message 2, line 1, column 34. Pass them with --var NAME=VALUE or --vars-file.");
});

test('render of a non-prompt exits 1', async () => {
  const { code, err } = await cli('render', `${PROJECT}:artifacts:65a6059f-4688-43f0-b4f4-764f97df1c3f_prompt_check_eval%2Fprompt_check`, SAMPLE_WORKSPACE);
  assert.equal(code, 1);
  assert.match(err, /is a Other: dict, not a Prompt\.$|not a Prompt\.$/);
});

test('render usage errors exit 2', async () => {
  assert.equal((await cli('render', SAMPLE_WORKSPACE)).code, 1, 'a DIR alone is read as an unknown ID');
  assert.equal((await cli('render')).code, 2);
  assert.equal((await cli('render', AGENT, SAMPLE_WORKSPACE, '--var', 'novalue')).code, 2);
});

test('unreadable vars-file exits 1', async () => {
  const missing = await cli('render', AGENT, SAMPLE_WORKSPACE, '--vars-file', '/nonexistent/vars.json');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read --vars-file/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-vars-'));
  fs.writeFileSync(path.join(dir, 'list.json'), '[1]');
  const list = await cli('render', AGENT, SAMPLE_WORKSPACE, '--vars-file', path.join(dir, 'list.json'));
  assert.equal(list.code, 1);
  assert.match(list.err, /must hold a JSON object/);
});

// Rewrites prompt rows of a copied workspace: a long chat template cut as FlowyML cuts it, a template with a
// syntax error, and a text template of exactly 1,000 characters.
const REWRITE = String.raw`
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def set_value(artifact_id, value):
    (meta,) = db.execute("select metadata from artifacts where artifact_id = ?", (artifact_id,)).fetchone()
    meta = json.loads(meta)
    meta["value"] = str(value)[:1000]
    db.execute("update artifacts set metadata = ? where artifact_id = ?", (json.dumps(meta), artifact_id))
chat = [{"role": "system" if i == 0 else "user", "content": f"Part {i}: " + "words " * 30 + "{topic}"} for i in range(8)]
set_value("65a6059f-4688-43f0-b4f4-764f97df1c3f_define_agent_prompt/agent", chat)
set_value("b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt/summarizer", "Summarize {ticket}.\nSeverity: {severity:d} }")
set_value("c7339f12-ab5a-472e-8b16-24c80a3654fa_define_summarizer_prompt/summarizer", "{product} " + "z" * 990)
db.commit()
`;

let copy = '';
const skipCopy = pythonUnavailable() ?? false;

before(() => {
  if (skipCopy) return;
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'render-cut-'));
  fs.cpSync(path.join(SAMPLE_WORKSPACE, '.flowyml'), path.join(copy, '.flowyml'), { recursive: true });
  runPython(REWRITE, [path.join(copy, PROJECT)]);
});

after(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test('cut chat template exits 1', { skip: skipCopy }, async () => {
  const { code, out, err } = await cli('render', AGENT, copy, '--var', 'topic=x');
  assert.equal(code, 1);
  assert.equal(out, '');
  assert.match(err, /^flowyml-assets: cannot render .*: the template is incomplete because the stored repr stops at 1000 characters, after 4 complete message\(s\); the rest of the template is missing\.$/);

  const json = await cli('render', AGENT, copy, '--var', 'topic=x', '--json');
  assert.equal(json.code, 1);
  const report = JSON.parse(json.out) as { complete: boolean; completeness: string; error: { message: string } };
  assert.equal(report.complete, false);
  assert.equal(report.completeness, 'cut');
  assert.match(report.error.message, /incomplete/);
});

test('syntax error exits 1 with a caret', { skip: skipCopy }, async () => {
  const id = SUMMARIZER;
  // An int severity formats with :d, so Python reaches the stray brace and raises there.
  const varsFile = path.join(copy, 'severity-vars.json');
  fs.writeFileSync(varsFile, JSON.stringify({ ticket: 't', severity: 2 }));
  const { code, out, err } = await cli('render', id, copy, '--vars-file', varsFile);
  assert.equal(code, 1);
  assert.equal(out, '');
  assert.equal(err, [
    "flowyml-assets: invalid template: ValueError: Single '}' encountered in format string at line 2, column 24",
    '  Severity: {severity:d} }',
    '                         ^',
  ].join('\n'));
});

test('first failing field wins as in Python', { skip: skipCopy }, async () => {
  // A str severity fails its :d spec before Python reaches the stray brace.
  const { code, err } = await cli('render', SUMMARIZER, copy, '--var', 'ticket=t', '--var', 'severity=2');
  assert.equal(code, 1);
  assert.match(err, /^flowyml-assets: rendering failed: ValueError: Unknown format code 'd' for object of type 'str' at line 2, column 21$/m);
});

test('1000-character text renders with a warning', { skip: skipCopy }, async () => {
  const id = `${PROJECT}:artifacts:c7339f12-ab5a-472e-8b16-24c80a3654fa_define_summarizer_prompt%2Fsummarizer`;
  const { code, out, err } = await cli('render', id, copy, '--var', 'product=T');
  assert.equal(code, 0);
  assert.equal(out, `T ${'z'.repeat(990)}`);
  assert.match(err, /^warning: the stored template is exactly 1000 characters, the length FlowyML cuts at, so its end may be missing\.$/m);
  assert.match(err, /^note: stored variables \[ticket\] differ from the template's \[product\]\. The stored variables come from FlowyML's regex/m);
});
