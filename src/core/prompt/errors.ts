/** Errors of template parsing and rendering, named and worded as Python raises them. */

/** The Python exception classes `str.format(**kwargs)` raises for the value types supported here. */
export type PythonExceptionName = 'ValueError' | 'KeyError' | 'IndexError' | 'AttributeError' | 'TypeError' | 'OverflowError';

/** An exception as Python raises it, before its place in the template is attached. */
export class PythonError extends Error {
  readonly exception: PythonExceptionName;
  /** `str(e)` in Python: for a KeyError that is the repr of the key. */
  readonly pythonMessage: string;

  constructor(exception: PythonExceptionName, pythonMessage: string) {
    super(`${exception}: ${pythonMessage}`);
    this.name = 'PythonError';
    this.exception = exception;
    this.pythonMessage = pythonMessage;
  }
}

/**
 * A case Python renders but this module does not reproduce: an attribute
 * whose text contains a memory address (`{s.upper}`), or a width or precision
 * beyond MAX_FORMAT_SIZE.
 */
export class UnsupportedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFormatError';
  }
}

/** The largest width or precision rendered; Python itself goes on until memory runs out. */
export const MAX_FORMAT_SIZE = 1_000_000;

/** A place in a template: UTF-16 offsets for slicing, 1-based line and column for people. */
export interface TemplateLocation {
  /** Start offset in UTF-16 code units. */
  offset: number;
  /** End offset (exclusive) in UTF-16 code units. */
  end: number;
  /** 1-based line; lines end at \n, \r\n or \r. */
  line: number;
  /** 1-based column in code points from the start of the line. */
  column: number;
}

/** Returns the location of the range [offset, end) in `text`. */
export function locateInTemplate(text: string, offset: number, end: number = offset): TemplateLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = [...text.slice(lineStart, offset)].length + 1;

  return { offset, end, line, column };
}

/** Returns "line 2, column 5", or "message 2, line 2, column 5" for a chat message (message counted from 1). */
export function describeLocation(location: TemplateLocation, messageIndex?: number): string {
  const message = messageIndex === undefined ? '' : `message ${messageIndex + 1}, `;
  return `${message}line ${location.line}, column ${location.column}`;
}

/** A template error with its Python meaning and its place in the template. */
export class PromptFormatError extends Error {
  /** The Python exception class, or 'Unsupported' for a case this module does not reproduce. */
  readonly exception: PythonExceptionName | 'Unsupported';
  /** The text of Python's message (`str(e)`), or the reason for 'Unsupported'. */
  readonly pythonMessage: string;
  readonly location: TemplateLocation;
  /** For a chat template: the 0-based index of the message whose content failed. */
  readonly messageIndex: number | undefined;

  constructor(exception: PythonExceptionName | 'Unsupported', pythonMessage: string, location: TemplateLocation, messageIndex?: number) {
    super(`${exception}: ${pythonMessage} at ${describeLocation(location, messageIndex)}`);
    this.name = 'PromptFormatError';
    this.exception = exception;
    this.pythonMessage = pythonMessage;
    this.location = location;
    this.messageIndex = messageIndex;
  }

  /** Returns the same error attributed to one message of a chat template. */
  inMessage(messageIndex: number): PromptFormatError {
    return new PromptFormatError(this.exception, this.pythonMessage, this.location, messageIndex);
  }
}
