/**
 * Draws the prompt panel. The skeleton and the variable form are built once
 * per prompt. The template pieces, output spans and flags are D3 keyed joins
 * that `update` re-runs on every keystroke, so focus and caret stay in the
 * field being typed. Every stored string goes in through textContent or an
 * attribute value, never as markup.
 */
import { select } from 'd3-selection';
import type { OutputSpan, PromptFormatError } from '../../src/core/prompt/index';
import type { PromptAction, PromptPreview, PromptStrings, VariableInput, VariableInputs } from '../../src/protocol/prompt';
import { visibleText } from '../../src/protocol/text';
import { element } from '../shared/dom';
import type { PreviewModel, PreviewPart, TemplatePiece } from './model';
import { countTokens, encodingForModel } from './tokens';

/** Variables take colours --vscode-charts-* in turn; CSS maps `colour-N` to one of them. */
const COLOUR_COUNT = 6;

export interface PanelCallbacks {
  inputChanged(name: string, input: VariableInput | undefined): void;
  action(action: PromptAction): void;
}

interface OutputPiece {
  key: string;
  text: string;
  span: OutputSpan | undefined;
  /** True for the marker where Python stops with an error. */
  stop: boolean;
}

export class PromptPanelView {
  readonly root: HTMLElement;
  private readonly banners = element('div', { className: 'banners' });
  private readonly templateBody = element('div', { className: 'template-body' });
  private readonly form = element('div', { className: 'variable-form' });
  private readonly outputBody = element('div', { className: 'output-body' });
  private readonly outputStatus = element('div', { className: 'output-status' });
  private readonly counts = element('span', { className: 'counts' });
  private readonly copyButton = element('vscode-button', { className: 'copy-rendered' });
  private readonly openButton = element('vscode-button', { className: 'open-document', attributes: { secondary: '' } });
  private readonly colours = new Map<string, number>();

  constructor(
    private readonly preview: PromptPreview,
    private readonly strings: PromptStrings,
    private inputs: VariableInputs,
    private readonly callbacks: PanelCallbacks,
  ) {
    this.copyButton.textContent = strings.copyRendered;
    this.openButton.textContent = strings.openDocument;
    this.copyButton.addEventListener('click', () => callbacks.action('copy'));
    this.openButton.addEventListener('click', () => callbacks.action('openDocument'));

    this.root = element('div', { className: 'prompt-panel' }, [
      this.header(),
      this.banners,
      element('section', { className: 'template', attributes: { 'aria-label': strings.template } }, [
        element('h2', { text: strings.template }),
        this.templateBody,
      ]),
      element('section', { className: 'variables', attributes: { 'aria-label': strings.variables } }, [
        element('h2', { text: strings.variables }),
        this.form,
      ]),
      element('section', { className: 'output', attributes: { 'aria-label': strings.output } }, [
        element('div', { className: 'output-header' }, [
          element('h2', { text: strings.output }),
          this.counts,
          element('span', { className: 'toolbar' }, [this.copyButton, this.openButton]),
        ]),
        this.outputStatus,
        this.outputBody,
      ]),
      this.settings(),
    ]);
  }

  /** Redraws everything that depends on the inputs. */
  update(model: PreviewModel, inputs: VariableInputs): void {
    this.inputs = inputs;
    for (const name of [...model.variables, ...Object.keys(inputs)]) {
      if (!this.colours.has(name)) this.colours.set(name, this.colours.size % COLOUR_COUNT);
    }
    if (this.formNames().join('\n') !== [...model.variables, ...model.unused].join('\n')) this.buildForm(model);

    this.drawBanners(model);
    this.drawTemplate(model);
    this.drawFormFlags(model);
    this.drawOutput(model);
  }

  private header(): HTMLElement {
    const meta = [this.preview.versionLabel, this.preview.sourceText].filter((text): text is string => Boolean(text)).join(' · ');

    return element('header', { className: 'prompt-header' }, [
      element('h1', { className: 'name', text: this.preview.name }),
      element('div', { className: 'meta', text: meta }),
    ]);
  }

