/** Renders the type-specific sections of the details panel. */
import type { ColumnSummary, DetailsSection, DetailsStrings } from '../../src/protocol/details';
import { element } from '../shared/dom';
import { formatNumber } from './chartLayout';
import { drawLineCharts, drawRangeBar } from './charts';

export function renderSection(section: DetailsSection, strings: DetailsStrings): HTMLElement {
  switch (section.kind) {
    case 'columns':
      return wrap(section.title, 'columns', renderColumns(section.columns, strings));
    case 'chart':
      return wrap(section.title, 'chart-section', drawLineCharts(section.xLabel, section.series));
    case 'values': {
      const list = element('dl', { className: 'facts values' });
      for (const value of section.values) {
        list.append(element('dt', { text: value.label }), element('dd', { className: value.code ? 'code' : undefined, text: value.value }));
      }
      return wrap(section.title, 'values-section', list);
    }
    case 'text':
      return wrap(section.title, 'text-section',
        element('pre', { className: 'template', multilineText: section.text }),
        section.note ? element('p', { className: 'note', text: section.note }) : undefined);
    default: {
      const unhandled: never = section;
      throw new Error(`Unknown section ${JSON.stringify(unhandled)}`);
    }
  }
}

function wrap(title: string, className: string, ...children: (Node | undefined)[]): HTMLElement {
  return element('section', { className: `type-section ${className}` }, [element('h2', { text: title }), ...children]);
}

function renderColumns(columns: ColumnSummary[], strings: DetailsStrings): HTMLElement {
  const headings = [strings.column, strings.dtype, strings.count, strings.unique, strings.mean, strings.std, strings.min, strings.median, strings.max, ''];
  const head = element('thead', {}, [element('tr', {}, headings.map((text) => element('th', { text, attributes: { scope: 'col' } })))]);
  const body = element('tbody');
  for (const column of columns) {
    const numbers = [column.count, column.unique, column.mean, column.std, column.min, column.median, column.max]
      .map((value) => element('td', { className: 'number', text: value === undefined ? '' : formatNumber(value) }));
    const bar = drawRangeBar(column, strings.rangeBar);
    const last = bar
      ? element('td', { className: 'bar' }, [bar])
      : element('td', { className: 'top-values', text: column.topValues.join(', '), attributes: { title: strings.topValues } });
    body.append(element('tr', {}, [
      element('th', { text: column.name, attributes: { scope: 'row' } }),
      element('td', { text: column.dtype }),
      ...numbers,
      last,
    ]));
  }

  return element('div', { className: 'table-scroll' }, [element('table', { className: 'column-stats' }, [head, body])]);
}
