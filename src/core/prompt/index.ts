/**
 * Prompt templates as FlowyML renders them: Python's `str.format(**vars)`
 * reproduced in TypeScript, the stored template read back from its Python
 * repr, and the variable list the template really reads.
 */
export { MAX_FORMAT_SIZE, PromptFormatError, describeLocation, locateInTemplate, type PythonExceptionName, type TemplateLocation } from './errors';
export { floatRepr } from './float-format';
export { pyFormat } from './format-spec';
export { LiteralParseError, MAX_LITERAL_DEPTH, parseJsonValue, parsePythonListPrefix, parsePythonLiteral, type PartialList } from './literal';
export { formatTemplate, renderTemplate, type OutputSpan, type PromptVariables, type RenderResult } from './render';
export { pyAscii, pyRepr, pyToJs, pyToString, strRepr } from './repr';
export {
  STORED_VALUE_LIMIT, chatMessagesToJs, compareVariables, promptTemplateOf, renderPrompt, templateSyntaxError, templateVariables,
  type ChatTemplateMessage, type Completeness, type PromptRender, type PromptTemplate, type PromptTemplateInfo,
  type RenderedChatMessage, type VariableComparison,
} from './stored';
export {
  parseTemplate,
  type FieldHead, type FieldName, type FieldSegment, type FieldStep, type FormatSpecPart,
  type LiteralSegment, type ParsedFormatString, type ParsedTemplate, type SyntaxProblem, type TemplateSegment,
} from './template';
export {
  PY_NONE, pyBool, pyDict, pyDictGet, pyFloat, pyFromJs, pyInt, pyKeysEqual, pyList, pyStr,
  type PyTypeName, type PyValue,
} from './values';