  private settings(): HTMLElement {
    const section = element('section', { className: 'settings', attributes: { 'aria-label': this.strings.modelSettings } }, [
      element('h2', { text: this.strings.modelSettings }),
    ]);
    if (this.preview.modelSettings.length === 0) {
      section.append(element('p', { className: 'empty', text: this.strings.noModelSettings }));
      return section;
    }
    const list = element('dl', { className: 'model-settings' });
    for (const setting of this.preview.modelSettings) {
      list.append(element('dt', { text: setting.key }), element('dd', { className: 'code', text: setting.value }));
    }
    section.append(list);

    return section;
  }

  private drawBanners(model: PreviewModel): void {
    const banners: { key: string; className: string; text: string }[] = [];
    if (this.preview.completeness !== 'complete') {
      const text = [this.strings.incomplete, this.preview.note].filter(Boolean).join(' ');
      banners.push({ key: 'incomplete', className: 'banner incomplete', text });
    }
    const comparison = model.comparison;
    if (comparison.note && comparison.stored) {
      banners.push({
        key: 'variables-differ',
        className: 'banner variables-differ',
        text: `${this.strings.storedVariables} [${comparison.stored.join(', ')}] · ${this.strings.parsedVariables} [${comparison.parsed.join(', ')}]. ${this.strings.variablesDiffer}`,
      });
    }

    select(this.banners)
      .selectAll<HTMLDivElement, (typeof banners)[number]>('div.banner')
      .data(banners, (banner) => banner.key)
      .join('div')
      .attr('class', (banner) => banner.className)
      .attr('role', 'status')
      .text((banner) => visibleText(banner.text));
  }

  private drawTemplate(model: PreviewModel): void {
    const parts = select(this.templateBody)
      .selectAll<HTMLDivElement, PreviewPart>('div.part')
      .data(model.parts, (part) => String(part.messageIndex ?? 'text'))
      .join((enter) => {
        const part = enter.append('div');
        part.filter((d) => d.messageIndex !== undefined).append('div').attr('class', 'role');
        part.append('pre').attr('class', 'pieces');
        part.filter((d) => d.messageIndex !== undefined).append('div').attr('class', 'message-extra');
        return part;
      })
      .attr('class', (part) => (part.messageIndex === undefined ? 'part text-part' : `part role-card role-${roleClass(part.role)}`))
      .attr('data-message', (part) => (part.messageIndex === undefined ? null : String(part.messageIndex)));

    parts.select('.role').text((part) => visibleText(part.role ?? this.strings.noRole));
    parts.select('.message-extra').text((part) => this.messageExtra(part));
    parts.select<HTMLPreElement>('pre.pieces')
      .selectAll<HTMLSpanElement, TemplatePiece>('span.piece')
      .data((part) => part.pieces, (piece) => `${piece.kind}:${piece.start}:${piece.end}`)
      .join('span')
      .attr('class', (piece) => this.pieceClass(piece, model))
      .attr('data-variable', (piece) => piece.variable ?? null)
      .attr('data-offset', (piece) => String(piece.start))
      .attr('title', (piece) => this.pieceTitle(piece, model))
      .text((piece) => visibleText(piece.text, { keepLineBreaks: true }));
  }

  private messageExtra(part: PreviewPart): string {
    const notes: string[] = [];
    const problem = part.contentProblem;
    if (problem) notes.push(fill(problem.kind === 'not-dict' ? this.strings.messageNotDict : this.strings.contentNotText, { type: problem.type }));
    if (part.otherKeys.length > 0) {
      notes.push(`${this.strings.otherKeys} ${part.otherKeys.map((entry) => `${entry.key}=${entry.value}`).join(', ')}`);
    }

    return visibleText(notes.join(' · '));
  }

  private pieceClass(piece: TemplatePiece, model: PreviewModel): string {
    const classes = ['piece', piece.kind];
    if (piece.kind === 'field') {
      classes.push('chip');
      if (piece.variable) classes.push(`colour-${this.colours.get(piece.variable) ?? 0}`);
      if (piece.variable && model.missing.includes(piece.variable)) classes.push('missing');
    }
    if (piece.failed) classes.push('failed');

    return classes.join(' ');
  }

  private pieceTitle(piece: TemplatePiece, model: PreviewModel): string | null {
    if (piece.kind === 'error' && model.syntaxError) return errorText(model.syntaxError, this.strings);
    if (piece.failed && model.error) return errorText(model.error, this.strings);
    if (piece.kind === 'field' && piece.variable) {
      return model.missing.includes(piece.variable) ? `${piece.variable}: ${this.strings.missing}` : piece.variable;
    }

    return null;
  }

  private formNames(): string[] {
    return [...this.form.querySelectorAll<HTMLElement>('.variable-row')].map((row) => row.dataset.variable ?? '');
  }

  /** Builds one row per variable: the template's, then remembered ones it does not read. */
  private buildForm(model: PreviewModel): void {
    const names = [...model.variables, ...model.unused];
    if (names.length === 0) {
      this.form.replaceChildren(element('p', { className: 'empty', text: this.strings.noVariables }));
      return;
    }
    this.form.replaceChildren(...names.map((name) => this.variableRow(name)));
  }

  private variableRow(name: string): HTMLElement {
    const input = this.inputs[name];
    const textarea = element('vscode-textarea', { className: 'value', attributes: { 'aria-label': name, rows: '1', resize: 'vertical' } });
    textarea.value = input?.text ?? '';
    const json = element('vscode-checkbox', { className: 'json-mode', attributes: { label: this.strings.jsonMode } });
    json.checked = input?.mode === 'json';
    const unset = element('button', { className: 'link unset', text: '×', attributes: { type: 'button', title: this.strings.unsetValue, 'aria-label': this.strings.unsetValue } });

    const changed = () => this.callbacks.inputChanged(name, { mode: json.checked ? 'json' : 'text', text: textarea.value });
    textarea.addEventListener('input', changed);
    json.addEventListener('change', changed);
    unset.addEventListener('click', () => {
      textarea.value = '';
      this.callbacks.inputChanged(name, undefined);
    });

    return element('div', { className: `variable-row colour-${this.colours.get(name) ?? 0}`, attributes: { 'data-variable': name } }, [
      element('div', { className: 'variable-label' }, [
        element('span', { className: 'chip variable-name', text: name }),
        element('span', { className: 'flags' }),
      ]),
      element('div', { className: 'variable-input' }, [textarea, json, unset]),
      element('div', { className: 'field-error' }),
    ]);
  }

  private drawFormFlags(model: PreviewModel): void {
    for (const row of this.form.querySelectorAll<HTMLElement>('.variable-row')) {
      const name = row.dataset.variable ?? '';
      const flags: string[] = [];
      if (model.missing.includes(name)) flags.push(this.strings.missing);
      if (model.unused.includes(name)) flags.push(this.strings.unused);
      row.classList.toggle('missing', model.missing.includes(name));
      row.classList.toggle('unused', model.unused.includes(name));
      row.classList.toggle('invalid', model.invalidJson.has(name));
      (row.querySelector('.flags') as HTMLElement).textContent = flags.join(' · ');
      const invalid = model.invalidJson.get(name);
      (row.querySelector('.field-error') as HTMLElement).textContent = invalid ? visibleText(`${this.strings.invalidJson} ${invalid}`) : '';
    }
  }

  /**
   * Formats the token and character counts of the output. Tokens are counted
   * only where the prompt's model has an offline tokenizer.
   */
  private countsText(model: PreviewModel): string {
    const characters = fill(this.strings.characters, { count: model.characters.toLocaleString('en-US') });
    const encoding = encodingForModel(this.preview.model);
    if (encoding === undefined) {
      const reason = this.preview.model === undefined
        ? this.strings.tokensNoModel
        : fill(this.strings.tokensUnavailable, { model: this.preview.model });
      return `${characters} · ${reason}`;
    }

    const texts = model.parts.map((part) => part.output?.text ?? '');
    const tokens = fill(this.strings.tokens, { count: countTokens(texts, encoding).toLocaleString('en-US'), encoding });
    const counts = `${tokens} · ${characters}`;
    return model.kind === 'chat' ? `${counts} · ${this.strings.tokensChatOverhead}` : counts;
  }

  private drawOutput(model: PreviewModel): void {
    this.counts.textContent = this.countsText(model);

    const usable = model.rendered && !model.error && !model.syntaxError && model.invalidJson.size === 0;
    for (const button of [this.copyButton, this.openButton]) button.toggleAttribute('disabled', !usable);

    const status: string[] = [];
    if (!model.rendered) status.push(this.strings.cutNotRendered);
    if (model.error) status.push(errorText(model.error, this.strings));
    if (model.syntaxError && model.syntaxError !== model.error) status.push(errorText(model.syntaxError, this.strings));
    if (model.missing.length > 0) status.push(fill(this.strings.missingList, { names: model.missing.join(', ') }));
    if (model.unused.length > 0) status.push(fill(this.strings.unusedList, { names: model.unused.join(', ') }));
    select(this.outputStatus)
      .selectAll<HTMLDivElement, string>('div.status-line')
      .data(status)
      .join('div')
      .attr('class', (_line, index) => (index === 0 && (model.error || !model.rendered) ? 'status-line problem error-message' : 'status-line note'))
      .text((line) => visibleText(line));

    const parts = model.rendered ? model.parts : [];
    const cards = select(this.outputBody)
      .selectAll<HTMLDivElement, PreviewPart>('div.output-part')
      .data(parts, (part) => String(part.messageIndex ?? 'text'))
      .join((enter) => {
        const part = enter.append('div');
        part.filter((d) => d.messageIndex !== undefined).append('div').attr('class', 'role');
        part.append('pre').attr('class', 'rendered');
        return part;
      })
      .attr('class', (part) => (part.messageIndex === undefined ? 'output-part' : `output-part role-card role-${roleClass(part.role)}`))
      .attr('data-message', (part) => (part.messageIndex === undefined ? null : String(part.messageIndex)));
    cards.select('.role').text((part) => visibleText(part.role ?? this.strings.noRole));
    cards.select<HTMLPreElement>('pre.rendered')
      .selectAll<HTMLSpanElement, OutputPiece>('span.out')
      .data((part) => outputPieces(part, model.error), (piece) => piece.key)
      .join('span')
      .attr('class', (piece) => this.outputClass(piece))
      .attr('data-variable', (piece) => piece.span?.variable ?? null)
      .attr('title', (piece) => (piece.span?.variable ? piece.span.variable : null))
      .text((piece) => visibleText(piece.text, { keepLineBreaks: true }));
  }

  private outputClass(piece: OutputPiece): string {
    if (piece.stop) return 'out stop';
    const variable = piece.span?.variable;
    if (!variable) return 'out literal';

    return `out var colour-${this.colours.get(variable) ?? 0}`;
  }
}

/** Splits a part's rendering into its spans, with a stop marker where Python raised. */
function outputPieces(part: PreviewPart, error: PromptFormatError | undefined): OutputPiece[] {
  const output = part.output;
  if (!output) return [];

  const pieces: OutputPiece[] = output.spans.map((span, index) => ({
    key: `${index}:${span.templateStart}`,
    text: output.text.slice(span.start, span.end),
    span,
    stop: false,
  }));
  if (output.error && error && (error.messageIndex ?? undefined) === part.messageIndex) {
    pieces.push({ key: 'stop', text: ` ⟂ ${error.exception} `, span: undefined, stop: true });
  }

  return pieces;
}

function errorText(error: PromptFormatError, strings: PromptStrings): string {
  const place = error.messageIndex === undefined
    ? fill(strings.lineColumn, { line: error.location.line, column: error.location.column })
    : fill(strings.messageLineColumn, { message: error.messageIndex + 1, line: error.location.line, column: error.location.column });

  return fill(strings.errorAt, { exception: error.exception, message: error.pythonMessage, place });
}

/** Fills the named placeholders (`{count}`) of a host-localised string; unknown names stay as written. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-z]+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

/** Returns the CSS class suffix of a role: well-known roles get their own colour, any other shares one. */
function roleClass(role: string | undefined): string {
  return role === 'system' || role === 'user' || role === 'assistant' || role === 'tool' ? role : 'other';
}
